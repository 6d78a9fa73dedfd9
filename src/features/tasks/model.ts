import { dateOf, instantOfDate } from "../../core/when/index.ts";
import { z } from "zod";
import type { Member, Task, TaskAssignee } from "../../generated/prisma/client.ts";
import type { Actor } from "../actor.ts";

export const taskStatuses = ["open", "started", "done", "cancelled"] as const;
export type TaskStatus = (typeof taskStatuses)[number];
export const statusSchema = z.enum(taskStatuses);

export type LoadedTask = Task & {
  creator: Member;
  assignees: (TaskAssignee & { member: Member })[];
};

/** Prisma `include` that yields a LoadedTask. */
export const taskInclude = {
  creator: true,
  assignees: { include: { member: true }, orderBy: { assignedAt: "asc" } },
} as const;


export function statusOf(task: Pick<Task, "status">): TaskStatus {
  return statusSchema.catch("open").parse(task.status);
}

export const isClosed = (task: Pick<Task, "status">): boolean => {
  const s = statusOf(task);
  return s === "done" || s === "cancelled";
};

/** The instant after which the task is overdue: the due time, or the end of an all-day due date. */
export function deadlineOf(task: Pick<Task, "dueAt" | "dueAllDay" | "dueZone">): Date | undefined {
  if (!task.dueAt) return undefined;
  if (!task.dueAllDay) return task.dueAt;
  const zone = task.dueZone ?? "UTC";
  return instantOfDate(dateOf(task.dueAt, zone), "due", zone);
}

export function isOverdue(task: LoadedTask | Task, now: Date): boolean {
  const deadline = deadlineOf(task);
  return !isClosed(task) && deadline !== undefined && deadline.getTime() <= now.getTime();
}

/** The creator, an assignee or a coordinator may change a task. */
export function mayChange(task: LoadedTask, actor: Actor): boolean {
  return (
    actor.isCoordinator ||
    task.creatorId === actor.member.id ||
    task.assignees.some((a) => a.memberId === actor.member.id)
  );
}

export const isAssignee = (task: LoadedTask, memberId: number): boolean =>
  task.assignees.some((a) => a.memberId === memberId);

// ---- history: TaskEvent.data is JSON, validated on read ----

const person = z.object({ ref: z.string(), name: z.string() });
export type Person = z.infer<typeof person>;

export const eventData = {
  created: z.object({}),
  assigned: z.object({ members: z.array(person) }),
  unassigned: z.object({ members: z.array(person) }),
  taken: z.object({}),
  due: z.object({ to: z.coerce.date(), allDay: z.boolean(), zone: z.string().nullable().default(null) }),
  started: z.object({}),
  done: z.object({ note: z.string().optional() }),
  reopened: z.object({}),
  cancelled: z.object({}),
  note: z.object({ text: z.string() }),
} as const;
export type EventKind = keyof typeof eventData;
export type EventData<K extends EventKind> = z.infer<(typeof eventData)[K]>;

export type TaskEventView = {
  [K in EventKind]: { kind: K; data: EventData<K>; at: Date; actor: Member };
}[EventKind];

export function personOf(member: Member): Person {
  return { ref: member.ref, name: displayName(member) };
}

/** The name to show for a member: the platform's display name, else the reference without its prefix. */
export function displayName(member: Pick<Member, "displayName" | "ref">): string {
  return member.displayName || member.ref.replace(/^[a-z]+:@?/, "");
}
