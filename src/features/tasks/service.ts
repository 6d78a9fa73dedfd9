import { UserError } from "../../core/errors.ts";
import type { DbOrTx, Tx } from "../../db/client.ts";
import { retryingTransaction } from "../../db/transaction.ts";
import type { Member, Team } from "../../generated/prisma/client.ts";
import type { Scheduler } from "../../scheduler/port.ts";
import { type Actor, allow, type Scope } from "../actor.ts";
import { defaultDigestRule } from "./digest-rule.ts";
import {
  deadlineOf,
  displayName,
  isAssignee,
  isClosed,
  type LoadedTask,
  mayChange,
  personOf,
  statusOf,
} from "./model.ts";
import { planDigest, planReminders } from "./reminders.ts";
import {
  bumpVersion,
  findTask,
  knownMembers,
  nextNumber,
  recordEvent,
  reloadTask,
} from "./store.ts";

/** Everything an operation needs: no platform, just the team, who acts, when, and where tasks are kept. */
export interface TaskScope extends Scope {
  db: DbOrTx;
  scheduler: Scheduler;
}

export interface DueInput {
  at: Date;
  allDay: boolean;
  /** The zone the date was typed in. */
  zone: string;
}

const names = (members: Member[]): string => members.map((m) => displayName(m)).join(", ");

/** "console:@bob" -> "@bob", "matrix:@b:x.org" -> "@b:x.org", "discord:123" -> "123". */
const refLabel = (ref: string): string => ref.replace(/^[a-z]+:/, "");

async function resolveAssignees(tx: Tx, team: Team, refs: readonly string[]): Promise<Member[]> {
  const { known, unknown } = await knownMembers(tx, team, refs);
  if (unknown.length > 0) {
    throw new UserError("task.errors.unknownAssignee", { names: unknown.map(refLabel).join(", ") });
  }
  return known;
}

function assertMayChange(task: LoadedTask, actor: Actor): void {
  allow(mayChange(task, actor), "task.errors.notAllowed", { id: task.number, creator: displayName(task.creator) });
}

function assertOpen(task: LoadedTask): void {
  if (isClosed(task)) {
    const key = statusOf(task) === "done" ? "task.errors.closedDone" : "task.errors.closedCancelled";
    throw new UserError(key, { id: task.number });
  }
}

/**
 * One change of one task in one transaction: load it in the team, claim its version (a
 * concurrent change makes this try fail and start over), apply, record, re-plan reminders.
 */
async function change<R>(
  scope: TaskScope,
  number: number,
  options: { permission: boolean },
  work: (tx: Tx, task: LoadedTask) => Promise<R>,
): Promise<{ task: LoadedTask; result: R }> {
  return retryingTransaction(
    scope.db,
    async (tx) => {
      const task = await findTask(tx, scope.team.id, number);
      if (options.permission) assertMayChange(task, scope.actor);
      await bumpVersion(tx, task);
      const result = await work(tx, task);
      const fresh = await reloadTask(tx, task.id);
      await planReminders(scope.scheduler, tx, fresh, scope.now);
      return { task: fresh, result };
    },
    { giveUp: new UserError("task.errors.busy", { id: number }) },
  );
}

export async function createTask(
  scope: TaskScope,
  input: { title: string; assignees: readonly string[]; due?: DueInput; note?: string },
): Promise<{ task: LoadedTask; assigned: Member[] }> {
  const { actor, team, now } = scope;
  return retryingTransaction(scope.db, async (tx) => {
    const assigned = await resolveAssignees(tx, team, input.assignees);
    const settings = await nextNumber(tx, team.id);
    const created = await tx.task.create({
      data: {
        teamId: team.id,
        number: settings.nextNumber - 1,
        title: input.title,
        note: input.note ?? null,
        dueAt: input.due?.at ?? null,
        dueAllDay: input.due?.allDay ?? false,
        dueZone: input.due?.zone ?? null,
        creatorId: actor.member.id,
        createdAt: now,
        assignees: { create: assigned.map((m) => ({ memberId: m.id, assignedAt: now })) },
      },
    });
    await recordEvent(tx, created.id, actor.member, "created", {}, now);
    if (assigned.length > 0)
      await recordEvent(tx, created.id, actor.member, "assigned", { members: assigned.map(personOf) }, now);
    if (input.due)
      await recordEvent(
        tx,
        created.id,
        actor.member,
        "due",
        { to: input.due.at, allDay: input.due.allDay, zone: input.due.zone },
        now,
      );
    const task = await reloadTask(tx, created.id);
    await planReminders(scope.scheduler, tx, task, now);
    // (Re)plan the team's digest: picks up a changed team zone, and starts it with the first task.
    await planDigest(scope.scheduler, tx, team, settings.digestRule, now);
    return { task, assigned };
  });
}

export function takeTask(scope: TaskScope, number: number): Promise<{ task: LoadedTask }> {
  return change(scope, number, { permission: false }, async (tx, task) => {
    assertOpen(task);
    if (isAssignee(task, scope.actor.member.id))
      throw new UserError("task.errors.alreadyYours", { id: number });
    // First one wins: a task that has someone is no longer up for grabs.
    if (task.assignees.length > 0) {
      throw new UserError("task.errors.alreadyTaken", {
        id: number,
        members: names(task.assignees.map((a) => a.member)),
      });
    }
    await tx.taskAssignee.create({
      data: { taskId: task.id, memberId: scope.actor.member.id, assignedAt: scope.now },
    });
    await recordEvent(tx, task.id, scope.actor.member, "taken", {}, scope.now);
  });
}

export async function assignTask(
  scope: TaskScope,
  number: number,
  refs: readonly string[],
): Promise<{ task: LoadedTask; added: Member[] }> {
  const { task, result } = await change(scope, number, { permission: true }, async (tx, task) => {
    assertOpen(task);
    const members = await resolveAssignees(tx, scope.team, refs);
    const added = members.filter((m) => !isAssignee(task, m.id));
    if (added.length === 0) {
      throw new UserError("task.errors.alreadyAssigned", { id: number, members: names(members) });
    }
    for (const m of added) {
      await tx.taskAssignee.create({ data: { taskId: task.id, memberId: m.id, assignedAt: scope.now } });
    }
    await recordEvent(
      tx,
      task.id,
      scope.actor.member,
      "assigned",
      { members: added.map(personOf) },
      scope.now,
    );
    return added;
  });
  return { task, added: result };
}

export async function unassignTask(
  scope: TaskScope,
  number: number,
  refs: readonly string[],
): Promise<{ task: LoadedTask; removed: Member[] }> {
  const wanted = refs.length > 0 ? [...new Set(refs)] : [scope.actor.member.ref];
  const { task, result } = await change(scope, number, { permission: true }, async (tx, task) => {
    const removed = task.assignees.filter((a) => wanted.includes(a.member.ref)).map((a) => a.member);
    const missing = wanted.filter((ref) => !removed.some((m) => m.ref === ref));
    if (missing.length > 0) {
      throw new UserError("task.errors.notAssigned", {
        id: number,
        members: missing.map(refLabel).join(", "),
      });
    }
    await tx.taskAssignee.deleteMany({
      where: { taskId: task.id, memberId: { in: removed.map((m) => m.id) } },
    });
    await recordEvent(
      tx,
      task.id,
      scope.actor.member,
      "unassigned",
      { members: removed.map(personOf) },
      scope.now,
    );
    return removed;
  });
  return { task, removed: result };
}

export async function setDue(scope: TaskScope, number: number, due: DueInput): Promise<LoadedTask> {
  const { task } = await change(scope, number, { permission: true }, async (tx, task) => {
    assertOpen(task);
    // The argument parser rejects past dates; checked again here for callers that bypass it.
    const end = deadlineOf({ dueAt: due.at, dueAllDay: due.allDay, dueZone: due.zone });
    if (end && end.getTime() <= scope.now.getTime())
      throw new UserError("core.when.past", { value: "" });
    await tx.task.update({
      where: { id: task.id },
      data: { dueAt: due.at, dueAllDay: due.allDay, dueZone: due.zone },
    });
    await recordEvent(
      tx,
      task.id,
      scope.actor.member,
      "due",
      { to: due.at, allDay: due.allDay, zone: due.zone },
      scope.now,
    );
  });
  return task;
}

export async function startTask(scope: TaskScope, number: number): Promise<LoadedTask> {
  const { task } = await change(scope, number, { permission: true }, async (tx, task) => {
    assertOpen(task);
    if (statusOf(task) === "started") throw new UserError("task.errors.alreadyStarted", { id: number });
    await tx.task.update({ where: { id: task.id }, data: { status: "started" } });
    await recordEvent(tx, task.id, scope.actor.member, "started", {}, scope.now);
  });
  return task;
}

export async function finishTask(scope: TaskScope, number: number, note?: string): Promise<LoadedTask> {
  const { task } = await change(scope, number, { permission: true }, async (tx, task) => {
    assertOpen(task);
    await tx.task.update({ where: { id: task.id }, data: { status: "done", closedAt: scope.now } });
    await recordEvent(tx, task.id, scope.actor.member, "done", note ? { note } : {}, scope.now);
  });
  return task;
}

export async function cancelTask(scope: TaskScope, number: number): Promise<LoadedTask> {
  const { task } = await change(scope, number, { permission: true }, async (tx, task) => {
    assertOpen(task);
    await tx.task.update({ where: { id: task.id }, data: { status: "cancelled", closedAt: scope.now } });
    await recordEvent(tx, task.id, scope.actor.member, "cancelled", {}, scope.now);
  });
  return task;
}

export async function reopenTask(scope: TaskScope, number: number): Promise<LoadedTask> {
  const { task } = await change(scope, number, { permission: true }, async (tx, task) => {
    if (!isClosed(task)) throw new UserError("task.errors.notClosed", { id: number });
    await tx.task.update({ where: { id: task.id }, data: { status: "open", closedAt: null } });
    await recordEvent(tx, task.id, scope.actor.member, "reopened", {}, scope.now);
  });
  return task;
}

export async function addNote(scope: TaskScope, number: number, text: string): Promise<LoadedTask> {
  const { task } = await change(scope, number, { permission: true }, async (tx, task) => {
    await recordEvent(tx, task.id, scope.actor.member, "note", { text }, scope.now);
  });
  return task;
}

export type ListFilter =
  | { kind: "open" }
  | { kind: "mine" }
  | { kind: "overdue" }
  | { kind: "done" }
  | { kind: "member"; ref: string };

/** The team's digest rule (cron), null when switched off. */
export async function digestRuleOf(db: DbOrTx, teamId: number): Promise<string | null> {
  const row = await db.taskTeam.findUnique({ where: { teamId } });
  return row ? row.digestRule : defaultDigestRule;
}

/** Sets (or with null switches off) the team's overdue digest and re-plans it; returns the next run. */
export function setDigestRule(scope: TaskScope, rule: string | null): Promise<Date | undefined> {
  return retryingTransaction(scope.db, async (tx) => {
    await tx.taskTeam.upsert({
      where: { teamId: scope.team.id },
      create: { teamId: scope.team.id, digestRule: rule },
      update: { digestRule: rule },
    });
    return planDigest(scope.scheduler, tx, scope.team, rule, scope.now);
  });
}
