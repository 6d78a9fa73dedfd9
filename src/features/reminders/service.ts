import { DateTime, type Duration } from "luxon";
import type { When } from "../../core/args.ts";
import { UserError } from "../../core/errors.ts";
import type { DbOrTx } from "../../db/client.ts";
import { retryingTransaction } from "../../db/transaction.ts";
import type { Reminder } from "../../generated/prisma/client.ts";
import type { Scheduler } from "../../scheduler/port.ts";
import { allow, type Scope } from "../actor.ts";
import { reminderKeys, reminderKind } from "./job.ts";
import { mapPage, type Page, readPage } from "../paging.ts";

const maxText = 1000;
/** Reminders without a time of day ("remind me friday …") come at this hour. */
export const allDayHour = 9;

/** An all-day date becomes that day at 9:00 in the zone. */
export function atReminderTime(at: Date, allDay: boolean, zone: string): Date {
  if (!allDay) return at;
  return DateTime.fromJSDate(at, { zone }).set({ hour: allDayHour, minute: 0 }).toJSDate();
}

/** Who a reminder is for: the member who sets it, the team's room, or another member. */
export type ReminderTarget = { kind: "me" | "team" | "member"; ref: string };

/** A reminder as lists show it: with its next planned delivery. */
export interface ListedReminder {
  reminder: Reminder;
  nextDue: Date;
}

export interface RemindersService {
  /** A one-off reminder at `when` (a whole day means 9:00); the time zone is the member's. */
  create(scope: Scope, input: { target: ReminderTarget; when: When; text: string; timeZone: string }): Promise<Reminder>;
  /** A reminder to the team's room, repeated by a rule ("every weekday 9:00", cron). */
  createRecurring(scope: Scope, input: { rule: string; text: string; timeZone: string }): Promise<Reminder>;
  /** A page of the member's reminders; a coordinator in the team's room sees the team's. */
  list(
    scope: Scope,
    inTeamRoom: boolean,
    page?: number,
  ): Promise<{ teamWide: boolean; reminders: Page<ListedReminder> }>;
  /** Creator or coordinator. */
  cancel(scope: Scope, id: number): Promise<void>;
  /** A delivered reminder comes again after `delay` (recipient, creator or coordinator). */
  snooze(scope: Scope, id: number, delay: Duration): Promise<Date>;
  /** Returns when a recurring reminder comes next. */
  done(scope: Scope, id: number): Promise<{ next?: Date }>;
}

function checkText(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") throw new UserError("remind.errors.noText");
  if (trimmed.length > maxText) throw new UserError("core.errors.tooLong", { count: maxText });
  return trimmed;
}

export function createRemindersService(db: DbOrTx, scheduler: Scheduler): RemindersService {
  /** The next planned delivery (a snooze may come before the rule's next occurrence). */
  async function nextDue(reminder: Reminder): Promise<Date | undefined> {
    return (await scheduler.pendingFor(reminderKeys.all(reminder.id), db))[0]?.dueAt;
  }

  /** A reminder of this team the member may act on; refused with the fitting reason otherwise. */
  async function find(scope: Scope, id: number, may: "owner" | "recipient"): Promise<Reminder> {
    const { team, actor } = scope;
    const reminder = await db.reminder.findUnique({ where: { id } });
    const visible =
      reminder &&
      (reminder.teamRef === team.ref ||
        reminder.creatorRef === actor.member.ref ||
        reminder.targetRef === actor.member.ref);
    if (!reminder || !visible || reminder.status === "cancelled")
      throw new UserError("remind.errors.notFound", { id });
    const coordinator = actor.isCoordinator && reminder.teamRef === team.ref;
    const own = reminder.creatorRef === actor.member.ref;
    const recipient =
      reminder.targetRef === actor.member.ref ||
      (reminder.targetKind === "team" && reminder.teamRef === team.ref);
    allow(may === "owner" ? own || coordinator : own || coordinator || recipient, "remind.errors.notYours", {
      id,
    });
    return reminder;
  }

  async function store(
    scope: Scope,
    data: { target: ReminderTarget; text: string; dueAt: Date; timeZone: string; rule?: string },
    recurrence?: { rule: string; timeZone: string },
  ): Promise<Reminder> {
    return retryingTransaction(db, async (tx) => {
      const row = await tx.reminder.create({
        data: {
          teamRef: scope.team.ref,
          creatorRef: scope.actor.member.ref,
          targetKind: data.target.kind,
          targetRef: data.target.ref,
          text: data.text,
          dueAt: data.dueAt,
          rule: data.rule ?? null,
          timeZone: data.timeZone,
        },
      });
      await scheduler.schedule(
        {
          kind: reminderKind,
          dueAt: data.dueAt,
          payload: { reminderId: row.id },
          key: reminderKeys.main(row.id),
          owner: scope.actor.member.ref,
          ...(recurrence ? { recurrence } : {}),
        },
        tx,
      );
      return row;
    });
  }

  return {
    async create(scope, { target, when, text, timeZone }) {
      const body = checkText(text);
      const dueAt = atReminderTime(when.at, when.allDay, timeZone);
      if (dueAt.getTime() <= scope.now.getTime()) throw new UserError("remind.errors.when.past", { value: when.text });
      return store(scope, { target, text: body, dueAt, timeZone });
    },

    async createRecurring(scope, { rule, text, timeZone }) {
      const body = checkText(text);
      // "remind every weekday …": the rule reads "every" itself, and may be typed without it.
      const candidates = [`every ${rule}`, rule];
      const used = candidates.find((r) => scheduler.firstOccurrence(r, timeZone, scope.now) !== undefined);
      const first = used === undefined ? undefined : scheduler.firstOccurrence(used, timeZone, scope.now);
      if (used === undefined || !first)
        throw new UserError("remind.errors.rule", { value: rule.split(" ").slice(0, 6).join(" ") });
      const shown = used.replace(/^every\s+(?=(jede[nrs]?|alle)\b)/i, "");
      const target: ReminderTarget = { kind: "team", ref: scope.team.ref };
      return store(scope, { target, text: body, dueAt: first, timeZone, rule: shown }, { rule: used, timeZone });
    },

    async list(scope, inTeamRoom, page) {
      const teamWide = scope.actor.isCoordinator && inTeamRoom;
      const ref = scope.actor.member.ref;
      const where = {
        status: { in: ["pending", "delivered"] },
        ...(teamWide ? { teamRef: scope.team.ref } : { OR: [{ creatorRef: ref }, { targetRef: ref }] }),
      };
      const rows = await readPage(
        page,
        () => db.reminder.count({ where }),
        (window) => db.reminder.findMany({ where, orderBy: [{ dueAt: "asc" }, { id: "asc" }], ...window }),
      );
      // The planned deliveries of the whole page in one look-up of exact keys.
      const keys = rows.items.flatMap((r) => [reminderKeys.main(r.id), reminderKeys.snooze(r.id)]);
      const planned = keys.length === 0 ? [] : await scheduler.pendingFor(keys, db);
      const reminders = await mapPage(rows, async (items) =>
        items.map((reminder) => {
          const own = new Set([reminderKeys.main(reminder.id), reminderKeys.snooze(reminder.id)]);
          return { reminder, nextDue: planned.find((p) => own.has(p.key))?.dueAt ?? reminder.dueAt };
        }),
      );
      return { teamWide, reminders };
    },

    async cancel(scope, id) {
      const reminder = await find(scope, id, "owner");
      if (reminder.status === "done") throw new UserError("remind.errors.finished", { id });
      await retryingTransaction(db, async (tx) => {
        await tx.reminder.update({ where: { id }, data: { status: "cancelled" } });
        await scheduler.cancel(reminderKeys.all(id), tx);
      });
    },

    async snooze(scope, id, delay) {
      const reminder = await find(scope, id, "recipient");
      if (reminder.status === "done" && !reminder.rule) throw new UserError("remind.errors.finished", { id });
      if (reminder.status === "pending" && !reminder.rule) throw new UserError("remind.errors.notDelivered", { id });
      const dueAt = DateTime.fromJSDate(scope.now).plus(delay).toJSDate();
      await retryingTransaction(db, async (tx) => {
        if (!reminder.rule) await tx.reminder.update({ where: { id }, data: { status: "pending", dueAt } });
        await scheduler.schedule(
          {
            kind: reminderKind,
            dueAt,
            payload: { reminderId: id, snooze: true },
            key: reminderKeys.snooze(id),
            owner: reminder.creatorRef,
          },
          tx,
        );
      });
      return dueAt;
    },

    async done(scope, id) {
      const reminder = await find(scope, id, "recipient");
      if (reminder.status === "done") throw new UserError("remind.errors.finished", { id });
      await retryingTransaction(db, async (tx) => {
        if (!reminder.rule) await tx.reminder.update({ where: { id }, data: { status: "done" } });
        await scheduler.cancel(reminderKeys.snooze(id), tx);
      });
      const next = reminder.rule ? await nextDue(reminder) : undefined;
      return next ? { next } : {};
    },
  };
}
