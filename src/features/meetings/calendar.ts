import ical from "ical-generator";
import { DateTime } from "luxon";
import { type Attachment, time } from "../../core/message.ts";
import type { Meeting } from "../../generated/prisma/client.ts";

/**
 * The instant to show for a whole day: its noon in the zone, which names the same date
 * wherever it is rendered (renderers show all-day times as a date in UTC; Discord in the
 * reader's zone).
 */
export function dayInstant(at: Date, zone: string): Date {
  return DateTime.fromJSDate(at, { zone }).set({ hour: 12, minute: 0 }).toJSDate();
}

/** A time span for a meeting's start: a date for whole-day meetings. */
export function meetingTime(meeting: Pick<Meeting, "startsAt" | "allDay">, zone: string) {
  return meeting.allDay ? time(dayInstant(meeting.startsAt, zone), "date", true) : time(meeting.startsAt);
}

/** The meeting as an iCalendar file; instants in UTC, so every calendar shows them in its own zone. */
export function meetingIcs(meeting: Meeting, teamName: string, zone: string): Attachment {
  const calendar = ical({ name: teamName || "Teambot", prodId: { company: "teambot", product: "teambot" } });
  const local = DateTime.fromJSDate(meeting.startsAt, { zone });
  // ical-generator writes a whole day from the date's UTC fields: hand it UTC midnight of the local date.
  const day = DateTime.fromObject({ year: local.year, month: local.month, day: local.day }, { zone: "UTC" });
  calendar.createEvent({
    id: `teambot-meeting-${meeting.id}`,
    start: meeting.allDay ? day.toJSDate() : meeting.startsAt,
    end: meeting.allDay
      ? day.plus({ days: 1 }).toJSDate()
      : new Date(meeting.startsAt.getTime() + meeting.durationMinutes * 60_000),
    allDay: meeting.allDay,
    summary: meeting.title,
    location: meeting.location ?? undefined,
    stamp: meeting.updatedAt,
  });
  const slug = meeting.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 40);
  return {
    filename: `meeting-${meeting.number}${slug ? `-${slug}` : ""}-${local.toFormat("yyyyMMdd")}.ics`,
    contentType: "text/calendar; charset=utf-8",
    content: calendar.toString(),
  };
}
