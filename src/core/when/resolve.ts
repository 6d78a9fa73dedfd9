import { DateTime } from "luxon";
import {
  addDays,
  addMonths,
  type CalendarDate,
  calendarDate,
  mondayOf,
  partsOf,
  wallClock,
  weekdayOf,
} from "./calendar-date.ts";
import { todayOf } from "./date-words.ts";
import type { DurationParts } from "./duration-words.ts";
import {
  hasDate,
  type PhraseState,
  type ReadContext,
  type TimeSpec,
  type WeekdayMode,
  type WhenErrorReason,
} from "./state.ts";
import { type DayPart, defaultDayPartHours } from "./words.ts";

/** What a phrase means: an instant, or a whole day (a calendar date). */
export type When = { kind: "instant"; at: Date } | { kind: "date"; date: CalendarDate };

export type Resolution = { whens: When[] } | { error: WhenErrorReason; near?: When };

const instant = (at: Date): When => ({ kind: "instant", at });
const day = (date: CalendarDate): When => ({ kind: "date", date });

const weekDay = (today: CalendarDate, weeks: number, isoDay: number) =>
  addDays(mondayOf(today), 7 * weeks + isoDay - 1);

/** The dates a weekday with its modifier can mean; two mean a question. */
function weekdayDates(today: CalendarDate, target: number, mode: WeekdayMode): CalendarDate[] {
  const t = weekdayOf(today);
  const thisWeek = weekDay(today, 0, target);
  const nextWeek = weekDay(today, 1, target);
  switch (mode) {
    case "bare":
      return target > t ? [thisWeek] : target < t ? [nextWeek] : [today, nextWeek];
    case "this":
      return target >= t ? [thisWeek] : [nextWeek];
    case "coming":
      return target > t ? [thisWeek] : [nextWeek];
    case "next":
      return target > t ? [thisWeek, nextWeek] : [nextWeek];
    case "afterNext":
      return target > t ? [nextWeek, weekDay(today, 2, target)] : [weekDay(today, 2, target)];
  }
}

/** The next date (today included) with this day and month; 29 February waits for a leap year. */
function nextDayMonth(today: CalendarDate, dayOfMonth: number, month: number): CalendarDate | undefined {
  const { year } = partsOf(today);
  for (let y = year; y <= year + 8; y++) {
    const date = calendarDate(y, month, dayOfMonth);
    if (date && date >= today) return date;
  }
  return undefined;
}

/** The next date (today included) with this day of the month. */
function nextDayOfMonth(today: CalendarDate, dayOfMonth: number): CalendarDate | undefined {
  const { year, month } = partsOf(today);
  for (let k = 0; k < 13; k++) {
    const m = ((month - 1 + k) % 12) + 1;
    const date = calendarDate(year + Math.floor((month - 1 + k) / 12), m, dayOfMonth);
    if (date && date >= today) return date;
  }
  return undefined;
}

/** The dates the phrase names, undefined when it names none (only a time). */
function datesOf(s: PhraseState, today: CalendarDate): CalendarDate[] | WhenErrorReason | undefined {
  let dates: CalendarDate[] | undefined;
  if (s.date?.kind === "fixed") dates = s.date.dates;
  else if (s.date?.kind === "dayMonth") {
    const d = nextDayMonth(today, s.date.day, s.date.month);
    if (!d) return "invalidDate";
    dates = [d];
  } else if (s.date?.kind === "dayOnly") {
    const d = nextDayOfMonth(today, s.date.day);
    if (!d) return "invalidDate";
    dates = [d];
  } else if (s.today) dates = [today];
  let weekOffset = s.weekOffset;
  if (s.inWeeks !== undefined) {
    if (s.weekday) {
      if (weekOffset !== undefined) return "conflict";
      weekOffset = s.inWeeks;
    } else dates = (dates ?? [today]).map((d) => addDays(d, 7 * (s.inWeeks ?? 0)));
  }
  if (s.inDays) {
    const { days, months, years } = s.inDays;
    const base = dates ?? [today];
    dates = base.flatMap((d) => days.map((n) => addDays(addMonths(d, months + 12 * years), n)));
  }
  if (s.weekday) {
    const { day: target, mode } = s.weekday;
    if (dates) {
      const matching = dates.filter((d) => weekdayOf(d) === target);
      return matching.length > 0 ? matching : "weekdayMismatch";
    }
    return weekOffset !== undefined
      ? [weekDay(today, weekOffset, target)]
      : weekdayDates(today, target, mode);
  }
  if (weekOffset !== undefined) {
    if (dates || weekOffset === 0) return weekOffset === 0 ? "unparseable" : "conflict";
    return [weekDay(today, weekOffset, 1)];
  }
  return dates;
}

interface ClockCandidate {
  hour: number;
  minute: number;
  /** The time belongs to the next day ("Mitternacht", "nachts um 2"). */
  nextDay: boolean;
}

/** A clock time on a given part of the day: "8 abends" is 20:00, "nachts um 2" the next day's 02:00. */
export function onDayPart(hour: number, part: DayPart): { hour: number; nextDay: boolean } | undefined {
  if (hour >= 13)
    return part === "early" || part === "morning" || part === "forenoon"
      ? undefined
      : { hour, nextDay: false };
  switch (part) {
    case "early":
    case "morning":
    case "forenoon":
      return { hour, nextDay: false };
    case "noon":
      return { hour: hour >= 1 && hour <= 5 ? hour + 12 : hour, nextDay: false };
    case "afternoon":
      return { hour: hour === 12 ? 12 : hour + 12, nextDay: false };
    case "evening":
      return hour === 12 ? { hour: 0, nextDay: true } : { hour: hour + 12, nextDay: false };
    case "night":
      if (hour === 12) return { hour: 0, nextDay: true };
      return hour >= 6 ? { hour: hour + 12, nextDay: false } : { hour, nextDay: true };
  }
}

/** The clock times a phrase can mean, and whether the morning one is preferred. */
function clockCandidates(
  time: TimeSpec | undefined,
  part: DayPart | undefined,
  hours: Record<DayPart, number>,
): { candidates: ClockCandidate[]; morningFirst: boolean } | "conflict" {
  if (!time)
    return { candidates: [{ hour: part ? hours[part] : 0, minute: 0, nextDay: false }], morningFirst: false };
  const { hour, minute } = time;
  if (time.endOfDay) return { candidates: [{ hour: 0, minute: 0, nextDay: true }], morningFirst: false };
  if (time.meridiem) {
    const h = (hour % 12) + (time.meridiem === "pm" ? 12 : 0);
    return { candidates: [{ hour: h, minute, nextDay: false }], morningFirst: false };
  }
  if (part) {
    const on = onDayPart(hour, part);
    return on ? { candidates: [{ ...on, minute }], morningFirst: false } : "conflict";
  }
  const twelve =
    (time.style === "loose" && hour >= 1 && hour <= 11) || (time.style === "uhr" && hour >= 1 && hour <= 6);
  const candidates = [{ hour, minute, nextDay: false }];
  if (twelve) candidates.push({ hour: hour + 12, minute, nextDay: false });
  return { candidates, morningFirst: twelve && hour >= 7 };
}

function durationFrom(now: Date, zone: string, parts: DurationParts): Date {
  // Fractions of calendar units become hours ("1,5 Tage" = 1 day 12 hours).
  const whole: Record<string, number> = {};
  let extraHours = 0;
  for (const [unit, value] of Object.entries(parts)) {
    const int = Math.trunc(value);
    whole[unit] = int;
    const perHour: Record<string, number> = {
      years: 24 * 365,
      months: 24 * 30,
      weeks: 24 * 7,
      days: 24,
      hours: 1,
      minutes: 1 / 60,
    };
    extraHours += (value - int) * (perHour[unit] ?? 0);
  }
  return DateTime.fromJSDate(now, { zone })
    .plus(whole)
    .plus({ minutes: Math.round(extraHours * 60) })
    .toJSDate();
}

function dedupe(whens: When[]): When[] {
  const seen = new Set<string>();
  return whens.filter((w) => {
    const key = w.kind === "instant" ? String(w.at.getTime()) : w.date;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Turns a complete phrase into what it means at `ctx.now` in `ctx.timeZone`. */
export function resolve(s: PhraseState, ctx: ReadContext): Resolution {
  const now = ctx.now;
  const zone = ctx.timeZone;
  const today = todayOf(ctx);
  const hours = { ...defaultDayPartHours, ...ctx.dayParts };
  const timeGiven = s.time !== undefined || s.dayPart !== undefined;
  if (s.absolute || s.inDuration) {
    if (hasDate(s) || timeGiven || s.wholeDay || (s.absolute && s.inDuration)) return { error: "conflict" };
    const at = s.absolute ?? durationFrom(now, zone, s.inDuration ?? {});
    return at.getTime() <= now.getTime() ? { error: "past", near: instant(at) } : { whens: [instant(at)] };
  }
  const dates = datesOf(s, today);
  if (typeof dates === "string") return { error: dates };
  if (s.wholeDay && (timeGiven || !dates)) return { error: timeGiven ? "conflict" : "unparseable" };
  if (!timeGiven) {
    if (!dates || dates.length === 0) return { error: "unparseable" };
    const ahead = dates.filter((d) => d >= today);
    return ahead.length === 0
      ? { error: "past", near: day(dates[0] as CalendarDate) }
      : { whens: dedupe(ahead.map(day)) };
  }
  const clocks = clockCandidates(s.time, s.dayPart, hours);
  if (clocks === "conflict") return { error: "conflict" };
  const at = (date: CalendarDate, c: ClockCandidate) =>
    wallClock(c.nextDay ? addDays(date, 1) : date, c.hour, c.minute, zone);
  const future = (d: Date) => d.getTime() > now.getTime();
  if (dates) {
    const onlyMorning = clocks.morningFirst && dates.every((d) => d > today);
    const used = onlyMorning ? clocks.candidates.slice(0, 1) : clocks.candidates;
    const all = dates.flatMap((d) => used.map((c) => at(d, c)));
    let ahead = all.filter(future);
    if (ahead.length === 0) return { error: "past", near: instant(all[0] as Date) };
    // "heute um 8" at seven: 08:00 (the morning comes first), at ten: 20:00.
    if (clocks.morningFirst && dates.length === 1) ahead = ahead.slice(0, 1);
    return { whens: dedupe(ahead.map(instant)) };
  }
  // Only a time: its next occurrence.
  const nextAt = (c: ClockCandidate) => {
    const todayAt = at(today, c);
    return future(todayAt) ? todayAt : at(addDays(today, 1), c);
  };
  const [morning, evening] = clocks.candidates.map(nextAt);
  if (!morning) return { error: "unparseable" };
  if (!evening) return { whens: [instant(morning)] };
  // "um 9": 09:00 if that comes first, "um 3": 15:00 if that comes first; otherwise ask.
  const preferred = clocks.morningFirst ? morning : evening;
  const other = clocks.morningFirst ? evening : morning;
  if (preferred.getTime() < other.getTime()) return { whens: [instant(preferred)] };
  return { whens: [morning, evening].sort((a, b) => a.getTime() - b.getTime()).map(instant) };
}
