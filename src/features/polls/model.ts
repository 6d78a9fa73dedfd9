import { z } from "zod";

/** Limits from the issue; native Discord polls have tighter ones. */
export const limits = {
  minOptions: 2,
  maxOptions: 20,
  maxOptionLength: 200,
  maxQuestionLength: 300,
  minSlots: 2,
  maxSlots: 15,
  native: { maxAnswers: 10, maxAnswerLength: 55, maxQuestionLength: 300, maxDays: 32 },
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

/** Why a choice poll cannot be a native Discord poll, or undefined when it fits. */
export function nativeMisfit(input: {
  question: string;
  options: readonly string[];
  maxSelections: number;
  anonymous: boolean;
  hidden: boolean;
  closesAt?: Date;
  now: Date;
}): "tooManyAnswers" | "answerTooLong" | "anonymous" | "hidden" | "selections" | "tooLong" | undefined {
  const n = limits.native;
  if (input.anonymous) return "anonymous";
  if (input.hidden) return "hidden";
  if (input.options.length > n.maxAnswers) return "tooManyAnswers";
  if (input.options.some((o) => o.length > n.maxAnswerLength)) return "answerTooLong";
  if (input.question.length > n.maxQuestionLength) return "answerTooLong";
  // Discord knows one answer or any number, nothing in between.
  if (input.maxSelections !== 1 && input.maxSelections < input.options.length) return "selections";
  if (input.closesAt && input.closesAt.getTime() - input.now.getTime() > n.maxDays * 86_400_000)
    return "tooLong";
  return undefined;
}

/**
 * Why a choice poll cannot be a native Matrix (MSC3381) poll: responses are room events
 * every member can read, so an anonymous poll keeps to numbered choices. MSC3381 has no
 * answer or selection limits of its own, and `--hidden` maps to an undisclosed poll.
 */
export function matrixMisfit(input: { anonymous: boolean }): "anonymous" | undefined {
  return input.anonymous ? "anonymous" : undefined;
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
export const postKey = (pollId: number): string => `poll:${pollId}`;
