import type { z } from "zod";
import type { Clock } from "../core/clock.ts";
import type { MemberLocale } from "../core/command.ts";
import type { Translator } from "../core/i18n.ts";
import type { Logger } from "../core/log.ts";
import type { OutgoingMessage } from "../core/message.ts";
import type { Language } from "../core/time.ts";
import type { Db, DbOrTx, Tx } from "../db/client.ts";

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

/**
 * What a job handler may use: the job's transaction (its work, the outbox entries of the
 * messages it returns and the job's "done" commit together), the scheduler, and
 * translators for the people it writes to.
 */
export interface JobContext {
  /** The job's transaction: read and write only through it (the one connection is its). */
  db: Tx;
  log: Logger;
  scheduler: Scheduler;
  translator(lang: Language): Translator;
  /** A member's language and zone (falling back to the team's, then the defaults). */
  localeFor(member: string, team?: { language: string; timeZone: string }): Promise<MemberLocale>;
  /** The same for a member row read already (a handler that reads many members at once). */
  localeOf(member: MemberPreferences | undefined, team?: { language: string; timeZone: string }): MemberLocale;
}

/** What of a member decides the language and zone of messages to them. */
export interface MemberPreferences {
  language: string | null;
  timeZone: string | null;
}

/** One due job of a batch handed to `runMany`. */
export interface DueJob<P> {
  payload: P;
  info: JobRunInfo;
}

export interface JobHandler<P> {
  kind: string;
  schema: z.ZodType<P>;
  /**
   * Does the job's work (in the job's transaction) and returns what to send; [] sends
   * nothing. The messages become outbox entries in the same transaction.
   */
  run(payload: P, info: JobRunInfo, ctx: JobContext): Promise<OutgoingMessage[]>;
  /**
   * Optional: the same as `run` for many jobs of the kind due at once (a burst), reading
   * what they need in a few queries instead of a few per job. Returns each job's messages,
   * in the order of `jobs`.
   */
  runMany?(jobs: readonly DueJob<P>[], ctx: JobContext): Promise<OutgoingMessage[][]>;
}

/** A handler with its payload type erased, as features list them. */
export interface AnyJobHandler {
  kind: string;
  schema: z.ZodType;
  run(payload: unknown, info: JobRunInfo, ctx: JobContext): Promise<OutgoingMessage[]>;
  runMany?(jobs: readonly DueJob<unknown>[], ctx: JobContext): Promise<OutgoingMessage[][]>;
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
  /**
   * What is planned for an entity: unfinished jobs with this key or key prefix ("reminder:12:*"),
   * or any of several exact keys, soonest first. Inside a transaction pass it (the one
   * connection is the transaction's).
   */
  pendingFor(key: string | readonly string[], handle?: DbOrTx): Promise<PendingJob[]>;
  /** When a job recurring by this rule would run first after `after`; undefined when the rule is none. */
  firstOccurrence(rule: string, timeZone: string, after: Date): Date | undefined;
}

/**
 * What the durable scheduler needs from the rest of the bot: the database, the clock,
 * sending through the adapters and the readers' languages. The app hands it these, never
 * the whole bot.
 */
export interface SchedulerHost {
  readonly db: Db;
  readonly log: Logger;
  readonly clock: Clock;
  /** Sends one message through its platform's adapter; throws when the platform refused it. `key`: the same for each try. */
  send(message: OutgoingMessage, key: string): Promise<void>;
  /** Whether a platform's adapter runs and is connected here (messages to it wait while it is not). */
  platformUp(name: string): boolean;
  /** Another process holds the platform's connection: it sends the platform's messages. */
  platformElsewhere(name: string): boolean;
  /** Asks that process to look for messages to send. */
  nudgePlatform(name: string): void;
  translator(lang: Language): Translator;
  localeFor(member: string, team?: { language: string; timeZone: string }, handle?: DbOrTx): Promise<MemberLocale>;
  localeOf(member: MemberPreferences | undefined, team?: { language: string; timeZone: string }): MemberLocale;
}

/** What a feature records once one of its messages was sent (a reminder becomes delivered). */
export interface SentHandler<D> {
  kind: string;
  schema: z.ZodType<D>;
  /** Runs in the transaction that marks the outbox entries sent (several when a burst went out). */
  run(sent: readonly D[], info: { sentAt: Date; tx: Tx }): Promise<void>;
}

/** A sent handler with its data type erased, as features list them. */
export interface AnySentHandler {
  kind: string;
  schema: z.ZodType;
  run(sent: readonly unknown[], info: { sentAt: Date; tx: Tx }): Promise<void>;
}

export function defineSentHandler<D>(handler: SentHandler<D>): AnySentHandler {
  return handler;
}

/** A failed outbox entry as coordinators see it. */
export interface FailedDelivery {
  id: number;
  /** The room or member it was for, and their display name where known. */
  target: string;
  targetName: string;
  /** A post to a room (its text may be shown) or a private message (never shown to others). */
  kind: "room" | "member";
  message: OutgoingMessage;
  dueAt: Date;
  failedAt: Date;
  error: string;
}

/** The outbox as features see it: failed deliveries of a team, and taking one to send again. */
export interface Deliveries {
  /** The team's failed deliveries, newest first. */
  failed(teamRef: string, limit: number): Promise<FailedDelivery[]>;
  /**
   * Takes a failed delivery of the team to send again (marked "resent" on `handle`): its
   * message, with what it records once sent; undefined when the team has no such failure.
   */
  takeFailed(handle: DbOrTx, teamRef: string, id: number): Promise<OutgoingMessage | undefined>;
}
