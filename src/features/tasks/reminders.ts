import { DateTime } from "luxon";
import { z } from "zod";
import { heading, list, type OutgoingMessage, paragraph, time } from "../../core/message.ts";
import { asLanguage, type Language } from "../../core/time.ts";
import { dayPartsOf, whenInstant } from "../../core/when-args.ts";
import { dateOf, type DayPartHours } from "../../core/when/index.ts";
import type { Tx } from "../../db/client.ts";
import type { Team } from "../../generated/prisma/client.ts";
import { defineJob, type Scheduler } from "../../scheduler/port.ts";
import { defaultDigestRule, nextOccurrence, parseDigestRule } from "./digest-rule.ts";
import { deadlineOf, isClosed, isOverdue, type LoadedTask, taskInclude } from "./model.ts";
import { dueSpan, roomLabel, taskLabel, taskLine } from "./view.ts";

export const remindKind = "task.remind";
export const digestKind = "task.digest";

/** When each assignee is reminded: one day before (same wall-clock time, across DST) and at the due time. */
export function reminderTimes(
  task: Pick<LoadedTask, "dueAt" | "dueAllDay" | "dueZone">,
  dayParts: Partial<DayPartHours> = {},
): { soon: Date; due: Date } | undefined {
  if (!task.dueAt) return undefined;
  const zone = task.dueZone ?? "UTC";
  // A whole day is reminded of at the team's morning hour of that day (the README's table), and the day before.
  const due = task.dueAllDay
    ? whenInstant({ kind: "date", date: dateOf(task.dueAt, zone) }, "remind", zone, dayParts)
    : task.dueAt;
  return { soon: DateTime.fromJSDate(due, { zone }).minus({ days: 1 }).toJSDate(), due };
}

export const reminderKey = (taskId: number, stage: "soon" | "due", member: string): string =>
  `task:${taskId}:${stage}:${member}`;

/**
 * Re-plans the task's reminders from scratch (in the caller's transaction): all are
 * cancelled, then each assignee gets the ones still ahead, unless the task is closed.
 */
export async function planReminders(scheduler: Scheduler, tx: Tx, task: LoadedTask, now: Date): Promise<void> {
  await scheduler.cancel(`task:${task.id}:*`, tx);
  const team = await tx.team.findUnique({ where: { id: task.teamId } });
  const times = reminderTimes(task, team ? dayPartsOf(team) : {});
  if (!times || !task.dueAt || isClosed(task)) return;
  for (const { member } of task.assignees) {
    for (const stage of ["soon", "due"] as const) {
      const at = times[stage];
      if (at.getTime() <= now.getTime()) continue;
      await scheduler.schedule(
        {
          kind: remindKind,
          dueAt: at,
          key: reminderKey(task.id, stage, member.ref),
          payload: { taskId: task.id, member: member.ref, stage, due: task.dueAt.toISOString() },
          owner: member.ref,
        },
        tx,
      );
    }
  }
}

export const digestKey = (teamId: number): string => `task-digest:${teamId}`;

/** Plans (or, with `rule` null, cancels) the team's recurring overdue digest in the team's zone. */
export async function planDigest(
  scheduler: Scheduler,
  tx: Tx,
  team: Team,
  rule: string | null,
  now: Date,
): Promise<Date | undefined> {
  const parsed = rule === null ? undefined : parseDigestRule(rule);
  if (!rule || !parsed) {
    await scheduler.cancel(digestKey(team.id), tx);
    return undefined;
  }
  const dueAt = nextOccurrence(parsed, team.timeZone, now);
  await scheduler.schedule(
    {
      kind: digestKind,
      dueAt,
      key: digestKey(team.id),
      payload: { teamId: team.id },
      recurrence: { rule, timeZone: team.timeZone },
    },
    tx,
  );
  return dueAt;
}

const teamLanguage = (team: Team): Language => asLanguage(team.language);

export const remindJob = defineJob({
  kind: remindKind,
  schema: z.object({
    taskId: z.number().int(),
    member: z.string(),
    stage: z.enum(["soon", "due"]),
    due: z.coerce.date(),
  }),
  async run(payload, info, ctx): Promise<OutgoingMessage[]> {
    const task = await ctx.db.task.findUnique({
      where: { id: payload.taskId },
      include: { ...taskInclude, team: true },
    });
    // A stale job (task finished, re-planned or the member taken off) delivers nothing.
    if (!task || isClosed(task) || task.dueAt?.getTime() !== payload.due.getTime()) return [];
    if (!task.assignees.some((a) => a.member.ref === payload.member)) return [];
    // After downtime the "due tomorrow" note would be wrong once the due time itself has
    // passed: the "due now" reminder (late) says what matters.
    if (payload.stage === "soon" && info.late && payload.due.getTime() <= info.now.getTime()) return [];
    const { tr, lang, timeZone } = await ctx.localeFor(payload.member, task.team);
    const blocks = [
      paragraph(
        ...tr.tm(payload.stage === "soon" ? "task.remind.soon" : "task.remind.due", {
          task: taskLabel(task),
          room: roomLabel(task.team),
          due: dueSpan(task),
        }),
      ),
    ];
    if (info.late) blocks.push(paragraph(...tr.tm("task.remind.late", { at: time(info.dueAt) })));
    return [
      {
        // Only while the member still belongs to the task's team (checked when it is sent).
        audience: { kind: "member", member: payload.member, team: task.team.ref },
        lang,
        timeZone,
        tone: payload.stage === "due" ? "warning" : "info",
        blocks,
        actions: [],
        attachments: [],
      },
    ];
  },
});

export const digestJob = defineJob({
  kind: digestKind,
  schema: z.object({ teamId: z.number().int() }),
  async run(payload, info, ctx): Promise<OutgoingMessage[]> {
    const team = await ctx.db.team.findUnique({ where: { id: payload.teamId }, include: { taskTeam: true } });
    if (!team || (team.taskTeam && team.taskTeam.digestRule === null)) return [];
    const reference = info.dueAt;
    const candidates = await ctx.db.task.findMany({
      where: { teamId: team.id, status: { in: ["open", "started"] }, dueAt: { lte: reference } },
      include: taskInclude,
    });
    const overdue = candidates
      .filter((t) => isOverdue(t, reference))
      .sort((a, b) => (deadlineOf(a)?.getTime() ?? 0) - (deadlineOf(b)?.getTime() ?? 0));
    if (overdue.length === 0) return [];
    const lang = teamLanguage(team);
    const tr = ctx.translator(lang);
    const shown = overdue.slice(0, 30);
    const blocks = [
      heading(tr.t("task.digest.title")),
      list(shown.map((t) => taskLine(t, reference, tr, true))),
    ];
    if (overdue.length > shown.length)
      blocks.push(paragraph(tr.t("task.list.more", { count: overdue.length - shown.length })));
    return [
      {
        audience: { kind: "room", room: team.ref },
        lang,
        timeZone: team.timeZone,
        tone: "warning",
        blocks,
        actions: [],
        attachments: [],
      },
    ];
  },
});

export { defaultDigestRule };
