import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Client } from "@libsql/client";

export const migrationsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../prisma/migrations");

export class MigrationError extends Error {}

/** Migrations the database records as applied that this version of the code does not have. */
export function unknownMigrations(applied: Iterable<string>, known: readonly string[]): string[] {
  const ours = new Set(known);
  return [...applied].filter((name) => !ours.has(name)).sort();
}

/** Why the bot refuses a database that a newer version has migrated, and what to do. */
export function newerDatabaseMessage(unknown: readonly string[]): string {
  return (
    `the database is newer than this version of Teambot: it records ${unknown.length === 1 ? "migration" : "migrations"} ` +
    `${unknown.join(", ")}, which this version does not know. A newer version has used it; ` +
    `starting an older one could damage it. Install the newer version again, or restore the backup ` +
    `made before that upgrade (in the backups folder next to the database, named "…-before-<migration>-…").`
  );
}

export interface MigrationPlan {
  /** Finished migrations the database records. */
  applied: readonly string[];
  /** Migrations about to be applied, in order. */
  pending: readonly string[];
}

/** Fails the migration's script (before its COMMIT) if it left a reference to a missing row. */
const foreignKeyCheck = `CREATE TEMP TABLE "foreign keys" ("rows that refer to missing rows" INTEGER CHECK ("rows that refer to missing rows" = 0));
INSERT INTO "foreign keys" SELECT count(*) FROM pragma_foreign_key_check;
DROP TABLE temp."foreign keys";`;

export interface MigrateHooks {
  /** Runs once before pending migrations are applied (the app passes the automatic backup, src/ops/upgrade.ts). */
  beforeMigrate?: (plan: MigrationPlan) => Promise<void>;
}

/**
 * Applies pending migrations from prisma/migrations, recording them in Prisma's own
 * `_prisma_migrations` table so that `prisma migrate status` and `deploy` agree with us.
 * We apply them ourselves, on the bot's own connection, because spawning the CLI on
 * every start costs seconds and it is a devDependency.
 */
export async function migrate(client: Client, dir = migrationsDir, hooks: MigrateHooks = {}): Promise<string[]> {
  const applied: string[] = [];
  await client.execute(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`);
  const done = await client.execute(
    `SELECT migration_name, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
  );
  // The column is TEXT NOT NULL: every row names its migration.
  const nameOf = (r: (typeof done.rows)[number]) => (typeof r.migration_name === "string" ? r.migration_name : "");
  const finished = new Set(done.rows.filter((r) => r.finished_at !== null).map(nameOf));
  const failed = done.rows.filter((r) => r.finished_at === null).map(nameOf);
  if (failed.length > 0) {
    throw new MigrationError(
      `migration ${failed.join(", ")} failed earlier and left the database half-migrated; restore a backup or repair it, then mark it with "npx prisma migrate resolve"`,
    );
  }
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const unknown = unknownMigrations(finished, names);
  if (unknown.length > 0) throw new MigrationError(newerDatabaseMessage(unknown));
  const pending = names.filter((name) => !finished.has(name));
  if (pending.length > 0) {
    await hooks.beforeMigrate?.({ applied: [...finished], pending }).catch((error: unknown) => {
      throw new MigrationError(error instanceof Error ? error.message : String(error));
    });
  }
  // Prisma's SQLite migrations rebuild a table by copying it and dropping the old one; with
  // foreign keys on, that DROP deletes the rows referring to it (ON DELETE CASCADE), and the
  // migration's own "PRAGMA foreign_keys=OFF" does nothing inside a transaction. So they are
  // off while migrating, and checked before each commit instead.
  const foreignKeys = (await client.execute("PRAGMA foreign_keys")).rows[0]?.foreign_keys === 1;
  if (foreignKeys) await client.execute("PRAGMA foreign_keys = OFF");
  for (const name of names) {
    if (finished.has(name)) continue;
    const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
    const checksum = createHash("sha256").update(sql).digest("hex");
    if (!/^[\w-]+$/.test(name)) throw new MigrationError(`migration folder "${name}" may only use letters, digits, _ and -`);
    // One transaction per migration: a failure leaves the database as it was.
    try {
      await client.execute("BEGIN IMMEDIATE");
      // Another process may have applied it while we waited for the lock.
      const already = await client.execute({
        sql: `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ? AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        args: [name],
      });
      if (already.rows.length > 0) {
        await client.execute("COMMIT");
        continue;
      }
      await client.executeMultiple(
        `${sql}\n;INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ('${randomUUID()}', '${checksum}', current_timestamp, '${name}', 1);\n${foreignKeyCheck}\nCOMMIT;`,
      );
    } catch (error) {
      await client.execute("ROLLBACK").catch(() => undefined);
      if (foreignKeys) await client.execute("PRAGMA foreign_keys = ON");
      const reason = error instanceof Error ? error.message : String(error);
      throw new MigrationError(`migration ${name} failed: ${reason}`);
    }
    applied.push(name);
  }
  if (foreignKeys) await client.execute("PRAGMA foreign_keys = ON");
  return applied;
}
