import { z } from "zod";
import { type Language, languages, type TimeStyle } from "./time.ts";

/**
 * The platform-neutral message model. Handlers and the scheduler produce these; each
 * adapter renders them as its platform allows. Everything is plain data (JSON-safe apart
 * from Date), so a message can be stored and delivered later.
 *
 * Safety: `text` spans are user-or-bot text and are ALWAYS escaped by renderers (no
 * markup injection, no @everyone/@room). Only `mention` spans may notify someone.
 */
export type Span =
  | { kind: "text"; text: string }
  | { kind: "bold"; spans: Span[] }
  | { kind: "italic"; spans: Span[] }
  | { kind: "code"; text: string }
  /** A member reference such as "discord:123" or "matrix:@a:b"; `name` is the fallback text. */
  | { kind: "mention"; member: string; name: string }
  /** An instant; Discord renders it as a timestamp, others in the reader's zone. `allDay` keeps the date. */
  | { kind: "time"; at: Date; style: TimeStyle; allDay?: boolean }
  | { kind: "link"; url: string; label: string };

export type Block =
  | { kind: "paragraph"; spans: Span[] }
  | { kind: "heading"; spans: Span[] }
  | { kind: "list"; ordered: boolean; items: Span[][] }
  /** Preformatted text (tables, bars); rendered monospaced and never parsed for markup. */
  | { kind: "pre"; text: string };

/**
 * A button. `command` is the command line run AS THE MEMBER WHO PRESSES IT, with all the
 * usual checks, so actions survive restarts and need no server-side state. Platforms
 * without buttons show it as a numbered choice or the command itself.
 */
export interface Action {
  label: string;
  command: string;
  style: "primary" | "secondary" | "success" | "danger";
  /** Votes for an answer of the message's native poll: left out where the platform shows that poll natively. */
  pollAnswer?: boolean;
}

/** A native poll (Discord poll, Matrix MSC3381); the bot's database stays the source of truth. */
export interface NativePoll {
  pollId: string;
  question: string;
  answers: { id: string; text: string }[];
  maxSelections: number;
  /** Results visible while the poll is open. */
  disclosed: boolean;
  closesAt?: Date;
  /** The poll has ended: an edit with this set ends the native poll (Discord expire, MSC3381 end). */
  ended?: boolean;
}

export interface Attachment {
  filename: string;
  contentType: string;
  content: string;
}

/**
 * Where a message goes. `reply`: in the invoking conversation, answering the command.
 * `ephemeral`: only the invoker sees it (where the platform cannot, privately or as a
 * reply). `room`: a conversation reference. `member`: privately to one member; `team` is the
 * room reference of the team it is about, and it is delivered only while the member belongs
 * to that team (checked when it is sent), with `coordinator` only while they coordinate it.
 * Without `team` it concerns the member alone.
 */
export type Audience =
  | { kind: "reply" }
  | { kind: "ephemeral" }
  | { kind: "room"; room: string }
  | { kind: "member"; member: string; team?: string; coordinator?: boolean };

export interface OutgoingMessage {
  audience: Audience;
  /** The reader's language and zone: the text is already translated, times are shown in this zone. */
  lang: Language;
  timeZone: string;
  tone: "info" | "success" | "warning" | "error";
  blocks: Block[];
  actions: Action[];
  poll?: NativePoll;
  attachments: Attachment[];
  /**
   * A stable key, `subjectKey(subject)` ("rr:12"): a later message with the same key to the
   * same room edits this one in place, and a vote in its native poll names its subject.
   */
  key?: string;
  /** Bookkeeping of the outbox, never shown: the team it is sent for, what to record once it was sent. */
  outbox?: { team?: string; onSent?: { kind: string; data: unknown } };
  /**
   * An answer to the invoker that claims a post went out: what it says instead when the
   * command's messages could not be sent yet (the platform is unreachable).
   */
  whenHeld?: Block[];
}

/** What a keyed message shows: a feature's item ("poll" 12, "rr" 5). */
export interface MessageSubject {
  feature: string;
  id: number;
}

/** The key a message about a subject is sent under: "poll:12". */
export const subjectKey = (subject: MessageSubject): string => `${subject.feature}:${subject.id}`;

/** The subject a message key names, if it names one ("poll:12" -> poll 12). */
export function subjectOf(key: string): MessageSubject | undefined {
  const match = /^([a-z][a-z0-9-]{0,31}):(\d{1,15})$/.exec(key);
  return match?.[1] && match[2] ? { feature: match[1], id: Number(match[2]) } : undefined;
}

// ---- builders: handlers write `paragraph(bold("Poll"), " created")` ----

export type SpanInput = Span | string | number;

export function spans(inputs: SpanInput[]): Span[] {
  return inputs.map((s) => (typeof s === "string" || typeof s === "number" ? text(String(s)) : s));
}
export const text = (value: string): Span => ({ kind: "text", text: value });
export const bold = (...inputs: SpanInput[]): Span => ({ kind: "bold", spans: spans(inputs) });
export const italic = (...inputs: SpanInput[]): Span => ({ kind: "italic", spans: spans(inputs) });
export const code = (value: string): Span => ({ kind: "code", text: value });
export const mention = (member: string, name: string): Span => ({ kind: "mention", member, name });
export const time = (at: Date, style: TimeStyle = "datetime", allDay = false): Span =>
  allDay ? { kind: "time", at, style, allDay } : { kind: "time", at, style };
export const link = (url: string, label: string): Span => ({ kind: "link", url, label });

export const paragraph = (...inputs: SpanInput[]): Block => ({ kind: "paragraph", spans: spans(inputs) });
export const heading = (...inputs: SpanInput[]): Block => ({ kind: "heading", spans: spans(inputs) });
export const list = (items: SpanInput[][], ordered = false): Block => ({
  kind: "list",
  ordered,
  items: items.map(spans),
});
export const pre = (value: string): Block => ({ kind: "pre", text: value });

export const action = (label: string, command: string, style: Action["style"] = "secondary"): Action => ({
  label,
  command,
  style,
});

/** The buttons to show beside a poll the platform renders natively: not the answer buttons too. */
export function actionsBesideNativePoll(message: Pick<OutgoingMessage, "actions">): Action[] {
  return message.actions.filter((a) => !a.pollAnswer);
}

/** Members a message notifies on purpose: exactly its mention spans, nothing else. */
export function mentionedMembers(message: Pick<OutgoingMessage, "blocks">): string[] {
  const found = new Set<string>();
  const visit = (list: Span[]): void => {
    for (const s of list) {
      if (s.kind === "mention") found.add(s.member);
      else if (s.kind === "bold" || s.kind === "italic") visit(s.spans);
    }
  };
  for (const b of message.blocks) {
    if (b.kind === "list") for (const item of b.items) visit(item);
    else if (b.kind !== "pre") visit(b.spans);
  }
  return [...found];
}

// ---- schema: messages stored as JSON (failed deliveries, scheduled jobs) are validated on read ----

const spanSchema: z.ZodType<Span> = z.lazy(() =>
  z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("text"), text: z.string() }),
    z.object({ kind: z.literal("bold"), spans: z.array(spanSchema) }),
    z.object({ kind: z.literal("italic"), spans: z.array(spanSchema) }),
    z.object({ kind: z.literal("code"), text: z.string() }),
    z.object({ kind: z.literal("mention"), member: z.string(), name: z.string() }),
    z.object({
      kind: z.literal("time"),
      at: z.coerce.date(),
      style: z.enum(["datetime", "date", "time", "relative"]),
      allDay: z.boolean().optional(),
    }),
    z.object({ kind: z.literal("link"), url: z.string(), label: z.string() }),
  ]),
);

export const outgoingMessageSchema = z.object({
  audience: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("reply") }),
    z.object({ kind: z.literal("ephemeral") }),
    z.object({ kind: z.literal("room"), room: z.string() }),
    z.object({
      kind: z.literal("member"),
      member: z.string(),
      team: z.string().optional(),
      coordinator: z.boolean().optional(),
    }),
  ]),
  lang: z.enum(languages),
  timeZone: z.string(),
  tone: z.enum(["info", "success", "warning", "error"]),
  blocks: z.array(
    z.discriminatedUnion("kind", [
      z.object({ kind: z.literal("paragraph"), spans: z.array(spanSchema) }),
      z.object({ kind: z.literal("heading"), spans: z.array(spanSchema) }),
      z.object({ kind: z.literal("list"), ordered: z.boolean(), items: z.array(z.array(spanSchema)) }),
      z.object({ kind: z.literal("pre"), text: z.string() }),
    ]),
  ),
  actions: z.array(
    z.object({
      label: z.string(),
      command: z.string(),
      style: z.enum(["primary", "secondary", "success", "danger"]),
      pollAnswer: z.boolean().optional(),
    }),
  ),
  poll: z
    .object({
      pollId: z.string(),
      question: z.string(),
      answers: z.array(z.object({ id: z.string(), text: z.string() })),
      maxSelections: z.number().int().positive(),
      disclosed: z.boolean(),
      closesAt: z.coerce.date().optional(),
      ended: z.boolean().optional(),
    })
    .optional(),
  attachments: z.array(z.object({ filename: z.string(), contentType: z.string(), content: z.string() })),
  key: z.string().optional(),
  outbox: z
    .object({
      team: z.string().optional(),
      onSent: z.object({ kind: z.string(), data: z.unknown() }).optional(),
    })
    .optional(),
}) satisfies z.ZodType<Omit<OutgoingMessage, "whenHeld">>;
