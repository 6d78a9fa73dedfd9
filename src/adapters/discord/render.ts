import path from "node:path";
import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  ButtonStyle,
  ComponentType,
  escapeMarkdown,
  PollLayoutType,
  type RESTAPIPoll,
} from "discord.js";
import {
  type Action,
  actionsBesideNativePoll,
  type Block,
  type NativePoll,
  type OutgoingMessage,
  type Span,
} from "../../core/message.ts";
import type { NativePollSupport } from "../../core/adapter.ts";
import { formatInstant } from "../../core/time.ts";
import { encodeAction } from "./actions.ts";
import { cutIndex, truncate } from "./text.ts";

/** Discord's limits. */
export const maxContent = 2000;
const maxButtonsPerRow = 5;
const maxRows = 5;
const maxLabel = 80;
const maxPollAnswers = 10;
const maxPollAnswer = 55;
const maxPollQuestion = 300;
const maxPollHours = 768;
const maxAllowedUsers = 100;

/** What Discord's own polls can show (the adapter's capability; features decide from it). */
export const nativePollSupport: NativePollSupport = {
  maxAnswers: maxPollAnswers,
  maxAnswerLength: maxPollAnswer,
  maxQuestionLength: maxPollQuestion,
  maxDays: maxPollHours / 24,
  endsByItself: true,
  anySelectionCount: false,
  hiddenResults: false,
  secretVotes: false,
  preferred: false,
};

/** One Discord message body in API shape (channel messages, interaction replies, webhooks). */
export interface MessageBody {
  content: string;
  allowed_mentions: { parse: []; users: string[]; replied_user: false };
  components?: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  poll?: RESTAPIPoll;
  attachments?: { id: number; filename: string }[];
  flags?: number;
}

export interface RenderedFile {
  name: string;
  data: Buffer;
  contentType: string;
}

/** A message as Discord messages: the text split into bodies; buttons, poll and files on the last one. */
export interface Rendered {
  bodies: MessageBody[];
  files: RenderedFile[];
}

const discordUser = /^discord:(\d{5,25})$/;

/** User text, safe: no markup, no mass mentions, no raw mention/channel/emoji syntax. */
export function escapeText(value: string): string {
  return escapeMarkdown(value, { heading: true, bulletedList: true, numberedList: true, maskedLink: true })
    .replace(/^(\s*)(>|-#)/gm, "$1\\$2")
    .replace(/@(everyone|here)/gi, "@\u200b$1")
    // Discord's own syntax: <@user>, <@&role>, <#channel>, <:emoji:1>, <a:emoji:1>, <t:0>, </cmd:1>, <id:home>.
    .replace(/<(?=[@#:/]|a:|t:|id:)/g, "<\u200b");
}

/** A message with the instant it is rendered at. */
type Dated = OutgoingMessage & { now: Date };

function unix(at: Date): number {
  return Math.floor(at.getTime() / 1000);
}

function renderSpan(s: Span, message: Dated, users: Set<string>): string {
  switch (s.kind) {
    case "text":
      return escapeText(s.text);
    case "bold":
      return `**${renderSpans(s.spans, message, users)}**`;
    case "italic":
      return `*${renderSpans(s.spans, message, users)}*`;
    case "code":
      return s.text === "" ? "" : `\`${s.text.replace(/`/g, "ˋ").replace(/\n/g, " ")}\``;
    case "mention": {
      const id = discordUser.exec(s.member)?.[1];
      if (!id) return escapeText(`@${s.name}`);
      users.add(id);
      return `<@${id}>`;
    }
    case "time": {
      // An all-day date is a calendar date, not an instant: Discord would shift it by the reader's zone.
      if (s.allDay) return escapeText(formatInstant(s.at, "date", message.lang, "UTC", message.now));
      const t = unix(s.at);
      switch (s.style) {
        case "date":
          return `<t:${t}:D>`;
        case "time":
          // A wall-clock time ("it is 14:30 there") belongs to the message's zone, not the reader's device.
          return escapeText(formatInstant(s.at, "time", message.lang, message.timeZone, message.now));
        case "relative":
          return `<t:${t}:R>`;
        default:
          // Only the date and time: messages that want "in 2 hours" say so with a relative span.
          return `<t:${t}:F>`;
      }
    }
    case "link": {
      const safe = /^https?:\/\/[^\s<>]+$/i.test(s.url);
      if (!safe) return escapeText(`${s.label} (${s.url})`);
      return s.label === s.url ? `<${s.url}>` : `[${escapeText(s.label)}](<${s.url}>)`;
    }
  }
}

function renderSpans(list: Span[], message: Dated, users: Set<string>): string {
  return list.map((s) => renderSpan(s, message, users)).join("");
}

/** A preformatted block as one or more fenced pieces, each within the length limit. */
function fenced(textValue: string, limit: number): string[] {
  const safe = textValue.replace(/```/g, "`\u200b``");
  const room = limit - 8;
  const pieces: string[] = [];
  let current = "";
  for (let line of safe.split("\n")) {
    do {
      const cut = cutIndex(line, room);
      const part = line.slice(0, cut);
      line = line.slice(cut);
      if (current !== "" && current.length + 1 + part.length > room) {
        pieces.push(current);
        current = part;
      } else current = current === "" ? part : `${current}\n${part}`;
    } while (line !== "");
  }
  pieces.push(current);
  return pieces.map((p) => `\`\`\`\n${p}\n\`\`\``);
}

function renderBlock(block: Block, message: Dated, users: Set<string>, limit: number): string[] {
  switch (block.kind) {
    case "paragraph":
      return [renderSpans(block.spans, message, users)];
    case "heading":
      return [`### ${renderSpans(block.spans, message, users)}`];
    case "list":
      return block.items.map(
        (item, i) => `${block.ordered ? `${i + 1}.` : "-"} ${renderSpans(item, message, users)}`,
      );
    case "pre":
      return fenced(block.text, limit);
  }
}

/** Packs lines into messages of at most `limit` characters; a longer line is cut at a space. */
export function pack(lines: string[], limit = maxContent): string[] {
  const out: string[] = [];
  let current = "";
  const flush = (): void => {
    if (current !== "") out.push(current);
    current = "";
  };
  for (let line of lines) {
    while (line.length > limit) {
      flush();
      let cut = line.lastIndexOf(" ", limit);
      if (cut < limit / 2) cut = cutIndex(line, limit);
      // Never cut a backslash escape in two.
      while (cut > 1 && line[cut - 1] === "\\") cut--;
      out.push(line.slice(0, cut));
      line = line.slice(cut).replace(/^ /, "");
    }
    if (current === "") current = line;
    else if (current.length + 1 + line.length <= limit) current = `${current}\n${line}`;
    else {
      flush();
      current = line;
    }
  }
  flush();
  return out;
}

const toneMark: Record<OutgoingMessage["tone"], string> = {
  info: "",
  success: "✅ ",
  warning: "⚠️ ",
  error: "❌ ",
};

const buttonStyle: Record<
  Action["style"],
  ButtonStyle.Primary | ButtonStyle.Secondary | ButtonStyle.Success | ButtonStyle.Danger
> = {
  primary: ButtonStyle.Primary,
  secondary: ButtonStyle.Secondary,
  success: ButtonStyle.Success,
  danger: ButtonStyle.Danger,
};

/**
 * Buttons for the actions. An action whose command line does not fit a custom id (100
 * characters), or beyond 25 buttons, is shown as a line to type instead: nothing is kept
 * in memory, so every button still works after a restart.
 */
export function renderActions(
  actions: Action[],
  typedAs: (command: string) => string = (command) => `/${command}`,
): {
  rows: APIActionRowComponent<APIButtonComponentWithCustomId>[];
  typed: string[];
} {
  const buttons: APIButtonComponentWithCustomId[] = [];
  const typed: string[] = [];
  actions.forEach((a, index) => {
    const customId = buttons.length < maxButtonsPerRow * maxRows ? encodeAction(index, a.command) : undefined;
    if (!customId) {
      typed.push(`▸ **${escapeText(a.label)}**: \`${typedAs(a.command).replace(/`/g, "ˋ")}\``);
      return;
    }
    buttons.push({
      type: ComponentType.Button,
      style: buttonStyle[a.style],
      label: truncate(a.label, maxLabel) || "…",
      custom_id: customId,
    });
  });
  const rows: APIActionRowComponent<APIButtonComponentWithCustomId>[] = [];
  for (let i = 0; i < buttons.length; i += maxButtonsPerRow) {
    rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + maxButtonsPerRow) });
  }
  return { rows, typed };
}

/** Whether Discord can show this poll natively at all (otherwise its answers are listed as text). */
export function isNativePollSize(poll: NativePoll): boolean {
  return poll.answers.length >= 1 && poll.answers.length <= maxPollAnswers;
}

/** A new native poll: one Discord can show, not already ended. */
export function canPollNatively(poll: NativePoll): boolean {
  return !poll.ended && isNativePollSize(poll);
}

export function renderPoll(poll: NativePoll, now: Date): RESTAPIPoll {
  const hours = poll.closesAt
    ? Math.ceil((poll.closesAt.getTime() - now.getTime()) / 3_600_000)
    : maxPollHours;
  return {
    question: { text: truncate(poll.question, maxPollQuestion) },
    answers: poll.answers.map((a) => ({ poll_media: { text: truncate(a.text, maxPollAnswer) } })),
    duration: Math.min(maxPollHours, Math.max(1, hours)),
    allow_multiselect: poll.maxSelections > 1,
    layout_type: PollLayoutType.Default,
  };
}

export interface RenderOptions {
  /** Characters per message (Discord: 2,000). */
  limit?: number;
  /** False where the bot may not create polls (no Create Polls permission): answers are buttons then. */
  nativePolls?: boolean;
  /** How a command that cannot be a button is shown to type (Discord: slash syntax with option names). */
  typedAs?: (command: string) => string;
}

/** Renders the message model as Discord messages; each part notifies exactly the members it mentions. */
export function render(message: OutgoingMessage, now: Date, options: RenderOptions = {}): Rendered {
  const limit = options.limit ?? maxContent;
  const dated = { ...message, now };
  const users = new Set<string>();
  const lines: string[] = [];
  message.blocks.forEach((block, i) => {
    const rendered = renderBlock(block, dated, users, limit);
    if (i === 0 && rendered.length > 0 && block.kind !== "pre")
      rendered[0] = `${toneMark[message.tone]}${rendered[0] ?? ""}`;
    lines.push(...rendered);
  });
  const poll = message.poll;
  const native = poll && options.nativePolls !== false && canPollNatively(poll) ? renderPoll(poll, now) : undefined;
  if (poll && !native) {
    lines.push(`**${escapeText(poll.question)}**`);
    lines.push(...poll.answers.map((a) => `${escapeText(a.id)}. ${escapeText(a.text)}`));
  }
  const actions = native ? actionsBesideNativePoll(message) : message.actions;
  const { rows, typed } = renderActions(actions, options.typedAs);
  lines.push(...typed);
  const chunks = pack(lines, limit);
  if (chunks.length === 0) chunks.push(native ? "" : "\u200b");
  const files = message.attachments.map((a) => ({
    name: path.basename(a.filename) || "attachment",
    data: Buffer.from(a.content),
    contentType: a.contentType,
  }));
  const bodies: MessageBody[] = chunks.map((content) => ({
    content,
    allowed_mentions: { parse: [], users: mentionedIn(content, users), replied_user: false },
  }));
  const last = bodies.at(-1);
  if (last) {
    if (rows.length > 0) last.components = rows;
    if (native) last.poll = native;
    if (files.length > 0) last.attachments = files.map((f, id) => ({ id, filename: f.name }));
  }
  return { bodies, files };
}

/** The mentioned members whose mention is in this part (Discord: at most 100 per message). */
function mentionedIn(content: string, users: Set<string>): string[] {
  const here = new Set([...content.matchAll(/<@(\d{5,25})>/g)].map((m) => m[1]));
  return [...users].filter((u) => here.has(u)).slice(0, maxAllowedUsers);
}
