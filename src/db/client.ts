import { chmodSync, mkdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaClient } from "../generated/prisma/client.ts";
import { PrismaClient as PostgresPrismaClient } from "../generated/prisma-pg/client.ts";
import { type MigrateHooks, migrate, type Provider } from "./migrate.ts";
import { connectPostgres, isPostgresUrl, postgresAdapter, postgresMigrationTarget } from "./postgres.ts";
import { SqliteAdapterFactory, SqliteConnection, sqliteMigrationTarget } from "./sqlite.ts";

/**
 * The database client. Both generated clients (SQLite's and PostgreSQL's) come from one
 * schema with the same models (src/db/postgres-schema.ts renders the second), so the
 * bot's code is written against SQLite's types and serves either.
 */
export type Db = PrismaClient;
/** The client handed to a `$transaction` callback. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];
/** The database, or a transaction on it: what a use case runs on inside a unit of work. */
export type DbOrTx = Db | Tx;

/** Whether a handle is a transaction already (Prisma's transaction client has no `$transaction`). */
export function isTransaction(handle: DbOrTx): handle is Tx {
  return !("$transaction" in handle);
}

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Makes a relative file URL absolute against the project root, so `npm start` works from any folder. */
export function resolveDatabaseUrl(url: string): string {
  if (!url.startsWith("file:")) return url;
  const file = url.slice("file:".length);
  return `file:${path.isAbsolute(file) ? file : path.resolve(projectRoot, file)}`;
}

/**
 * Transactions queue behind each other (on SQLite's one connection, and behind other
 * processes' locks): a burst of a thousand votes must wait its turn rather than fail.
 */
const transactionOptions = { maxWait: 60_000, timeout: 60_000 };

const providers = new WeakMap<DbOrTx, Provider>();

/** Which database a client talks to (for the few statements that differ: job claims, locks). */
export function providerOf(db: DbOrTx): Provider {
  return providers.get(db) ?? "sqlite";
}

/** A transaction on `db` talks to what `db` talks to (use cases that get a transaction ask it). */
export function rememberProvider(tx: Tx, db: Db): void {
  const provider = providers.get(db);
  if (provider) providers.set(tx, provider);
}

export interface OpenOptions {
  /** Apply pending migrations (default); the doctor only looks. */
  migrate?: boolean;
  /**
   * What to do before pending migrations touch a database file (the app makes a backup:
   * `backupBeforeMigrating` in src/ops/upgrade.ts; the database layer knows nothing above it).
   */
  beforeMigrating?: (databaseFile: string) => NonNullable<MigrateHooks["beforeMigrate"]>;
}

/**
 * Opens the database (a SQLite file or PostgreSQL) and brings its schema up to date (on
 * SQLite after a backup) before anything reads it.
 */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Db> {
  const db = isPostgresUrl(url) ? await openPostgres(url, options) : await openSqlite(resolveDatabaseUrl(url), options);
  providers.set(db, isPostgresUrl(url) ? "postgres" : "sqlite");
  return db;
}

/**
 * 0600 for the database file; 0700 for its folder when that is the bot's own data folder
 * ("data/", or one it just created) and the bot's user owns it.
 */
function restrictToOwner(file: string, createdDir: boolean): void {
  chmodSync(file, 0o600);
  const dir = path.dirname(path.resolve(file));
  const uid = process.getuid?.();
  try {
    if ((createdDir || path.basename(dir) === "data") && uid !== undefined && statSync(dir).uid === uid) chmodSync(dir, 0o700);
  } catch {
    // A folder we may not change (read-only mount): the file's own mode still protects it.
  }
}

async function openSqlite(url: string, options: OpenOptions): Promise<Db> {
  if (!url.startsWith("file:")) throw new Error(`not a database URL this bot can open: ${url}`);
  const file = url.slice("file:".length);
  const createdDir = file !== ":memory:" && mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 }) !== undefined;
  const connection = await SqliteConnection.open(file);
  // People's data: the database (SQLite gives its -wal and -shm the same mode) and its folder
  // are the bot's user's only, also when an older version created them readable for all.
  if (file !== ":memory:") restrictToOwner(file, createdDir);
  try {
    if (options.migrate !== false) {
      const beforeMigrate = file !== ":memory:" && options.beforeMigrating ? options.beforeMigrating(file) : undefined;
      await migrate(sqliteMigrationTarget(connection), undefined, { beforeMigrate });
      // The bot's own connection (the doctor only looks): the planner's statistics kept current.
      await connection.keepStatistics();
    }
  } catch (error) {
    connection.close();
    throw error;
  }
  return new PrismaClient({ adapter: new SqliteAdapterFactory(connection), transactionOptions });
}

/** On PostgreSQL, backups are the operator's (pg_dump; see the README). */
async function openPostgres(url: string, options: OpenOptions): Promise<Db> {
  const connection = connectPostgres(url);
  try {
    if (options.migrate !== false) await migrate(postgresMigrationTarget(connection));
  } catch (error) {
    await connection.pool.end();
    throw error;
  }
  const client = new PostgresPrismaClient({ adapter: postgresAdapter(connection), transactionOptions });
  // Same models, generated from one schema (test/unit/postgres-schema.test.ts checks the
  // rendering; the suites run on both). The types differ only where PostgreSQL offers
  // more (isolation levels, case-insensitive filters), which the compiler cannot see past.
  return client as unknown as Db;
}
