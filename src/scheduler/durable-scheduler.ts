import cron, { type ScheduledTask } from "node-cron";
import type { DbOrTx, Tx } from "../db/client.ts";
import { asJson, noJson } from "../db/json.ts";
import { retryingTransaction } from "../db/transaction.ts";
import type { Job } from "../generated/prisma/client.ts";
import { Heartbeat, isStaleClaim, processOwner } from "./claims.ts";
import {
  claimDue,
  extendJobClaims,
  firstDueBy,
  nextTimes,
  pendingJobs,
  plannedJobs,
  purgeFinished,
  releaseJobs,
} from "./job-table.ts";
import { JobRunner, type RunReport } from "./job-runner.ts";
import { Outbox } from "./outbox.ts";
import { claimHolders, releaseClaims } from "./outbox-table.ts";
import type { AnyJobHandler, AnySentHandler, JobSpec, PendingJob, Scheduler, SchedulerHost } from "./port.ts";
import { compileRule, nextOccurrence, type StoredRecurrence } from "./recurrence.ts";

export interface SchedulerOptions {
  /** This process's name in claims (default: host, process id and start, and a random id). */
  owner?: string;
  /** How long a claim holds without a heartbeat before another process may take the job over. */
  leaseMs?: number;
  /** The longest sleep, so a clock jump is noticed (default one minute). */
  maxSleepMs?: number;
  /** Attempts of a job whose handler fails before it is recorded as failed. */
  maxAttempts?: number;
  /** Delay before the first retry (of a job, of a delivery); doubled each time up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** How long a refused delivery is retried before it counts as failed (default 24 hours). */
  retryForMs?: number;
  /** A job that runs more than this after its time is "late" (the bot was down). */
  lateAfterMs?: number;
  /** Jobs claimed in one go. */
  batchSize?: number;
  /** The clock (default: the bot's). */
  now?: () => Date;
}

export type { RunReport };

/**
 * Durable jobs in the `Job` table, and the outbox that sends every message. One timer
 * sleeps until the next due job (capped, so a clock jump is noticed); due jobs are claimed
 * with a conditional update under a short lease that a heartbeat keeps alive. Each job
 * runs in one transaction with the outbox entries of its messages and its "done" (or next
 * occurrence): a crash leaves either all of it or nothing. A handler that fails is retried
 * with backoff, then recorded as failed and the job's owner told.
 */
export class DurableScheduler implements Scheduler {
  readonly owner: string;
  readonly outbox: Outbox;
  private readonly handlers = new Map<string, AnyJobHandler>();
  private readonly options: Required<Omit<SchedulerOptions, "owner" | "now" | "retryForMs">>;
  private readonly clock: () => Date;
  private readonly heartbeat: Heartbeat;
  private readonly runner: JobRunner;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private purger: ScheduledTask | undefined;
  private wakeAt: number | undefined;
  private started = false;
  private running: Promise<RunReport> | undefined;
  private busy: Promise<unknown> | undefined;
  private again = false;
  /** Extra wake times for jobs scheduled in a transaction not yet committed. */
  private readonly hints = new Set<number>();
  private purging: Promise<unknown> | undefined;
  /** How often the timer fired (tests check that the process sleeps instead of polling). */
  wakeups = 0;

  private readonly bot: SchedulerHost;

  constructor(bot: SchedulerHost, options: SchedulerOptions = {}) {
    this.bot = bot;
    this.owner = options.owner ?? processOwner();
    this.clock = options.now ?? (() => bot.clock.now());
    this.options = {
      leaseMs: options.leaseMs ?? 60_000,
      maxSleepMs: options.maxSleepMs ?? 60_000,
      maxAttempts: options.maxAttempts ?? 5,
      backoffMs: options.backoffMs ?? 30_000,
      maxBackoffMs: options.maxBackoffMs ?? 15 * 60_000,
      lateAfterMs: options.lateAfterMs ?? 60_000,
      batchSize: options.batchSize ?? 500,
    };
    const lease = this.options.leaseMs;
    this.heartbeat = new Heartbeat(lease / 3, (tokens) =>
      extendJobClaims(bot.db, tokens, new Date(this.clock().getTime() + lease)),
    );
    this.outbox = new Outbox(bot, {
      owner: this.owner,
      now: this.clock,
      leaseMs: lease,
      backoffMs: this.options.backoffMs,
      maxBackoffMs: this.options.maxBackoffMs,
      lateAfterMs: this.options.lateAfterMs,
      maxSleepMs: this.options.maxSleepMs,
      ...(options.retryForMs ? { retryForMs: options.retryForMs } : {}),
    });
    this.runner = new JobRunner({
      bot,
      outbox: this.outbox,
      scheduler: this,
      handlers: this.handlers,
      options: this.options,
      wake: (at) => this.wake(at),
    });
  }

  register(handler: AnyJobHandler): void {
    if (this.handlers.has(handler.kind)) throw new Error(`job kind ${handler.kind} registered twice`);
    this.handlers.set(handler.kind, handler);
  }

  /** A feature's handler for what to record once one of its messages was sent. */
  registerSent(handler: AnySentHandler): void {
    this.outbox.registerSent(handler);
  }

  async schedule(job: JobSpec, tx?: Tx): Promise<number> {
    const handler = this.handlers.get(job.kind);
    if (!handler) throw new Error(`no handler registered for job kind ${job.kind}`);
    handler.schema.parse(job.payload);
    let recurrence: StoredRecurrence | undefined;
    if (job.recurrence) {
      // Anchored just before the first occurrence, so "every 2 weeks" counts from its week.
      recurrence = compileRule(job.recurrence.rule, job.recurrence.timeZone, new Date(job.dueAt.getTime() - 1));
      if (!recurrence) throw new Error(`not a recurrence rule: ${job.recurrence.rule}`);
    }
    const write = async (db: Tx): Promise<number> => {
      if (job.key) await releaseJobs(db, job.key);
      const row = await db.job.create({
        data: {
          kind: job.kind,
          payload: asJson(job.payload),
          dueAt: job.dueAt,
          runAt: job.dueAt,
          pendingKey: job.key ?? null,
          recurrence: recurrence ? asJson(recurrence) : noJson,
          timeZone: job.recurrence?.timeZone ?? null,
          owner: job.owner ?? null,
        },
      });
      return row.id;
    };
    const id = await retryingTransaction(tx ?? this.bot.db, write);
    if (tx) {
      // Inside a transaction the row is invisible until the caller commits: look again a
      // little later, so a job due right away is not left to the one-minute wakeup.
      // (Later jobs are found by the regular look after each run.)
      const due = job.dueAt.getTime();
      const now = this.clock().getTime();
      if (this.started && due - now < this.options.maxSleepMs) {
        for (const delay of [50, 500, 2_000]) this.hints.add(Math.max(due, now) + delay);
      }
      this.wake(due + 50);
    } else {
      this.wake(job.dueAt.getTime());
    }
    return id;
  }

  async cancel(key: string, tx?: Tx): Promise<number> {
    return retryingTransaction(tx ?? this.bot.db, (db) => releaseJobs(db, key));
  }

  pendingFor(key: string | readonly string[], handle?: DbOrTx): Promise<PendingJob[]> {
    return plannedJobs(handle ?? this.bot.db, key);
  }

  firstOccurrence(rule: string, timeZone: string, after: Date): Date | undefined {
    const recurrence = compileRule(rule, timeZone, after);
    return recurrence ? nextOccurrence(recurrence, timeZone, after) : undefined;
  }

  /** Pending jobs with this key or key prefix, as rows (tests). */
  pending(key?: string): Promise<Job[]> {
    return pendingJobs(this.bot.db, key);
  }

  /**
   * Starts the timers: gives back claims that dead processes of this host left, runs what
   * is overdue now (late), sends what waits in the outbox, then sleeps until the next job.
   */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.purging = this.releaseStaleClaims()
      .catch((error: unknown) => this.bot.log.warn({ err: error }, "could not release stale claims"))
      .then(() => {
        if (!this.started) return;
        this.wake(this.clock().getTime());
        this.outbox.start();
        return this.purge();
      })
      .catch((error: unknown) => this.bot.log.warn({ err: error }, "could not purge old jobs"));
    // Periodic upkeep (node-cron, in-process): finished jobs and sent messages are forgotten
    // every hour, so the tables stay small however long the bot runs.
    this.purger = cron.schedule(
      "17 * * * *",
      () => this.purge().catch((error: unknown) => this.bot.log.warn({ err: error }, "could not purge old jobs")),
      { name: "purge", noOverlap: true, unref: true },
    );
  }

  /** Claims of processes of this host that no longer run: their jobs and messages are taken up again at once. */
  async releaseStaleClaims(): Promise<number> {
    const stale = (await claimHolders(this.bot.db)).filter((token) => isStaleClaim(token, this.owner));
    const released = await releaseClaims(this.bot.db, stale);
    if (released > 0) this.bot.log.info({ released }, "took up jobs and messages of a process that stopped");
    return released;
  }

  /** Forgets finished jobs after 30 days, sent messages after a week, failed ones after 30 days. */
  async purge(olderThanDays = 30): Promise<number> {
    const now = this.clock();
    const jobs = await purgeFinished(this.bot.db, new Date(now.getTime() - olderThanDays * 86_400_000));
    return jobs + (await this.outbox.purge(now));
  }

  /** When the timer is armed for (tests). */
  get nextWake(): Date | undefined {
    return this.wakeAt === undefined ? undefined : new Date(this.wakeAt);
  }

  /** Another process asked this one to look for work (it wrote messages for a platform this one leads). */
  nudge(): void {
    void this.tick();
    this.outbox.scanSoon();
  }

  /** Resolves when the start-up work is done, no run started by the timer is in progress and the outbox sends nothing (tests). */
  async idle(): Promise<void> {
    await this.purging;
    while (this.busy) await this.busy.catch(() => undefined);
    await this.outbox.idle();
  }

  /** Stops the timers and waits for a run in progress; the outbox finishes the messages in flight. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    void this.purger?.destroy();
    this.purger = undefined;
    this.timer = undefined;
    this.wakeAt = undefined;
    await this.running?.catch(() => undefined);
    while (this.busy) await this.busy.catch(() => undefined);
    await this.purging;
    await this.outbox.stop();
    this.heartbeat.stop();
  }

  /** Arms the single timer for `at` unless it is already set to wake earlier. */
  private wake(at: number): void {
    if (!this.started) return;
    if (this.wakeAt !== undefined && this.wakeAt <= at && this.timer) return;
    if (this.timer) clearTimeout(this.timer);
    const now = this.clock().getTime();
    const delay = Math.min(Math.max(at - now, 0), this.options.maxSleepMs);
    this.wakeAt = now + delay;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.wakeAt = undefined;
      this.wakeups++;
      const run = this.tick();
      this.busy = run;
      void run.finally(() => {
        if (this.busy === run) this.busy = undefined;
      });
    }, delay);
    this.timer.unref();
  }

  /** A job was scheduled while a run was going on (the flag is set from outside the loop). */
  private rerunRequested(): boolean {
    return this.again && this.started;
  }

  /** Runs what is due now and re-arms the timer; concurrent calls coalesce. */
  async tick(): Promise<RunReport> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const work = (async () => {
      const total = emptyReport();
      do {
        this.again = false;
        try {
          add(total, await this.runDue(this.clock(), { waitForOutbox: false }));
        } catch (error) {
          this.bot.log.error({ err: error }, "scheduler run failed");
        }
      } while (this.rerunRequested());
      return total;
    })();
    this.running = work;
    try {
      return await work;
    } finally {
      this.running = undefined;
      if (this.started) await this.rearm();
    }
  }

  private async rearm(): Promise<void> {
    try {
      const planned = await nextTimes(this.bot.db);
      const now = this.clock().getTime();
      for (const hint of this.hints) if (hint <= now) this.hints.delete(hint);
      const times = planned.map((d) => d.getTime()).concat([...this.hints]);
      const at = times.length > 0 ? Math.min(...times) : Number.POSITIVE_INFINITY;
      this.wake(Math.min(at, this.clock().getTime() + this.options.maxSleepMs));
    } catch (error) {
      this.bot.log.error({ err: error }, "scheduler could not find its next job");
      this.wake(this.clock().getTime() + this.options.maxSleepMs);
    }
  }

  /**
   * Claims and runs every job due at `now` (and jobs whose claim expired), in due order, each
   * marked done right after its own work. Tests call it with a chosen instant; it then also
   * waits until the outbox sent what is due at `now`.
   */
  async runDue(now: Date, options: { waitForOutbox?: boolean } = {}): Promise<RunReport> {
    const report = emptyReport();
    for (;;) {
      const claimed = await claimDue(this.bot.db, now, { owner: this.owner, ...this.options });
      if (claimed.length === 0) break;
      const token = claimed[0]?.claimedBy ?? this.owner;
      this.heartbeat.hold(token);
      try {
        await this.runner.runAll(claimed, now, report);
      } finally {
        this.heartbeat.release(token);
      }
    }
    if (options.waitForOutbox !== false) report.delivered += await this.outbox.drain(now);
    return report;
  }

  /**
   * Lets time pass until `until` as if the bot ran all along: each job runs at its own
   * time (never late), recurring jobs come round again, refused messages are retried on
   * their backoff. The test harness's `runDueJobs` uses it.
   */
  async advanceTo(until: Date, onStep?: (at: Date) => void, maxRuns = 10_000): Promise<RunReport> {
    const report = emptyReport();
    for (let i = 0; i < maxRuns; i++) {
      const times = [await firstDueBy(this.bot.db, until), await this.outbox.nextDue(until)];
      const next = times.filter((t): t is Date => t !== undefined).sort((a, b) => a.getTime() - b.getTime())[0];
      if (!next) break;
      onStep?.(next);
      add(report, await this.runDue(next));
    }
    return report;
  }
}

function emptyReport(): RunReport {
  return { ran: 0, delivered: 0, retried: 0, failed: 0 };
}

function add(total: RunReport, step: RunReport): void {
  total.ran += step.ran;
  total.delivered += step.delivered;
  total.retried += step.retried;
  total.failed += step.failed;
}
