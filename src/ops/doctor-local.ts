import { accessSync, constants, existsSync, readdirSync, statfsSync, statSync } from "node:fs";
import path from "node:path";
import { type Config, discordEnabled, matrixEnabled } from "../config.ts";
import { type Db, providerOf } from "../db/client.ts";
import { migrationsDir, migrationsDirs } from "../db/migrate.ts";
import { type Check, fail, ok, warn } from "./checks.ts";
import { newerDatabaseMessage, unknownMigrations } from "./upgrade.ts";

const MiB = 1024 * 1024;

export function checkRuntime(version = process.versions.node): Check {
  const [major = 0, minor = 0] = version.split(".").map(Number);
  // node:sqlite's backup() arrived in 22.16.
  if (major > 22 || (major === 22 && minor >= 16)) return ok("runtime", `Node.js ${version}`);
  return fail("runtime", `Node.js ${version} is too old: use 22.16 or newer (npm start brings Node 24 with it)`);
}

export function checkConfig(config: Config, databaseFile: string | undefined): Check {
  const platforms = [discordEnabled(config) ? "Discord" : "", matrixEnabled(config) ? "Matrix" : ""].filter(Boolean);
  const database = databaseFile ? `SQLite file ${databaseFile}` : "a database server";
  const health = config.HEALTH_PORT ? `, health check on 127.0.0.1:${config.HEALTH_PORT}` : "";
  if (platforms.length === 0) {
    return warn(
      "configuration",
      `valid, but no Discord or Matrix credentials: the bot runs on the console only (see .env.example); ${database}${health}`,
    );
  }
  return ok("configuration", `valid: ${platforms.join(" and ")}, ${database}${health}`);
}

/** The migrations this version of the code brings. */
export function knownMigrations(dir = migrationsDir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

class RollBack extends Error {}

/** Reachable, migrated (neither behind nor ahead of the code), writable. Writes nothing lasting. */
export async function checkDatabase(db: Db, known = knownMigrations(migrationsDirs[providerOf(db)])): Promise<Check[]> {
  let applied: string[];
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
    );
    applied = rows.map((r) => r.migration_name);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (/no such table|does not exist/i.test(reason)) {
      return [fail("database", "reachable, but it has no tables yet: start the bot once (npm start) to create them")];
    }
    return [fail("database", `not reachable: ${reason}`)];
  }
  const checks: Check[] = [];
  const newer = unknownMigrations(applied, known);
  const pending = known.filter((name) => !applied.includes(name));
  if (newer.length > 0) checks.push(fail("database", newerDatabaseMessage(newer)));
  else if (pending.length > 0) {
    checks.push(
      warn(
        "database",
        `reachable; ${pending.length} of ${known.length} migrations not applied yet: the bot applies them at its next start, after a backup`,
      ),
    );
  } else checks.push(ok("database", `reachable; all ${known.length} migrations applied`));
  try {
    // A real write (so a read-only file or replica shows), rolled back.
    await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name) VALUES ('doctor-write-check', '', 'doctor-write-check')`,
      );
      throw new RollBack();
    });
  } catch (error) {
    if (!(error instanceof RollBack)) {
      const reason = error instanceof Error ? error.message.split("\n").at(-1) : String(error);
      checks.push(fail("database writes", `refused (${reason}): check the owner and mode of the database file and its folder`));
      return checks;
    }
  }
  checks.push(ok("database writes", "possible"));
  return checks;
}

/** Who may read the data: the folder, the database with its -wal/-shm files, backups, and .env (tokens). */
export function checkFiles(databaseFile: string, envFile: string | undefined): Check[] {
  const checks: Check[] = [];
  const uid = process.getuid?.();
  const dir = path.dirname(databaseFile);
  const backups = path.join(dir, "backups");
  const problems: string[] = [];
  const notes: string[] = [];
  const look = (file: string, kind: "folder" | "file") => {
    if (!existsSync(file)) return;
    const stat = statSync(file);
    const mode = stat.mode & 0o777;
    const fix = kind === "folder" ? `chmod 700 ${file}` : `chmod 600 ${file}`;
    if (mode & 0o007) problems.push(`${file} is open to every user of this machine (mode ${mode.toString(8)}): ${fix}`);
    else if (mode & 0o070) notes.push(`${file} is open to its group (mode ${mode.toString(8)}): ${fix}`);
    if (uid !== undefined && uid !== 0 && stat.uid !== uid) {
      notes.push(`${file} belongs to uid ${stat.uid}, not to the user running this check (uid ${uid})`);
    }
  };
  look(dir, "folder");
  for (const suffix of ["", "-wal", "-shm"]) look(`${databaseFile}${suffix}`, "file");
  look(backups, "folder");
  if (existsSync(backups)) for (const name of readdirSync(backups)) look(path.join(backups, name), "file");
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    problems.push(`the bot cannot write in ${dir} (SQLite needs it for its -wal file, backups too): give it to the bot's user`);
  }
  if (envFile && existsSync(envFile) && statSync(envFile).mode & 0o007) {
    problems.push(`${envFile} holds tokens and is readable by every user: chmod 640 ${envFile}`);
  }
  for (const text of problems) checks.push(fail("permissions", text));
  for (const text of notes) checks.push(warn("permissions", text));
  if (checks.length === 0) checks.push(ok("permissions", `${dir} and the database are private to their owner`));
  return checks;
}

/** Room for the database to grow and for a backup of it. */
export function checkDisk(dir: string, databaseBytes: number): Check {
  let free: number;
  try {
    const stats = statfsSync(dir);
    free = stats.bavail * stats.bsize;
  } catch (error) {
    return warn("disk", `free space unknown: ${error instanceof Error ? error.message : String(error)}`);
  }
  const shown = (bytes: number) =>
    bytes >= 1024 * MiB ? `${(bytes / 1024 / MiB).toFixed(1)} GiB` : `${(bytes / MiB).toFixed(bytes < 10 * MiB ? 1 : 0)} MiB`;
  const text = `${shown(free)} free in ${dir} (database ${shown(databaseBytes)})`;
  if (free < Math.max(200 * MiB, 2 * databaseBytes)) {
    return fail("disk", `${text}: too little for the database to grow and for a backup; free some space`);
  }
  if (free < Math.max(1024 * MiB, 10 * databaseBytes)) return warn("disk", `${text}: getting low`);
  return ok("disk", text);
}
