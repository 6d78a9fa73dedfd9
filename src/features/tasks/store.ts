import { UserError } from "../../core/errors.ts";
import type { DbOrTx, Tx } from "../../db/client.ts";
import { asJson } from "../../db/json.ts";
import { WriteConflict } from "../../db/transaction.ts";
import type { Member, TaskTeam, Team } from "../../generated/prisma/client.ts";
import {
  type EventData,
  type EventKind,
  eventData,
  type LoadedTask,
  type TaskEventView,
  taskInclude,
} from "./model.ts";

/** Another change to the same task won the race; the transaction is retried with fresh data. */
export class TaskConflict extends WriteConflict {}

/** Counts up the team's task numbers: the new task gets `nextNumber - 1` of the returned row (created with the first task). */
export function nextNumber(tx: Tx, teamId: number): Promise<TaskTeam> {
  return tx.taskTeam.upsert({
    where: { teamId },
    create: { teamId, nextNumber: 2 },
    update: { nextNumber: { increment: 1 } },
  });
}

/** A task by its short number, only within the team: another team's number is unknown here. */
export async function findTask(tx: DbOrTx, teamId: number, number: number): Promise<LoadedTask> {
  const task = await tx.task.findUnique({
    where: { teamId_number: { teamId, number } },
    include: taskInclude,
  });
  if (!task) throw new UserError("task.errors.unknown", { id: number });
  return task;
}

export function reloadTask(tx: DbOrTx, id: number): Promise<LoadedTask> {
  return tx.task.findUniqueOrThrow({ where: { id }, include: taskInclude });
}

/** Claims the task for this change: fails (and retries) if someone changed it since it was read. */
export async function bumpVersion(tx: Tx, task: LoadedTask): Promise<void> {
  const { count } = await tx.task.updateMany({
    where: { id: task.id, version: task.version },
    data: { version: { increment: 1 } },
  });
  if (count !== 1) throw new TaskConflict(`task ${task.id} changed concurrently`);
}

export async function recordEvent<K extends EventKind>(
  tx: Tx,
  taskId: number,
  actor: Member,
  kind: K,
  data: EventData<K>,
  at: Date,
): Promise<void> {
  await tx.taskEvent.create({ data: { taskId, actorId: actor.id, kind, data: asJson(data), at } });
}

/** The task's history, oldest first; rows that do not validate are skipped. */
export async function history(db: DbOrTx, taskId: number): Promise<TaskEventView[]> {
  const rows = await db.taskEvent.findMany({
    where: { taskId },
    include: { actor: true },
    orderBy: [{ at: "asc" }, { id: "asc" }],
  });
  const out: TaskEventView[] = [];
  for (const row of rows) {
    if (!(row.kind in eventData)) continue;
    const kind = row.kind as EventKind;
    const parsed = eventData[kind].safeParse(row.data);
    if (parsed.success) out.push({ kind, data: parsed.data, at: row.at, actor: row.actor } as TaskEventView);
  }
  return out;
}

/**
 * Resolves member references to members known in the team (seen there: TeamMember rows).
 * Unknown ones are returned separately so the caller can explain how to fix it.
 */
export async function knownMembers(
  tx: DbOrTx,
  team: Team,
  refs: readonly string[],
): Promise<{ known: Member[]; unknown: string[] }> {
  const unique = [...new Set(refs)];
  const rows = await tx.teamMember.findMany({
    where: { teamId: team.id, leftAt: null, member: { ref: { in: unique } } },
    include: { member: true },
  });
  const byRef = new Map(rows.map((r) => [r.member.ref, r.member]));
  const known: Member[] = [];
  const unknown: string[] = [];
  for (const ref of unique) {
    const member = byRef.get(ref);
    if (member) known.push(member);
    else unknown.push(ref);
  }
  return { known, unknown };
}
