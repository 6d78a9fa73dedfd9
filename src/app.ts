import { families } from "../commands/index.ts";
import { type Config, discordEnabled, matrixEnabled } from "./config.ts";
import { Bot } from "./core/bot.ts";
import { type Clock, systemClock } from "./core/clock.ts";
import type { Defaults } from "./core/context.ts";
import { defaultI18n } from "./core/catalog.ts";
import type { I18n } from "./core/i18n.ts";
import type { Logger } from "./core/log.ts";
import { Registry } from "./core/registry.ts";
import { type Db, openDatabase } from "./db/client.ts";
import { createDirectory } from "./features/directory.ts";
import { createMembership } from "./features/membership.ts";
import type { MeetingsPort } from "./features/meetings/port.ts";
import { createMeetingsService } from "./features/meetings/service.ts";
import { createDatePollsService } from "./features/polls/dates.ts";
import { createPollsService } from "./features/polls/service.ts";
import { planRetention } from "./features/privacy/retention.ts";
import { createPrivacyService } from "./features/privacy/service.ts";
import { createRapidService } from "./features/rapid/service.ts";
import { createRemindersService } from "./features/reminders/service.ts";
import { featureJobs, type Services } from "./features/services.ts";
import { createTasksService } from "./features/tasks/use-cases.ts";
import { backupBeforeMigrating } from "./ops/upgrade.ts";
import { DurableScheduler } from "./scheduler/durable-scheduler.ts";
import type { Scheduler, SchedulerHost } from "./scheduler/port.ts";

export interface App {
  bot: Bot<Services>;
  db: Db;
  /** What command handlers use; the same object as `bot.services`. */
  services: Services;
  /** The scheduler the app runs (the durable one unless a test passed another). */
  scheduler: Scheduler;
  /** Starts the scheduler's timer (call after `bot.start()`); a no-op for stand-ins without one. */
  startScheduler(): void;
  /** Stops input, finishes in-flight work, closes the database. */
  close(): Promise<void>;
}

/** The translations from `locales/`, read once. */
export function createI18n(): I18n {
  return defaultI18n();
}

export interface AppOptions {
  db?: Db;
  /** Where "now" comes from (default: the system clock). */
  clock?: Clock;
  /** Builds the scheduler (default: the durable one); features' job kinds are registered on it. */
  scheduler?: (host: SchedulerHost) => Scheduler;
  /** Where meeting-date polls plan their meetings (default: the meetings feature; tests stand in). */
  meetings?: MeetingsPort;
}

/**
 * Wires database, core, scheduler and features: the one place that knows every layer.
 * The caller adds adapters and calls `bot.start()`.
 */
export async function createApp(config: Config, log: Logger, options: AppOptions = {}): Promise<App> {
  // Before pending migrations touch a database that holds data, it is backed up next to itself.
  const beforeMigrating = (file: string) =>
    backupBeforeMigrating(file, (message, backup) => log.info({ backup }, message));
  const db = options.db ?? (await openDatabase(config.DATABASE_URL, { beforeMigrating }));
  const clock = options.clock ?? systemClock;
  const i18n = createI18n();
  const defaults: Defaults = { language: config.DEFAULT_LANGUAGE, timeZone: config.DEFAULT_TIMEZONE };
  // Who belongs to a team is the platform's word: asked through the bot's adapters (built below).
  const membership = createMembership(db, (room, member) => bot.memberStatus(room, member), () => clock.now());
  const directory = createDirectory(db, defaults, membership);

  // The scheduler delivers through the bot, which is built below: the host reaches it when jobs run.
  const host: SchedulerHost = {
    db,
    log,
    clock,
    deliver: (messages) => bot.deliver(messages),
    deliverOne: (message) => bot.deliverOne(message),
    recordFailure: (message, error) => bot.recordFailure(message, error),
    translator: (lang) => i18n.translator(lang),
    localeFor: (member, team) => bot.localeFor(member, team),
  };
  const scheduler = options.scheduler ? options.scheduler(host) : new DurableScheduler(host);
  for (const job of featureJobs) scheduler.register(job);

  const meetings = createMeetingsService(db, scheduler, () => clock.now(), defaults);
  const services: Services = {
    deliver: (messages) => bot.deliver(messages),
    scheduler,
    directory,
    polls: createPollsService(db, scheduler, membership),
    datePolls: createDatePollsService(db, scheduler, options.meetings ?? meetings, log),
    tasks: createTasksService(db, scheduler),
    rapid: createRapidService(db, scheduler, membership),
    reminders: createRemindersService(db, scheduler, membership),
    meetings,
    privacy: createPrivacyService(db, membership),
  };
  const bot = new Bot<Services>({
    db,
    registry: new Registry(families, i18n),
    i18n,
    log,
    defaults,
    services,
    contexts: directory,
    clock,
    mayReceive: (message) => membership.mayReceive(message),
  });

  let closed = false;
  return {
    bot,
    db,
    services,
    scheduler,
    startScheduler() {
      if (scheduler instanceof DurableScheduler) scheduler.start();
      // The daily privacy upkeep is a durable job like any other (one per database, by its key).
      void planRetention(scheduler, clock.now(), defaults.timeZone).catch((error: unknown) =>
        log.error({ err: error }, "could not plan the retention job"),
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      if (scheduler instanceof DurableScheduler) await scheduler.stop();
      await bot.stop();
      await db.$disconnect();
    },
  };
}

/** Which adapters to start: the configured platforms, and the console when none is (or when asked). */
export function adapterNames(
  config: Config,
  argv: readonly string[] = [],
): ("console" | "discord" | "matrix")[] {
  const names: ("console" | "discord" | "matrix")[] = [];
  if (discordEnabled(config)) names.push("discord");
  if (matrixEnabled(config)) names.push("matrix");
  if (names.length === 0 || config.CONSOLE || argv.includes("--console")) names.unshift("console");
  return names;
}
