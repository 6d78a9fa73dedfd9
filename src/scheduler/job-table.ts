import { type Db, type DbOrTx, providerOf, type Tx } from "../db/client.ts";
import { asJson, jsonOrNull, noJson } from "../db/json.ts";
import type { Job } from "../generated/prisma/client.ts";
import { claimSkippingLocked } from "./claim-postgres.ts";
import { claimToken } from "./claims.ts";
import type { PendingJob } from "./port.ts";

/**
 * The queries of the durable scheduler on the `Job` table: what is planned for a key,
 * releasing, claiming and finding the next wake-up. Only the scheduler uses them.
 */

/**
 * A key ("task:12:due"), a key prefix ending in ":*" ("task:12:*") or several exact keys.
 * SQLite reads a prefix as a range of the unique index (keys compare byte by byte there, and
 * every key with the prefix "task:12:" lies below "task:12;"); its LIKE would scan the table.
 * PostgreSQL keeps LIKE, which is exact there whatever the database's collation.
 */
function keyFilter(db: DbOrTx, key: string | readonly string[]) {
  if (typeof key !== "string") return { in: [...key] };
  if (!key.endsWith(":*")) return { equals: key };
  const prefix = key.slice(0, -1);
  if (providerOf(db) !== "sqlite") return { startsWith: prefix };
  return { gte: prefix, lt: `${prefix.slice(0, -1)}${String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1)}` };
}

/** Deletes pending jobs with the key (or prefix); a running one finishes but does not recur. */
export async function releaseJobs(db: Tx, key: string): Promise<number> {
  const where = keyFilter(db, key);
  const removed = await db.job.deleteMany({ where: { pendingKey: where, status: "pending" } });
  await db.job.updateMany({
    where: { pendingKey: where, status: "running" },
    data: { pendingKey: null, recurrence: noJson },
  });
  return removed.count;
}

/** Unfinished jobs with this key, key prefix or keys, soonest first. */
export async function plannedJobs(db: DbOrTx, key: string | readonly string[]): Promise<PendingJob[]> {
  const rows = await db.job.findMany({
    where: { pendingKey: keyFilter(db, key), status: { in: ["pending", "running"] } },
    orderBy: { dueAt: "asc" },
    select: { pendingKey: true, dueAt: true },
  });
  return rows.map((r) => ({ key: r.pendingKey ?? "", dueAt: r.dueAt }));
}

/** Pending jobs (with this key or key prefix), as rows. */
export function pendingJobs(db: Db, key?: string): Promise<Job[]> {
  const where = key ? { pendingKey: keyFilter(db, key) } : {};
  return db.job.findMany({ where: { ...where, status: "pending" }, orderBy: { runAt: "asc" } });
}

/** Forgets jobs finished before `before`. */
export async function purgeFinished(db: Db, before: Date): Promise<number> {
  const { count } = await db.job.deleteMany({
    where: { status: { in: ["done", "failed"] }, finishedAt: { lt: before } },
  });
  return count;
}

/** When something next needs the scheduler: the earliest pending job and the earliest claim to expire. */
export async function nextTimes(db: Db): Promise<Date[]> {
  const [next, claim] = await Promise.all([
    db.job.findFirst({
      where: { status: "pending" },
      orderBy: { runAt: "asc" },
      select: { runAt: true },
    }),
    db.job.findFirst({
      where: { status: "running" },
      orderBy: { claimExpiresAt: "asc" },
      select: { claimExpiresAt: true },
    }),
  ]);
  return [next?.runAt, claim?.claimExpiresAt].filter((d): d is Date => d instanceof Date);
}

/** The run time of the first pending job due by `until`. */
export async function firstDueBy(db: Db, until: Date): Promise<Date | undefined> {
  const next = await db.job.findFirst({
    where: { status: "pending", runAt: { lte: until } },
    orderBy: [{ runAt: "asc" }, { id: "asc" }],
    select: { runAt: true },
  });
  return next?.runAt;
}

/**
 * Claims up to a batch of due jobs (and jobs whose claim expired) with one conditional
 * update (PostgreSQL: FOR UPDATE SKIP LOCKED); returns the ones this process won, in due order.
 */
export async function claimDue(
  db: Db,
  now: Date,
  claim: { owner: string; batchSize: number; leaseMs: number },
): Promise<Job[]> {
  if (providerOf(db) === "postgres") {
    const ids = await claimSkippingLocked(db, {
      token: claimToken(claim.owner),
      now,
      until: new Date(now.getTime() + claim.leaseMs),
      limit: claim.batchSize,
    });
    if (ids.length === 0) return [];
    return db.job.findMany({ where: { id: { in: ids } }, orderBy: [{ runAt: "asc" }, { id: "asc" }] });
  }
  const claimable = {
    OR: [
      { status: "pending", runAt: { lte: now } },
      { status: "running", claimExpiresAt: { lt: now } },
    ],
  };
  // Another process may win every candidate: look again until none are left.
  for (;;) {
    const candidates = await db.job.findMany({
      where: claimable,
      orderBy: [{ runAt: "asc" }, { id: "asc" }],
      take: claim.batchSize,
      select: { id: true },
    });
    if (candidates.length === 0) return [];
    const token = claimToken(claim.owner);
    const ids = candidates.map((c) => c.id);
    // The condition is checked again inside the update: of two processes, one wins each row.
    await db.job.updateMany({
      where: { id: { in: ids }, ...claimable },
      data: {
        status: "running",
        claimedBy: token,
        claimExpiresAt: new Date(now.getTime() + claim.leaseMs),
        attempts: { increment: 1 },
      },
    });
    const won = await db.job.findMany({
      where: { id: { in: ids }, claimedBy: token },
      orderBy: [{ runAt: "asc" }, { id: "asc" }],
    });
    if (won.length > 0) return won;
  }
}

/**
 * In the job's transaction: a one-off job is done, a recurring one comes round again at
 * `next` as a fresh pending job with its (stored) rule. False when the claim is no longer
 * this run's (another process took the job over): the caller rolls back.
 */
export async function finishJob(
  tx: Tx,
  job: Job,
  now: Date,
  next: { at: Date; rule: unknown } | undefined,
): Promise<boolean> {
  const where = { id: job.id, claimedBy: job.claimedBy, status: "running" };
  const data = next
    ? {
        status: "pending",
        dueAt: next.at,
        runAt: next.at,
        recurrence: asJson(next.rule),
        attempts: 0,
        lastError: null,
        outbox: noJson,
        claimedBy: null,
        claimExpiresAt: null,
      }
    : { status: "done", pendingKey: null, outbox: noJson, claimedBy: null, claimExpiresAt: null, finishedAt: now };
  const { count } = await tx.job.updateMany({ where, data });
  return count > 0;
}

/** In the group's transaction: one-off jobs done in one statement; false when another process took any of them over. */
export async function finishJobs(tx: Tx, jobs: readonly Job[], now: Date): Promise<boolean> {
  if (jobs.length === 0) return true;
  for (const [claimedBy, claimed] of Map.groupBy(jobs, (job) => job.claimedBy)) {
    const ids = claimed.map((job) => job.id);
    const { count } = await tx.job.updateMany({
      where: { id: { in: ids }, claimedBy, status: "running" },
      data: { status: "done", pendingKey: null, outbox: noJson, claimedBy: null, claimExpiresAt: null, finishedAt: now },
    });
    if (count < ids.length) return false;
  }
  return true;
}

/** Keeps this process's job claims alive while it still runs them. */
export async function extendJobClaims(db: Db, tokens: readonly string[], until: Date): Promise<void> {
  if (tokens.length === 0) return;
  await db.job.updateMany({ where: { claimedBy: { in: [...tokens] }, status: "running" }, data: { claimExpiresAt: until } });
}

/** The job runs again at `runAt` (its handler failed). */
export async function retryAt(db: Db, job: Job, runAt: Date, reason: string): Promise<void> {
  await db.job.updateMany({
    where: { id: job.id, claimedBy: job.claimedBy },
    data: { status: "pending", runAt, lastError: reason, claimedBy: null, claimExpiresAt: null },
  });
}

/** The job failed for good; a recurring one goes on at `next` as a new job. */
export async function markFailed(
  tx: Tx,
  job: Job,
  failure: { reason: string; now: Date; next: Date | undefined },
): Promise<void> {
  await tx.job.updateMany({
    where: { id: job.id, claimedBy: job.claimedBy },
    data: {
      status: "failed",
      lastError: failure.reason,
      pendingKey: null,
      claimedBy: null,
      claimExpiresAt: null,
      finishedAt: failure.now,
    },
  });
  if (!failure.next) return;
  await tx.job.create({
    data: {
      kind: job.kind,
      payload: asJson(job.payload),
      dueAt: failure.next,
      runAt: failure.next,
      pendingKey: job.pendingKey,
      recurrence: jsonOrNull(job.recurrence),
      timeZone: job.timeZone,
      owner: job.owner,
    },
  });
}
