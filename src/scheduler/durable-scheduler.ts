import { randomUUID } from "node:crypto";
import { z } from "zod";
import { ConnectedElsewhere, UndeliverableError } from "../core/errors.ts";
import { type OutgoingMessage, outgoingMessageSchema } from "../core/message.ts";
import type { Tx } from "../db/client.ts";
import { asJson, jsonOrNull, noJson } from "../db/json.ts";
import type { Job } from "../generated/prisma/client.ts";
import { tellOwner } from "./notify.ts";
import {
  claimDue,
  firstDueBy,
  handedOverTo,
  handOver,
  markDone,
  markFailed,
  nextTimes,
  pendingJobs,
  plannedJobs,
  purgeFinished,
  recur,
  releaseJobs,
  retryAt,
} from "./job-table.ts";
import type { AnyJobHandler, JobContext, JobSpec, PendingJob, Scheduler, SchedulerHost } from "./port.ts";
import { compileRule, nextOccurrence, type StoredRecurrence, storedRecurrenceSchema } from "./recurrence.ts";

export interface SchedulerOptions {
  /** This process's name in claims (default: a random id). */
  owner?: string;
  /** How long a claim holds before another process may retry the job. */
  leaseMs?: number;
  /** The longest sleep, so a clock jump is noticed (default one minute). */
  maxSleepMs?: number;
  /** Attempts before a job is recorded as failed. */
  maxAttempts?: number;
  /** Delay before the first retry; doubled each time up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  /** A job that runs more than this after its time is "late" (the bot was down). */
  lateAfterMs?: number;
  /** Jobs claimed in one go. */
  batchSize?: number;
  /** The clock (default: the bot's). */
  now?: () => Date;
  /** Platforms this process leads now (src/adapters/leader-only.ts): it takes their handed-over jobs. */
  leads?: () => readonly string[];
  /** Called after a job was handed over to the process leading `platform`. */
  onHandOver?: (platform: string) => void;
}

const messagesSchema = z.array(outgoingMessageSchema);

/** What a run of due jobs did, for tests and the benchmark. */
export interface RunReport {
  ran: number;
  delivered: number;
  retried: number;
  failed: number;
}

/**
 * Durable jobs in the `Job` table. One timer sleeps until the next due job (capped, so
 * a clock jump is noticed); due jobs are claimed with a conditional update (PostgreSQL:
 * FOR UPDATE SKIP LOCKED), so processes on one database never both run a job; a claim
 * that outlives its process expires and the job is retried. Failed deliveries are retried with backoff, then
 * recorded (FailedDelivery) and the job's owner is told.
 */
export class DurableScheduler implements Scheduler {
  readonly owner: string;
  private readonly handlers = new Map<string, AnyJobHandler>();
  private readonly options: Required<Omit<SchedulerOptions, "owner" | "now" | "leads" | "onHandOver">>;
  private readonly leads: () => readonly string[];
  private readonly onHandOver: ((platform: string) => void) | undefined;
  private readonly clock: () => Date;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private wakeAt: number | undefined;
  private started = false;
  private running: Promise<RunReport> | undefined;
  private busy: Promise<unknown> | undefined;
  private again = false;
  /** Extra wake times for jobs scheduled in a transaction not yet committed. */
  private readonly hints = new Set<number>();
  private purging: Promise<number> | undefined;
  /** How often the timer fired (tests check that the process sleeps instead of polling). */
  wakeups = 0;

  private readonly bot: SchedulerHost;

  constructor(bot: SchedulerHost, options: SchedulerOptions = {}) {
    this.bot = bot;
    this.owner = options.owner ?? `teambot-${randomUUID().slice(0, 8)}`;
    this.clock = options.now ?? (() => bot.clock.now());
    this.leads = options.leads ?? (() => []);
    this.onHandOver = options.onHandOver;
    this.options = {
      leaseMs: options.leaseMs ?? 5 * 60_000,
      maxSleepMs: options.maxSleepMs ?? 60_000,
      maxAttempts: options.maxAttempts ?? 5,
      backoffMs: options.backoffMs ?? 30_000,
      maxBackoffMs: options.maxBackoffMs ?? 30 * 60_000,
      lateAfterMs: options.lateAfterMs ?? 60_000,
      batchSize: options.batchSize ?? 500,
    };
  }

  register(handler: AnyJobHandler): void {
    if (this.handlers.has(handler.kind)) throw new Error(`job kind ${handler.kind} registered twice`);
    this.handlers.set(handler.kind, handler);
  }

  async schedule(job: JobSpec, tx?: Tx): Promise<number> {
    const handler = this.handlers.get(job.kind);
    if (!handler) throw new Error(`no handler registered for job kind ${job.kind}`);
    handler.schema.parse(job.payload);
    let recurrence: StoredRecurrence | undefined;
    if (job.recurrence) {
      // Anchored just before the first occurrence, so "every 2 weeks" counts from its week.
      recurrence = compileRule(
        job.recurrence.rule,
        job.recurrence.timeZone,
        new Date(job.dueAt.getTime() - 1),
      );
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
    const id = tx ? await write(tx) : await this.bot.db.$transaction((t) => write(t));
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
    const run = (db: Tx) => releaseJobs(db, key);
    return tx ? run(tx) : this.bot.db.$transaction(run);
  }

  pendingFor(key: string): Promise<PendingJob[]> {
    return plannedJobs(this.bot.db, key);
  }

  firstOccurrence(rule: string, timeZone: string, after: Date): Date | undefined {
    const recurrence = compileRule(rule, timeZone, after);
    return recurrence ? nextOccurrence(recurrence, timeZone, after) : undefined;
  }

  /** Pending jobs with this key or key prefix, as rows (tests). */
  pending(key?: string): Promise<Job[]> {
    return pendingJobs(this.bot.db, key);
  }

  /** Starts the timer: runs what is overdue now (late), then sleeps until the next job. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.wake(this.clock().getTime());
    void this.purge().catch((error: unknown) =>
      this.bot.log.warn({ err: error }, "could not purge old jobs"),
    );
  }

  /** Forgets finished jobs after a while (failed deliveries stay in FailedDelivery). */
  async purge(olderThanDays = 30): Promise<number> {
    return purgeFinished(this.bot.db, new Date(this.clock().getTime() - olderThanDays * 86_400_000));
  }

  /** When the timer is armed for (tests). */
  get nextWake(): Date | undefined {
    return this.wakeAt === undefined ? undefined : new Date(this.wakeAt);
  }

  /** Resolves when no run started by the timer is in progress (tests). */
  async idle(): Promise<void> {
    while (this.busy) await this.busy.catch(() => undefined);
  }

  /** Stops the timer and waits for a run in progress. */
  async stop(): Promise<void> {
    this.started = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.wakeAt = undefined;
    await this.running?.catch(() => undefined);
    await this.idle();
    await this.purging;
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
      const total: RunReport = { ran: 0, delivered: 0, retried: 0, failed: 0 };
      do {
        this.again = false;
        try {
          const report = await this.runDue(this.clock());
          total.ran += report.ran;
          total.delivered += report.delivered;
          total.retried += report.retried;
          total.failed += report.failed;
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
      const planned = await nextTimes(this.bot.db, this.handedOver());
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
   * Claims and runs every job due at `now` (and jobs whose claim expired), in due order.
   * Tests call it with a chosen instant.
   */
  async runDue(now: Date): Promise<RunReport> {
    const report: RunReport = { ran: 0, delivered: 0, retried: 0, failed: 0 };
    for (;;) {
      const claimed = await claimDue(this.bot.db, now, {
        owner: this.owner,
        ...this.options,
        handedOver: this.handedOver(),
      });
      if (claimed.length === 0) return report;
      const done: number[] = [];
      for (const job of claimed) {
        const outcome = await this.runJob(job, now, report);
        if (outcome === "done") done.push(job.id);
      }
      if (done.length > 0) await markDone(this.bot.db, done, claimed[0]?.claimedBy ?? this.owner, now);
    }
  }

  /**
   * Lets time pass until `until` as if the bot ran all along: each job runs at its own
   * time (never late), recurring jobs come round again, retries follow their backoff.
   * The test harness's `runDueJobs` uses it.
   */
  async advanceTo(until: Date, onStep?: (at: Date) => void, maxRuns = 10_000): Promise<RunReport> {
    const report: RunReport = { ran: 0, delivered: 0, retried: 0, failed: 0 };
    for (let i = 0; i < maxRuns; i++) {
      const next = await firstDueBy(this.bot.db, until, this.handedOver());
      if (!next) break;
      onStep?.(next);
      const step = await this.runDue(next);
      report.ran += step.ran;
      report.delivered += step.delivered;
      report.retried += step.retried;
      report.failed += step.failed;
    }
    return report;
  }

  private jobContext(): JobContext {
    return {
      db: this.bot.db,
      log: this.bot.log,
      scheduler: this,
      translator: (lang) => this.bot.translator(lang),
      localeFor: (member, team) => this.bot.localeFor(member, team),
    };
  }

  /** Runs one claimed job; returns "done" when a one-off job finished (marked in bulk). */
  private async runJob(job: Job, now: Date, report: RunReport): Promise<"done" | "other"> {
    report.ran++;
    let messages: OutgoingMessage[];
    try {
      if (job.outbox !== null) {
        messages = messagesSchema.parse(job.outbox);
      } else {
        const handler = this.handlers.get(job.kind);
        if (!handler) throw new Error(`no handler registered for job kind ${job.kind}`);
        const payload = handler.schema.parse(job.payload);
        const late = now.getTime() - job.dueAt.getTime() > this.options.lateAfterMs;
        messages = await handler.run(payload, { jobId: job.id, dueAt: job.dueAt, late, now }, this.jobContext());
      }
    } catch (error) {
      await this.retryOrFail(job, now, error, null, report);
      return "other";
    }
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i];
      if (!message) continue;
      try {
        await this.bot.deliverOne(message);
        report.delivered++;
      } catch (error) {
        if (error instanceof UndeliverableError) {
          // Retrying cannot help (closed DMs): record it and go on with the job's other messages.
          report.failed++;
          await this.bot.recordFailure(message, error);
          continue;
        }
        if (error instanceof ConnectedElsewhere) {
          await handOver(this.bot.db, job, now, error.platform, messages.slice(i));
          this.onHandOver?.(error.platform);
        } else {
          await this.retryOrFail(job, now, error, messages.slice(i), report);
        }
        return "other";
      }
    }
    return this.finish(job, now);
  }

  /** The claims of jobs handed over to the platforms this process leads. */
  private handedOver(): string[] {
    return this.leads().map(handedOverTo);
  }

  private async finish(job: Job, now: Date): Promise<"done" | "other"> {
    const recurrence = job.recurrence
      ? storedRecurrenceSchema.safeParse(job.recurrence)
      : undefined;
    if (recurrence?.success && job.timeZone) {
      // Missed occurrences are not replayed: continue from the next one after now.
      const after = new Date(Math.max(job.dueAt.getTime(), now.getTime()));
      const next = nextOccurrence(recurrence.data, job.timeZone, after);
      if (next) {
        // Rows from before RRULEs are written back as RRULEs.
        await recur(this.bot.db, job, next, recurrence.data);
        this.wake(next.getTime());
        return "other";
      }
    }
    return "done";
  }

  private backoff(attempts: number): number {
    return Math.min(this.options.backoffMs * 2 ** Math.max(attempts - 1, 0), this.options.maxBackoffMs);
  }

  private async retryOrFail(
    job: Job,
    now: Date,
    error: unknown,
    undelivered: OutgoingMessage[] | null,
    report: RunReport,
  ): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    const outbox = undelivered ? asJson(undelivered) : jsonOrNull(job.outbox);
    if (job.attempts < this.options.maxAttempts) {
      report.retried++;
      const runAt = new Date(now.getTime() + this.backoff(job.attempts));
      this.bot.log.warn(
        { err: error, jobId: job.id, kind: job.kind, attempts: job.attempts },
        "job will retry",
      );
      await retryAt(this.bot.db, job, runAt, reason, outbox);
      this.wake(runAt.getTime());
      return;
    }
    report.failed++;
    this.bot.log.error({ err: error, jobId: job.id, kind: job.kind }, "job failed for good");
    for (const message of undelivered ?? []) await this.bot.recordFailure(message, error);
    // A recurring job goes on with its next occurrence even if this one failed.
    const recurrence = job.recurrence ? storedRecurrenceSchema.safeParse(job.recurrence) : undefined;
    const next =
      recurrence?.success && job.timeZone ? nextOccurrence(recurrence.data, job.timeZone, now) : undefined;
    await markFailed(this.bot.db, job, { reason, outbox, now, next });
    await tellOwner(this.bot, job, undelivered ?? []);
  }
}
