import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { backup, DatabaseSync } from "node:sqlite";

/**
 * Root opening the bot's database could leave files behind that the bot's user cannot open
 * (SQLite's -wal and -shm): backups and checks run as the user that owns the database.
 */
export function wrongUser(databaseFile: string, command: string): string | undefined {
  if (process.getuid?.() !== 0 || !existsSync(databaseFile)) return undefined;
  const owner = statSync(databaseFile).uid;
  if (owner === 0) return undefined;
  return `run this as the user the bot runs as (the database belongs to uid ${owner}), e.g. sudo -u teambot ${command}`;
}

/** Which kind of database a DATABASE_URL names: only local SQLite files are backed up here. */
export type DatabaseKind = "sqlite" | "postgresql" | "remote";

export function databaseKind(url: string): DatabaseKind {
  if (url.startsWith("file:")) return "sqlite";
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgresql";
  return "remote";
}

/** What to tell an admin whose database is not a SQLite file. */
export function notSqliteAdvice(kind: Exclude<DatabaseKind, "sqlite">): string {
  return kind === "postgresql"
    ? 'DATABASE_URL is PostgreSQL: back it up with pg_dump, e.g. pg_dump --format=custom --file=teambot.dump "$DATABASE_URL", and restore with pg_restore (README, "Run it for a city")'
    : "DATABASE_URL is not a local SQLite file: back the database up on the server that holds it";
}

export interface BackupResult {
  file: string;
  bytes: number;
  /** Finished migrations recorded in the copy. */
  migrations: number;
}

/** Copies every page in one step: one read transaction, so the copy is one consistent snapshot. */
const allPagesAtOnce = 2 ** 31 - 1;

/**
 * A consistent copy of a SQLite database while the bot keeps writing to it (SQLite's online
 * backup API; with WAL the bot is never blocked). The copy is written under a temporary name
 * with mode 0600, checked with `PRAGMA integrity_check`, switched to a single file (no -wal),
 * flushed to disk and only then renamed to `target`: an interrupted backup never leaves a
 * half-written file under the final name. An existing `target` is never overwritten.
 */
export async function backupSqlite(source: string, target: string): Promise<BackupResult> {
  if (!existsSync(source)) throw new Error(`there is no database at ${source}`);
  if (existsSync(target)) throw new Error(`${target} exists already; choose another file name`);
  const dir = path.dirname(path.resolve(target));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const partial = path.join(dir, `.${path.basename(target)}.partial-${process.pid}`);
  // Created empty with 0600 before SQLite writes a byte: the copy is never readable by others.
  closeSync(openSync(partial, "wx", 0o600));
  try {
    const db = new DatabaseSync(source);
    try {
      db.exec("PRAGMA busy_timeout = 10000");
      await backup(db, partial, { rate: allPagesAtOnce });
    } finally {
      db.close();
    }
    const migrations = checkCopy(partial);
    const fd = openSync(partial, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(partial, target);
    syncDir(dir);
    return { file: target, bytes: statSync(target).size, migrations };
  } catch (error) {
    for (const leftover of [partial, `${partial}-wal`, `${partial}-shm`]) rmSync(leftover, { force: true });
    throw error;
  }
}

/** Checks a copy and makes it one self-contained file; returns how many migrations it records. */
function checkCopy(file: string): number {
  const copy = new DatabaseSync(file);
  try {
    const integrity = copy.prepare("PRAGMA integrity_check").all();
    const first = integrity[0]?.integrity_check;
    if (integrity.length !== 1 || first !== "ok") {
      throw new Error(`the copy failed its integrity check: ${String(first)}`);
    }
    copy.exec("PRAGMA journal_mode = DELETE");
    const hasTable = copy
      .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`)
      .get();
    if (!hasTable) return 0;
    const row = copy
      .prepare(`SELECT count(*) AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`)
      .get();
    return Number(row?.n ?? 0);
  } finally {
    copy.close();
  }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not every file system lets a directory be opened for fsync; the rename is still atomic.
  }
}

/** Where backups go unless told otherwise: `backups/` next to the database. */
export function backupDir(databaseFile: string): string {
  return path.join(path.dirname(databaseFile), "backups");
}

/** "20261127-163605": UTC, sortable, safe in file names. */
export function fileStamp(at: Date): string {
  return at.toISOString().replace(/\.\d+Z$/, "").replace(/[-:]/g, "").replace("T", "-");
}

function baseName(databaseFile: string): string {
  return path.basename(databaseFile).replace(/\.(db|sqlite3?)$/i, "");
}

/** The default name of a backup made by `npm run backup` without a file: `<dir>/backups/teambot-<stamp>.db`. */
export function defaultBackupFile(databaseFile: string, at: Date): string {
  return path.join(backupDir(databaseFile), `${baseName(databaseFile)}-${fileStamp(at)}.db`);
}

/**
 * Deletes the oldest default-named backups beyond the newest `keep` (the files `npm run
 * backup` names itself; backups made before migrations and files named by hand are kept).
 */
export function pruneBackups(databaseFile: string, keep: number): string[] {
  const dir = backupDir(databaseFile);
  if (!existsSync(dir)) return [];
  const pattern = new RegExp(`^${escapeRegExp(baseName(databaseFile))}-\\d{8}-\\d{6}\\.db$`);
  const ours = readdirSync(dir)
    .filter((name) => pattern.test(name))
    .sort();
  const removed = ours.slice(0, Math.max(0, ours.length - keep)).map((name) => path.join(dir, name));
  for (const file of removed) rmSync(file);
  return removed;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The backup made automatically before pending migrations are applied to a database that
 * already holds data: `<dir>/backups/teambot-before-<first pending migration>-<stamp>.db`.
 */
export async function backupBeforeMigrations(databaseFile: string, pending: readonly string[], at: Date): Promise<BackupResult> {
  const first = pending[0] ?? "upgrade";
  const name = `${baseName(databaseFile)}-before-${first}-${fileStamp(at)}`;
  const file = path.join(backupDir(databaseFile), `${name}.db`);
  // Two bot processes sharing the file may start in the same second: each writes its own.
  return backupSqlite(databaseFile, existsSync(file) ? path.join(backupDir(databaseFile), `${name}-${process.pid}.db`) : file);
}
