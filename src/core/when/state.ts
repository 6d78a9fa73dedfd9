import type { Language } from "../time.ts";
import type { CalendarDate } from "./calendar-date.ts";
import type { DurationParts } from "./duration-words.ts";
import type { Token } from "./tokens.ts";
import type { DayPart, DayPartHours } from "./words.ts";

/** What the reader needs to know: "now", the zone wall clocks are read in, the defaults. */
export interface ReadContext {
  now: Date;
  timeZone: string;
  /** The language of suggestions; phrases are read in German and English either way. */
  lang: Language;
  /** The team's hours for "morgens", "abends", … (defaults: `defaultDayPartHours`). */
  dayParts?: Partial<DayPartHours>;
  /** Dates further ahead are refused (default 10 years). */
  maxYearsAhead?: number;
}

/** A clock time as written. */
export interface TimeSpec {
  hour: number;
  minute: number;
  /**
   * exact: "14:30", "9h", "07:00" (read as written);
   * uhr: "9 Uhr", "8 o'clock" (literal, but 1-6 might mean the afternoon);
   * loose: "um 8", "halb 3" (a 12-hour reading: morning or evening by context).
   */
  style: "exact" | "uhr" | "loose";
  meridiem?: "am" | "pm";
  /** "Mitternacht", "24:00": the end of the day. */
  endOfDay?: boolean;
}

/** Weekday modifiers: "Freitag", "diesen Freitag", "nächsten Freitag", "kommenden Freitag", "übernächsten Freitag". */
export type WeekdayMode = "bare" | "this" | "next" | "coming" | "afterNext";

/** A date as written; years and weeks are settled when the phrase is complete. */
export type DateSpec =
  | { kind: "fixed"; dates: CalendarDate[] }
  | { kind: "dayMonth"; day: number; month: number }
  | { kind: "dayOnly"; day: number };

/** The slots a phrase fills while it is read; each at most once. */
export interface PhraseState {
  date?: DateSpec;
  /** Explicitly today ("heute", "tonight"): a passed time is an error, not tomorrow. */
  today?: boolean;
  weekday?: { day: number; mode: WeekdayMode };
  /** "nächste Woche" (1), "übernächste Woche" (2), "diese Woche" (0). */
  weekOffset?: number;
  /** "in 2 Wochen": a week offset next to a weekday, else that many weeks from the date (or today). */
  inWeeks?: number;
  /** "in 3 Tagen", "in 2 Monaten": whole days from the date (or today); several mean a question. */
  inDays?: { days: number[]; months: number; years: number };
  time?: TimeSpec;
  dayPart?: DayPart;
  /** "in 2 Stunden", "in 1,5 Tagen": a length of time from now (an instant). */
  inDuration?: DurationParts;
  /** An instant with its own offset ("2026-12-01T10:00Z"). */
  absolute?: Date;
  wholeDay?: boolean;
}

export type Slot = keyof PhraseState;

/** Why a phrase cannot be read as written. */
export type WhenErrorReason =
  | "unparseable"
  | "past"
  | "tooFar"
  | "invalidDate"
  | "invalidTime"
  | "timeWordLeft"
  | "conflict"
  | "weekdayMismatch";

/** One step of the reader: it used `len` tokens and fills slots (one way or several). */
export type Step =
  { len: number; ways: ((s: PhraseState) => boolean)[] } | { len: number; error: WhenErrorReason };

export type Matcher = (
  tokens: readonly Token[],
  i: number,
  s: PhraseState,
  ctx: ReadContext,
) => Step | undefined;

/** Sets a slot that must not be set yet; false means a conflict ("morgen Freitag"). */
export function fill<K extends Slot>(s: PhraseState, key: K, value: PhraseState[K]): boolean {
  if (s[key] !== undefined) return false;
  s[key] = value;
  return true;
}

/** Has the phrase a date of some kind (so a bare "9" after it is a time)? */
export function hasDate(s: PhraseState): boolean {
  return (
    s.date !== undefined ||
    s.weekday !== undefined ||
    s.inDays !== undefined ||
    s.inWeeks !== undefined ||
    s.weekOffset !== undefined
  );
}

export const one = (len: number, apply: (s: PhraseState) => boolean): Step => ({ len, ways: [apply] });
