import { backupBeforeMigrations, backupDir } from "./backup.ts";

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

/**
 * The migrator's `beforeMigrate` hook for a SQLite file: before the first pending migration
 * touches a database that already holds data, a consistent backup is written next to it.
 * A fresh database has nothing to lose and is not backed up. If the backup fails, the
 * migrations are not applied (the error stops the start).
 */
export function backupBeforeMigrating(
  databaseFile: string,
  report: (message: string, file: string) => void = () => undefined,
  now: () => Date = () => new Date(),
): (plan: MigrationPlan) => Promise<void> {
  return async ({ applied, pending }) => {
    if (applied.length === 0 || pending.length === 0) return;
    try {
      const result = await backupBeforeMigrations(databaseFile, pending, now());
      report(`database backed up before ${pending.length} pending migration(s)`, result.file);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new Error(
        `no backup could be made before migrating (${reason}), so nothing was changed; ` +
          `make room or fix the permissions of ${backupDir(databaseFile)} and start again`,
        { cause: error },
      );
    }
  };
}
