import { UserError } from "../../core/errors.ts";
import type { DbOrTx } from "../../db/client.ts";
import type { Member } from "../../generated/prisma/client.ts";
import type { Scheduler } from "../../scheduler/port.ts";
import { requireCoordinator, type Scope } from "../actor.ts";
import { type DigestRule, digestRuleText, nextOccurrence, parseDigestRule } from "./digest-rule.ts";
import type { LoadedTask, TaskEventView } from "./model.ts";
import {
  addNote,
  assignTask,
  cancelTask,
  createTask,
  type DueInput,
  digestRuleOf,
  finishTask,
  type ListFilter,
  reopenTask,
  setDigestRule,
  setDue,
  startTask,
  takeTask,
  type TaskScope,
  unassignTask,
} from "./service.ts";
import { listTasks } from "./list.ts";
import { findTask, history } from "./store.ts";
import type { Page } from "../paging.ts";

/** The team's overdue digest: its rule (none when off) and next run. */
export interface Digest {
  rule?: DigestRule;
  next?: Date;
}

/** Tasks of the team: who does what by when. Only the creator, an assignee or a coordinator changes a task. */
export interface TasksService {
  create(
    scope: Scope,
    input: { title: string; assignees: readonly string[]; due?: DueInput; note?: string },
  ): Promise<{ task: LoadedTask; assigned: Member[] }>;
  take(scope: Scope, number: number): Promise<LoadedTask>;
  assign(scope: Scope, number: number, refs: readonly string[]): Promise<{ task: LoadedTask; added: Member[] }>;
  /** Without members: the caller steps back. */
  unassign(scope: Scope, number: number, refs: readonly string[]): Promise<{ task: LoadedTask; removed: Member[] }>;
  setDue(scope: Scope, number: number, due: DueInput): Promise<LoadedTask>;
  start(scope: Scope, number: number): Promise<LoadedTask>;
  finish(scope: Scope, number: number, note?: string): Promise<LoadedTask>;
  cancel(scope: Scope, number: number): Promise<LoadedTask>;
  reopen(scope: Scope, number: number): Promise<LoadedTask>;
  note(scope: Scope, number: number, text: string): Promise<LoadedTask>;
  /** A page of the tasks a filter selects, most urgent first; for a member filter also that member. */
  list(scope: Scope, filter: ListFilter, page?: number): Promise<{ tasks: Page<LoadedTask>; member?: Member | null }>;
  info(scope: Scope, number: number): Promise<{ task: LoadedTask; events: TaskEventView[] }>;
  digest(scope: Scope): Promise<Digest>;
  /** Coordinators: when the digest comes ("weekdays 9:00", "mon,thu 8:30"), or "off". */
  setDigest(scope: Scope, typed: string): Promise<Digest>;
}

const offWords = /^(off|aus|none|keine)$/i;

export function createTasksService(db: DbOrTx, scheduler: Scheduler): TasksService {
  const on = (scope: Scope): TaskScope => ({ ...scope, db, scheduler });
  return {
    create: (scope, input) => createTask(on(scope), input),
    take: async (scope, number) => (await takeTask(on(scope), number)).task,
    assign: (scope, number, refs) => assignTask(on(scope), number, refs),
    unassign: (scope, number, refs) => unassignTask(on(scope), number, refs),
    setDue: (scope, number, due) => setDue(on(scope), number, due),
    start: (scope, number) => startTask(on(scope), number),
    finish: (scope, number, note) => finishTask(on(scope), number, note),
    cancel: (scope, number) => cancelTask(on(scope), number),
    reopen: (scope, number) => reopenTask(on(scope), number),
    note: (scope, number, text) => addNote(on(scope), number, text),
    async list(scope, filter, page) {
      const tasks = await listTasks(db, scope.team, filter, scope.actor.member, scope.now, page);
      if (filter.kind !== "member") return { tasks };
      return { tasks, member: await db.member.findUnique({ where: { ref: filter.ref } }) };
    },
    async info(scope, number) {
      const task = await findTask(db, scope.team.id, number);
      return { task, events: await history(db, task.id) };
    },
    async digest(scope) {
      const current = await digestRuleOf(db, scope.team.id);
      const rule = current ? parseDigestRule(current) : undefined;
      return rule ? { rule, next: nextOccurrence(rule, scope.team.timeZone, scope.now) } : {};
    },
    async setDigest(scope, typed) {
      requireCoordinator(scope.actor);
      if (offWords.test(typed.trim())) {
        await setDigestRule(on(scope), null);
        return {};
      }
      const rule = parseDigestRule(typed);
      if (!rule) throw new UserError("task.errors.badRule", { value: typed });
      await setDigestRule(on(scope), digestRuleText(rule));
      return { rule, next: nextOccurrence(rule, scope.team.timeZone, scope.now) };
    },
  };
}
