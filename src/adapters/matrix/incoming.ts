import { z } from "zod";

/** A timeline event as the homeserver sends it; validated before the adapter looks at it. */
export const rawEventSchema = z.object({
  event_id: z.string().min(1),
  type: z.string(),
  sender: z.string().regex(/^@[^:\s]+:\S+$/),
  origin_server_ts: z.number(),
  content: z.record(z.string(), z.unknown()),
  state_key: z.string().optional(),
  room_id: z.string().optional(),
});
export type RawEvent = z.infer<typeof rawEventSchema>;

const messageSchema = z.object({
  msgtype: z.string(),
  body: z.string().max(20_000),
  format: z.string().optional(),
  formatted_body: z.string().max(60_000).optional(),
  "m.relates_to": z
    .object({
      rel_type: z.string().optional(),
      event_id: z.string().optional(),
      is_falling_back: z.boolean().optional(),
      "m.in_reply_to": z.object({ event_id: z.string().min(1) }).optional(),
    })
    .optional(),
});

export interface IncomingText {
  /** What the member typed, reply fallback removed, pills as user ids. */
  text: string;
  /** The event this message replies to. */
  replyTo?: string;
  /** The root of the thread the message was written in. */
  thread?: string;
}

/**
 * The text of a member's message, or undefined for what the bot does not read: notices
 * (other bots), edits (a command edited later does not run again), non-text messages.
 */
export function readMessage(content: unknown): IncomingText | undefined {
  const parsed = messageSchema.safeParse(content);
  if (!parsed.success) return undefined;
  const m = parsed.data;
  if (m.msgtype !== "m.text") return undefined;
  const relation = m["m.relates_to"];
  if (relation?.rel_type === "m.replace") return undefined;
  // In a thread, clients point "m.in_reply_to" at the latest event as a fallback: no real reply.
  const fallback = relation?.rel_type === "m.thread" && relation.is_falling_back === true;
  const replyTo = fallback ? undefined : relation?.["m.in_reply_to"]?.event_id;
  let text = replyTo ? stripReplyFallback(m.body) : m.body;
  if (m.format === "org.matrix.custom.html" && m.formatted_body) text = pillsToIds(text, m.formatted_body);
  const thread = relation?.rel_type === "m.thread" ? relation.event_id : undefined;
  return { text, ...(replyTo ? { replyTo } : {}), ...(thread ? { thread } : {}) };
}

/** Older clients quote the replied-to message as "> " lines before a blank line. */
export function stripReplyFallback(body: string): string {
  if (!body.startsWith(">")) return body;
  const lines = body.split("\n");
  let i = 0;
  while (i < lines.length && lines[i]?.startsWith(">")) i++;
  if (lines[i] === "") i++;
  return lines.slice(i).join("\n");
}

const entities: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", apos: "'", nbsp: " " };

function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|#39|apos|nbsp|#\d{1,6}|#x[\da-f]{1,6});/gi, (whole, name: string) => {
    const lower = name.toLowerCase();
    if (lower.startsWith("#x")) return safeCodePoint(Number.parseInt(lower.slice(2), 16)) ?? whole;
    if (lower.startsWith("#") && lower !== "#39") return safeCodePoint(Number(lower.slice(1))) ?? whole;
    return entities[lower] ?? whole;
  });
}

function safeCodePoint(n: number): string | undefined {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : undefined;
}

const pill = /<a\s+href="https:\/\/matrix\.to\/#\/([^"/?]+)[^"]*"\s*>(.*?)<\/a>/gis;

/**
 * A pill shows a display name in the plain body; the HTML links the user id at the pill's
 * place. When the HTML has pills, the text is read from the HTML, each pill as its user id,
 * so "!task assign <pill>" names the member unambiguously and the same name elsewhere in the
 * text ("Call Ruben" beside a pill "ben") stays as typed. The reply quote (`mx-reply`) is dropped.
 */
export function pillsToIds(body: string, html: string): string {
  const withoutQuote = html.replace(/<mx-reply>.*?<\/mx-reply>/gis, "");
  let pills = 0;
  const marked = withoutQuote.replace(pill, (whole, rawId: string) => {
    let id: string;
    try {
      id = decodeURIComponent(rawId);
    } catch {
      return whole;
    }
    if (!/^@[^:\s]+:\S+$/.test(id)) return whole;
    pills++;
    // Kept as a placeholder through tag stripping; ids contain no "<" or ">".
    return `\u0000${id}\u0001`;
  });
  if (pills === 0) return body;
  const text = marked
    .replace(/<br\s*\/?>/gi, "\n")
    .replace(/<\/(p|div|li|h\d|blockquote|pre)>\s*/gi, "\n")
    .replace(/<[^>]*>/g, "");
  return decodeEntities(text)
    .replace(/\u0000([^\u0001]*)\u0001/g, "$1")
    .replace(/\n+$/, "");
}

/** "1", "#2": the number of a choice, when a message is nothing else. */
export function choiceNumber(text: string): number | undefined {
  const m = /^\s*#?(\d{1,2})\.?\s*$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

const keycaps = ["1️⃣", "2️⃣", "3️⃣", "4️⃣", "5️⃣", "6️⃣", "7️⃣", "8️⃣", "9️⃣", "🔟"];

/** The keycap emoji for choice n (1-10), as offered for reactions. */
export function keycap(n: number): string | undefined {
  return keycaps[n - 1];
}

const reactionSchema = z.object({
  "m.relates_to": z.object({
    rel_type: z.literal("m.annotation"),
    event_id: z.string().min(1),
    key: z.string().max(32),
  }),
});

/** A reaction with a keycap number (1️⃣ … 🔟) on an event: a choice. */
export function readReaction(content: unknown): { eventId: string; choice: number } | undefined {
  const parsed = reactionSchema.safeParse(content);
  if (!parsed.success) return undefined;
  const key = parsed.data["m.relates_to"].key.replace(/\uFE0F/g, "");
  const index = keycaps.findIndex((k) => k.replace(/\uFE0F/g, "") === key);
  return index === -1 ? undefined : { eventId: parsed.data["m.relates_to"].event_id, choice: index + 1 };
}

/** Commands start with ! or / (Element eats unknown /commands unless sent as text; ! always works). */
export function isCommandText(text: string): boolean {
  return /^\s*[!/]\s*[\p{L}\p{N}]/u.test(text);
}
