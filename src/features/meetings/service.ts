import type { Duration } from "luxon";
import { z } from "zod";
import type { When } from "../../core/args.ts";
import type { Defaults } from "../../core/context.ts";
import { UserError } from "../../core/errors.ts";
import type { Attachment } from "../../core/message.ts";
import { parseDuration } from "../../core/when.ts";
import type { DbOrTx, Tx } from "../../db/client.ts";
import { retryingTransaction } from "../../db/transaction.ts";
import { asJson } from "../../db/json.ts";
import type { Meeting, Member } from "../../generated/prisma/client.ts";
import type { Scheduler } from "../../scheduler/port.ts";
import { allow, requireCoordinator, type Scope } from "../actor.ts";
import { audit } from "../audit.ts";
import { nextNumber } from "../numbers.ts";
import { meetingIcs } from "./calendar.ts";
import { meetingKeys, meetingRemindKind } from "./job.ts";
import type { MeetingInput, MeetingsPort } from "./port.ts";

/** Minutes before a meeting when reminders go out, unless the team chose others. */
export const defaultOffsets = [24 * 60, 15];
const maxLocation = 300;

const offsetsSchema = z
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

/** Plans (or re-plans) a meeting's reminders at the team's offsets; past ones are skipped. */
export async function planMeetingReminders(scheduler: Scheduler, meeting: Meeting, tx: Tx, now: Date) {
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

const off = ["off", "aus", "none", "keine"];

/** "1d 15m" -> [1440, 15] (latest first, no repeats); "off" -> []. */
function parseOffsets(typed: readonly string[]): number[] {
  if (typed.length === 1 && off.includes(typed[0]?.toLowerCase() ?? "")) return [];
  const minutes = typed.map((o) => {
    const d = parseDuration(o);
    const m = d ? Math.round(d.as("minutes")) : 0;
    if (!d || m < 1 || m > 60 * 24 * 60) throw new UserError("meetings.errors.offsets", { value: typed.join(" ") });
    return m;
  });
  return [...new Set(minutes)].sort((a, b) => b - a);
}

/** A meeting with what its details show. */
export interface MeetingDetails {
  meeting: Meeting;
  creator: Member | null;
  /** Offsets (minutes before) whose reminders are still planned. */
  reminders: number[];
}

export interface MeetingsService extends MeetingsPort {
  /** Plans a team meeting at `when` (a whole day, or `duration` long, 60 minutes by default). */
  plan(scope: Scope, input: { title: string; when: When; duration?: Duration; place?: string }): Promise<MeetingDetails>;
  /** Meetings of the team that have not ended yet, soonest first. */
  upcoming(scope: Scope): Promise<Meeting[]>;
  /** A meeting of the team (cancelled ones too). */
  details(scope: Scope, id: number): Promise<MeetingDetails>;
  /** Creator or coordinator; drops its reminders. */
  cancel(scope: Scope, id: number): Promise<Meeting>;
  /** Creator or coordinator; its reminders follow. */
  move(scope: Scope, id: number, when: When): Promise<{ before: Meeting; after: Meeting }>;
  /** A meeting of the team as an .ics file. */
  calendarFile(scope: Scope, id: number): Promise<{ meeting: Meeting; file: Attachment }>;
  /** Coordinators: the minutes before each meeting when the team's reminders go out. */
  reminderOffsets(scope: Scope): Promise<number[]>;
  /** Coordinators: when reminders go out, as typed ("1d", "15m"; "off" turns them off). */
  setReminderOffsets(scope: Scope, typed: readonly string[]): Promise<number[]>;
}

export function createMeetingsService(db: DbOrTx, scheduler: Scheduler, clock: () => Date, defaults: Defaults): MeetingsService {
  /** The team's meeting with this number; another team's is unknown here. */
  async function find(scope: Scope, id: number, change: boolean): Promise<Meeting> {
    const meeting = await db.meeting.findUnique({ where: { teamRef_number: { teamRef: scope.team.ref, number: id } } });
    if (!meeting) throw new UserError("meetings.errors.notFound", { id });
    if (change) {
      const { actor } = scope;
      allow(meeting.createdBy === actor.member.ref || actor.isCoordinator, "meetings.errors.notYours", { id });
      if (meeting.status === "cancelled") throw new UserError("meetings.errors.alreadyCancelled", { id });
    }
    return meeting;
  }

  async function details(meeting: Meeting): Promise<MeetingDetails> {
    const planned = await scheduler.pendingFor(meetingKeys.all(meeting.id), db);
    const reminders = (await reminderOffsets(db, meeting.teamRef)).filter((o) =>
      planned.some((j) => j.key === meetingKeys.remind(meeting.id, o)),
    );
    const creator = await db.member.findUnique({ where: { ref: meeting.createdBy } });
    return { meeting, creator, reminders };
  }

  const service: MeetingsService = {
    async create(input: MeetingInput, tx?: Tx) {
      const run = async (t: Tx) => {
        const team = await t.team.findUniqueOrThrow({ where: { ref: input.teamRef }, select: { id: true } });
        const meeting = await t.meeting.create({
          data: {
            number: await nextNumber(t, team.id, "meeting"),
            teamRef: input.teamRef,
            title: input.title,
            startsAt: input.startsAt,
            durationMinutes: input.durationMinutes,
            allDay: input.allDay,
            location: input.location ?? null,
            createdBy: input.createdBy,
          },
        });
        await planMeetingReminders(scheduler, meeting, t, clock());
        return { id: meeting.id, number: meeting.number };
      };
      return tx ? run(tx) : retryingTransaction(db, run);
    },

    async ics(meetingId: number) {
      const meeting = await db.meeting.findUniqueOrThrow({ where: { id: meetingId } });
      const team = await db.team.findUnique({ where: { ref: meeting.teamRef } });
      return meetingIcs(meeting, team?.name ?? "", team?.timeZone ?? defaults.timeZone);
    },

    async plan(scope, { title, when, duration, place }) {
      const location = place?.trim() ?? "";
      if (location.length > maxLocation) throw new UserError("meetings.errors.location", { count: maxLocation });
      const { id } = await service.create({
        teamRef: scope.team.ref,
        title,
        startsAt: when.at,
        durationMinutes: duration ? Math.round(duration.as("minutes")) : when.allDay ? 24 * 60 : 60,
        allDay: when.allDay,
        ...(location ? { location } : {}),
        createdBy: scope.actor.member.ref,
      });
      return details(await db.meeting.findUniqueOrThrow({ where: { id } }));
    },

    async upcoming(scope) {
      const now = scope.now.getTime();
      const rows = await db.meeting.findMany({
        where: { teamRef: scope.team.ref, status: "scheduled", startsAt: { gte: new Date(now - 86_400_000) } },
        orderBy: { startsAt: "asc" },
        take: 30,
      });
      return rows.filter((m) => m.startsAt.getTime() + m.durationMinutes * 60_000 >= now);
    },

    async details(scope, id) {
      return details(await find(scope, id, false));
    },

    async cancel(scope, number) {
      const meeting = await find(scope, number, true);
      const { id } = meeting;
      await retryingTransaction(db, async (tx) => {
        await tx.meeting.update({ where: { id }, data: { status: "cancelled" } });
        await scheduler.cancel(meetingKeys.all(id), tx);
        if (meeting.createdBy !== scope.actor.member.ref) {
          await audit(tx, scope, "meeting.cancel", { number: meeting.number, title: meeting.title });
        }
      });
      return meeting;
    },

    async move(scope, number, when) {
      const before = await find(scope, number, true);
      const after = await retryingTransaction(db, async (tx) => {
        const row = await tx.meeting.update({
          where: { id: before.id },
          data: {
            startsAt: when.at,
            allDay: when.allDay,
            durationMinutes: when.allDay ? 24 * 60 : before.allDay ? 60 : before.durationMinutes,
          },
        });
        await planMeetingReminders(scheduler, row, tx, scope.now);
        return row;
      });
      return { before, after };
    },

    async calendarFile(scope, id) {
      const meeting = await find(scope, id, false);
      return { meeting, file: meetingIcs(meeting, scope.team.name, scope.team.timeZone) };
    },

    async reminderOffsets(scope) {
      requireCoordinator(scope.actor);
      return reminderOffsets(db, scope.team.ref);
    },

    async setReminderOffsets(scope, typed) {
      requireCoordinator(scope.actor);
      const offsets = parseOffsets(typed);
      const value = asJson(offsetsSchema.parse(offsets));
      await db.meetingSettings.upsert({
        where: { teamRef: scope.team.ref },
        create: { teamRef: scope.team.ref, reminderOffsets: value },
        update: { reminderOffsets: value },
      });
      return offsets;
    },
  };
  return service;
}
