import { z } from "zod";
import { dayPartsOf, whenInstant } from "../../core/when-args.ts";
import type { DbOrTx, Tx } from "../../db/client.ts";
import type { Meeting } from "../../generated/prisma/client.ts";
import type { Scheduler } from "../../scheduler/port.ts";
import { firstDay } from "./calendar.ts";
import { seriesOf, startAfter } from "./series.ts";

export const meetingRemindKind = "meeting.remind";

export const meetingKeys = {
  remind: (id: number, offset: number) => `meeting:${id}:remind:${offset}`,
  all: (id: number) => `meeting:${id}:*`,
};

/** Minutes before a meeting when reminders go out, unless the team chose others. */
export const defaultOffsets = [24 * 60, 15];

export const offsetsSchema = z
  .array(
    z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 60),
  )
  .max(10);

export async function reminderOffsets(db: DbOrTx, teamRef: string): Promise<number[]> {
  const row = await db.meetingSettings.findUnique({ where: { teamRef } });
  if (!row) return defaultOffsets;
  const parsed = offsetsSchema.safeParse(row.reminderOffsets);
  return parsed.success ? parsed.data : defaultOffsets;
}

/** How many occurrences of a series are looked at for one whose reminders are still ahead. */
const lookahead = 3;

/**
 * Plans (or re-plans) a meeting's reminders at the team's offsets; past ones are skipped.
 * A whole-day meeting is reminded of before the team's morning hour on its first day. A
 * series is planned for its next occurrence with a reminder still ahead; the last reminder
 * of an occurrence plans the next one (see the reminder job).
 */
export async function planMeetingReminders(scheduler: Scheduler, meeting: Meeting, tx: Tx, now: Date): Promise<void> {
  await scheduler.cancel(meetingKeys.all(meeting.id), tx);
  if (meeting.status !== "scheduled") return;
  const team = await tx.team.findUnique({ where: { ref: meeting.teamRef } });
  const zone = team?.timeZone ?? "UTC";
  const offsets = await reminderOffsets(tx, meeting.teamRef);
  const series = seriesOf(meeting);
  const day = firstDay(meeting);
  let start: Date | undefined = series
    ? startAfter(series, now)
    : day
      ? whenInstant({ kind: "date", date: day }, "remind", zone, team ? dayPartsOf(team) : {})
      : meeting.startsAt;
  for (let k = 0; k < lookahead && start; k++) {
    const occurrence = start;
    const ahead = offsets.filter((o) => occurrence.getTime() - o * 60_000 > now.getTime());
    for (const offset of ahead)
      await scheduler.schedule(
        {
          kind: meetingRemindKind,
          dueAt: new Date(occurrence.getTime() - offset * 60_000),
          payload: { meetingId: meeting.id, offsetMinutes: offset, ...(series ? { startsAt: occurrence.toISOString() } : {}) },
          key: meetingKeys.remind(meeting.id, offset),
          owner: meeting.createdBy,
        },
        tx,
      );
    if (ahead.length > 0 || !series) return;
    start = startAfter(series, occurrence);
  }
}
