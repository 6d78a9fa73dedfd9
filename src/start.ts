import { existsSync } from "node:fs";
import path from "node:path";
import { ConsoleAdapter } from "./adapters/console/console-adapter.ts";
import { adapterNames, createApp } from "./app.ts";
import { ConfigError, discordEnabled, loadConfig } from "./config.ts";
import { createLogger } from "./core/log.ts";
import { LeaderOnly } from "./adapters/leader-only.ts";
import type { Adapter } from "./core/adapter.ts";
import { projectRoot, providerOf } from "./db/client.ts";
import { Leadership } from "./db/leadership.ts";
import { MigrationError } from "./db/migrate.ts";
import { type Operations, startOperations } from "./ops/at-start.ts";

/** The bot process (`npm start` runs it through src/main.ts). Wiring: config -> database -> core -> adapters; shuts down cleanly on SIGINT/SIGTERM. */
async function main(): Promise<void> {
  const envFile = path.join(process.cwd(), ".env");
  if (existsSync(envFile)) process.loadEnvFile(envFile);

  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable and its default.\n`);
      process.exit(1);
    }
    throw error;
  }

  const names = adapterNames(config, process.argv.slice(2));
  const consoleOnly = names.length === 1 && names[0] === "console";
  const log = createLogger(config.LOG_LEVEL ?? (consoleOnly ? "warn" : "info"));

  // On PostgreSQL several processes may run: each platform connects in the one that leads it
  // (src/adapters/leader-only.ts), which sends that platform's messages from the outbox.
  let app: Awaited<ReturnType<typeof createApp>>;
  try {
    app = await createApp(config, log);
  } catch (error) {
    if (error instanceof MigrationError) {
      process.stderr.write(`The database could not be brought up to date: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }

  let operations: Operations | undefined = undefined;
  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string): Promise<void> => {
    stopping ??= (async () => {
      log.info({ reason }, "shutting down");
      // In-flight commands and deliveries get a deadline; a hung platform must not keep the process.
      const deadline = setTimeout(() => {
        log.error({ seconds: config.SHUTDOWN_TIMEOUT_SECONDS }, "shutdown took too long, exiting");
        log.flush();
        process.exit(1);
      }, config.SHUTDOWN_TIMEOUT_SECONDS * 1000);
      deadline.unref();
      let code = 0;
      try {
        await operations?.close();
        await app.close();
      } catch (error) {
        log.error({ err: error }, "shutdown failed");
        code = 1;
      }
      log.flush();
      // stdin and platform sockets may still hold the event loop: leave explicitly.
      process.exit(code);
    })();
    return stopping;
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));

  if (names.includes("console")) {
    // Node's types say boolean, but a piped stdin has no isTTY at all.
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-conversion
    const interactive = Boolean(process.stdin.isTTY);
    app.bot.addAdapter(
      new ConsoleAdapter({
        member: config.CONSOLE_MEMBER,
        room: config.CONSOLE_ROOM,
        attachmentDir: path.join(projectRoot, "data", "attachments"),
        io: { input: process.stdin, output: process.stdout, interactive },
        lang: config.DEFAULT_LANGUAGE,
        greeting: app.bot.i18n
          .translator(config.DEFAULT_LANGUAGE)
          .t("console.greeting", { member: config.CONSOLE_MEMBER, room: config.CONSOLE_ROOM }),
        onEnd: () => void shutdown("end of input"),
      }),
    );
  }
  const platform = (make: () => Adapter): Adapter => {
    if (providerOf(app.db) !== "postgres") return make();
    const gate = new LeaderOnly(
      make,
      (name, onChange) =>
        new Leadership({ url: config.DATABASE_URL, name, log, onChange, onNudge: () => app.scheduler.nudge() }),
    );
    return gate;
  };
  // The platform SDKs are loaded only when their platform is configured (start-up time, memory).
  if (discordEnabled(config) && config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID) {
    const { DiscordAdapter } = await import("./adapters/discord/discord-adapter.ts");
    const discord = {
      token: config.DISCORD_TOKEN,
      applicationId: config.DISCORD_APPLICATION_ID,
      db: app.db,
      ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}),
    };
    app.bot.addAdapter(platform(() => new DiscordAdapter({ ...discord, guildId: config.DISCORD_GUILD_ID, log })));
  }
  if (names.includes("matrix")) {
    const { matrixAdapterFromConfig } = await import("./adapters/matrix/index.ts");
    app.bot.addAdapter(platform(() => matrixAdapterFromConfig(config, app.db, log)));
  }
  await app.bot.start();
  app.startScheduler();
  operations = await startOperations(config, app, log, names, envFile);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Teambot could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
