import { z } from "zod";
import type { DbOrTx } from "../../db/client.ts";
import { retryingTransaction } from "../../db/transaction.ts";
import { defineJob, type Scheduler } from "../../scheduler/port.ts";

export const retentionKind = "privacy.retention";
const retentionKey = "privacy-retention";
const day = 24 * 60 * 60_000;
/** Failed deliveries hold whole message texts: kept only long enough to look into them. */
export const failedDeliveryDays = 30;

/** Plans the daily retention run (idempotent: one job under one key); called when the scheduler starts. */
export async function planRetention(scheduler: Scheduler, now: Date, timeZone: string): Promise<void> {
  const rule = "0 3 * * *";
  const dueAt = scheduler.firstOccurrence(rule, timeZone, now);
  if (!dueAt) return;
  await scheduler.schedule({ kind: retentionKind, dueAt, key: retentionKey, payload: {}, recurrence: { rule, timeZone } });
}

/** What one retention run deleted, per kind (for the log and tests). */
export type RetentionCounts = Record<string, number>;

/**
 * Deletes what each team keeps longer than its retention period (Team.retentionDays), counted
 * from when it ended: closed requests, finished tasks, ended polls, meetings (from their date),
 * finished reminders (from their due date), audit entries and ended memberships; and failed deliveries after 30 days. Cascades take their
 * claims, votes, options and timelines with them.
 */
export async function applyRetention(db: DbOrTx, now: Date): Promise<RetentionCounts> {
  const counts: RetentionCounts = {};
  const add = (kind: string, n: { count: number }) => {
    counts[kind] = (counts[kind] ?? 0) + n.count;
  };
  const teams = await db.team.findMany({ select: { id: true, ref: true, retentionDays: true } });
  for (const team of teams) {
    const before = new Date(now.getTime() - team.retentionDays * day);
    await retryingTransaction(db, async (tx) => {
      add("requests", await tx.rrRequest.deleteMany({
        where: { teamId: team.id, status: { in: ["resolved", "cancelled", "expired"] }, closedAt: { lt: before } },
      }));
      add("tasks", await tx.task.deleteMany({
        where: { teamId: team.id, status: { in: ["done", "cancelled"] }, closedAt: { lt: before } },
      }));
      add("polls", await tx.poll.deleteMany({ where: { teamId: team.id, closedAt: { lt: before } } }));
      // Meetings and reminders by their own dates (a cancelled one counts from its date).
      add("meetings", await tx.meeting.deleteMany({ where: { teamRef: team.ref, startsAt: { lt: before } } }));
      add("reminders", await tx.reminder.deleteMany({
        where: {
          teamRef: team.ref,
          dueAt: { lt: before },
          OR: [{ status: { in: ["done", "cancelled"] } }, { status: "delivered", rule: null }],
        },
      }));
      add("audit", await tx.auditEntry.deleteMany({ where: { teamId: team.id, at: { lt: before } } }));
      add("memberships", await tx.teamMember.deleteMany({ where: { teamId: team.id, leftAt: { lt: before } } }));
    });
  }
  const failedBefore = new Date(now.getTime() - failedDeliveryDays * day);
  add("failedDeliveries", await db.outboxEntry.deleteMany({ where: { status: "failed", finishedAt: { lt: failedBefore } } }));
  return counts;
}

export const retentionJob = defineJob({
  kind: retentionKind,
  schema: z.object({}),
  async run(_payload, info, ctx) {
    const counts = await applyRetention(ctx.db, info.now);
    ctx.log.info({ deleted: counts }, "retention: deleted what was kept longer than its period");
    return [];
  },
});
