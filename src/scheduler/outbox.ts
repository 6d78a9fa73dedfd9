import { platformOf } from "../core/adapter.ts";
import type { OutgoingMessage } from "../core/message.ts";
import type { FlushReport, OutboxOrigin, OutboxPort } from "../core/outbox.ts";
import type { Db, DbOrTx } from "../db/client.ts";
import type { OutboxEntry } from "../generated/prisma/client.ts";
import { claimToken, Heartbeat } from "./claims.ts";
import { expiredError, failedDeliveries, failEntry, SentMarks, takeFailed, unreadableError } from "./outbox-finish.ts";
import { type FailureReason, failureReason, storedMessage, withDelayNote } from "./outbox-notices.ts";
import {
  claimEntries,
  dueCandidates,
  expiredPending,
  extendClaims,
  headsOf,
  insertEntries,
  entryRows,
  nextDue,
  purgeEntries,
  releaseEntries,
  retryLater,
} from "./outbox-table.ts";
import { type Outcome, Watchers } from "./outbox-watchers.ts";
import type { AnySentHandler, Deliveries, FailedDelivery, SchedulerHost } from "./port.ts";

export interface OutboxOptions {
  /** This process's name in claims. */
  owner: string;
  /** The clock (the scheduler's). */
  now: () => Date;
  /** How long messages are retried before they count as failed (default 24 hours). */
  retryForMs?: number;
  /** How long a claim holds without a heartbeat. */
  leaseMs?: number;
  /** Delay before the first retry; doubled each time up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** Conversations sent to at the same time (an alert to many members goes out side by side). */
  concurrency?: number;
  /** A delivery more than this after its time says that it is late. */
  lateAfterMs?: number;
  /** The longest sleep; while a platform is down, how often to look whether it is back. */
  maxSleepMs?: number;
  downRecheckMs?: number;
}

type Clock = () => Date;

/** Where an outbox entry comes from, and when it may go out. */
export type EntryOrigin = OutboxOrigin & { notice?: boolean; delayMs?: number; now?: Date };

/** Conversations sent to at the same time by default (the platforms' libraries queue by their rate limits). */
export const sendConcurrency = 64;

/** Entries of one conversation claimed at once (later ones follow in the next claim). */
const perConversation = 100;

/**
 * The outbox: one path for every message to a room or member. Entries are written in the
 * transaction of the change that caused them (`add`); this class sends them: the first
 * unfinished entry of each conversation only (order per conversation), many conversations
 * side by side, each marked sent right after it went out. A refusal is retried with
 * backoff until `retryForMs` has passed, then the entry fails and someone is told; a
 * platform known to be down holds its entries without spending their tries.
 */
export class Outbox implements OutboxPort, Deliveries {
  private readonly host: SchedulerHost;
  private readonly options: Required<Omit<OutboxOptions, "owner" | "now">>;
  private readonly owner: string;
  private readonly now: Clock;
  private readonly hooks = new Map<string, AnySentHandler>();
  /** Conversations this process is sending to, with the work doing it. */
  private readonly workers = new Map<string, Promise<void>>();
  /** Conversations this process claimed that wait for a free sender. */
  private readonly queued = new Map<string, () => void>();
  /** Entries commands wait for (`flush`). */
  private readonly watchers = new Watchers();
  /** Platforms found down, whose entries are left out until they are back (looked at every few seconds). */
  private readonly down = new Set<string>();
  /** Platforms another process sends for (it leads their connection): their entries are its. */
  private readonly away = new Set<string>();
  /** Platforms of entries written since the last look (a process sending for them elsewhere is nudged). */
  private readonly written = new Set<string>();
  private readonly heartbeat: Heartbeat;
  private readonly marks: SentMarks;
  private scanLock: Promise<unknown> = Promise.resolve();
  /** The running look-for-work loop, if any. */
  private scanning: Promise<void> | undefined;
  private scanAgain = false;
  private started = false;
  private stopping = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** Messages sent so far (the scheduler's reports). */
  sentCount = 0;

  constructor(host: SchedulerHost, options: OutboxOptions) {
    this.host = host;
    this.owner = options.owner;
    this.now = options.now;
    this.options = {
      retryForMs: options.retryForMs ?? 24 * 3_600_000,
      leaseMs: options.leaseMs ?? 60_000,
      backoffMs: options.backoffMs ?? 30_000,
      maxBackoffMs: options.maxBackoffMs ?? 15 * 60_000,
      concurrency: options.concurrency ?? sendConcurrency,
      lateAfterMs: options.lateAfterMs ?? 60_000,
      maxSleepMs: options.maxSleepMs ?? 60_000,
      downRecheckMs: options.downRecheckMs ?? 5_000,
    };
    this.marks = new SentMarks({ db: host.db, log: host.log, hooks: this.hooks });
    const lease = this.options.leaseMs;
    this.heartbeat = new Heartbeat(lease / 3, (tokens) =>
      extendClaims(this.db, tokens, new Date(this.now().getTime() + lease)),
    );
  }

  private get db(): Db {
    return this.host.db;
  }

  /** A feature's handler for what to record once one of its messages was sent. */
  registerSent(handler: AnySentHandler): void {
    if (this.hooks.has(handler.kind)) throw new Error(`sent handler ${handler.kind} registered twice`);
    this.hooks.set(handler.kind, handler);
  }

  add(handle: DbOrTx, messages: readonly OutgoingMessage[], origin: EntryOrigin): Promise<number[]> {
    return this.addMany(handle, [{ messages, origin }]);
  }

  /** The messages of several changes (jobs of a burst) in one statement, in the order given. */
  async addMany(handle: DbOrTx, items: readonly { messages: readonly OutgoingMessage[]; origin: EntryOrigin }[]): Promise<number[]> {
    const rows = items.flatMap(({ messages, origin }) => {
      const now = origin.now ?? this.now();
      return entryRows(messages, origin, { now, giveUpAt: new Date(now.getTime() + this.options.retryForMs) });
    });
    for (const row of rows) this.written.add(platformOf(row.conversation));
    return insertEntries(handle, rows);
  }

  flush(ids: readonly number[], waitMs: number): Promise<FlushReport> {
    return this.watchers.flush(this.db, ids, { waitMs, settleMs: this.options.maxSleepMs }, () => this.scanSoon());
  }

  // ---- running ----

  /** Starts the timer: sends what is due and sleeps until the next entry (or a platform's return). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.stopping = false;
    this.scanSoon();
  }

  /** Stops claiming; each conversation finishes the message in flight and gives the rest back. */
  async stop(): Promise<void> {
    this.started = false;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.scanLock.catch(() => undefined);
    await this.idle();
    this.heartbeat.stop();
  }

  /** Resolves when no conversation is being sent to (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.workers.size > 0 || this.queued.size > 0 || this.scanning) {
      await Promise.allSettled([...this.workers.values(), this.scanning, this.scanLock]);
    }
  }

  /** Looks for work soon: after a commit that wrote entries, when a conversation is done, on the timer. */
  scanSoon(): void {
    if (this.stopping) return;
    this.scanAgain = true;
    if (this.scanning) return;
    this.scanning = (async () => {
      try {
        while (this.scanAgain && !this.stopping) {
          this.scanAgain = false;
          await this.locked(() => this.scan(this.now(), this.now));
        }
      } catch (error) {
        this.host.log.error({ err: error }, "outbox scan failed");
      } finally {
        this.scanning = undefined;
      }
      if (this.started) await this.rearm();
    })();
  }

  /**
   * Sends everything that is due at `now` (retries included) and waits until it went out or
   * is held: what the scheduler's `advanceTo` does at each step of a moved clock.
   */
  async drain(now: Date): Promise<number> {
    const before = this.sentCount;
    for (;;) {
      const claimed = await this.locked(() => this.scan(now, () => now));
      await this.idle();
      if (claimed === 0) return this.sentCount - before;
    }
  }

  /** When the next entry may be sent (by `until`), outside platforms that are down. */
  nextDue(until?: Date): Promise<Date | undefined> {
    return nextDue(this.db, this.platformsNotHere(), until);
  }

  private locked<T>(work: () => Promise<T>): Promise<T> {
    const run = this.scanLock.then(work, work);
    this.scanLock = run.catch(() => undefined);
    return run;
  }

  private async rearm(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.started) return;
    let next: Date | undefined;
    try {
      next = await this.nextDue();
    } catch (error) {
      this.host.log.error({ err: error }, "outbox could not find its next message");
    }
    const now = this.now().getTime();
    const cap = this.down.size > 0 ? this.options.downRecheckMs : this.options.maxSleepMs;
    const delay = Math.min(Math.max((next?.getTime() ?? Number.POSITIVE_INFINITY) - now, 0), cap);
    if (!this.running()) return;
    this.timer = setTimeout(() => this.scanSoon(), delay);
    this.timer.unref();
  }

  /** Started and not stopped (read after awaits: `stop` may have come meanwhile). */
  private running(): boolean {
    return this.started;
  }

  /** Platforms whose adapter is down now (and forgets the ones that came back). */
  private platformsNotHere(): string[] {
    for (const platform of this.down) if (this.host.platformUp(platform)) this.down.delete(platform);
    for (const platform of this.away) if (!this.host.platformElsewhere(platform)) this.away.delete(platform);
    return [...this.down, ...this.away];
  }

  /** Platforms another process sends for get their new messages' news from this one. */
  private nudgeElsewhere(): void {
    for (const platform of this.written) if (this.host.platformElsewhere(platform)) this.host.nudgePlatform(platform);
    this.written.clear();
  }

  /** One look for work: fails what waited too long, claims the due heads of free conversations, starts sending. */
  private async scan(now: Date, clock: Clock): Promise<number> {
    this.nudgeElsewhere();
    await this.giveUpWaiting(now);
    // Claims a few rounds of conversations ahead, so a sender that is done starts on the next at once.
    const capacity = this.options.concurrency * 4 - this.workers.size - this.queued.size;
    let candidates: { id: number; conversation: string }[] = [];
    for (let look = 0; look < 4; look++) {
      candidates = await dueCandidates(this.db, now, {
        paused: this.platformsNotHere(),
        busy: [...this.workers.keys(), ...this.queued.keys()],
        limit: 500,
      });
      const newlyDown = [...new Set(candidates.map((c) => platformOf(c.conversation)))].filter((p) => !this.host.platformUp(p));
      if (newlyDown.length === 0) break;
      for (const platform of newlyDown) {
        if (!this.host.platformElsewhere(platform)) this.down.add(platform);
        else if (!this.away.has(platform)) {
          this.away.add(platform);
          this.host.nudgePlatform(platform);
        }
      }
      candidates = candidates.filter((c) => !newlyDown.includes(platformOf(c.conversation)));
    }
    const eligible = await this.heads(candidates, capacity);
    await this.watchers.tellWaiting(this.db, now, {
      busy: (conversation) => this.workers.has(conversation) || this.queued.has(conversation),
      down: (platform) => this.down.has(platform),
    });
    if (eligible.length === 0) return 0;
    const token = claimToken(this.owner);
    const claimed = await claimEntries(this.db, eligible, {
      token,
      now,
      until: new Date(now.getTime() + this.options.leaseMs),
    });
    // Of two processes claiming at once, the one that lost the head gives its later entries back.
    const byConversation = Map.groupBy(claimed, (e) => e.conversation);
    const heads = await headsOf(this.db, [...byConversation.keys()]);
    const mine = [...byConversation].filter(([conversation, entries]) => heads.get(conversation) === entries[0]?.id);
    const lost = [...byConversation].filter(([conversation, entries]) => heads.get(conversation) !== entries[0]?.id);
    await releaseEntries(this.db, lost.flatMap(([, entries]) => entries.map((e) => e.id)), token);
    let open = mine.length;
    if (open > 0) this.heartbeat.hold(token);
    for (const [conversation, entries] of mine) {
      this.queued.set(conversation, () => {
        const work = this.send(entries, token, clock).finally(() => {
          this.workers.delete(conversation);
          if (--open === 0) this.heartbeat.release(token);
          this.pump();
          if (this.queued.size === 0) this.scanSoon();
        });
        this.workers.set(conversation, work);
      });
    }
    this.pump();
    return mine.reduce((n, [, entries]) => n + entries.length, 0);
  }

  /** Starts senders for claimed conversations while fewer than `concurrency` are sending. */
  private pump(): void {
    for (const [conversation, start] of this.queued) {
      if (this.workers.size >= this.options.concurrency) return;
      this.queued.delete(conversation);
      start();
    }
  }

  /** Of the candidates, the entries of conversations whose first unfinished entry is among them. */
  private async heads(candidates: { id: number; conversation: string }[], capacity: number): Promise<number[]> {
    if (capacity <= 0 || candidates.length === 0) return [];
    const byConversation = Map.groupBy(candidates, (c) => c.conversation);
    const heads = await headsOf(this.db, [...byConversation.keys()]);
    const ready = [...byConversation].filter(([conversation, entries]) => heads.get(conversation) === entries[0]?.id);
    return ready.slice(0, capacity).flatMap(([, entries]) => entries.slice(0, perConversation).map((c) => c.id));
  }

  /** Sends a conversation's claimed entries in order; stops at the first that has to wait. */
  private async send(entries: OutboxEntry[], token: string, clock: Clock): Promise<void> {
    // Entries before `finished` were sent, failed or put back for a retry; the rest are given back.
    let finished = 0;
    try {
      for (const entry of entries) {
        if (this.stopping || !this.host.platformUp(platformOf(entry.conversation))) break;
        const outcome = await this.sendOne(entry, token, clock());
        finished++;
        if (outcome === "held") break;
      }
    } catch (error) {
      this.host.log.error({ err: error }, "outbox could not record a delivery");
    } finally {
      const rest = entries.slice(finished).map((e) => e.id);
      await releaseEntries(this.db, rest, token).catch((error: unknown) =>
        this.host.log.error({ err: error }, "outbox could not give back its claims"),
      );
    }
  }

  private async sendOne(entry: OutboxEntry, token: string, now: Date): Promise<Outcome> {
    const message = storedMessage(entry);
    if (!message) {
      await this.fail(entry, { kind: "unreadable" }, unreadableError, now, false);
      return "failed";
    }
    try {
      const tr = this.host.translator(message.lang);
      await this.host.send(withDelayNote(message, entry, now, this.options.lateAfterMs, tr), sendKey(entry));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      if (failureReason(error, this.options.retryForMs).kind === "refused" || now.getTime() >= entry.giveUpAt.getTime()) {
        this.host.log.warn({ err: error, entry: entry.id, conversation: entry.conversation }, "delivery failed for good");
        await this.fail(entry, failureReason(error, this.options.retryForMs), reason, now, true);
        return "failed";
      }
      // A platform that went down meanwhile holds the entry without spending one of its tries.
      const up = this.host.platformUp(platformOf(entry.conversation));
      const attempts = entry.attempts + (up ? 1 : 0);
      const backoff = Math.min(this.options.backoffMs * 2 ** Math.max(attempts - 1, 0), this.options.maxBackoffMs);
      const runAt = new Date(Math.min(now.getTime() + (up ? backoff : 0), entry.giveUpAt.getTime()));
      this.host.log.warn({ err: error, entry: entry.id, attempts, retryAt: runAt }, "delivery refused; will retry");
      await retryLater(this.db, entry, { runAt, error: reason, counted: up });
      this.watchers.settle(entry.id, "held");
      return "held";
    }
    this.sentCount++;
    await this.marks.mark(entry, token, now);
    this.watchers.settle(entry.id, "sent");
    return "sent";
  }

  // ---- what coordinators see ----

  failed(teamRef: string, limit: number): Promise<FailedDelivery[]> {
    return failedDeliveries(this.db, teamRef, limit);
  }

  takeFailed(handle: DbOrTx, teamRef: string, id: number): Promise<OutgoingMessage | undefined> {
    return takeFailed(handle, teamRef, id);
  }

  /** Entries whose time ran out while their platform stayed down. */
  private async giveUpWaiting(now: Date): Promise<void> {
    for (const entry of await expiredPending(this.db, now, 100)) {
      await this.fail(entry, failureReason(undefined, this.options.retryForMs), entry.lastError ?? expiredError, now, false);
    }
  }

  /** Failed for good: recorded, and (in the same transaction) whoever should know is told through the outbox. */
  private async fail(entry: OutboxEntry, reason: FailureReason, error: string, now: Date, tried: boolean): Promise<void> {
    await failEntry({ db: this.db, host: this.host, add: (tx, m, o) => this.add(tx, m, o) }, entry, { reason, error, now, tried });
    this.watchers.settle(entry.id, "failed");
  }

  /** Forgets sent entries after a week and failed ones after 30 days (they hold people's texts). */
  purge(now: Date): Promise<number> {
    const day = 86_400_000;
    return purgeEntries(this.db, { sent: new Date(now.getTime() - 7 * day), failed: new Date(now.getTime() - 30 * day) });
  }
}

/**
 * The same for every try of an entry (platforms that deduplicate show it once), and unique
 * beyond one database: its id and when it was written (a restored or new database starts
 * its ids again).
 */
function sendKey(entry: Pick<OutboxEntry, "id" | "createdAt">): string {
  return `o${entry.id}.${entry.createdAt.getTime().toString(36)}`;
}
