import type { App } from "../app.ts";
import type { Config } from "../config.ts";
import type { Logger } from "../core/log.ts";
import { hasProblems, summarize } from "./checks.ts";
import { runDoctor } from "./doctor.ts";
import { type HealthServer, startHealthServer } from "./health.ts";

export interface Operations {
  /** The health server, when HEALTH_PORT is set. */
  health: HealthServer | undefined;
  /** Resolves when the checks at start have logged their summary. */
  checked: Promise<void>;
  /** Stops the checks and the health server (before the app closes). */
  close(): Promise<void>;
}

/**
 * What runs beside the bot once it is up: the health check (if configured) and the doctor's
 * checks, whose result is logged as one summary line (warn when something must be fixed).
 */
export async function startOperations(
  config: Config,
  app: App,
  log: Logger,
  adapters: readonly string[],
  envFile?: string,
): Promise<Operations> {
  const health = config.HEALTH_PORT
    ? await startHealthServer(config.HEALTH_PORT, {
        pingDatabase: async () => {
          await app.db.$queryRawUnsafe("SELECT 1");
        },
        adapters: () => Object.fromEntries(adapters.map((name) => [name, app.bot.adapter(name)?.connected?.() ?? true])),
      })
    : undefined;
  if (health) log.info({ port: health.port }, `health check on http://127.0.0.1:${health.port}/healthz`);

  const stop = new AbortController();
  // The Matrix adapter's session token (read structurally: its SDK is loaded only when configured).
  const matrix = app.bot.adapter("matrix");
  const token = matrix && "accessToken" in matrix ? matrix.accessToken : undefined;
  const matrixAccessToken = typeof token === "string" ? token : undefined;
  const consoleOnly = adapters.every((name) => name === "console");
  const checked = runDoctor({
    config,
    db: app.db,
    envFile,
    matrixAccessToken,
    signal: stop.signal,
  }).then(
    (checks) => {
      const notes = checks.filter((c) => c.status !== "ok").map((c) => `${c.topic}: ${c.text}`);
      // On the console alone (trying it out) the summary stays out of the way.
      const level = hasProblems(checks) && !consoleOnly ? "warn" : "info";
      log[level]({ notes }, `checks at start: ${summarize(checks)}${notes.length > 0 ? " (npm run doctor shows them)" : ""}`);
    },
    (error: unknown) => {
      if (!stop.signal.aborted) log.warn({ err: error }, "checks at start did not finish");
    },
  );
  return {
    health,
    checked,
    async close() {
      stop.abort();
      await checked;
      await health?.close();
    },
  };
}
