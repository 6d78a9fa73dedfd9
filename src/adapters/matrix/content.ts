import { z } from "zod";
import type { OutgoingMessage } from "../../core/message.ts";
import { renderMessage } from "./render.ts";

/** Where a message keeps the command lines of its numbered choices (read back when a member answers). */
export const CHOICES_KEY = "org.teambot.choices";

export type Content = Record<string, unknown>;

/** Characters of text an event carries at most (events are limited to 64 KiB of JSON). */
export const MAX_TEXT = 24_000;

/** The message an answer replies to, and the thread it belongs to (answers stay in the thread). */
export interface ReplyTo {
  eventId: string;
  thread?: string;
}

/** `m.text` with HTML and plain body; mentions exactly the mention spans; a reply when `replyTo` is set. */
export function messageContent(
  message: OutgoingMessage,
  now: Date,
  replyTo?: ReplyTo,
  msgtype = "m.text",
): Content {
  const rendered = renderMessage(message, now);
  // Events are limited to 64 KiB: very long answers lose their HTML, then their tail.
  const fitsWithHtml = rendered.body.length + rendered.html.length <= MAX_TEXT;
  const body = rendered.body.length > MAX_TEXT ? `${rendered.body.slice(0, MAX_TEXT)}…` : rendered.body;
  const content: Content = {
    msgtype,
    body,
    ...(fitsWithHtml ? { format: "org.matrix.custom.html", formatted_body: rendered.html } : {}),
    "m.mentions": { user_ids: rendered.userIds },
  };
  if (message.actions.length > 0) content[CHOICES_KEY] = message.actions.map((a) => a.command);
  if (replyTo?.thread) {
    content["m.relates_to"] = {
      rel_type: "m.thread",
      event_id: replyTo.thread,
      is_falling_back: false,
      "m.in_reply_to": { event_id: replyTo.eventId },
    };
  } else if (replyTo) {
    content["m.relates_to"] = { "m.in_reply_to": { event_id: replyTo.eventId } };
  }
  return content;
}

/** An `m.replace` edit of an earlier message; the edit itself notifies nobody again. */
export function editContent(message: OutgoingMessage, eventId: string, now: Date): Content {
  const inner = messageContent(message, now);
  const html = typeof inner.formatted_body === "string" ? inner.formatted_body : undefined;
  return {
    msgtype: inner.msgtype,
    body: `* ${String(inner.body)}`,
    ...(html ? { format: "org.matrix.custom.html", formatted_body: `* ${html}` } : {}),
    "m.mentions": {},
    "m.new_content": inner,
    "m.relates_to": { rel_type: "m.replace", event_id: eventId },
  };
}

/** The choices a message of the bot offered, read from its content (validated). */
export function choicesOf(content: unknown): string[] {
  const parsed = z.object({ [CHOICES_KEY]: z.array(z.string().max(2000)).max(50) }).safeParse(content);
  return parsed.success ? parsed.data[CHOICES_KEY] : [];
}

/** A reaction (`m.annotation`) with the given key on an event. */
export function reactionContent(eventId: string, key: string): Content {
  return { "m.relates_to": { rel_type: "m.annotation", event_id: eventId, key } };
}
