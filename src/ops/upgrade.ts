import type { MigrationPlan } from "../db/migrate.ts";
import { backupBeforeMigrations, backupDir } from "./backup.ts";

// The rules about which migrations a database may have live with the migrator.
export { type MigrationPlan, newerDatabaseMessage, unknownMigrations } from "../db/migrate.ts";

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
