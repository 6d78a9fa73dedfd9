import { z } from "zod";
import { type OutgoingMessage, outgoingMessageSchema, paragraph } from "../core/message.ts";
import type { Tx } from "../db/client.ts";
import { retryingTransaction } from "../db/transaction.ts";
import type { Job } from "../generated/prisma/client.ts";
import { finishJob, finishJobs, markFailed, retryAt } from "./job-table.ts";
import type { Outbox } from "./outbox.ts";
import type { AnyJobHandler, JobContext, Scheduler, SchedulerHost } from "./port.ts";
import { nextOccurrence, storedRecurrenceSchema } from "./recurrence.ts";

const messagesSchema = z.array(outgoingMessageSchema);

/** What a run of due jobs did, for tests and the benchmark. */
export interface RunReport {
  ran: number;
  /** Messages sent (by `runDue` and `advanceTo`, which wait for the outbox). */
  delivered: number;
  retried: number;
  failed: number;
}

/** Jobs run in one transaction when many are due at once. */
const groupSize = 100;

/** Another process took the job over (its claim ran out): this run must not commit. */
class LostClaim extends Error {}

export interface JobRunnerDeps {
  bot: SchedulerHost;
  outbox: Outbox;
  scheduler: Scheduler;
  handlers: ReadonlyMap<string, AnyJobHandler>;
  options: { maxAttempts: number; backoffMs: number; maxBackoffMs: number; lateAfterMs: number };
  /** Arms the scheduler's timer for a time (a retry, a next occurrence). */
  wake: (at: number) => void;
}

/**
 * Runs one claimed job: its handler's work, the outbox entries of the messages it returns
 * and its "done" (or next occurrence) in one transaction, so a crash leaves all of it or
 * nothing. A handler that fails runs again with backoff; after its last attempt the job
 * fails and its owner is told.
 */
export class JobRunner {
  private readonly bot: SchedulerHost;
  private readonly outbox: Outbox;
  private readonly deps: JobRunnerDeps;

  constructor(deps: JobRunnerDeps) {
    this.deps = deps;
    this.bot = deps.bot;
    this.outbox = deps.outbox;
  }

  private get options(): JobRunnerDeps["options"] {
    return this.deps.options;
  }

  private wake(at: number): void {
    this.deps.wake(at);
  }

  private jobContext(tx: Tx): JobContext {
    return {
      db: tx,
      log: this.bot.log,
      scheduler: this.deps.scheduler,
      translator: (lang) => this.bot.translator(lang),
      localeFor: (member, team) => this.bot.localeFor(member, team, tx),
      localeOf: (member, team) => this.bot.localeOf(member, team),
    };
  }

  /**
   * Runs claimed jobs, several to a transaction when many are due at once (a burst). Each
   * job's work, its messages' outbox entries and its "done" are in its transaction: a crash
   * before the commit leaves nothing of the group (its jobs run again; nothing was sent),
   * after it all of it. A group with a job that fails runs again one job a transaction.
   */
  async runAll(jobs: readonly Job[], now: Date, report: RunReport): Promise<void> {
    for (let i = 0; i < jobs.length; i += groupSize) {
      const group = jobs.slice(i, i + groupSize);
      if (group.length > 1 && (await this.runGroup(group, now, report))) continue;
      for (const job of group) await this.run(job, now, report);
    }
  }

  private async runGroup(jobs: readonly Job[], now: Date, report: RunReport): Promise<boolean> {
    try {
      const { ids, next } = await retryingTransaction(this.bot.db, (tx) => this.workMany(jobs, now, tx));
      report.ran += jobs.length;
      for (const at of next) this.afterCommit({ ids: [], next: at });
      this.afterCommit({ ids, next: undefined });
      return true;
    } catch {
      return false;
    }
  }

  /**
   * A group's work in one transaction: the handlers that can run many jobs at once do (a few
   * reads for a burst of reminders instead of a few per reminder), the messages of all jobs
   * become outbox entries in one statement, and the one-off jobs are done in one more.
   */
  private async workMany(jobs: readonly Job[], now: Date, tx: Tx): Promise<{ ids: number[]; next: Date[] }> {
    const messages = await this.groupMessages(jobs, now, tx);
    const ids = await this.outbox.addMany(
      tx,
      jobs.map((job, i) => ({ messages: messages[i] ?? [], origin: this.origin(job, now) })),
    );
    const once = jobs.filter((job) => !job.recurrence);
    if (!(await finishJobs(tx, once, now))) throw new LostClaim();
    const next: Date[] = [];
    for (const job of jobs) {
      const at = job.recurrence ? await this.finish(tx, job, now) : undefined;
      if (at) next.push(at);
    }
    return { ids, next };
  }

  /** Each job's messages, in the order of `jobs`: jobs of a kind whose handler runs many at once together. */
  private async groupMessages(jobs: readonly Job[], now: Date, tx: Tx): Promise<OutgoingMessage[][]> {
    const results: OutgoingMessage[][] = [];
    const batches = new Map<AnyJobHandler, number[]>();
    for (const [i, job] of jobs.entries()) {
      const handler = this.deps.handlers.get(job.kind);
      if (handler?.runMany && job.outbox === null) batches.set(handler, [...(batches.get(handler) ?? []), i]);
      else results[i] = await this.jobMessages(job, now, this.isLate(job, now), tx);
    }
    for (const [handler, indexes] of batches) {
      const due = indexes.map((i) => {
        const job = jobs[i] as Job;
        const info = { jobId: job.id, dueAt: job.dueAt, late: this.isLate(job, now), now };
        return { payload: handler.schema.parse(job.payload), info };
      });
      const messages = (await handler.runMany?.(due, this.jobContext(tx))) ?? [];
      indexes.forEach((jobIndex, k) => (results[jobIndex] = messages[k] ?? []));
    }
    return results;
  }

  private isLate(job: Job, now: Date): boolean {
    return now.getTime() - job.dueAt.getTime() > this.options.lateAfterMs;
  }

  private origin(job: Job, now: Date) {
    return { ...(job.owner ? { owner: job.owner } : {}), dueAt: job.dueAt, lateNoted: this.isLate(job, now), now };
  }

  /** One job in its transaction: its messages become outbox entries, then it is done (or comes round again). */
  private async work(job: Job, now: Date, tx: Tx): Promise<{ ids: number[]; next: Date | undefined }> {
    const messages = await this.jobMessages(job, now, this.isLate(job, now), tx);
    const ids = await this.outbox.add(tx, messages, this.origin(job, now));
    return { ids, next: await this.finish(tx, job, now) };
  }

  private afterCommit(outcome: { ids: number[]; next: Date | undefined }): void {
    if (outcome.next) this.wake(outcome.next.getTime());
    if (outcome.ids.length > 0) this.outbox.scanSoon();
  }

  /** Runs one claimed job in a transaction of its own; a handler that fails is retried later. */
  async run(job: Job, now: Date, report: RunReport): Promise<void> {
    report.ran++;
    try {
      this.afterCommit(await retryingTransaction(this.bot.db, (tx) => this.work(job, now, tx)));
    } catch (error) {
      if (error instanceof LostClaim) {
        this.bot.log.warn({ jobId: job.id }, "another process took the job over");
        return;
      }
      await this.retryOrFail(job, now, error, report);
    }
  }

  private async jobMessages(job: Job, now: Date, late: boolean, tx: Tx): Promise<OutgoingMessage[]> {
    // Written by a version before the outbox: what was left to deliver moves to the outbox.
    if (job.outbox !== null) return messagesSchema.parse(job.outbox);
    const handler = this.deps.handlers.get(job.kind);
    if (!handler) throw new Error(`no handler registered for job kind ${job.kind}`);
    const payload = handler.schema.parse(job.payload);
    return handler.run(payload, { jobId: job.id, dueAt: job.dueAt, late, now }, this.jobContext(tx));
  }

  /** Marks the job done, or plans its next occurrence; returns that occurrence. */
  private async finish(tx: Tx, job: Job, now: Date): Promise<Date | undefined> {
    const recurrence = job.recurrence ? storedRecurrenceSchema.safeParse(job.recurrence) : undefined;
    // Missed occurrences are not replayed: continue from the next one after now.
    const after = new Date(Math.max(job.dueAt.getTime(), now.getTime()));
    const next = recurrence?.success && job.timeZone ? nextOccurrence(recurrence.data, job.timeZone, after) : undefined;
    // Rows from before RRULEs are written back as RRULEs.
    const won = await finishJob(tx, job, now, next && recurrence?.success ? { at: next, rule: recurrence.data } : undefined);
    if (!won) throw new LostClaim();
    return next;
  }

  private backoff(attempts: number): number {
    return Math.min(this.options.backoffMs * 2 ** Math.max(attempts - 1, 0), this.options.maxBackoffMs);
  }

  /** A handler that failed runs again later; after its last attempt the job fails and its owner is told. */
  private async retryOrFail(job: Job, now: Date, error: unknown, report: RunReport): Promise<void> {
    const reason = error instanceof Error ? error.message : String(error);
    if (job.attempts < this.options.maxAttempts) {
      report.retried++;
      const runAt = new Date(now.getTime() + this.backoff(job.attempts));
      this.bot.log.warn({ err: error, jobId: job.id, kind: job.kind, attempts: job.attempts }, "job will retry");
      await retryAt(this.bot.db, job, runAt, reason);
      this.wake(runAt.getTime());
      return;
    }
    report.failed++;
    this.bot.log.error({ err: error, jobId: job.id, kind: job.kind }, "job failed for good");
    // A recurring job goes on with its next occurrence even if this one failed.
    const recurrence = job.recurrence ? storedRecurrenceSchema.safeParse(job.recurrence) : undefined;
    const next = recurrence?.success && job.timeZone ? nextOccurrence(recurrence.data, job.timeZone, now) : undefined;
    await this.bot.db.$transaction(async (tx) => {
      await markFailed(tx, job, { reason, now, next });
      if (!job.owner) return;
      const { tr, lang, timeZone } = await this.bot.localeFor(job.owner, undefined, tx);
      const text = tr.tm("scheduler.jobFailed", { when: { kind: "time", at: job.dueAt, style: "datetime" } });
      const notice: OutgoingMessage = {
        audience: { kind: "member", member: job.owner },
        lang,
        timeZone,
        tone: "warning",
        blocks: [paragraph(...text)],
        actions: [],
        attachments: [],
      };
      await this.outbox.add(tx, [notice], { dueAt: now, now, notice: true });
    });
    this.outbox.scanSoon();
  }
}
