import { randomUUID } from "node:crypto";
import type { Duration } from "luxon";
import type { When } from "../../core/args.ts";
import type { Defaults } from "../../core/context.ts";
import { UserError } from "../../core/errors.ts";
import type { Attachment } from "../../core/message.ts";
import type { RuleValue } from "../../core/when-args.ts";
import { readLength } from "../../core/when/length.ts";
import type { DbOrTx, Tx } from "../../db/client.ts";
import { retryingTransaction } from "../../db/transaction.ts";
import { asJson } from "../../db/json.ts";
import type { Meeting, Member } from "../../generated/prisma/client.ts";
import type { Scheduler } from "../../scheduler/port.ts";
import { allow, requireCoordinator, type Scope } from "../actor.ts";
import { audit } from "../audit.ts";
import { nextNumber } from "../numbers.ts";
import { dayCount, dayStart, meetingIcs } from "./calendar.ts";
import type { MeetingInput, MeetingsPort } from "./port.ts";
import type { Page } from "../paging.ts";
import { meetingKeys, offsetsSchema, planMeetingReminders, reminderOffsets } from "./reminders.ts";
import { newSeries } from "./series.ts";
import { upcomingMeetings } from "./upcoming.ts";

const maxLocation = 300;

/** The team's zone, where whole days begin and end. */
async function teamZone(db: DbOrTx, teamRef: string, defaults: Defaults): Promise<string> {
  return (await db.team.findUnique({ where: { ref: teamRef } }))?.timeZone ?? defaults.timeZone;
}

const off = ["off", "aus", "none", "keine"];

/** "1d 15m" -> [1440, 15] (latest first, no repeats); "off" -> []. */
function parseOffsets(typed: readonly string[]): number[] {
  if (typed.length === 1 && off.includes(typed[0]?.toLowerCase() ?? "")) return [];
  const minutes = typed.map((o) => {
    const read = readLength(o);
    const m = read.kind === "length" ? read.minutes : 0;
    if (m < 1 || m > 60 * 24 * 60) throw new UserError("meetings.errors.offsets", { value: typed.join(" ") });
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
  /** A series in the team's zone ("jeden Montag um 10"), `duration` long (60 minutes by default). */
  planSeries(
    scope: Scope,
    input: { title: string; rule: RuleValue; duration?: Duration; place?: string },
  ): Promise<MeetingDetails>;
  /** A page of the team's meetings that have not ended yet (series: their next occurrence), soonest first. */
  upcoming(scope: Scope, page?: number): Promise<Page<Meeting>>;
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

function checkedPlace(place: string | undefined): string {
  const location = place?.trim() ?? "";
  if (location.length > maxLocation) throw new UserError("meetings.errors.location", { count: maxLocation });
  return location;
}

/** Whole-day meetings last whole days: "2d" is two days, "90m" is refused. */
function wholeDays(duration: Duration | undefined): number {
  if (!duration) return 1;
  const days = duration.as("days");
  if (!Number.isInteger(days)) throw new UserError("meetings.errors.wholeDays", { value: `${Math.round(duration.as("minutes"))} min` });
  return days;
}

/**
 * The meetings feature. `icsHost` is the right-hand side of new meetings' iCalendar UIDs
 * ("<random>@<host>"); a meeting keeps its UID for life.
 */
export function createMeetingsService(
  db: DbOrTx,
  scheduler: Scheduler,
  clock: () => Date,
  defaults: Defaults,
  icsHost = "teambot",
): MeetingsService {
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
        const zone = await teamZone(t, input.teamRef, defaults);
        const { start } = input;
        const meeting = await t.meeting.create({
          data: {
            number: await nextNumber(t, team.id, "meeting"),
            teamRef: input.teamRef,
            title: input.title,
            startsAt: start.kind === "date" ? dayStart(start.date, zone) : start.at,
            durationMinutes: input.durationMinutes,
            allDay: start.kind === "date",
            startDate: start.kind === "date" ? start.date : null,
            uid: `${randomUUID()}@${icsHost}`,
            rule: input.series ?? null,
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
      const location = checkedPlace(place);
      const { id } = await service.create({
        teamRef: scope.team.ref,
        title,
        start: when,
        durationMinutes:
          when.kind === "date" ? wholeDays(duration) * 24 * 60 : duration ? Math.round(duration.as("minutes")) : 60,
        ...(location ? { location } : {}),
        createdBy: scope.actor.member.ref,
      });
      return details(await db.meeting.findUniqueOrThrow({ where: { id } }));
    },

    async planSeries(scope, { title, rule, duration, place }) {
      const location = checkedPlace(place);
      // A meeting repeats by the day or longer; "every 15 minutes" is a reminder, not a meeting.
      if (rule.pattern.freq === "MINUTELY" || rule.pattern.freq === "HOURLY")
        throw new UserError("meetings.errors.seriesTooOften", { value: rule.text });
      const series = newSeries(rule.pattern, scope.team.timeZone, scope.now);
      if (!series) throw new UserError("core.when.rule.notARule", { value: rule.text, word: rule.text });
      const { id } = await service.create({
        teamRef: scope.team.ref,
        title,
        start: { kind: "instant", at: series.first },
        durationMinutes: duration ? Math.round(duration.as("minutes")) : 60,
        series: series.rule,
        ...(location ? { location } : {}),
        createdBy: scope.actor.member.ref,
      });
      return details(await db.meeting.findUniqueOrThrow({ where: { id } }));
    },

    upcoming: (scope, page) => upcomingMeetings(db, scope, page),

    async details(scope, id) {
      return details(await find(scope, id, false));
    },

    async cancel(scope, number) {
      const meeting = await find(scope, number, true);
      const { id } = meeting;
      await retryingTransaction(db, async (tx) => {
        await tx.meeting.update({ where: { id }, data: { status: "cancelled", sequence: { increment: 1 } } });
        await scheduler.cancel(meetingKeys.all(id), tx);
        if (meeting.createdBy !== scope.actor.member.ref) {
          await audit(tx, scope, "meeting.cancel", { number: meeting.number, title: meeting.title });
        }
      });
      return meeting;
    },

    async move(scope, number, when) {
      const before = await find(scope, number, true);
      if (before.rule) throw new UserError("meetings.errors.seriesMove", { id: number });
      const zone = scope.team.timeZone;
      const after = await retryingTransaction(db, async (tx) => {
        const whole = when.kind === "date";
        const row = await tx.meeting.update({
          where: { id: before.id },
          data: {
            startsAt: when.kind === "date" ? dayStart(when.date, zone) : when.at,
            allDay: whole,
            startDate: when.kind === "date" ? when.date : null,
            // A whole-day meeting keeps its days, a timed one its length.
            durationMinutes: whole
              ? (before.allDay ? dayCount(before) : 1) * 24 * 60
              : before.allDay
                ? 60
                : before.durationMinutes,
            sequence: { increment: 1 },
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
