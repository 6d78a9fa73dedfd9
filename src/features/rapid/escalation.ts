import type { DbOrTx } from "../../db/client.ts";
import type { Member } from "../../generated/prisma/client.ts";
import type { Scheduler } from "../../scheduler/port.ts";
import { teamCoordinators } from "../directory.ts";
import { addEvent, jobKeys, loadRequest, type RequestWithAll } from "./model.ts";
import { escalationMinutes, getSettings } from "./settings.ts";
import { retryingTransaction as inTransaction } from "../../db/transaction.ts";

const minute = 60_000;

export type EscalationOutcome =
  /** Claimed, closed, expired or already done meanwhile: nothing to say (idempotent re-runs land here). */
  | { kind: "skip" }
  | {
      kind: "escalated";
      request: RequestWithAll;
      round: number;
      /** Team alerts in all: the first escalation and its repeats. */
      total: number;
      minutesOpen: number;
      coordinators: Member[];
    }
  | { kind: "unanswered"; request: RequestWithAll; total: number; coordinators: Member[] };

/**
 * Escalation round `round` of a request: rounds 1..(1 + repeats) alert the whole team, the
 * round after marks it unanswered. The request's `escalations` counter is a compare-and-set
 * guard: a round runs only if the previous one ran and nothing covered or closed the
 * request since, so running a job twice (a restart in the middle) alerts nobody twice.
 */
export async function runEscalation(
  db: DbOrTx,
  scheduler: Scheduler,
  requestId: number,
  round: number,
  now: Date,
): Promise<EscalationOutcome> {
  const outcome = await inTransaction(db, async (tx) => {
    const request = await tx.rrRequest.findUnique({ where: { id: requestId } });
    if (!request) return undefined;
    if (request.by && request.by.getTime() <= now.getTime()) return undefined;
    const settings = await getSettings(tx, request.teamId);
    const total = 1 + settings.repeats;
    const guard = { id: requestId, status: "open" as const, escalations: round - 1, unansweredAt: null };
    if (round <= total) {
      const won = await tx.rrRequest.updateMany({
        where: guard,
        data: { escalations: round, version: { increment: 1 } },
      });
      if (won.count === 0) return undefined;
      await addEvent(tx, requestId, now, "escalated", null, { round });
      const delay = escalationMinutes(settings, request.urgent) * minute;
      const dueAt = new Date(now.getTime() + delay);
      if (!request.by || dueAt.getTime() < request.by.getTime()) {
        await scheduler.schedule(
          {
            kind: "rr.escalate",
            dueAt,
            payload: { requestId, round: round + 1 },
            key: jobKeys.escalate(requestId),
          },
          tx,
        );
      }
      return { kind: "escalated" as const, round, total };
    }
    const won = await tx.rrRequest.updateMany({
      where: guard,
      data: { unansweredAt: now, version: { increment: 1 } },
    });
    if (won.count === 0) return undefined;
    await addEvent(tx, requestId, now, "unanswered", null, { round: total });
    return { kind: "unanswered" as const, round, total };
  });
  if (!outcome) return { kind: "skip" };
  const request = await loadRequest(db, requestId);
  const coordinators = await teamCoordinators(db, request.teamId);
  if (outcome.kind === "unanswered") {
    return { kind: "unanswered", request, total: outcome.total, coordinators };
  }
  return {
    kind: "escalated",
    request,
    round: outcome.round,
    total: outcome.total,
    minutesOpen: Math.round((now.getTime() - request.createdAt.getTime()) / minute),
    coordinators,
  };
}

/** At `by`: a request nobody is on expires. Covered ones stay with their claimers to resolve. */
export async function runExpiry(
  db: DbOrTx,
  scheduler: Scheduler,
  requestId: number,
  now: Date,
): Promise<RequestWithAll | undefined> {
  const expired = await inTransaction(db, async (tx) => {
    const won = await tx.rrRequest.updateMany({
      where: { id: requestId, status: "open", by: { lte: now } },
      data: { status: "expired", closedAt: now, version: { increment: 1 } },
    });
    if (won.count === 0) return false;
    await addEvent(tx, requestId, now, "expired", null);
    await scheduler.cancel(jobKeys.escalate(requestId), tx);
    return true;
  });
  return expired ? loadRequest(db, requestId) : undefined;
}
