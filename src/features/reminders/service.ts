import { DateTime, type Duration } from "luxon";
import type { When } from "../../core/args.ts";
import { UserError } from "../../core/errors.ts";
import { dayPartsOf, type RuleValue, whenInstant } from "../../core/when-args.ts";
import { rruleText, shortestGapMinutes } from "../../core/when/index.ts";
import type { DbOrTx } from "../../db/client.ts";
import { retryingTransaction } from "../../db/transaction.ts";
import type { Reminder } from "../../generated/prisma/client.ts";
import type { Scheduler } from "../../scheduler/port.ts";
import { allow, type Scope } from "../actor.ts";
import type { Membership } from "../membership.ts";
import { audit } from "../audit.ts";
import { nextNumber } from "../numbers.ts";
import { reminderKeys, reminderKind } from "./job.ts";
import { mapPage, type Page, readPage } from "../paging.ts";

const maxText = 1000;

/** How far recurring reminders may go (REMINDERS_MAX_RECURRING, REMINDERS_MIN_INTERVAL_MINUTES). */
export interface ReminderLimits {
  /** Active recurring reminders one member may hold. */
  maxRecurring: number;
  /** The shortest interval of a recurring room reminder set by a member who is not a coordinator. */
  minIntervalMinutes: number;
}

export const defaultReminderLimits: ReminderLimits = { maxRecurring: 20, minIntervalMinutes: 15 };

/** Who a reminder is for: the member who sets it, the team's room, or another member. */
export type ReminderTarget = { kind: "me" | "team" | "member"; ref: string };

/**
 * A reminder as a command names it: its number in the team of the room it is typed in, or,
 * elsewhere (a direct conversation, another team's room), among the member's own reminders,
 * narrowed by the team's room reference (the buttons of private reminders carry it).
 */
export interface ReminderRef {
  number: number;
  teamRef?: string;
}

/** A reminder as lists show it: with its next planned delivery. */
export interface ListedReminder {
  reminder: Reminder;
  nextDue: Date;
}

export interface RemindersService {
  /**
   * A one-off reminder at `when` (a whole day means the morning hour); the time zone is the
   * member's. Another member must be known in this team (or, in a direct conversation, share
   * a team with the one who sets it).
   */
  create(
    scope: Scope,
    input: { target: ReminderTarget; when: When; text: string; timeZone: string; direct?: boolean },
  ): Promise<Reminder>;
  /** A reminder to the team's room, repeated by a rule ("every weekday 9:00", cron). */
  createRecurring(scope: Scope, input: { rule: RuleValue; text: string; timeZone: string }): Promise<Reminder>;
  /** A page of the member's reminders; a coordinator in the team's room sees the team's. */
  list(
    scope: Scope,
    inTeamRoom: boolean,
    page?: number,
  ): Promise<{ teamWide: boolean; reminders: Page<ListedReminder> }>;
  /** Creator or coordinator. */
  cancel(scope: Scope, ref: ReminderRef): Promise<Reminder>;
  /** A delivered reminder comes again after `delay` (recipient, creator or coordinator). */
  snooze(scope: Scope, ref: ReminderRef, delay: Duration): Promise<{ reminder: Reminder; dueAt: Date }>;
  /** Returns when a recurring reminder comes next. */
  done(scope: Scope, ref: ReminderRef): Promise<{ reminder: Reminder; next?: Date }>;
}

function checkText(text: string): string {
  const trimmed = text.trim();
  if (trimmed === "") throw new UserError("remind.errors.noText");
  if (trimmed.length > maxText) throw new UserError("core.errors.tooLong", { count: maxText });
  return trimmed;
}

export function createRemindersService(
  db: DbOrTx,
  scheduler: Scheduler,
  membership: Membership,
  limits: ReminderLimits = defaultReminderLimits,
): RemindersService {
  const stillMember = (teamRef: string, memberRef: string) => membership.isMember(teamRef, memberRef);

  /**
   * The team a private reminder for another member belongs to: this room's team when both
   * belong to it now; from a direct conversation, a team both belong to now. Undefined: the
   * member is nobody the actor may remind (any platform id is not enough).
   */
  async function teamFor(scope: Scope, ref: string, direct: boolean): Promise<Scope["team"] | undefined> {
    if (!direct) return (await stillMember(scope.team.ref, ref)) ? scope.team : undefined;
    const shared = await db.team.findMany({
      where: {
        AND: [
          { members: { some: { memberId: scope.actor.member.id, leftAt: null } } },
          { members: { some: { member: { ref }, leftAt: null } } },
        ],
      },
      orderBy: { id: "asc" },
    });
    for (const team of shared) if (await stillMember(team.ref, ref)) return team;
    return undefined;
  }

  /** The next planned delivery (a snooze may come before the rule's next occurrence). */
  async function nextDue(reminder: Reminder): Promise<Date | undefined> {
    return (await scheduler.pendingFor(reminderKeys.all(reminder.id), db))[0]?.dueAt;
  }

  /**
   * A reminder the member may act on: this team's with that number, else one of the member's
   * own (set by or for them) in a team they still belong to; refused with the fitting reason.
   */
  async function find(scope: Scope, ref: ReminderRef, may: "owner" | "recipient"): Promise<Reminder> {
    const { team, actor } = scope;
    const id = ref.number;
    const me = actor.member.ref;
    const candidates = await db.reminder.findMany({
      where: {
        number: ref.number,
        status: { not: "cancelled" },
        ...(ref.teamRef ? { teamRef: ref.teamRef } : {}),
        OR: [
          { teamRef: team.ref },
          {
            OR: [{ creatorRef: me }, { targetRef: me }],
            team: { members: { some: { memberId: actor.member.id, leftAt: null } } },
          },
        ],
      },
      include: { team: { select: { ref: true, name: true } } },
    });
    const here = candidates.find((r) => r.teamRef === team.ref);
    if (!here && candidates.length > 1) {
      throw new UserError("remind.errors.ambiguous", {
        id,
        teams: candidates.map((c) => `${c.team.name || c.team.ref} (--team ${c.team.ref})`).join(", "),
      });
    }
    const found = here ?? candidates[0];
    if (!found) throw new UserError("remind.errors.notFound", { id });
    const { team: _team, ...reminder } = found;
    const coordinator = actor.isCoordinator && reminder.teamRef === team.ref;
    const own = reminder.creatorRef === actor.member.ref;
    const recipient =
      reminder.targetRef === actor.member.ref ||
      (reminder.targetKind === "team" && reminder.teamRef === team.ref);
    // Another team's reminder, from a direct conversation: only while still a member there.
    if (reminder.teamRef !== team.ref && !(await stillMember(reminder.teamRef, actor.member.ref)))
      throw new UserError("remind.errors.notFound", { id });
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
          number: await nextNumber(tx, scope.team.id, "reminder"),
          teamRef: scope.team.ref,
          creatorRef: scope.actor.member.ref,
          targetKind: data.target.kind,
          // Team reminders go to the team's room and name no member.
          targetRef: data.target.kind === "team" ? null : data.target.ref,
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
    async create(scope, { target, when, text, timeZone, direct }) {
      const body = checkText(text);
      // Private reminders only for members of the team they are set in.
      const team = target.kind === "member" ? await teamFor(scope, target.ref, direct ?? false) : scope.team;
      if (!team) {
        const name = (await db.member.findUnique({ where: { ref: target.ref } }))?.displayName;
        throw new UserError("remind.errors.unknownMember", { value: name || target.ref.replace(/^[a-z]+:@?/, "") });
      }
      // A whole day: the morning hour of that day (the README's table).
      const dueAt = whenInstant(when, "remind", timeZone, dayPartsOf(scope.team));
      if (dueAt.getTime() <= scope.now.getTime()) throw new UserError("core.when.past", { value: when.text });
      return store({ ...scope, team }, { target, text: body, dueAt, timeZone });
    },

    async createRecurring(scope, { rule, text, timeZone }) {
      const body = checkText(text);
      const gap = shortestGapMinutes(rule.pattern);
      if (!scope.actor.isCoordinator && gap < limits.minIntervalMinutes)
        throw new UserError("remind.errors.tooFrequent", { value: rule.text, minutes: limits.minIntervalMinutes });
      const active = await db.reminder.count({
        where: { creatorRef: scope.actor.member.ref, rule: { not: null }, status: { in: ["pending", "delivered"] } },
      });
      if (active >= limits.maxRecurring) throw new UserError("remind.errors.tooManyRecurring", { max: limits.maxRecurring });
      // Stored as the RRULE that was understood: nothing is read again later.
      const recurrence = { rule: `RRULE:${rruleText(rule.pattern)}`, timeZone };
      const first = scheduler.firstOccurrence(recurrence.rule, timeZone, scope.now);
      if (!first) throw new UserError("core.when.rule.notARule", { value: rule.text, word: rule.text });
      const target: ReminderTarget = { kind: "team", ref: scope.team.ref };
      return store(scope, { target, text: body, dueAt: first, timeZone, rule: rule.text }, recurrence);
    },

    async list(scope, inTeamRoom, page) {
      const teamWide = scope.actor.isCoordinator && inTeamRoom;
      const ref = scope.actor.member.ref;
      const where = {
        status: { in: ["pending" as const, "delivered" as const] },
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

    async cancel(scope, ref) {
      const reminder = await find(scope, ref, "owner");
      const { id } = reminder;
      if (reminder.status === "done") throw new UserError("remind.errors.finished", { id: reminder.number });
      await retryingTransaction(db, async (tx) => {
        await tx.reminder.update({ where: { id }, data: { status: "cancelled" } });
        await scheduler.cancel(reminderKeys.all(id), tx);
        if (reminder.creatorRef !== scope.actor.member.ref) {
          await audit(tx, scope, "remind.cancel", { number: reminder.number });
        }
      });
      return reminder;
    },

    async snooze(scope, ref, delay) {
      const reminder = await find(scope, ref, "recipient");
      const { id } = reminder;
      if (reminder.status === "done" && !reminder.rule)
        throw new UserError("remind.errors.finished", { id: reminder.number });
      if (reminder.status === "pending" && !reminder.rule)
        throw new UserError("remind.errors.notDelivered", { id: reminder.number });
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
      return { reminder, dueAt };
    },

    async done(scope, ref) {
      const reminder = await find(scope, ref, "recipient");
      const { id } = reminder;
      if (reminder.status === "done") throw new UserError("remind.errors.finished", { id: reminder.number });
      await retryingTransaction(db, async (tx) => {
        if (!reminder.rule) await tx.reminder.update({ where: { id }, data: { status: "done" } });
        await scheduler.cancel(reminderKeys.snooze(id), tx);
      });
      const next = reminder.rule ? await nextDue(reminder) : undefined;
      return next ? { reminder, next } : { reminder };
    },
  };
}
