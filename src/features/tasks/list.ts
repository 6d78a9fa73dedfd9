import type { DbOrTx } from "../../db/client.ts";
import type { Member, Prisma, Team } from "../../generated/prisma/client.ts";
import { type Page, readPage } from "../paging.ts";
import { isOverdue, type LoadedTask, taskInclude } from "./model.ts";
import type { ListFilter } from "./service.ts";

const hour = 3_600_000;

/**
 * Which tasks a filter lists, as a database condition. An all-day task is overdue from the
 * end of its day in its zone (23 to 25 hours after its dueAt): the few tasks whose day ended
 * within those two hours are checked here one by one, the rest is decided by the database.
 */
async function whereOf(db: DbOrTx, team: Team, filter: ListFilter, me: Member, now: Date): Promise<Prisma.TaskWhereInput> {
  if (filter.kind === "done") return { teamId: team.id, status: "done" };
  const memberRef = filter.kind === "mine" ? me.ref : filter.kind === "member" ? filter.ref : undefined;
  const where: Prisma.TaskWhereInput = {
    teamId: team.id,
    status: { in: ["open", "started"] },
    ...(memberRef ? { assignees: { some: { member: { ref: memberRef } } } } : {}),
  };
  if (filter.kind !== "overdue") return where;
  const boundary = await db.task.findMany({
    where: { ...where, dueAllDay: true, dueAt: { gt: new Date(now.getTime() - 25 * hour), lte: new Date(now.getTime() - 23 * hour) } },
  });
  return {
    ...where,
    OR: [
      { dueAllDay: false, dueAt: { lte: now } },
      { dueAllDay: true, dueAt: { lte: new Date(now.getTime() - 25 * hour) } },
      { id: { in: boundary.filter((t) => isOverdue(t, now)).map((t) => t.id) } },
    ],
  };
}

/**
 * One page of a team's tasks, most urgent first (finished ones: latest first). Tasks due on
 * a whole day sort at the start of that day.
 */
export async function listTasks(
  db: DbOrTx,
  team: Team,
  filter: ListFilter,
  me: Member,
  now: Date,
  page: number | undefined,
): Promise<Page<LoadedTask>> {
  const where = await whereOf(db, team, filter, me, now);
  const orderBy: Prisma.TaskOrderByWithRelationInput[] =
    filter.kind === "done"
      ? [{ closedAt: "desc" }, { number: "desc" }]
      : [{ dueAt: { sort: "asc", nulls: "last" } }, { number: "asc" }];
  return readPage(
    page,
    () => db.task.count({ where }),
    (window) => db.task.findMany({ where, include: taskInclude, orderBy, ...window }),
  );
}
