import { z } from "zod";
import { type NativePollSupport, portableNativePolls } from "../../core/adapter.ts";
import { subjectKey } from "../../core/message.ts";

/** Limits of polls; a platform's native polls may have tighter ones (its adapter says). */
export const limits = {
  minOptions: 2,
  maxOptions: 20,
  maxOptionLength: 200,
  maxQuestionLength: 300,
  minSlots: 2,
  maxSlots: 15,
} as const;

export type PollKind = "choice" | "date";
export const dateAnswers = ["yes", "maybe", "no"] as const;
export type DateAnswer = (typeof dateAnswers)[number];

/** What members may type for a date answer, in both languages. */
const answerWords: Record<string, DateAnswer> = {
  yes: "yes",
  y: "yes",
  ja: "yes",
  j: "yes",
  ok: "yes",
  maybe: "maybe",
  "if-need-be": "maybe",
  ifneedbe: "maybe",
  vielleicht: "maybe",
  notfalls: "maybe",
  "wenn-nötig": "maybe",
  no: "no",
  n: "no",
  nein: "no",
};

export function parseDateAnswer(word: string): DateAnswer | undefined {
  return answerWords[word.trim().toLowerCase()];
}

/** A poll as the rules need it (a Prisma row with its options fits). */
export interface PollShape {
  id: number;
  teamId: number;
  kind: string;
  question: string;
  createdById: number;
  maxSelections: number;
  anonymous: boolean;
  hidden: boolean;
  native: boolean;
  closesAt: Date | null;
  closedAt: Date | null;
  pickedOptionId: number | null;
  options: OptionShape[];
}

export interface OptionShape {
  id: number;
  position: number;
  label: string;
  startsAt: Date | null;
  allDay: boolean;
}

export interface VoteShape {
  optionId: number;
  memberId: number;
  answer: string;
  member: { id: number; ref: string; displayName: string };
}

export function isOpen(poll: Pick<PollShape, "closedAt" | "closesAt">, now: Date): boolean {
  return poll.closedAt === null && (poll.closesAt === null || poll.closesAt.getTime() > now.getTime());
}

export type NativeMisfit =
  | "unsupported"
  | "tooManyAnswers"
  | "answerTooLong"
  | "questionTooLong"
  | "anonymous"
  | "hidden"
  | "selections"
  | "tooLong";

/**
 * Why a choice poll cannot be the platform's native poll, or undefined when it fits. What
 * the platform can show comes from its adapter; the console offers the portable limits.
 */
export function nativeMisfit(
  input: {
    question: string;
    options: readonly string[];
    maxSelections: number;
    anonymous: boolean;
    hidden: boolean;
    closesAt?: Date;
    now: Date;
  },
  support: NativePollSupport | false = portableNativePolls,
): NativeMisfit | undefined {
  if (!support) return "unsupported";
  // Where every member can read native votes, an anonymous poll keeps to buttons or numbered choices.
  if (input.anonymous && !support.secretVotes) return "anonymous";
  if (input.hidden && !support.hiddenResults) return "hidden";
  if (input.options.length > support.maxAnswers) return "tooManyAnswers";
  if (input.options.some((o) => o.length > support.maxAnswerLength)) return "answerTooLong";
  if (input.question.length > support.maxQuestionLength) return "questionTooLong";
  const between = input.maxSelections !== 1 && input.maxSelections < input.options.length;
  if (between && !support.anySelectionCount) return "selections";
  const days = support.maxDays;
  if (days !== undefined && input.closesAt && input.closesAt.getTime() - input.now.getTime() > days * 86_400_000)
    return "tooLong";
  return undefined;
}

/** The limit a misfit names ("at most {{max}} answers"). */
export function misfitLimit(misfit: NativeMisfit, support: NativePollSupport | false): number | undefined {
  if (!support) return undefined;
  if (misfit === "tooManyAnswers") return support.maxAnswers;
  if (misfit === "answerTooLong") return support.maxAnswerLength;
  if (misfit === "questionTooLong") return support.maxQuestionLength;
  if (misfit === "tooLong") return support.maxDays;
  return undefined;
}

/** Options folded for duplicate checks: case, accents of width and inner spaces do not count. */
export function foldOption(text: string): string {
  return text.normalize("NFKC").toLocaleLowerCase("de").replace(/\s+/g, " ").trim();
}

export function firstDuplicate(options: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const o of options) {
    const folded = foldOption(o);
    if (seen.has(folded)) return o;
    seen.add(folded);
  }
  return undefined;
}

// ---- tallies ----

export interface OptionTally {
  option: OptionShape;
  count: number;
  /** Share of the members who voted, 0..100, rounded. */
  percent: number;
  voters: VoteShape["member"][];
}

export interface ChoiceTally {
  voters: number;
  options: OptionTally[];
}

export function tallyChoice(poll: PollShape, votes: readonly VoteShape[]): ChoiceTally {
  const voters = new Set(votes.map((v) => v.memberId)).size;
  const options = [...poll.options]
    .sort((a, b) => a.position - b.position)
    .map((option) => {
      const mine = votes.filter((v) => v.optionId === option.id);
      return {
        option,
        count: mine.length,
        percent: voters === 0 ? 0 : Math.round((mine.length / voters) * 100),
        voters: mine.map((v) => v.member),
      };
    });
  return { voters, options };
}

export interface SlotTally {
  option: OptionShape;
  yes: VoteShape["member"][];
  maybe: VoteShape["member"][];
  no: VoteShape["member"][];
}

export interface DateTally {
  voters: number;
  slots: SlotTally[];
  /** Most yes, then most yes + if need be, then the earlier slot; undefined while nobody can come. */
  best?: SlotTally;
}

export function tallyDate(poll: PollShape, votes: readonly VoteShape[]): DateTally {
  const voters = new Set(votes.map((v) => v.memberId)).size;
  const slots = [...poll.options]
    .sort((a, b) => a.position - b.position)
    .map((option) => {
      const mine = votes.filter((v) => v.optionId === option.id);
      const pick = (answer: DateAnswer) => mine.filter((v) => v.answer === answer).map((v) => v.member);
      return { option, yes: pick("yes"), maybe: pick("maybe"), no: pick("no") };
    });
  let best: SlotTally | undefined;
  for (const slot of slots) {
    if (slot.yes.length + slot.maybe.length === 0) continue;
    if (
      !best ||
      slot.yes.length > best.yes.length ||
      (slot.yes.length === best.yes.length &&
        slot.yes.length + slot.maybe.length > best.yes.length + best.maybe.length)
    )
      best = slot;
  }
  return best ? { voters, slots, best } : { voters, slots };
}

/** A text bar for a share: 12 cells, eighths for the last one. */
export function bar(percent: number, width = 12): string {
  const cells = (Math.max(0, Math.min(100, percent)) / 100) * width;
  const full = Math.floor(cells);
  const partials = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
  const rest = partials[Math.round((cells - full) * 8) % 8] ?? "";
  return ("█".repeat(full) + rest).padEnd(width, "·");
}

// ---- scheduled jobs ----

export const closeJobPayload = z.object({ pollId: z.number().int().positive() });
export type CloseJobPayload = z.infer<typeof closeJobPayload>;
export const closeJobKey = (pollId: number): string => `poll:${pollId}:close`;
/** Polls are posted under the subject "poll" <id>; votes in their native polls name it. */
export const pollFeature = "poll";
export const postKey = (pollId: number): string => subjectKey({ feature: pollFeature, id: pollId });
