import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { GatewayIntentBits } from "discord.js";
import { type Config, discordEnabled, matrixEnabled } from "../config.ts";
import { type Db, openDatabase, resolveDatabaseUrl } from "../db/client.ts";
import { wrongUser } from "./backup.ts";
import { type Check, fail, warn } from "./checks.ts";
import { checkConfig, checkDatabase, checkDisk, checkFiles, checkRuntime } from "./doctor-local.ts";
import { checkMatrix } from "./doctor-matrix.ts";

export interface DoctorOptions {
  config: Config;
  /** The bot's open database (checks at start); otherwise it is opened here, without migrating. */
  db?: Db;
  /** The .env file the configuration came from, if any (it holds tokens). */
  envFile?: string | undefined;
  /** Discord's REST base (tests point it at a fake Discord). */
  discordApi?: string;
  discordIntents?: readonly GatewayIntentBits[];
  /** The running Matrix adapter's token (checks at start), so the doctor need not log in. */
  matrixAccessToken?: string | undefined;
  signal?: AbortSignal;
}

/** Every check, in the order an admin would fix things: runtime, configuration, database, files, platforms. */
export async function runDoctor(options: DoctorOptions): Promise<Check[]> {
  const { config } = options;
  const url = resolveDatabaseUrl(config.DATABASE_URL);
  const file = url.startsWith("file:") ? url.slice("file:".length) : undefined;
  const checks: Check[] = [checkRuntime(), checkConfig(config, file)];
  let teamRooms: string[] = [];

  const refusal = file ? wrongUser(file, "npm run doctor") : undefined;
  if (file && !existsSync(file)) {
    checks.push(warn("database", `there is no database at ${file} yet: the bot creates it at its first start`));
  } else if (refusal) {
    checks.push(fail("database", `not checked: ${refusal}`));
  } else {
    let db = options.db;
    try {
      db ??= await openDatabase(config.DATABASE_URL, { migrate: false });
      checks.push(...(await checkDatabase(db)));
      teamRooms = (await db.team.findMany({ select: { ref: true } }).catch(() => [])).map((t) => t.ref);
    } catch (error) {
      checks.push(fail("database", `cannot be opened: ${error instanceof Error ? error.message : String(error)}`));
    } finally {
      if (db && !options.db) await db.$disconnect();
    }
  }
  if (file) {
    checks.push(...checkFiles(file, options.envFile));
    const size = (suffix: string) => (existsSync(`${file}${suffix}`) ? statSync(`${file}${suffix}`).size : 0);
    checks.push(checkDisk(existsSync(path.dirname(file)) ? path.dirname(file) : process.cwd(), size("") + size("-wal")));
  }

  if (discordEnabled(config) && config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID) {
    // discord.js is loaded only when Discord is configured, as in main.ts.
    const { checkDiscord } = await import("./doctor-discord.ts");
    checks.push(
      ...(await checkDiscord({
        token: config.DISCORD_TOKEN,
        applicationId: config.DISCORD_APPLICATION_ID,
        guildId: config.DISCORD_GUILD_ID,
        api: options.discordApi,
        ...(options.discordIntents ? { intents: options.discordIntents } : {}),
        teamRooms: teamRooms.filter((r) => r.startsWith("discord:")),
        signal: options.signal,
      })),
    );
  }
  if (matrixEnabled(config) && config.MATRIX_HOMESERVER_URL) {
    checks.push(
      ...(await checkMatrix({
        homeserverUrl: config.MATRIX_HOMESERVER_URL,
        accessToken: options.matrixAccessToken ?? config.MATRIX_ACCESS_TOKEN,
        userId: config.MATRIX_USER_ID,
        password: config.MATRIX_PASSWORD,
        teamRooms: teamRooms.filter((r) => r.startsWith("matrix:")),
        signal: options.signal,
      })),
    );
  }
  return checks;
}
