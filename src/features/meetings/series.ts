import { parseRRule, type RulePattern } from "../../core/when/index.ts";
import type { Meeting } from "../../generated/prisma/client.ts";
import { anchorPattern, icsLines, nextOccurrence, type StoredRecurrence } from "../../scheduler/recurrence.ts";

/** A series as stored in `Meeting.rule`: its RRULE with DTSTART in the zone the series keeps. */
export interface Series {
  zone: string;
  recurrence: StoredRecurrence;
  pattern: RulePattern;
}

const stored = /^DTSTART;TZID=([^:\s]+):(\d{8}T\d{6})\s*\nRRULE:(\S+)$/;

/** The series a meeting repeats by; undefined for a single meeting (or an unreadable rule). */
export function seriesOf(meeting: Pick<Meeting, "rule">): Series | undefined {
  const m = meeting.rule ? stored.exec(meeting.rule.trim()) : null;
  const [, zone, dtstart, rrule] = m ?? [];
  const pattern = rrule ? parseRRule(rrule) : undefined;
  if (!zone || !dtstart || !rrule || !pattern) return undefined;
  return { zone, recurrence: { rule: rrule, rrule, dtstart }, pattern };
}

/**
 * A new series in the team's zone, anchored at its first occurrence after `now`: the
 * `Meeting.rule` text and that first start. The zone stays the series' own, so "Monday
 * 10:00" stays 10:00 there across daylight saving.
 */
export function newSeries(pattern: RulePattern, zone: string, now: Date): { rule: string; first: Date } | undefined {
  const anchored = anchorPattern(pattern, "", zone, now);
  const first = anchored && nextOccurrence(anchored, zone, new Date(now.getTime()));
  if (!anchored || !first) return undefined;
  return { rule: icsLines(anchored, zone).join("\n"), first };
}

/** The first start of the series strictly after `after`. */
export function startAfter(series: Series, after: Date): Date | undefined {
  return nextOccurrence(series.recurrence, series.zone, after);
}

/**
 * When a meeting starts next, counting one still under way: a series' current or next
 * occurrence, else its own start.
 */
export function nextStart(meeting: Pick<Meeting, "rule" | "startsAt" | "durationMinutes">, now: Date): Date {
  const series = seriesOf(meeting);
  if (!series) return meeting.startsAt;
  const after = new Date(now.getTime() - meeting.durationMinutes * 60_000);
  return startAfter(series, new Date(Math.max(after.getTime(), meeting.startsAt.getTime() - 1))) ?? meeting.startsAt;
}
