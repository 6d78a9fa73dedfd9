import type { OutgoingMessage } from "../core/message.ts";
import type { OutboxOrigin } from "../core/outbox.ts";
import type { Db, DbOrTx, Tx } from "../db/client.ts";
import { asJson } from "../db/json.ts";
import type { OutboxEntry } from "../generated/prisma/client.ts";
import { failureNotices, type FailureReason, storedMessage, storedOnSent } from "./outbox-notices.ts";
import { failedOfTeam, markFailed, markSent } from "./outbox-table.ts";
import type { Logger } from "../core/log.ts";
import type { AnySentHandler, FailedDelivery, SchedulerHost } from "./port.ts";

/**
 * How outbox entries finish: sent (with what their feature records), or failed for good
 * (with a notice to whoever should know); and the failed ones as coordinators see them.
 */

/** What `lastError` says of an entry that failed without a try: its platform stayed down, or it could not be read. */
export const expiredError = "expired";
export const unreadableError = "unreadable";
/** How long a failure notice waits for more failures to tell the same person in one message. */
const noticeDelayMs = 10_000;

type AddEntries = (
  handle: DbOrTx,
  messages: readonly OutgoingMessage[],
  origin: OutboxOrigin & { notice?: boolean; delayMs?: number; now?: Date },
) => Promise<number[]>;

type MarkDeps = { db: Db; log: Logger; hooks: ReadonlyMap<string, AnySentHandler> };

interface PendingMark {
  entry: OutboxEntry;
  token: string;
  now: Date;
  done: () => void;
  failed: (error: unknown) => void;
}

/**
 * Marks entries sent, all that finished while the previous write ran in one transaction
 * (group commit: a burst to a thousand members costs a few writes, not a thousand). Each
 * conversation waits for its mark before it sends its next message, so at most one
 * message per conversation is ever out without its mark.
 */
export class SentMarks {
  private readonly queue: PendingMark[] = [];
  private running: Promise<void> | undefined;
  private readonly deps: MarkDeps;

  constructor(deps: MarkDeps) {
    this.deps = deps;
  }

  mark(entry: OutboxEntry, token: string, now: Date): Promise<void> {
    return new Promise((done, failed) => {
      this.queue.push({ entry, token, now, done, failed });
      this.running ??= this.drain().finally(() => {
        this.running = undefined;
      });
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, 500);
      try {
        await this.deps.db.$transaction((tx) => recordSent(tx, this.deps, batch));
        for (const m of batch) m.done();
      } catch {
        // One by one, so that one that cannot be recorded does not hold the others back.
        for (const m of batch) await markEntrySent(this.deps, m).then(m.done, m.failed);
      }
    }
  }
}

/** Marks one entry sent with what its feature records; if that record fails, the entry is still marked sent. */
async function markEntrySent(deps: MarkDeps, mark: PendingMark): Promise<void> {
  try {
    await deps.db.$transaction((tx) => recordSent(tx, deps, [mark]));
  } catch (error) {
    // The message is out: it must count as sent even if the feature's record failed.
    deps.log.error({ err: error, entry: mark.entry.id }, "could not record what a sent message did");
    await deps.db.$transaction((tx) => markSent(tx, [mark.entry.id], mark.token, mark.now));
  }
}

/**
 * Marks the entries sent (those still claimed by their sender) and runs their features'
 * records, one statement per claim and per kind of record. The batch counts as sent at the
 * latest of its send times (they lie milliseconds apart).
 */
async function recordSent(tx: Tx, deps: MarkDeps, marks: readonly PendingMark[]): Promise<void> {
  const sentAt = new Date(Math.max(...marks.map((m) => m.now.getTime())));
  const won = new Set<number>();
  for (const [token, claimed] of Map.groupBy(marks, (m) => m.token)) {
    for (const id of await markSent(tx, claimed.map((m) => m.entry.id), token, sentAt)) won.add(id);
  }
  const records = new Map<string, unknown[]>();
  for (const { entry } of marks) {
    const hook = won.has(entry.id) ? storedOnSent(entry) : undefined;
    if (!hook) continue;
    const handler = deps.hooks.get(hook.kind);
    const data = handler?.schema.safeParse(hook.data);
    if (!handler) deps.log.warn({ kind: hook.kind }, "no handler for a sent message's record");
    else if (!data?.success) deps.log.warn({ kind: hook.kind, entry: entry.id }, "unreadable record of a sent message");
    else records.set(hook.kind, [...(records.get(hook.kind) ?? []), data.data]);
  }
  for (const [kind, sent] of records) await deps.hooks.get(kind)?.run(sent, { sentAt, tx });
}

/** Failed for good: recorded, and in the same transaction whoever should know is told through the outbox. */
export async function failEntry(
  deps: { db: Db; host: SchedulerHost; add: AddEntries },
  entry: OutboxEntry,
  failure: { reason: FailureReason; error: string; now: Date; tried: boolean },
): Promise<void> {
  const { now } = failure;
  await deps.db.$transaction(async (tx: Tx) => {
    if (!(await markFailed(tx, entry, { now, error: failure.error, tried: failure.tried }))) return;
    for (const notice of await failureNotices(tx, deps.host, entry, failure.reason)) {
      await addNotice(tx, deps.add, notice, entry.teamRef, now);
    }
  });
}

/**
 * Notices wait a few seconds, so the failures of one alert to many members reach the
 * person who sent it as one message, not one per member.
 */
async function addNotice(tx: Tx, add: AddEntries, notice: OutgoingMessage, teamRef: string | null, now: Date): Promise<void> {
  const a = notice.audience;
  const conversation = a.kind === "member" ? a.member : a.kind === "room" ? a.room : "";
  const open = await tx.outboxEntry.findFirst({
    where: { conversation, notice: true, status: "pending", attempts: 0, runAt: { gt: now } },
    orderBy: { id: "desc" },
  });
  const earlier = open ? storedMessage(open) : undefined;
  if (open && earlier?.lang === notice.lang && earlier.blocks.length < 20) {
    const merged = { ...earlier, blocks: [...earlier.blocks, ...notice.blocks] };
    await tx.outboxEntry.update({ where: { id: open.id }, data: { message: asJson(merged) } });
    return;
  }
  await add(tx, [notice], { dueAt: now, now, notice: true, delayMs: noticeDelayMs, ...(teamRef ? { team: teamRef } : {}) });
}

/** A team's failed deliveries as coordinators see them, newest first. */
export async function failedDeliveries(db: Db, teamRef: string, limit: number): Promise<FailedDelivery[]> {
  const rows = await failedOfTeam(db, teamRef, limit);
  const members = await db.member.findMany({ where: { ref: { in: rows.map((r) => r.conversation) } } });
  const names = new Map(members.map((m) => [m.ref, m.displayName]));
  return rows.flatMap((row) => {
    const message = storedMessage(row);
    if (!message) return [];
    return [
      {
        id: row.id,
        target: row.conversation,
        targetName: names.get(row.conversation) || row.conversation.replace(/^[a-z]+:@?/, ""),
        kind: message.audience.kind === "member" ? ("member" as const) : ("room" as const),
        message,
        dueAt: row.dueAt,
        failedAt: row.finishedAt ?? row.createdAt,
        error: row.lastError ?? "",
      },
    ];
  });
}

/** Takes a failed entry of the team for sending again: marked resent; its message (with its record) is returned. */
export async function takeFailed(handle: DbOrTx, teamRef: string, id: number): Promise<OutgoingMessage | undefined> {
  const row = await handle.outboxEntry.findFirst({ where: { id, teamRef, status: "failed" } });
  const message = row ? storedMessage(row) : undefined;
  if (!row || !message) return undefined;
  await handle.outboxEntry.update({ where: { id }, data: { status: "resent" } });
  const onSent = storedOnSent(row);
  return { ...message, outbox: { team: teamRef, ...(onSent ? { onSent } : {}) } };
}
