import { DateTime } from "luxon";
import { z } from "zod";
import { intlLocale, type Language, withoutYearWord } from "../time.ts";

/**
 * A whole day: a calendar date "YYYY-MM-DD" with no zone. It names the same day for every
 * reader wherever they are (a meeting on Friday 4 December is on the 4th in New York and in
 * Tokyo). Only when a whole day must become an instant does a zone come in, and then by
 * one of the rules below (see `instantOfDate`).
 */
export type CalendarDate = string & { readonly calendarDate: unique symbol };

const shape = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): value is CalendarDate {
  const m = shape.exec(value);
  if (!m) return false;
  return DateTime.fromObject({ year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) }, { zone: "UTC" })
    .isValid;
}

export const calendarDateSchema = z.string().refine(isCalendarDate, { message: "not a calendar date (YYYY-MM-DD)" });

/** The date with these parts, or undefined when there is no such day (31 April). */
export function calendarDate(year: number, month: number, day: number): CalendarDate | undefined {
  if (year < 1000 || year > 9999) return undefined;
  const text = `${String(year)}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
  return isCalendarDate(text) ? text : undefined;
}

/** Year, month (1-12) and day of a date. */
export function partsOf(date: CalendarDate): { year: number; month: number; day: number } {
  const [year, month, day] = date.split("-").map(Number);
  return { year: year ?? 0, month: month ?? 1, day: day ?? 1 };
}

/** The date as a luxon value at midnight UTC, for calendar arithmetic only. */
function utc(date: CalendarDate): DateTime {
  return DateTime.fromObject(partsOf(date), { zone: "UTC" });
}

function fromUtc(dt: DateTime): CalendarDate {
  return dt.toISODate() as CalendarDate;
}

/** The date an instant falls on in a zone. */
export function dateOf(at: Date, zone: string): CalendarDate {
  return DateTime.fromJSDate(at, { zone }).toISODate() as CalendarDate;
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return fromUtc(utc(date).plus({ days }));
}

/** Adds months, keeping the day where it exists (31 January + 1 month = 28/29 February). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  return fromUtc(utc(date).plus({ months }));
}

/** Days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: CalendarDate, b: CalendarDate): number {
  return Math.round(utc(b).diff(utc(a), "days").days);
}

/** ISO weekday: Monday 1 … Sunday 7. */
export function weekdayOf(date: CalendarDate): number {
  return utc(date).weekday;
}

/** The Monday of the date's week (weeks run Monday to Sunday). */
export function mondayOf(date: CalendarDate): CalendarDate {
  return addDays(date, 1 - weekdayOf(date));
}

export function lastDayOfMonth(date: CalendarDate): CalendarDate {
  return fromUtc(utc(date).endOf("month").startOf("day"));
}

export function firstDayOfMonth(date: CalendarDate): CalendarDate {
  return fromUtc(utc(date).startOf("month"));
}

/**
 * The instant a wall-clock time on a date has in a zone. A time that does not exist (the
 * hour skipped when clocks spring forward) moves forward by the gap (02:30 -> 03:30); a
 * time that happens twice (clocks fall back) is its first occurrence.
 */
export function wallClock(date: CalendarDate, hour: number, minute: number, zone: string): Date {
  const at = DateTime.fromObject({ ...partsOf(date), hour, minute }, { zone });
  // luxon takes the later of two equal wall times: look one offset change back.
  const before = DateTime.fromMillis(at.toMillis() - 3 * 3_600_000, { zone }).offset;
  if (before > at.offset) {
    const earlier = DateTime.fromMillis(at.toMillis() - (before - at.offset) * 60_000, { zone });
    if (earlier.hour === at.hour && earlier.minute === at.minute && earlier.day === at.day)
      return earlier.toJSDate();
  }
  return at.toJSDate();
}

/** The first instant of the date in a zone (its midnight, or the first hour after a gap). */
export function startOfDate(date: CalendarDate, zone: string): Date {
  return DateTime.fromObject(partsOf(date), { zone }).startOf("day").toJSDate();
}

/** The end of the date in a zone: the instant the next day begins (exclusive). */
export function endOfDate(date: CalendarDate, zone: string): Date {
  return startOfDate(addDays(date, 1), zone);
}

/**
 * What a bare date means where an instant is needed (the README has this table):
 * - "until" and "due": the end of that day in the zone (available until Friday = all of Friday);
 * - "remind": the morning hour of the team on that day (default 9:00);
 * - "start": the first instant of the day (a whole-day meeting's start, for sorting).
 */
export type DateUse = "until" | "due" | "remind" | "start";

export function instantOfDate(
  date: CalendarDate,
  use: DateUse,
  zone: string,
  morning: { hour: number; minute?: number } = { hour: 9 },
): Date {
  switch (use) {
    case "until":
    case "due":
      return endOfDate(date, zone);
    case "remind":
      return wallClock(date, morning.hour, morning.minute ?? 0, zone);
    case "start":
      return startOfDate(date, zone);
  }
}

/** "Fr., 4. Dez. 2026" / "Fri, 4 Dec 2026": the same text in every zone. */
export function formatCalendarDate(date: CalendarDate, lang: Language): string {
  return withoutYearWord(
    utc(date).setLocale(intlLocale(lang)).toLocaleString({ weekday: "short", day: "numeric", month: "short", year: "numeric" }),
  );
}

/** The date as the UTC midnight instant, the form renderers use for whole days. */
export function dateAsUtcMidnight(date: CalendarDate): Date {
  return utc(date).toJSDate();
}
