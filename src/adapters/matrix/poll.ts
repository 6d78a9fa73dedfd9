import { z } from "zod";
import type { NativePollSupport } from "../../core/adapter.ts";
import type { Block, NativePoll, OutgoingMessage } from "../../core/message.ts";
import type { Content } from "./content.ts";
import { defaultI18n } from "../../core/catalog.ts";
import { choiceCommand, neutralize } from "./render.ts";

/** MSC3381 event types: we send the unstable names (what clients understand today) and read both. */
export const POLL_START = "org.matrix.msc3381.poll.start";
export const POLL_RESPONSE = "org.matrix.msc3381.poll.response";
export const POLL_END = "org.matrix.msc3381.poll.end";
export const POLL_START_STABLE = "m.poll.start";
export const POLL_RESPONSE_STABLE = "m.poll.response";
export const POLL_END_STABLE = "m.poll.end";
const TEXT = "org.matrix.msc1767.text";

/**
 * What MSC3381 polls can show: no limits of their own, and `undisclosed` hides results
 * until the end. Every member can read the responses, so anonymous polls are never native.
 * Matrix has no buttons: the poll is the voting path, so polls are native where they fit.
 */
export const msc3381Polls: NativePollSupport = {
  maxAnswers: 100,
  maxAnswerLength: 1000,
  maxQuestionLength: 1000,
  endsByItself: false,
  anySelectionCount: true,
  hiddenResults: true,
  secretVotes: false,
  preferred: true,
};

export const pollResponseTypes: readonly string[] = [POLL_RESPONSE, POLL_RESPONSE_STABLE];
export const pollEndTypes: readonly string[] = [POLL_END, POLL_END_STABLE];

/** The MSC3381 poll start event: question, answers "1".."N", with a text fallback for other clients. */
export function pollStartContent(message: OutgoingMessage, poll: NativePoll): Content {
  const tr = defaultI18n().translator(message.lang);
  const question = neutralize(poll.question);
  const fallback = [
    tr.t("matrix.poll.fallback", { question }),
    ...poll.answers.map((a, i) => `${i + 1}. ${neutralize(a.text)}`),
    tr.t("matrix.poll.howToVote"),
  ].join("\n");
  return {
    [POLL_START]: {
      question: { [TEXT]: question, body: question, msgtype: "m.text" },
      kind: poll.disclosed ? "org.matrix.msc3381.poll.disclosed" : "org.matrix.msc3381.poll.undisclosed",
      max_selections: Math.max(1, Math.min(poll.maxSelections, poll.answers.length)),
      answers: poll.answers.map((a) => ({ id: a.id, [TEXT]: neutralize(a.text) })),
    },
    [TEXT]: fallback,
    body: fallback,
    "m.mentions": {},
  };
}

/**
 * The message posted with a native poll. Members vote in the poll itself, so that every
 * client's tally is the bot's: no answer choices, and the other choices (results,
 * withdraw) as plain commands, not numbered (a reply "2" meant for answer 2 must not
 * withdraw the vote).
 */
export function besideNativePoll(message: OutgoingMessage): OutgoingMessage {
  const others = message.actions.filter((a) => !a.pollAnswer);
  if (others.length === 0) return { ...message, actions: [] };
  const hints: Block = {
    kind: "list",
    ordered: false,
    items: others.map((a) => [
      { kind: "text", text: `${a.label} – ` },
      { kind: "code", text: choiceCommand(a) },
    ]),
  };
  return { ...message, blocks: [...message.blocks, hints], actions: [] };
}

/** The MSC3381 end event for a poll start event. */
export function pollEndContent(message: OutgoingMessage, poll: NativePoll, startEventId: string): Content {
  const text = defaultI18n()
    .translator(message.lang)
    .t("matrix.poll.ended", { question: neutralize(poll.question) });
  return {
    "m.relates_to": { rel_type: "m.reference", event_id: startEventId },
    [POLL_END]: {},
    [TEXT]: text,
    body: text,
    "m.mentions": {},
  };
}

const answerId = z.string().min(1).max(64);
const reference = z.object({ rel_type: z.literal("m.reference"), event_id: z.string().min(1) });

const answers = z.object({ answers: z.array(z.unknown()).max(100) });

/** Unstable (Element today), stable as matrix-js-sdk sends it, and the stable draft's `m.selections`. */
const responseSchema = z.union([
  z.object({ "m.relates_to": reference, [POLL_RESPONSE]: answers }),
  z.object({ "m.relates_to": reference, [POLL_RESPONSE_STABLE]: answers }),
  z.object({ "m.relates_to": reference, "m.selections": z.array(z.unknown()).max(100) }),
]);

export interface PollResponse {
  startEventId: string;
  /** The member's whole selection (empty: they withdrew their vote). */
  answers: string[];
}

/**
 * Reads an MSC3381 response (unstable or stable). Invalid answer ids are dropped, as
 * MSC3381 asks; a response that is no response at all yields undefined.
 */
export function parsePollResponse(content: unknown): PollResponse | undefined {
  const parsed = responseSchema.safeParse(content);
  if (!parsed.success) return undefined;
  const data = parsed.data;
  const raw =
    "m.selections" in data
      ? data["m.selections"]
      : POLL_RESPONSE_STABLE in data
        ? data[POLL_RESPONSE_STABLE].answers
        : data[POLL_RESPONSE].answers;
  const answers = [...new Set(raw.flatMap((a) => (answerId.safeParse(a).success ? [String(a)] : [])))].filter(
    (a) => /^[\w-]+$/.test(a),
  );
  return { startEventId: data["m.relates_to"].event_id, answers };
}

/** The poll start event an end event refers to. */
export function parsePollEnd(content: unknown): string | undefined {
  const parsed = z.object({ "m.relates_to": reference }).safeParse(content);
  return parsed.success ? parsed.data["m.relates_to"].event_id : undefined;
}
