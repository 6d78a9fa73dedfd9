import { families } from "../commands/index.ts";
import { type Config, discordEnabled, matrixEnabled } from "./config.ts";
import { Bot } from "./core/bot.ts";
import type { Clock } from "./core/clock.ts";
import { I18n } from "./core/i18n.ts";
import { coreLocales } from "./core/locales.ts";
import type { Logger } from "./core/log.ts";
import { Registry } from "./core/registry.ts";
import type { Language } from "./core/time.ts";
import { type Db, openDatabase } from "./db/client.ts";
import { createMeetingsService } from "./features/meetings/service.ts";
import { DurableScheduler } from "./scheduler/durable-scheduler.ts";
import { schedulerLocales } from "./scheduler/locales.ts";
import type { Scheduler } from "./scheduler/port.ts";

export interface App {
  bot: Bot;
  db: Db;
  /** The scheduler the app runs (the durable one unless a test passed another). */
  scheduler: Scheduler;
  /** Starts the scheduler's timer (call after `bot.start()`); a no-op for stand-ins without one. */
  startScheduler(): void;
  /** Stops input, finishes in-flight work, closes the database. */
  close(): Promise<void>;
}

export function createI18n(): I18n {
  return new I18n([coreLocales, schedulerLocales, ...families.map((f) => f.locales)]);
}

export interface AppOptions {
  db?: Db;
  /** Where "now" comes from (default: the system clock). */
  clock?: Clock;
  /** Builds the scheduler (default: the durable one); features' job kinds are registered on it. */
  scheduler?: (bot: Bot) => Scheduler;
}

/** Wires database, core and features; the caller adds adapters and calls `bot.start()`. */
export async function createApp(config: Config, log: Logger, options: AppOptions = {}): Promise<App> {
  const database = options.db ?? (await openDatabase(config.DATABASE_URL, { log }));
  const bot = new Bot({
    db: database,
    registry: new Registry(families),
    i18n: createI18n(),
    log,
    defaults: { language: config.DEFAULT_LANGUAGE as Language, timeZone: config.DEFAULT_TIMEZONE },
    clock: options.clock,
  });
  const scheduler = options.scheduler ? options.scheduler(bot) : new DurableScheduler(bot);
  for (const job of families.flatMap((f) => f.jobs ?? [])) scheduler.register(job);
  bot.provide({ scheduler });
  bot.provide({ meetings: createMeetingsService(bot) });
  let closed = false;
  return {
    bot,
    db: database,
    scheduler,
    startScheduler() {
      if (scheduler instanceof DurableScheduler) scheduler.start();
    },
    async close() {
      if (closed) return;
      closed = true;
      if (scheduler instanceof DurableScheduler) await scheduler.stop();
      await bot.stop();
      await database.$disconnect();
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
