import ical from "ical-generator";
import { DateTime } from "luxon";
import { z } from "zod";
import type { Bot } from "../../core/bot.ts";
import type { Attachment, OutgoingMessage } from "../../core/message.ts";
import { action, paragraph, time } from "../../core/message.ts";
import type { Language } from "../../core/time.ts";
import type { Db, Tx } from "../../db/client.ts";
import { asJson } from "../../db/json.ts";
import type { Meeting } from "../../generated/prisma/client.ts";
import { defineJob } from "../../scheduler/port.ts";
import type { MeetingInput, MeetingsService } from "./port.ts";

export const meetingRemindKind = "meeting.remind";
/** Minutes before a meeting when reminders go out, unless the team chose others. */
export const defaultOffsets = [24 * 60, 15];

export const meetingKeys = {
  remind: (id: number, offset: number) => `meeting:${id}:remind:${offset}`,
  all: (id: number) => `meeting:${id}:*`,
};

const offsetsSchema = z
  .array(
    z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 60),
  )
  .max(10);

export async function reminderOffsets(db: Db | Tx, teamRef: string): Promise<number[]> {
  const row = await db.meetingSettings.findUnique({ where: { teamRef } });
  if (!row) return defaultOffsets;
  const parsed = offsetsSchema.safeParse(row.reminderOffsets);
  return parsed.success ? parsed.data : defaultOffsets;
}

export async function setReminderOffsets(db: Db | Tx, teamRef: string, offsets: number[]): Promise<void> {
  const value = asJson(offsetsSchema.parse(offsets));
  await db.meetingSettings.upsert({
    where: { teamRef },
    create: { teamRef, reminderOffsets: value },
    update: { reminderOffsets: value },
  });
}

/** Plans (or re-plans) a meeting's reminders at the team's offsets; past ones are skipped. */
export async function planMeetingReminders(
  bot: Pick<Bot, "services">,
  meeting: Meeting,
  tx: Tx,
  now: Date,
) {
  const scheduler = bot.services.scheduler;
  await scheduler.cancel(meetingKeys.all(meeting.id), tx);
  if (meeting.status !== "scheduled") return;
  for (const offset of await reminderOffsets(tx, meeting.teamRef)) {
    const dueAt = new Date(meeting.startsAt.getTime() - offset * 60_000);
    if (dueAt.getTime() <= now.getTime()) continue;
    await scheduler.schedule(
      {
        kind: meetingRemindKind,
        dueAt,
        payload: { meetingId: meeting.id, offsetMinutes: offset },
        key: meetingKeys.remind(meeting.id, offset),
        owner: meeting.createdBy,
      },
      tx,
    );
  }
}

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
    filename: `meeting-${meeting.id}${slug ? `-${slug}` : ""}-${local.toFormat("yyyyMMdd")}.ics`,
    contentType: "text/calendar; charset=utf-8",
    content: calendar.toString(),
  };
}

export function createMeetingsService(bot: Bot): MeetingsService {
  return {
    async create(input: MeetingInput, tx?: Tx) {
      const run = async (t: Tx) => {
        const meeting = await t.meeting.create({
          data: {
            teamRef: input.teamRef,
            title: input.title,
            startsAt: input.startsAt,
            durationMinutes: input.durationMinutes,
            allDay: input.allDay,
            location: input.location ?? null,
            createdBy: input.createdBy,
          },
        });
        await planMeetingReminders(bot, meeting, t, bot.clock.now());
        return { id: meeting.id };
      };
      return tx ? run(tx) : bot.db.$transaction(run);
    },
    async ics(meetingId: number) {
      const meeting = await bot.db.meeting.findUniqueOrThrow({ where: { id: meetingId } });
      const team = await bot.db.team.findUnique({ where: { ref: meeting.teamRef } });
      return meetingIcs(meeting, team?.name ?? "", team?.timeZone ?? bot.defaults.timeZone);
    },
  };
}

const payloadSchema = z.object({ meetingId: z.number().int().positive(), offsetMinutes: z.number().int() });

/** Reminder before a meeting, to the team's room in the team's language. */
export const meetingRemindJob = defineJob({
  kind: meetingRemindKind,
  schema: payloadSchema,
  async run(payload, info, ctx): Promise<OutgoingMessage[]> {
    const meeting = await ctx.db.meeting.findUnique({ where: { id: payload.meetingId } });
    if (meeting?.status !== "scheduled") return [];
    const team = await ctx.db.team.findUnique({ where: { ref: meeting.teamRef } });
    const lang: Language = team?.language === "en" ? "en" : "de";
    const tr = ctx.translator(lang);
    const blocks = [
      paragraph(
        ...tr.tm(meeting.location ? "meetings.reminderAt" : "meetings.reminder", {
          title: meeting.title,
          when: meetingTime(meeting, team?.timeZone ?? "Europe/Berlin"),
          relative: time(meeting.startsAt, "relative"),
          location: meeting.location ?? "",
        }),
      ),
    ];
    if (info.late) blocks.push(paragraph(...tr.tm("scheduler.late", { when: time(info.dueAt) })));
    return [
      {
        audience: { kind: "room", room: meeting.teamRef },
        lang,
        timeZone: team?.timeZone ?? "Europe/Berlin",
        tone: "info",
        blocks,
        actions: [
          action(tr.t("meetings.details"), `meeting info ${meeting.id}`),
          action(tr.t("meetings.calendar"), `meeting ics ${meeting.id}`),
        ],
        attachments: [],
      },
    ];
  },
});
