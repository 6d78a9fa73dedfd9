import type { OutgoingMessage } from "../core/message.ts";
import type { OutboxOrigin } from "../core/outbox.ts";
import type { Db, DbOrTx, Tx } from "../db/client.ts";
import { type OutboxEntry, Prisma } from "../generated/prisma/client.ts";

/**
 * The queries of the outbox on the `OutboxEntry` table: writing entries, finding the
 * heads of conversations that are due, claiming, finishing and releasing. Only the
 * outbox (src/scheduler/outbox.ts) uses them.
 */

/** An outbox row to write; `message` and `onSent` as JSON text. */
export interface NewEntry {
  conversation: string;
  message: string;
  dueAt: Date;
  lateNoted: boolean;
  runAt: Date;
  giveUpAt: Date;
  owner: string | null;
  teamRef: string | null;
  onSent: string | null;
  notice: boolean;
  createdAt: Date;
}

/** The rows of messages for the outbox (their bookkeeping field is stored apart from what is shown). */
export function entryRows(
  messages: readonly OutgoingMessage[],
  origin: OutboxOrigin & { notice?: boolean; delayMs?: number },
  at: { now: Date; giveUpAt: Date },
): NewEntry[] {
  const runAt = new Date(at.now.getTime() + (origin.delayMs ?? 0));
  return messages.map((m) => {
    const a = m.audience;
    if (a.kind !== "room" && a.kind !== "member") throw new Error(`a ${a.kind} message cannot go through the outbox`);
    const { outbox, whenHeld: _answerOnly, ...shown } = m;
    return {
      conversation: a.kind === "room" ? a.room : a.member,
      message: JSON.stringify(shown),
      dueAt: origin.dueAt,
      lateNoted: origin.lateNoted ?? false,
      runAt,
      giveUpAt: at.giveUpAt,
      owner: origin.owner ?? null,
      teamRef: outbox?.team ?? (a.kind === "room" ? a.room : (origin.team ?? null)),
      onSent: outbox?.onSent ? JSON.stringify(outbox.onSent) : null,
      notice: origin.notice ?? false,
      createdAt: at.now,
    };
  });
}

/** Unfinished entries hold their conversation: later ones wait behind them. */
const unfinished = { in: ["pending", "sending"] };

/**
 * Writes entries in the caller's transaction; returns their ids in order. One INSERT
 * written out (the same on SQLite and PostgreSQL, where the JSON text becomes jsonb by its
 * column): Prisma's createMany spends about half a millisecond a row compiling, which was
 * most of the time of a burst of a thousand reminders.
 */
export async function insertEntries(handle: DbOrTx, rows: readonly NewEntry[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const values = rows.map(
    (r) =>
      Prisma.sql`(${r.conversation}, ${r.message}, 'pending', ${r.dueAt}, ${r.lateNoted}, ${r.runAt}, ${r.giveUpAt}, 0, ${r.owner}, ${r.teamRef}, ${r.onSent}, ${r.notice}, ${r.createdAt})`,
  );
  const created = await handle.$queryRaw<{ id: number | bigint }[]>`
    INSERT INTO "OutboxEntry" ("conversation", "message", "status", "dueAt", "lateNoted", "runAt", "giveUpAt",
      "attempts", "owner", "teamRef", "onSent", "notice", "createdAt")
    VALUES ${Prisma.join(values)} RETURNING "id"`;
  return created.map((r) => Number(r.id)).sort((a, b) => a - b);
}

/** Entries that may be sent now: pending and due, or claimed by a process whose claim ran out. */
function claimable(now: Date) {
  return {
    OR: [
      { status: "pending", runAt: { lte: now } },
      { status: "sending", claimExpiresAt: { lt: now } },
    ],
  };
}

/** Conversations of platforms that are down, and ones this process is sending to already. */
function excluding(paused: readonly string[], busy: readonly string[]) {
  return [
    ...paused.map((platform) => ({ conversation: { startsWith: `${platform}:` } })),
    ...(busy.length > 0 ? [{ conversation: { in: [...busy] } }] : []),
  ];
}

/** Due entries (oldest first) outside paused platforms and busy conversations. */
export function dueCandidates(
  db: Db,
  now: Date,
  skip: { paused: readonly string[]; busy: readonly string[]; limit: number; only?: readonly string[] },
): Promise<{ id: number; conversation: string }[]> {
  return db.outboxEntry.findMany({
    where: {
      ...claimable(now),
      NOT: excluding(skip.paused, skip.busy),
      ...(skip.only ? { conversation: { in: [...skip.only] } } : {}),
    },
    orderBy: { id: "asc" },
    take: skip.limit,
    select: { id: true, conversation: true },
  });
}

/** The first unfinished entry of each conversation: only it may be sent (order per conversation). */
export async function headsOf(db: Db, conversations: readonly string[]): Promise<Map<string, number>> {
  const heads = new Map<string, number>();
  if (conversations.length === 0) return heads;
  const rows = await db.outboxEntry.groupBy({
    by: ["conversation"],
    where: { conversation: { in: [...conversations] }, status: unfinished },
    _min: { id: true },
  });
  for (const row of rows) if (row._min.id !== null) heads.set(row.conversation, row._min.id);
  return heads;
}

/** Claims entries with one conditional update (of two processes, one wins each row); returns the won ones. */
export async function claimEntries(
  db: Db,
  ids: readonly number[],
  claim: { token: string; now: Date; until: Date },
): Promise<OutboxEntry[]> {
  if (ids.length === 0) return [];
  await db.outboxEntry.updateMany({
    where: { id: { in: [...ids] }, ...claimable(claim.now) },
    data: { status: "sending", claimedBy: claim.token, claimExpiresAt: claim.until },
  });
  return db.outboxEntry.findMany({ where: { id: { in: [...ids] }, claimedBy: claim.token }, orderBy: { id: "asc" } });
}

/** Gives claimed entries back untried (they keep their place and their tries). */
export async function releaseEntries(db: Db, ids: readonly number[], token: string): Promise<void> {
  if (ids.length === 0) return;
  await db.outboxEntry.updateMany({
    where: { id: { in: [...ids] }, claimedBy: token, status: "sending" },
    data: { status: "pending", claimedBy: null, claimExpiresAt: null },
  });
}

/** Sent: finished (in the transaction that records what the features wanted recorded); returns the ids still claimed by `token`. */
export async function markSent(tx: Tx, ids: readonly number[], token: string, now: Date): Promise<number[]> {
  const rows = await tx.outboxEntry.updateManyAndReturn({
    where: { id: { in: [...ids] }, claimedBy: token },
    data: { status: "sent", claimedBy: null, claimExpiresAt: null, finishedAt: now, attempts: { increment: 1 } },
    select: { id: true },
  });
  return rows.map((r) => r.id);
}

/** Refused: tried again at `runAt` (it keeps its place at the head of its conversation). */
export async function retryLater(
  db: Db,
  entry: Pick<OutboxEntry, "id" | "claimedBy">,
  retry: { runAt: Date; error: string; counted: boolean },
): Promise<void> {
  await db.outboxEntry.updateMany({
    where: { id: entry.id, claimedBy: entry.claimedBy },
    data: {
      status: "pending",
      runAt: retry.runAt,
      lastError: retry.error,
      claimedBy: null,
      claimExpiresAt: null,
      ...(retry.counted ? { attempts: { increment: 1 } } : {}),
    },
  });
}

/** Failed for good (the caller writes the notice in the same transaction). */
export async function markFailed(
  tx: Tx,
  entry: Pick<OutboxEntry, "id" | "claimedBy" | "status">,
  failure: { now: Date; error: string; tried: boolean },
): Promise<boolean> {
  const { count } = await tx.outboxEntry.updateMany({
    where: { id: entry.id, status: entry.status, claimedBy: entry.claimedBy },
    data: {
      status: "failed",
      lastError: failure.error,
      claimedBy: null,
      claimExpiresAt: null,
      finishedAt: failure.now,
      ...(failure.tried ? { attempts: { increment: 1 } } : {}),
    },
  });
  return count > 0;
}

/** Keeps this process's claims alive while it is still sending. */
export async function extendClaims(db: Db, tokens: readonly string[], until: Date): Promise<void> {
  if (tokens.length === 0) return;
  await db.outboxEntry.updateMany({
    where: { claimedBy: { in: [...tokens] }, status: "sending" },
    data: { claimExpiresAt: until },
  });
}

/** Pending entries whose time to give up has come without a try (their platform stayed down). */
export function expiredPending(db: Db, now: Date, limit: number): Promise<OutboxEntry[]> {
  return db.outboxEntry.findMany({
    where: { status: "pending", giveUpAt: { lt: now } },
    orderBy: { id: "asc" },
    take: limit,
  });
}

/**
 * When the next entry may be sent: the earliest due time among the heads of conversations
 * outside paused platforms (entries behind a head that waits do not count), or a claim of
 * another process running out.
 */
export async function nextDue(db: Db, paused: readonly string[], until?: Date): Promise<Date | undefined> {
  const heads = await db.outboxEntry.groupBy({
    by: ["conversation"],
    where: { status: unfinished, NOT: excluding(paused, []) },
    _min: { id: true },
  });
  const ids = heads.map((h) => h._min.id).filter((id): id is number => id !== null);
  if (ids.length === 0) return undefined;
  const [pending, claimed] = await Promise.all([
    db.outboxEntry.findFirst({
      where: { id: { in: ids }, status: "pending", ...(until ? { runAt: { lte: until } } : {}) },
      orderBy: { runAt: "asc" },
      select: { runAt: true },
    }),
    db.outboxEntry.findFirst({
      where: { id: { in: ids }, status: "sending", ...(until ? { claimExpiresAt: { lte: until } } : {}) },
      orderBy: { claimExpiresAt: "asc" },
      select: { claimExpiresAt: true },
    }),
  ]);
  const times = [pending?.runAt, claimed?.claimExpiresAt].filter((d): d is Date => d instanceof Date);
  return times.length > 0 ? new Date(Math.min(...times.map((d) => d.getTime()))) : undefined;
}

/** Claim tokens ("host/pid/instance/…") of unfinished entries and jobs, to find claims of dead processes. */
export async function claimHolders(db: Db): Promise<string[]> {
  const [entries, jobs] = await Promise.all([
    db.outboxEntry.findMany({ where: { status: "sending" }, distinct: ["claimedBy"], select: { claimedBy: true } }),
    db.job.findMany({ where: { status: "running" }, distinct: ["claimedBy"], select: { claimedBy: true } }),
  ]);
  return [...new Set([...entries, ...jobs].map((r) => r.claimedBy).filter((c): c is string => c !== null))];
}

/** Gives back the entries and jobs these claims hold (their process is gone). */
export async function releaseClaims(db: Db, tokens: readonly string[]): Promise<number> {
  if (tokens.length === 0) return 0;
  const where = { claimedBy: { in: [...tokens] } };
  const [entries, jobs] = await Promise.all([
    db.outboxEntry.updateMany({
      where: { ...where, status: "sending" },
      data: { status: "pending", claimedBy: null, claimExpiresAt: null },
    }),
    db.job.updateMany({
      where: { ...where, status: "running" },
      data: { status: "pending", claimedBy: null, claimExpiresAt: null },
    }),
  ]);
  return entries.count + jobs.count;
}

/** Forgets sent entries after a while, failed ones later (coordinators may still re-send them). */
export async function purgeEntries(db: Db, before: { sent: Date; failed: Date }): Promise<number> {
  const sent = await db.outboxEntry.deleteMany({
    where: { status: { in: ["sent", "resent"] }, finishedAt: { lt: before.sent } },
  });
  const failed = await db.outboxEntry.deleteMany({ where: { status: "failed", finishedAt: { lt: before.failed } } });
  return sent.count + failed.count;
}

/** A team's failed entries, newest first. */
export function failedOfTeam(db: Db, teamRef: string, limit: number): Promise<OutboxEntry[]> {
  return db.outboxEntry.findMany({ where: { teamRef, status: "failed" }, orderBy: { id: "desc" }, take: limit });
}
