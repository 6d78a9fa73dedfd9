import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export type Provider = "sqlite" | "postgres";

const prismaDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../prisma");

/** One migration history per database: SQLite's in prisma/migrations, PostgreSQL's beside its schema. */
export const migrationsDirs: Record<Provider, string> = {
  sqlite: path.join(prismaDir, "migrations"),
  postgres: path.join(prismaDir, "postgres", "migrations"),
};

/** SQLite's (the default's) migrations. */
export const migrationsDir = migrationsDirs.sqlite;

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

export interface MigrateHooks {
  /** Runs once before pending migrations are applied (the app passes the automatic backup, src/ops/upgrade.ts). */
  beforeMigrate?: (plan: MigrationPlan) => Promise<void>;
}

/** Plain SQL inside a migration transaction. */
export interface SqlSession {
  rows(sql: string): Promise<Record<string, unknown>[]>;
  /** Several statements separated by semicolons. */
  script(sql: string): Promise<void>;
}

/** A database as the migrator needs it: one transaction at a time that holds the migration lock. */
export interface MigrationTarget {
  readonly provider: Provider;
  /** SQLite: BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock. */
  lockedTransaction<T>(work: (sql: SqlSession) => Promise<T>): Promise<T>;
}

/** Prisma's own bookkeeping table, so `prisma migrate status` and `deploy` agree with us. */
const historyTable: Record<Provider, string> = {
  sqlite: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
      "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
      "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`,
  postgres: `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`,
};

/**
 * Applies pending migrations, each in its own transaction that holds the migration lock,
 * so a failure leaves the database as it was and two processes starting at once do not
 * both apply one. We apply them ourselves, on the bot's own connection, because spawning
 * the CLI on every start costs seconds and it is a devDependency.
 */
export async function migrate(
  target: MigrationTarget,
  dir = migrationsDirs[target.provider],
  hooks: MigrateHooks = {},
): Promise<string[]> {
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const bad = names.find((name) => !/^[\w-]+$/.test(name));
  if (bad) throw new MigrationError(`migration folder "${bad}" may only use letters, digits, _ and -`);

  const finished = await target.lockedTransaction(async (sql) => {
    await sql.script(historyTable[target.provider]);
    const rows = await sql.rows(
      `SELECT migration_name, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
    );
    const failed = rows.filter((r) => r.finished_at === null).map((r) => String(r.migration_name));
    if (failed.length > 0) {
      throw new MigrationError(
        `migration ${failed.join(", ")} failed earlier and left the database half-migrated; restore a backup or repair it, then mark it with "npx prisma migrate resolve"`,
      );
    }
    return new Set(rows.map((r) => String(r.migration_name)));
  });
  const unknown = unknownMigrations(finished, names);
  if (unknown.length > 0) throw new MigrationError(newerDatabaseMessage(unknown));
  const pending = names.filter((name) => !finished.has(name));
  if (pending.length > 0) {
    await hooks.beforeMigrate?.({ applied: [...finished], pending }).catch((error: unknown) => {
      throw new MigrationError(error instanceof Error ? error.message : String(error));
    });
  }

  const applied: string[] = [];
  for (const name of names) {
    if (finished.has(name)) continue;
    const script = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
    const checksum = createHash("sha256").update(script).digest("hex");
    try {
      const ran = await target.lockedTransaction(async (sql) => {
        // Another process may have applied it while we waited for the lock.
        const already = await sql.rows(
          `SELECT 1 FROM "_prisma_migrations" WHERE migration_name = '${name}' AND finished_at IS NOT NULL AND rolled_back_at IS NULL`,
        );
        if (already.length > 0) return false;
        await sql.script(script);
        await sql.script(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ('${randomUUID()}', '${checksum}', current_timestamp, '${name}', 1)`,
        );
        return true;
      });
      if (ran) applied.push(name);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new MigrationError(`migration ${name} failed: ${reason}`);
    }
  }
  return applied;
}
