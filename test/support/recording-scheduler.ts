import type { Bot } from "../../src/core/bot.ts";
import type { AnyJobHandler, JobSpec, Scheduler } from "../../src/scheduler/port.ts";

interface RecordedJob extends JobSpec {
  id: number;
}

/**
 * An in-memory stand-in for the durable scheduler, for feature tests written before it
 * existed: it records what features schedule and runs due jobs when the test says so.
 */
export class RecordingScheduler implements Scheduler {
  readonly jobs: RecordedJob[] = [];
  private readonly handlers = new Map<string, AnyJobHandler>();
  private nextId = 1;

  constructor(private readonly bot: Bot) {}

  register(handler: AnyJobHandler): void {
    this.handlers.set(handler.kind, handler);
  }

  async schedule(job: JobSpec): Promise<number> {
    if (job.key) await this.cancel(job.key);
    const id = this.nextId++;
    this.jobs.push({ ...job, id });
    return id;
  }

  async cancel(key: string): Promise<number> {
    const matches = (k: string | undefined) =>
      k !== undefined && (key.endsWith(":*") ? k.startsWith(key.slice(0, -1)) : k === key);
    const before = this.jobs.length;
    for (let i = this.jobs.length - 1; i >= 0; i--) if (matches(this.jobs[i]?.key)) this.jobs.splice(i, 1);
    return before - this.jobs.length;
  }

  /** Runs every job due at `now`, in due order, and delivers what they return. */
  async runDue(now: Date): Promise<number> {
    const due = this.jobs
      .filter((j) => j.dueAt.getTime() <= now.getTime())
      .sort((a, b) => +a.dueAt - +b.dueAt);
    for (const job of due) {
      this.jobs.splice(this.jobs.indexOf(job), 1);
      const handler = this.handlers.get(job.kind);
      if (!handler) throw new Error(`no handler for job kind ${job.kind}`);
      const payload = handler.schema.parse(job.payload);
      const messages = await handler.run(
        payload,
        { jobId: job.id, dueAt: job.dueAt, late: false },
        {
          db: this.bot.db,
          log: this.bot.log,
          services: this.bot.services,
          translator: (lang) => this.bot.i18n.translator(lang),
          localeFor: (member, team) => this.bot.localeFor(member, team),
        },
      );
      await this.bot.deliver(messages);
    }
    return due.length;
  }
}
