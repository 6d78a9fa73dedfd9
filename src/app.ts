import cron from "node-cron";
import { hostname } from "node:os";
import { families } from "../commands/index.ts";
import { type Config, discordEnabled, matrixEnabled } from "./config.ts";
import { Bot } from "./core/bot.ts";
import { type Clock, systemClock } from "./core/clock.ts";
import type { Defaults } from "./core/context.ts";
import { defaultI18n } from "./core/catalog.ts";
import type { I18n } from "./core/i18n.ts";
import type { Logger } from "./core/log.ts";
import { Registry } from "./core/registry.ts";
import { type Db, type DbOrTx, openDatabase } from "./db/client.ts";
import { createDeliveriesService } from "./features/deliveries/service.ts";
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
import { featureJobs, featureSentHandlers, type Services } from "./features/services.ts";
import { createTasksService } from "./features/tasks/use-cases.ts";
import { backupBeforeMigrating } from "./ops/upgrade.ts";
import { DurableScheduler } from "./scheduler/durable-scheduler.ts";
import type { SchedulerHost } from "./scheduler/port.ts";

export interface App {
  bot: Bot<Services>;
  db: Db;
  /** The feature services on the database itself; command handlers get them on their transaction. */
  services: Services;
  /** The scheduler the app runs, with the outbox every message goes through. */
  scheduler: DurableScheduler;
  /** Starts the scheduler's timers (call after `bot.start()`). */
  startScheduler(): void;
  /** Stops input, finishes in-flight commands and their messages, stops the scheduler and adapters, closes the database. */
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
  /** Builds the scheduler (default: the durable one with the configured retry time); features' job kinds are registered on it. */
  scheduler?: (host: SchedulerHost) => DurableScheduler;
  /** Where meeting-date polls plan their meetings (default: the meetings feature; tests stand in). */
  meetings?: MeetingsPort;
}

/**
 * Wires database, core, scheduler and features: the one place that knows every layer.
 * The caller adds adapters and calls `bot.start()`.
 */
export async function createApp(config: Config, log: Logger, options: AppOptions = {}): Promise<App> {
  // node-cron (the hourly upkeep) writes to the console by default: into the log instead. A
  // run it missed because the process was busy is routine (the next hour's run does it).
  cron.setLogger({
    info: (message) => log.debug({ component: "node-cron" }, message),
    warn: (message) => log.info({ component: "node-cron" }, message),
    error: (message, err) => log.error({ component: "node-cron", err: err ?? message }, "periodic upkeep failed"),
    debug: (message) => log.debug({ component: "node-cron" }, String(message)),
  });
  // Before pending migrations touch a database that holds data, it is backed up next to itself.
  const beforeMigrating = (file: string) =>
    backupBeforeMigrating(file, (message, backup) => log.info({ backup }, message));
  const db = options.db ?? (await openDatabase(config.DATABASE_URL, { beforeMigrating }));
  const clock = options.clock ?? systemClock;
  const i18n = createI18n();
  const defaults: Defaults = { language: config.DEFAULT_LANGUAGE, timeZone: config.DEFAULT_TIMEZONE };
  // Who belongs to a team is the platform's word: asked through the bot's adapters (built below).
  const askPlatform = (room: string, member: string) => bot.memberStatus(room, member);
  const membership = createMembership(db, askPlatform, () => clock.now());
  const directory = createDirectory(db, defaults, membership);

  // The scheduler sends through the bot, which is built below: the host reaches it when messages go out.
  const host: SchedulerHost = {
    db,
    log,
    clock,
    send: (message, key) => bot.sendNow(message, key),
    platformUp: (name) => bot.platformUp(name),
    platformElsewhere: (name) => bot.platformElsewhere(name),
    nudgePlatform: (name) => bot.nudgePlatform(name),
    translator: (lang) => i18n.translator(lang),
    localeFor: (member, team, handle) => bot.localeFor(member, team, handle),
    localeOf: (member, team) => bot.localeOf(member, team),
  };
  const scheduler = options.scheduler
    ? options.scheduler(host)
    : new DurableScheduler(host, { retryForMs: config.DELIVERY_RETRY_HOURS * 3_600_000 });
  for (const job of featureJobs) scheduler.register(job);
  for (const handler of featureSentHandlers) scheduler.registerSent(handler);

  /** The feature services on a handle: the database, or a command's transaction. */
  const servicesOn = (handle: DbOrTx): Services => {
    // A new meeting's iCalendar UID is "<random>@<this host>": unique across every installation.
    const meetings = createMeetingsService(handle, scheduler, () => clock.now(), defaults, hostname() || "teambot");
    // Membership reads and records on the same handle (inside a command's transaction too).
    const members = handle === db ? membership : createMembership(handle, askPlatform, () => clock.now());
    return {
      scheduler,
      deliveries: createDeliveriesService(handle, scheduler.outbox),
      directory: handle === db ? directory : createDirectory(handle, defaults, members),
      polls: createPollsService(handle, scheduler, members),
      datePolls: createDatePollsService(handle, scheduler, options.meetings ?? meetings, log),
      tasks: createTasksService(handle, scheduler),
      rapid: createRapidService(handle, scheduler, members),
      reminders: createRemindersService(handle, scheduler, members, {
        maxRecurring: config.REMINDERS_MAX_RECURRING,
        minIntervalMinutes: config.REMINDERS_MIN_INTERVAL_MINUTES,
      }),
      meetings,
      privacy: createPrivacyService(handle, members),
    };
  };
  const bot = new Bot<Services>({
    db,
    registry: new Registry(families, i18n),
    i18n,
    log,
    defaults,
    services: servicesOn,
    contexts: directory,
    clock,
    outbox: scheduler.outbox,
    mayReceive: (message) => membership.mayReceive(message),
  });

  let closed = false;
  return {
    bot,
    db,
    services: bot.services,
    scheduler,
    startScheduler() {
      scheduler.start();
      // The daily privacy upkeep is a durable job like any other (one per database, by its key).
      void planRetention(scheduler, clock.now(), defaults.timeZone).catch((error: unknown) =>
        log.error({ err: error }, "could not plan the retention job"),
      );
    },
    async close() {
      if (closed) return;
      closed = true;
      // Commands in flight finish and their messages go out before the outbox stops.
      await bot.quiesce();
      await scheduler.stop();
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
