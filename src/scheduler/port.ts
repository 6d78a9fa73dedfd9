import type { z } from "zod";
import type { Clock } from "../core/clock.ts";
import type { MemberLocale } from "../core/command.ts";
import type { Translator } from "../core/i18n.ts";
import type { Logger } from "../core/log.ts";
import type { OutgoingMessage } from "../core/message.ts";
import type { Language } from "../core/time.ts";
import type { Db, Tx } from "../db/client.ts";

/**
 * The durable scheduler as features see it. Jobs are database rows; a job of a kind is
 * run by the handler registered for that kind, which returns the messages to deliver.
 */
export interface JobSpec {
  /** A registered kind, e.g. "reminder", "poll.close", "task.due", "rr.escalate". */
  kind: string;
  /** When it is due (an instant; stored in UTC). */
  dueAt: Date;
  /** Validated with the kind's schema when the job runs. */
  payload: unknown;
  /**
   * Unique among pending jobs: scheduling again with the same key replaces the pending
   * job (re-planning), and `cancel(key)` removes it. E.g. "task:12:due".
   */
  key?: string;
  /**
   * Recurring jobs: a rule as typed ("jeden Montag um 8"), a cron expression, or an RRULE
   * ("RRULE:FREQ=…", optionally after a "DTSTART:…" line), evaluated in `timeZone`; stored
   * as an RRULE anchored at `dueAt`.
   */
  recurrence?: { rule: string; timeZone: string };
  /** Who to tell if delivery fails for good (a member reference). */
  owner?: string;
}

export interface JobRunInfo {
  jobId: number;
  dueAt: Date;
  /** The job runs after its time because the bot was down: say so in the message, with `dueAt`. */
  late: boolean;
  /** The scheduler's clock when the job runs (use it instead of Date.now: tests move it). */
  now: Date;
}

/** What a job handler may use: the database, the scheduler, and translators for the people it writes to. */
export interface JobContext {
  db: Db;
  log: Logger;
  scheduler: Scheduler;
  translator(lang: Language): Translator;
  /** A member's language and zone (falling back to the team's, then the defaults). */
  localeFor(member: string, team?: { language: string; timeZone: string }): Promise<MemberLocale>;
}

export interface JobHandler<P> {
  kind: string;
  schema: z.ZodType<P>;
  /** Does the job's work (in the database) and returns what to deliver; [] delivers nothing. */
  run(payload: P, info: JobRunInfo, ctx: JobContext): Promise<OutgoingMessage[]>;
}

/** A handler with its payload type erased, as features list them. */
export interface AnyJobHandler {
  kind: string;
  schema: z.ZodType;
  run(payload: unknown, info: JobRunInfo, ctx: JobContext): Promise<OutgoingMessage[]>;
}

/**
 * A handler as features list it. The scheduler parses every payload with `schema` before
 * `run`, so the erased handler only ever receives a P.
 */
export function defineJob<P>(handler: JobHandler<P>): AnyJobHandler {
  return handler;
}

/** A job planned for an entity (see `Scheduler.pendingFor`). */
export interface PendingJob {
  key: string;
  dueAt: Date;
}

export interface Scheduler {
  /** Registers the handler for a kind; call before `start`. */
  register(handler: AnyJobHandler): void;
  /** Adds (or, with a key, replaces) a job; pass the transaction when the feature writes in one. */
  schedule(job: JobSpec, tx?: Tx): Promise<number>;
  /** Removes the pending job(s) with this key (or key prefix ending in ":*"); returns how many. */
  cancel(key: string, tx?: Tx): Promise<number>;
  /** What is planned for an entity: unfinished jobs with this key or key prefix ("reminder:12:*"), soonest first. */
  pendingFor(key: string): Promise<PendingJob[]>;
  /** When a job recurring by this rule would run first after `after`; undefined when the rule is none. */
  firstOccurrence(rule: string, timeZone: string, after: Date): Date | undefined;
}

/**
 * What the durable scheduler needs from the rest of the bot: the database, the clock,
 * delivery and the readers' languages. The app hands it these, never the whole bot.
 */
export interface SchedulerHost {
  readonly db: Db;
  readonly log: Logger;
  readonly clock: Clock;
  deliver(messages: OutgoingMessage[]): Promise<void>;
  /** Sends one message; throws when the platform refused it. */
  deliverOne(message: OutgoingMessage): Promise<void>;
  recordFailure(message: OutgoingMessage, error: unknown): Promise<void>;
  translator(lang: Language): Translator;
  localeFor(member: string, team?: { language: string; timeZone: string }): Promise<MemberLocale>;
}
