import { chmodSync, constants, copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { backupDir, fileStamp } from "./backup.ts";
import { newerDatabaseMessage, unknownMigrations } from "./upgrade.ts";

export interface RestoreResult {
  /** Finished migrations recorded in the restored database. */
  migrations: number;
  /** Where the database that was replaced is kept, if there was one. */
  replaced: string | undefined;
}

/** SQLite grants an exclusive lock only when no other connection (a running bot) has the file open. */
function assertNotInUse(databaseFile: string): void {
  const db = new DatabaseSync(databaseFile);
  try {
    db.exec("PRAGMA busy_timeout = 0");
    db.exec("PRAGMA locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE");
    db.exec("COMMIT");
  } catch {
    throw new Error(`${databaseFile} is in use: stop the bot first (systemctl stop teambot)`);
  } finally {
    // The last connection to close checkpoints the -wal file into the database.
    db.close();
  }
}

/** Integrity and schema of a copy: it must be whole and not newer than this version of the code. */
function checkRestorable(file: string, knownMigrations: readonly string[]): number {
  const db = new DatabaseSync(file);
  try {
    const integrity = db.prepare("PRAGMA integrity_check").all();
    if (integrity.length !== 1 || integrity[0]?.integrity_check !== "ok") {
      throw new Error(`the backup is damaged (integrity check: ${String(integrity[0]?.integrity_check)})`);
    }
    const hasTable = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
    if (!hasTable) throw new Error("the file is not a Teambot database (it has no migrations table)");
    const applied = db
      .prepare(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
      .all()
      .map((r) => String(r.migration_name));
    const newer = unknownMigrations(applied, knownMigrations);
    if (newer.length > 0) throw new Error(newerDatabaseMessage(newer).replace("the database is", "the backup is"));
    return applied.length;
  } finally {
    db.close();
  }
}

/**
 * Puts a backup in place of the database while the bot is stopped. The backup is copied
 * (mode 0600) and checked first; a database it replaces is kept in the backups folder
 * together with its -wal and -shm files, so that no stale -wal is ever applied to the
 * restored file. The backup itself is left untouched.
 */
export function restoreSqlite(backup: string, databaseFile: string, knownMigrations: readonly string[], at: Date): RestoreResult {
  if (!existsSync(backup)) throw new Error(`there is no backup at ${backup}`);
  const dir = path.dirname(databaseFile);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const incoming = path.join(dir, `.${path.basename(databaseFile)}.restoring-${process.pid}`);
  const cleanUp = () => {
    for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${incoming}${suffix}`, { force: true });
  };
  try {
    copyFileSync(backup, incoming, constants.COPYFILE_EXCL);
    // copyFile takes the backup's mode; the database is private whatever that was.
    chmodSync(incoming, 0o600);
    const migrations = checkRestorable(incoming, knownMigrations);
    let replaced: string | undefined;
    if (existsSync(databaseFile)) {
      assertNotInUse(databaseFile);
      mkdirSync(backupDir(databaseFile), { recursive: true, mode: 0o700 });
      replaced = path.join(backupDir(databaseFile), `${path.basename(databaseFile, ".db")}-replaced-${fileStamp(at)}.db`);
      for (const suffix of ["", "-wal", "-shm"]) {
        if (existsSync(`${databaseFile}${suffix}`)) renameSync(`${databaseFile}${suffix}`, `${replaced}${suffix}`);
      }
    }
    for (const suffix of ["-wal", "-shm", "-journal"]) rmSync(`${databaseFile}${suffix}`, { force: true });
    renameSync(incoming, databaseFile);
    return { migrations, replaced };
  } finally {
    cleanUp();
  }
}

