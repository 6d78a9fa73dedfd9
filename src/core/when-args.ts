import { z } from "zod";
import type { ParseContext, WordTaker } from "./args.ts";
import { type Choice, ChoiceError, UserError } from "./errors.ts";
import type { Params } from "./i18n.ts";
import { type Span, time } from "./message.ts";
import { formatInstant } from "./time.ts";
import {
  type CalendarDate,
  canonicalText,
  dateAsUtcMidnight,
  describeRule,
  type DateUse,
  type DayPart,
  type DayPartHours,
  defaultDayPartHours,
  formatCalendarDate,
  instantOfDate,
  parseRRule,
  type ReadContext,
  type RuleReading,
  type RulePattern,
  readRule,
  readWhen,
  readWhenText,
  rruleText,
  type When,
  type WhenReading,
} from "./when/index.ts";

/** A date as a member gave it: an instant or a whole day, and the words it was read from. */
export type WhenValue = When & { text: string };

export const readContextOf = (pc: ParseContext): ReadContext => ({
  now: pc.now,
  timeZone: pc.timeZone,
  lang: pc.lang,
  ...(pc.dayParts ? { dayParts: pc.dayParts } : {}),
});

/** A whole day as a span: the same date for every reader. */
export const dateSpan = (date: CalendarDate): Span => time(dateAsUtcMidnight(date), "date", true);

/** How a reading is shown back: a timestamp, or the date of a whole day. */
export const whenSpan = (when: When): Span => (when.kind === "date" ? dateSpan(when.date) : time(when.at));

/** A meaning as a button label, in the member's language and zone. */
export function whenLabel(when: When, pc: Pick<ParseContext, "lang" | "timeZone" | "now">): string {
  return when.kind === "date"
    ? formatCalendarDate(when.date, pc.lang)
    : formatInstant(when.at, "datetime", pc.lang, pc.timeZone, pc.now);
}

type Problem = Extract<WhenReading, { kind: "error" }>;

/** The localized error for a phrase the reader refused, with what it understood and what it would take. */
export function whenProblem(reading: Problem, typed: string): UserError {
  const value = reading.text || reading.word || typed;
  const params: Params = { value, word: reading.word ?? value };
  if (reading.near) params.near = whenSpan(reading.near);
  if (reading.limit) params.limit = dateSpan(reading.limit);
  if (reading.suggestion) params.suggestion = reading.suggestion;
  const suggested = reading.suggestion && ["past", "timeWordLeft", "unparseable"].includes(reading.reason);
  const near = reading.reason === "past" && reading.near && !suggested;
  const key = `core.when.${reading.reason}${suggested ? "Suggest" : near ? "Near" : ""}`;
  return new UserError(key, params);
}

/** A reading as a value, a question with its choices, or the error that says why not. */
export function whenOrThrow(reading: WhenReading, pc: ParseContext, typed: string): WhenValue {
  if (reading.kind === "when") return { ...reading.when, text: reading.text };
  if (reading.kind === "error") throw whenProblem(reading, typed);
  const ctx = readContextOf(pc);
  const choices: Choice[] = reading.choices.map((when) => ({
    label: whenLabel(when, pc),
    phrase: canonicalText(when, ctx),
  }));
  throw new ChoiceError("core.when.question", { value: reading.text }, reading.text, choices, reading.consumed);
}

/** A whole typed value as one date phrase. */
export function readWhenValue(text: string, pc: ParseContext): WhenValue {
  return whenOrThrow(readWhenText(text, readContextOf(pc)), pc, text);
}

/**
 * A word taker for a date at the start of a sentence ("morgen 9 Uhr Akten holen"): the
 * words of the phrase, leaving at least `keep` words for what follows (`whole`: all words
 * must be the phrase).
 */
export function whenWords(keep: number, whole = false): WordTaker {
  return (words, pc) => {
    const reading = readWhen(words, readContextOf(pc), { keep, whole });
    whenOrThrow(reading, pc, words.slice(0, 6).join(" "));
    return reading.kind === "when" ? reading.consumed : 0;
  };
}

/**
 * The instant a reading stands for where one is needed (the README's table): an instant as
 * it is; a whole day the end of that day for "until" and "due", the morning hour for "remind".
 */
export function whenInstant(when: When, use: DateUse, zone: string, dayParts?: Partial<DayPartHours>): Date {
  if (when.kind === "instant") return when.at;
  return instantOfDate(when.date, use, zone, { hour: dayParts?.morning ?? defaultDayPartHours.morning });
}

/** A recurring rule as a member gave it: the pattern, and the words it was read from. */
export interface RuleValue {
  pattern: RulePattern;
  text: string;
}

type RuleProblem = Extract<RuleReading, { kind: "error" }>;

function ruleProblem(reading: RuleProblem, typed: string): UserError {
  const value = reading.text || reading.word || typed;
  return new UserError(`core.when.rule.${reading.reason}`, { value, word: reading.word ?? value });
}

/** "RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=15;BYMINUTE=0": the unambiguous form choices run with. */
const ruleWord = /^RRULE:\S+$/i;

function ruleOrThrow(reading: RuleReading, pc: ParseContext, typed: string): RuleValue {
  if (reading.kind === "rule") return { pattern: reading.pattern, text: reading.text };
  if (reading.kind === "error") throw ruleProblem(reading, typed);
  const choices: Choice[] = reading.choices.map((pattern) => ({
    label: describeRule(pattern, pc.lang),
    phrase: `RRULE:${rruleText(pattern)}`,
  }));
  throw new ChoiceError("core.when.rule.question", { value: reading.text }, reading.text, choices, reading.consumed);
}

function readRRuleWord(word: string, pc: ParseContext): RuleValue | undefined {
  if (!ruleWord.test(word)) return undefined;
  const pattern = parseRRule(word);
  if (!pattern) throw new UserError("core.when.rule.notARule", { value: word, word });
  return { pattern, text: describeRule(pattern, pc.lang) };
}

/** A whole typed value as one rule ("every weekday 9:00", "jeden Montag um 8", cron, RRULE). */
export function readRuleValue(text: string, pc: ParseContext): RuleValue {
  const words = text.trim().split(/\s+/).filter((w) => w !== "");
  const rrule = words.length === 1 ? readRRuleWord(words[0] ?? "", pc) : undefined;
  if (rrule) return rrule;
  return ruleOrThrow(readRule(words, readContextOf(pc), { whole: true, implicit: true }), pc, text);
}

/** A word taker for a rule at the start of a sentence ("every weekday 9:00 standup"). */
export const ruleWords: WordTaker = (words, pc) => {
  if (readRRuleWord(words[0] ?? "", pc)) return 1;
  const reading = readRule(words, readContextOf(pc), { implicit: true });
  ruleOrThrow(reading, pc, words.slice(0, 6).join(" "));
  return reading.kind === "rule" ? reading.consumed : 0;
};

const dayPartsSchema = z.partialRecord(
  z.enum(Object.keys(defaultDayPartHours) as [DayPart, ...DayPart[]]),
  z.number().int().min(0).max(23),
);

/** A team's own hours for the parts of the day, as stored (a Json column); unreadable or none: the defaults. */
export function dayPartsOf(team: { dayParts: unknown }): Partial<DayPartHours> {
  const parsed = dayPartsSchema.safeParse(team.dayParts);
  return parsed.success ? parsed.data : {};
}
