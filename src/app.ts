import { families } from "../commands/index.ts";
import { type Config, discordEnabled, matrixEnabled } from "./config.ts";
import { Bot } from "./core/bot.ts";
import { I18n } from "./core/i18n.ts";
import { coreLocales } from "./core/locales.ts";
import type { Logger } from "./core/log.ts";
import { Registry } from "./core/registry.ts";
import type { Language } from "./core/time.ts";
import { type Db, openDatabase } from "./db/client.ts";
import type { Scheduler } from "./scheduler/port.ts";

export interface App {
  bot: Bot;
  db: Db;
  /** Stops input, finishes in-flight work, closes the database. */
  close(): Promise<void>;
}

export function createI18n(): I18n {
  return new I18n([coreLocales, ...families.map((f) => f.locales)]);
}

export interface AppOptions {
  db?: Db;
  /** Builds the scheduler (tests pass a stand-in); features' job kinds are registered on it. */
  scheduler?: (bot: Bot) => Scheduler;
}

/** Wires database, core and features; the caller adds adapters and calls `bot.start()`. */
export async function createApp(config: Config, log: Logger, options: AppOptions = {}): Promise<App> {
  const database = options.db ?? (await openDatabase(config.DATABASE_URL));
  const bot = new Bot({
    db: database,
    registry: new Registry(families),
    i18n: createI18n(),
    log,
    defaults: { language: config.DEFAULT_LANGUAGE as Language, timeZone: config.DEFAULT_TIMEZONE },
  });
  if (options.scheduler) {
    const scheduler = options.scheduler(bot);
    for (const job of families.flatMap((f) => f.jobs ?? [])) scheduler.register(job);
    bot.provide({ scheduler });
  }
  let closed = false;
  return {
    bot,
    db: database,
    async close() {
      if (closed) return;
      closed = true;
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
