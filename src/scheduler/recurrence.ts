import { DateTime } from "luxon";
import { RRuleTemporal } from "rrule-temporal";
import { z } from "zod";
import { type CalendarDate, wallClock } from "../core/when/calendar-date.ts";
import { cronToPattern, looksLikeCron } from "../core/when/cron.ts";
import { parseRRule, type RulePattern, rruleText } from "../core/when/pattern.ts";
import { readRule } from "../core/when/rule.ts";
import type { ReadContext } from "../core/when/state.ts";

/**
 * Recurring schedules: an RFC 5545 RRULE with its DTSTART (local wall time) in an IANA
 * zone, evaluated by rrule-temporal.
 *
 * Why this library: on the Berlin DST weekends of 2027 (28 March, 31 October) we ran
 * rrule.js 2.8, croner 11 and rrule-temporal 2.2. rrule.js with a TZID returned instants
 * that depend on the process's own zone (with TZ=America/New_York a 09:00 Berlin rule fired
 * at 05:00) and put the 02:30 spring-forward occurrence at 01:30, before the gap; croner is
 * correct for cron (09:00 stays 09:00, a doubled 02:30 fires once, "every 15 minutes" keeps
 * real 15-minute steps through both nights) but cannot express "every 2 weeks" or store an
 * RRULE for .ics; rrule-temporal is correct in all of these, independent of the process
 * zone, and reads and writes RRULEs. So: rrule-temporal.
 *
 * Daylight saving: rules by the day or longer keep their wall-clock time (09:00 stays
 * 09:00); a time that does not exist that day (02:30 when clocks spring forward) fires at
 * the shifted instant (03:30), as one-off times do, rather than being skipped as RFC 5545
 * has it (a reminder is not lost; a calendar app that imports the .ics skips that one
 * occurrence); a time that happens twice (02:30 when clocks fall back) fires once, at the
 * first. Rules by the minute or the hour step in real time through both nights.
 */
export interface StoredRecurrence {
  /** The rule as the member typed it (for display). */
  rule: string;
  /** RRULE value: "FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMINUTE=0". */
  rrule: string;
  /** DTSTART as local wall time in the job's zone: "20261130T080000". */
  dtstart: string;
}

const currentSchema = z.object({
  rule: z.string(),
  rrule: z.string().refine((v) => parseRRule(v) !== undefined, "not an RRULE"),
  dtstart: z.string().regex(/^\d{8}T\d{6}$/),
});

/** Rows written before rules were RRULEs: a cron expression, maybe every N weeks from an anchor date. */
const legacySchema = z.object({
  rule: z.string(),
  cron: z.string(),
  everyWeeks: z.number().int().min(2).max(52).optional(),
  anchor: z.string().optional(),
});

/** Turns a pre-RRULE row into an RRULE with the same occurrences. */
export function fromLegacy(legacy: z.infer<typeof legacySchema>): StoredRecurrence | undefined {
  const pattern = cronToPattern(legacy.cron);
  if (typeof pattern === "string") return undefined;
  const hour = pattern.byHour?.[0] ?? 0;
  const minute = pattern.byMinute?.[0] ?? 0;
  let start = "2020-01-06"; // a Monday long ago: the rule has no phase of its own
  if (legacy.everyWeeks) {
    pattern.freq = "WEEKLY";
    pattern.interval = legacy.everyWeeks;
    if (legacy.anchor && /^\d{4}-\d{2}-\d{2}$/.test(legacy.anchor)) start = legacy.anchor;
  }
  const dtstart = `${start.replace(/-/g, "")}T${two(hour)}${two(minute)}00`;
  return { rule: legacy.rule, rrule: rruleText(pattern), dtstart };
}

/** Job.recurrence as stored: current rows as they are, older cron rows converted on reading. */
export const storedRecurrenceSchema = z.union([currentSchema, legacySchema]).transform((value, ctx) => {
  if ("rrule" in value) return value;
  const converted = fromLegacy(value);
  if (converted) return converted;
  ctx.addIssue({ code: "custom", message: `unreadable cron rule: ${value.cron}` });
  return z.NEVER;
});

const two = (n: number) => String(n).padStart(2, "0");

function rule(stored: StoredRecurrence, zone: string): RRuleTemporal {
  return new RRuleTemporal({ rruleString: `DTSTART;TZID=${zone}:${stored.dtstart}\nRRULE:${stored.rrule}` });
}

const dayMs = 86_400_000;

/** Wall-clock time as if it were UTC, for evaluating a rule on the local calendar. */
function floating(at: Date, zone: string): number {
  const local = DateTime.fromJSDate(at, { zone });
  return Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second);
}

/** The first occurrence strictly after `after`. */
export function nextOccurrence(stored: StoredRecurrence, zone: string, after: Date): Date | undefined {
  const freq = parseRRule(stored.rrule)?.freq;
  if (freq === "MINUTELY" || freq === "HOURLY") {
    const next = rule(stored, zone).next(after);
    return next ? new Date(next.epochMilliseconds) : undefined;
  }
  // By the day or longer: evaluate on the wall clock (the rule in UTC), then place each
  // wall time in the zone; near a DST change that can reorder, so look a little further.
  const series = rule(stored, "UTC");
  let cursor = new Date(floating(after, zone) - dayMs);
  let best: Date | undefined;
  for (let k = 0; k < 500; k++) {
    const next = series.next(cursor);
    if (!next) break;
    const wall = new Date(next.epochMilliseconds);
    if (best && wall.getTime() > floating(best, zone) + dayMs) break;
    const date = wall.toISOString().slice(0, 10) as CalendarDate;
    const at = wallClock(date, wall.getUTCHours(), wall.getUTCMinutes(), zone);
    if (at.getTime() > after.getTime() && (!best || at.getTime() < best.getTime())) best = at;
    cursor = wall;
  }
  return best;
}

/** Local wall time "YYYYMMDDTHHMMSS" of an instant in a zone. */
function wall(at: DateTime): string {
  return at.toFormat("yyyyMMdd'T'HHmmss");
}

/**
 * Anchors a pattern: DTSTART becomes its first occurrence after `now`, so "alle 2 Wochen
 * freitags" counts from the coming Friday and "every 15 minutes" runs at :00, :15, :30, :45.
 */
export function anchorPattern(
  pattern: RulePattern,
  text: string,
  zone: string,
  now: Date,
): StoredRecurrence | undefined {
  const local = DateTime.fromJSDate(now, { zone });
  const clockRule = pattern.freq === "MINUTELY" || pattern.freq === "HOURLY";
  const provisional = clockRule
    ? local.startOf(pattern.freq === "MINUTELY" && pattern.interval < 60 ? "hour" : "day")
    : local.startOf("day");
  const probe: RulePattern = clockRule ? pattern : { ...pattern, interval: 1 };
  const first = nextOccurrence(
    { rule: text, rrule: rruleText(probe), dtstart: wall(provisional) },
    zone,
    now,
  );
  if (!first) return undefined;
  return { rule: text, rrule: rruleText(pattern), dtstart: wall(DateTime.fromJSDate(first, { zone })) };
}

const defaultContext = (zone: string, now: Date): ReadContext => ({ now, timeZone: zone, lang: "de" });

/** A rule as typed, as a pattern: a friendly rule, a cron expression, or "RRULE:…" (question: undefined). */
export function patternOf(text: string, ctx: ReadContext): RulePattern | undefined {
  const trimmed = text.trim();
  const rrule = /^(?:DTSTART[^\n;]*[:;][^\n]*\n)?RRULE:(.+)$/is.exec(trimmed);
  if (rrule) return parseRRule(rrule[1] ?? "");
  const words = trimmed.split(/\s+/);
  if (looksLikeCron(words) && words.length === 5) {
    const cron = cronToPattern(trimmed);
    return typeof cron === "string" ? undefined : cron;
  }
  const read = readRule(words, ctx, { whole: true });
  return read.kind === "rule" ? read.pattern : undefined;
}

/**
 * A rule ready to store, with its first occurrence after `now` as DTSTART. A stored rule may
 * carry its own DTSTART line ("DTSTART:20261204T090000\nRRULE:…"), which is kept.
 */
export function compileRule(
  text: string,
  zone: string,
  now: Date,
  ctx?: ReadContext,
): StoredRecurrence | undefined {
  const pattern = patternOf(text, ctx ?? defaultContext(zone, now));
  if (!pattern) return undefined;
  const start = /^DTSTART(?:;TZID=[^:]+)?:(\d{8}T\d{6})\s*\n/i.exec(text.trim());
  if (start?.[1]) return { rule: text, rrule: rruleText(pattern), dtstart: start[1] };
  return anchorPattern(pattern, text, zone, now);
}

/** The DTSTART and RRULE lines of a series for an .ics file. */
export function icsLines(stored: StoredRecurrence, zone: string): string[] {
  return [`DTSTART;TZID=${zone}:${stored.dtstart}`, `RRULE:${stored.rrule}`];
}

// ---- the names the reminder commands use ----

export interface FriendlyRule {
  recurrence: { rule: string; pattern: RulePattern };
  /** How many of the given words the rule used; the rest is the reminder's text. */
  consumed: number;
}

/** Reads a rule at the start of `words` ("every weekday 9:00 standup"); undefined if there is none. */
export function parseFriendlyRule(words: readonly string[], ctx?: ReadContext): FriendlyRule | undefined {
  const read = readRule(words, ctx ?? defaultContext("UTC", new Date(0)));
  if (read.kind !== "rule") return undefined;
  return { recurrence: { rule: read.text, pattern: read.pattern }, consumed: read.consumed };
}

/** Anchors a friendly rule at its first occurrence after `now`. */
export function anchorRule(
  recurrence: FriendlyRule["recurrence"],
  zone: string,
  now: Date,
): StoredRecurrence {
  const anchored = anchorPattern(recurrence.pattern, recurrence.rule, zone, now);
  if (!anchored) throw new Error(`rule without occurrences: ${recurrence.rule}`);
  return anchored;
}
