import ical, { ICalEventStatus } from "ical-generator";
import { DateTime } from "luxon";
import { type Attachment, type Span, time } from "../../core/message.ts";
import { dateSpan } from "../../core/when-args.ts";
import {
  addDays,
  type CalendarDate,
  dateAsUtcMidnight,
  isCalendarDate,
  startOfDate,
} from "../../core/when/index.ts";
import type { Meeting } from "../../generated/prisma/client.ts";
import { nextStart, seriesOf } from "./series.ts";
import { vtimezone } from "./vtimezone.ts";

const dayMinutes = 24 * 60;

type Dated = Pick<Meeting, "startsAt" | "allDay" | "startDate" | "durationMinutes">;
type Shown = Dated & Partial<Pick<Meeting, "rule">>;

/** A whole-day meeting's first day; undefined for a timed one. */
export function firstDay(meeting: Pick<Meeting, "allDay" | "startDate">): CalendarDate | undefined {
  return meeting.allDay && meeting.startDate && isCalendarDate(meeting.startDate) ? meeting.startDate : undefined;
}

/** How many days a whole-day meeting lasts (at least one). */
export const dayCount = (meeting: Pick<Meeting, "durationMinutes">): number =>
  Math.max(1, Math.round(meeting.durationMinutes / dayMinutes));

/** A whole-day meeting's last day, when it lasts more than one. */
export function lastDay(meeting: Dated): CalendarDate | undefined {
  const first = firstDay(meeting);
  const days = dayCount(meeting);
  return first && days > 1 ? addDays(first, days - 1) : undefined;
}

/** The instant a whole day starts in the team's zone: how whole-day meetings sort among timed ones. */
export const dayStart = (date: CalendarDate, zone: string): Date => startOfDate(date, zone);

/**
 * A meeting's start as shown: a timestamp, or the calendar date of a whole-day meeting (the
 * same everywhere); for a series with `now`, its current or next occurrence.
 */
export function meetingTime(meeting: Shown, now?: Date): Span {
  const first = firstDay(meeting);
  if (first) return dateSpan(first);
  return time(now && meeting.rule ? nextStart({ ...meeting, rule: meeting.rule }, now) : meeting.startsAt);
}

/** The end of a meeting (whole days: the end of its last day in the team's zone). */
export function meetingEnd(meeting: Dated, zone: string): Date {
  const first = firstDay(meeting);
  if (first) return startOfDate(addDays(first, dayCount(meeting)), zone);
  return new Date(meeting.startsAt.getTime() + meeting.durationMinutes * 60_000);
}

/**
 * The meeting as an iCalendar file: timed meetings as UTC instants, so every calendar shows
 * them in its own zone; whole-day meetings as dates. The UID stays the meeting's for life
 * and SEQUENCE grows with each change, so a calendar that imports it again updates the event.
 */
export function meetingIcs(meeting: Meeting, teamName: string, zone: string): Attachment {
  const calendar = ical({ name: teamName || "Teambot", prodId: { company: "teambot", product: "teambot" } });
  const first = firstDay(meeting);
  const series = seriesOf(meeting);
  // A series is written in its zone (DTSTART;TZID=… with a VTIMEZONE), so 10:00 stays 10:00 across DST.
  const local = series && DateTime.fromJSDate(meeting.startsAt, { zone: series.zone });
  calendar.createEvent({
    id: meeting.uid,
    sequence: meeting.sequence,
    // ical-generator writes a whole day from the date's UTC fields: UTC midnight of the date.
    start: first ? dateAsUtcMidnight(first) : (local ?? meeting.startsAt),
    end: first
      ? dateAsUtcMidnight(addDays(first, dayCount(meeting)))
      : local
        ? local.plus({ minutes: meeting.durationMinutes })
        : meetingEnd(meeting, zone),
    allDay: first !== undefined,
    ...(series ? { timezone: series.zone, repeating: `RRULE:${series.recurrence.rrule}` } : {}),
    summary: meeting.title,
    location: meeting.location ?? undefined,
    stamp: meeting.updatedAt,
    ...(meeting.status === "cancelled" ? { status: ICalEventStatus.CANCELLED } : {}),
  });
  const slug = meeting.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40);
  const day = first ?? DateTime.fromJSDate(meeting.startsAt, { zone }).toISODate() ?? "";
  let content = calendar.toString();
  if (series) {
    const zoneLines = vtimezone(series.zone, meeting.startsAt).join("\r\n");
    content = content.replace("BEGIN:VEVENT", `${zoneLines}\r\nBEGIN:VEVENT`);
  }
  return {
    filename: `meeting-${meeting.number}${slug ? `-${slug}` : ""}-${day.replace(/-/g, "")}.ics`,
    contentType: "text/calendar; charset=utf-8",
    // RFC 5545: every content line ends with CRLF, the last one too.
    content: `${content}\r\n`,
  };
}
