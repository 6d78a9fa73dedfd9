import { DateTime } from "luxon";
import { type CalendarDate, calendarDate, dateOf, partsOf } from "./calendar-date.ts";
import { matchCalendarWords } from "./calendar-words.ts";
import {
  matchBareHour,
  matchClockDigits,
  matchClockWords,
  matchDayPart,
  matchMidnight,
} from "./clock-time.ts";
import {
  matchDayOfMonth,
  matchDottedDate,
  matchIso,
  matchMonthName,
  matchPartOfMonth,
  matchRelativeDay,
  matchSlashDate,
  matchWeek,
  matchWeekday,
  matchWholeDay,
  matchYearFirstSlash,
  todayOf,
} from "./date-words.ts";
import { matchIn } from "./duration-words.ts";
import { resolve, type When } from "./resolve.ts";
import { type Matcher, one, type PhraseState, type ReadContext, type WhenErrorReason } from "./state.ts";
import { type Token, tokenize } from "./tokens.ts";
import { alternatives, fillers, fold, isTimeWord, joiners } from "./words.ts";

export type WhenReading =
  /** One meaning: `when`, read from the first `consumed` words (`text`); `rest` is what follows. */
  | { kind: "when"; when: When; text: string; consumed: number; rest: string[] }
  /** Several meanings ("nächsten Mittwoch" on a Monday, "4/1", "um 3"): ask which. */
  | { kind: "question"; choices: When[]; text: string; consumed: number; rest: string[] }
  /**
   * Not readable as written. `word` is the word at fault, `near` what was understood so far,
   * `suggestion` a phrase the reader would take, `limit` the last date allowed ("tooFar").
   */
  | {
      kind: "error";
      reason: WhenErrorReason;
      text: string;
      word?: string;
      near?: When;
      suggestion?: string;
      limit?: CalendarDate;
    };

export interface ReadOptions {
  /** Leave at least this many words for the text (default 0). */
  keep?: number;
  /** The whole input must be the phrase (a typed date argument); default: a leading phrase. */
  whole?: boolean;
}

const matchFiller: Matcher = (tokens, i, s, ctx) => {
  if (!fillers.has(tokens[i]?.w ?? "")) return undefined;
  // A filler belongs to the phrase only when something readable follows: "am Montag", not "am Bahnhof".
  const follows = matchers.some((m) => m(tokens, i + 1, s, ctx) !== undefined);
  return follows ? one(1, () => true) : undefined;
};

/** In order: the first matcher that recognises a word reads it. */
const matchers: Matcher[] = [
  matchIso,
  matchYearFirstSlash,
  matchSlashDate,
  matchDottedDate,
  matchClockDigits,
  matchMidnight,
  matchClockWords,
  matchCalendarWords,
  matchPartOfMonth,
  matchMonthName,
  matchDayOfMonth,
  matchIn,
  matchWeek,
  matchDayPart,
  matchRelativeDay,
  matchWeekday,
  matchWholeDay,
  matchBareHour,
  matchFiller,
];

interface Outcome {
  state: PhraseState;
  end: number;
  stop?: WhenErrorReason;
}

/** Reads tokens from `i` as far as they form a date phrase; forks where a word means two things. */
function scan(tokens: readonly Token[], i: number, state: PhraseState, ctx: ReadContext): Outcome[] {
  if (i >= tokens.length) return [{ state, end: i }];
  for (const matcher of matchers) {
    const step = matcher(tokens, i, state, ctx);
    if (!step) continue;
    if ("error" in step) return [{ state, end: i, stop: step.error }];
    return step.ways.flatMap((way) => {
      const next = structuredClone(state);
      return way(next)
        ? scan(tokens, i + step.len, next, ctx)
        : [{ state, end: i, stop: "conflict" as const }];
    });
  }
  return [{ state, end: i }];
}

type Scanned = { end: number; error: WhenErrorReason } | { end: number; states: PhraseState[] };

/** The furthest reading; a problem met on the way wins over a shorter clean reading. */
function best(outcomes: Outcome[]): Scanned {
  const end = Math.max(...outcomes.map((o) => o.end));
  const stopped = outcomes.find((o) => o.stop !== undefined && o.end === end);
  if (stopped?.stop) return { end, error: stopped.stop };
  return { end, states: outcomes.filter((o) => o.end === end && !o.stop).map((o) => o.state) };
}

/** Scans the tokens, backing off to a word boundary (a quoted argument is read whole or not at all). */
function scanWords(tokens: readonly Token[], from: number, ctx: ReadContext): Scanned {
  let limit = tokens.length;
  for (;;) {
    const result = best(scan(tokens.slice(0, limit), from, {}, ctx));
    const at = tokens[result.end];
    const before = tokens[result.end - 1];
    if (!at || !before || at.word !== before.word || result.end <= from) return result;
    limit = tokens.findIndex((t) => t.word === at.word);
    if (limit <= from) return { end: from, states: [] };
  }
}

function resolveAll(
  states: PhraseState[],
  ctx: ReadContext,
): When[] | { error: WhenErrorReason; near?: When } {
  const found: When[] = [];
  let problem: { error: WhenErrorReason; near?: When } | undefined;
  for (const state of states) {
    const r = resolve(state, ctx);
    if ("error" in r) problem ??= r;
    else found.push(...r.whens);
  }
  const unique = found.filter((w, k) => found.findIndex((o) => key(o) === key(w)) === k);
  return unique.length > 0 ? unique : (problem ?? { error: "unparseable" });
}

const key = (w: When) => (w.kind === "instant" ? String(w.at.getTime()) : w.date);

/** A phrase the reader takes back: "23.11.2026 09:00" / "2026-11-23 09:00". */
export function canonicalText(when: When, ctx: Pick<ReadContext, "lang" | "timeZone">): string {
  const dt =
    when.kind === "instant"
      ? DateTime.fromJSDate(when.at, { zone: ctx.timeZone })
      : DateTime.fromISO(when.date, { zone: "UTC" });
  const date = ctx.lang === "de" ? dt.toFormat("dd.MM.yyyy") : dt.toFormat("yyyy-MM-dd");
  return when.kind === "instant" ? `${date} ${dt.toFormat("HH:mm")}` : date;
}

/**
 * Reads a date or time at the start of `words`, in German or English, in the context's zone.
 * Never silent: a time word right after the phrase, a date that does not exist, a past or
 * far-future date are errors, and a phrase with several meanings is a question.
 */
export function readWhen(words: readonly string[], ctx: ReadContext, options: ReadOptions = {}): WhenReading {
  const keep = options.keep ?? 0;
  const tokens = tokenize(words.slice(0, Math.max(words.length - keep, 0)));
  const all = tokenize(words);
  const wordAt = (end: number) => (end >= tokens.length ? words.length - keep : (tokens[end]?.word ?? 0));
  const scanned = scanWords(tokens, 0, ctx);
  let consumed = wordAt(scanned.end);
  const textOf = (n: number) => words.slice(0, n).join(" ");
  const fail = (
    reason: WhenErrorReason,
    extra: Partial<Extract<WhenReading, { kind: "error" }>> = {},
  ): WhenReading => ({
    kind: "error",
    reason,
    text: textOf(consumed),
    ...extra,
  });
  if ("error" in scanned) return fail(scanned.error, { word: tokens[scanned.end]?.raw });
  if (scanned.end === 0 || scanned.states.length === 0) return fail("unparseable", { word: words[0] });
  const firstWhens = resolveAll(scanned.states, ctx);
  if (!Array.isArray(firstWhens)) return problem(firstWhens, fail, ctx);
  let whens: When[] = firstWhens;
  // "morgen oder Freitag": a question; "Montag und Dienstag": two dates for one thing.
  const joiner = tokens[scanned.end]?.w ?? "";
  if (
    (alternatives.has(joiner) || joiners.has(joiner)) &&
    tokens[scanned.end]?.word !== tokens[scanned.end - 1]?.word
  ) {
    const second = scanWords(tokens, scanned.end + 1, ctx);
    if (second.end > scanned.end + 1) {
      if (joiners.has(joiner)) return fail("conflict", { word: words[wordAt(scanned.end)] });
      if ("error" in second) return fail(second.error, { word: tokens[second.end]?.raw });
      const other = resolveAll(second.states, ctx);
      if (!Array.isArray(other)) return problem(other, fail, ctx);
      whens = [...firstWhens, ...other.filter((w) => !firstWhens.some((o) => key(o) === key(w)))];
      consumed = wordAt(second.end);
    }
  }
  const last = lastAllowed(todayOf(ctx), ctx.maxYearsAhead ?? 10);
  if (whens.some((w) => (w.kind === "date" ? w.date : dateOf(w.at, ctx.timeZone)) > last))
    return fail("tooFar", { limit: last });
  const rest = words.slice(consumed);
  // "morgen Akten um 9": a date, then a clock time in the text; the time was meant.
  const only = whens.length === 1 ? whens[0] : undefined;
  const clock = only?.kind === "date" ? clockIn(all, consumed, ctx) : undefined;
  if (clock) {
    const suggestion =
      `${textOf(consumed)} ${clock} ${rest.join(" ").replace(clock, "").replace(/\s+/g, " ").trim()}`.trim();
    return fail("timeWordLeft", { word: clock, near: only, suggestion });
  }
  const next = all.find((t) => t.word === consumed);
  if (next && (options.whole || isTimeWord(fold(next.raw)))) {
    const reason = isTimeWord(fold(next.raw)) ? "timeWordLeft" : "unparseable";
    const near = whens.length === 1 ? whens[0] : undefined;
    return fail(reason, { word: next.raw, near, suggestion: near ? canonicalText(near, ctx) : undefined });
  }
  const text = textOf(consumed);
  if (whens.length > 1) return { kind: "question", choices: whens, text, consumed, rest };
  return { kind: "when", when: whens[0] as When, text, consumed, rest };
}

/** A clock time in the text after a date ("um 9", "14:30", "9 Uhr", "halb 8"); quoted text is left alone. */
function clockIn(tokens: readonly Token[], fromWord: number, ctx: ReadContext): string | undefined {
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token || token.word < fromWord) continue;
    if (tokens.some((t) => t.word === token.word && t !== token)) continue;
    for (const m of [matchClockDigits, matchClockWords, matchBareHour]) {
      const step = m(tokens, i, {}, ctx);
      if (!step) continue;
      const start = /^(um|at|gegen)$/.test(tokens[i - 1]?.w ?? "") ? i - 1 : i;
      return tokens
        .slice(start, i + step.len)
        .map((t) => t.raw)
        .join(" ");
    }
  }
  return undefined;
}

function lastAllowed(today: CalendarDate, years: number): CalendarDate {
  const { year, month, day } = partsOf(today);
  return (
    calendarDate(year + years, month, day) ?? (calendarDate(year + years, month, day - 1) as CalendarDate)
  );
}

function problem(
  p: { error: WhenErrorReason; near?: When },
  fail: (reason: WhenErrorReason, extra?: Partial<Extract<WhenReading, { kind: "error" }>>) => WhenReading,
  ctx: ReadContext,
): WhenReading {
  if (p.error === "past" && p.near?.kind === "instant") {
    // "heute 8:00" at ten: tomorrow at the same time is what the reader would take.
    const tomorrow = DateTime.fromJSDate(p.near.at, { zone: ctx.timeZone }).plus({ days: 1 }).toJSDate();
    const later = tomorrow.getTime() > ctx.now.getTime() ? tomorrow : undefined;
    return fail("past", {
      near: p.near,
      suggestion: later ? canonicalText({ kind: "instant", at: later }, ctx) : undefined,
    });
  }
  if (p.error === "tooFar")
    return fail("tooFar", { limit: lastAllowed(todayOf(ctx), ctx.maxYearsAhead ?? 10) });
  return fail(p.error, { near: p.near });
}

/** Reads a whole text as one date phrase ("morgen 9 Uhr", "next friday 14:00"). */
export function readWhenText(text: string, ctx: ReadContext): WhenReading {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((w) => w !== "");
  return readWhen(words, ctx, { whole: true });
}
