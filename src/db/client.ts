import { chmodSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Client, createClient, type InStatement, type ResultSet, type Transaction } from "@libsql/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "../generated/prisma/client.ts";
import { type MigrateHooks, migrate } from "./migrate.ts";
import { NodeSqliteClient } from "./node-sqlite-client.ts";

export type Db = PrismaClient;
/** The client handed to a `$transaction` callback. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Makes a relative file URL absolute against the project root, so `npm start` works from any folder. */
export function resolveDatabaseUrl(url: string): string {
  if (!url.startsWith("file:")) return url;
  const file = url.slice("file:".length);
  return `file:${path.isAbsolute(file) ? file : path.resolve(projectRoot, file)}`;
}

/**
 * Hands Prisma the connection we migrated and configured, with transactions on that same
 * connection. libsql's own `transaction()` opens a new connection for every transaction and
 * never closes the old one: memory and file handles leak until the bot cannot open the
 * database any more (about 9,000 commands). Sharing one connection is safe because Prisma's
 * adapter holds a lock for the whole transaction, so no other query runs on it meanwhile.
 */
class SharedClientLibSQL extends PrismaLibSQL {
  private readonly shared: Client;

  constructor(shared: Client) {
    super({ url: "file::memory:" });
    this.shared = shared;
  }
  override createClient(): Client {
    return withBusyRetry(this.shared);
  }
}

/**
 * Two bot processes may share one SQLite file. SQLite itself waits for the other's lock
 * (the busy timeout): a statement that gave up with SQLITE_BUSY would stay "in progress"
 * inside libsql (it never resets it) and make every later COMMIT on this connection fail.
 * What still comes back busy after that wait is retried here, asynchronously. (The wait
 * blocks this process only while ANOTHER process holds the lock, so two connections in one
 * process would deadlock: the bot never opens two.)
 */
const nativeBusyMs = 5_000;
const busyDeadlineMs = 30_000;

function isBusy(error: unknown): boolean {
  const code = error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : "";
  const text = error instanceof Error ? `${code} ${error.message}` : "";
  return /SQLITE_BUSY|database is locked/i.test(text);
}

async function retryBusy<T>(operation: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + busyDeadlineMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isBusy(error) || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(100, 5 * 2 ** Math.min(attempt, 5)) * Math.random()));
    }
  }
}

function withBusyRetry(client: Client): Client {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === "transaction") return () => sameConnectionTransaction(client);
      if (property === "execute") return (stmt: InStatement) => retryBusy(() => client.execute(stmt));
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * A transaction on the shared connection. BEGIN IMMEDIATE takes the write lock up front,
 * so two bot processes on one file never deadlock on a read-to-write upgrade; inside the
 * transaction nothing can be busy any more.
 */
async function sameConnectionTransaction(client: Client): Promise<Transaction> {
  await retryBusy(async () => {
    try {
      await client.execute("BEGIN IMMEDIATE");
    } catch (error) {
      // A BEGIN that succeeded after its caller gave up waiting (Prisma's maxWait) left an
      // empty transaction behind; nothing ran in it, so it is safe to end.
      if (!/within a transaction/i.test(error instanceof Error ? error.message : "")) throw error;
      await client.execute("ROLLBACK");
      await client.execute("BEGIN IMMEDIATE");
    }
  });
  let closed = false;
  const finish = async (sql: "COMMIT" | "ROLLBACK") => {
    if (closed) return;
    try {
      await retryBusy(() => client.execute(sql));
    } catch (error) {
      if (sql === "COMMIT") await client.execute("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      closed = true;
    }
  };
  return {
    execute: (stmt: InStatement): Promise<ResultSet> => client.execute(stmt),
    async batch(stmts: InStatement[]): Promise<ResultSet[]> {
      const results: ResultSet[] = [];
      for (const stmt of stmts) results.push(await client.execute(stmt));
      return results;
    },
    executeMultiple: (sql: string) => client.executeMultiple(sql),
    commit: () => finish("COMMIT"),
    rollback: () => finish("ROLLBACK"),
    close() {
      void finish("ROLLBACK").catch(() => undefined);
    },
    get closed() {
      return closed;
    },
  };
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

/** Opens the database and brings its schema up to date (after a backup) before anything reads it. */
export async function openDatabase(url: string, options: OpenOptions = {}): Promise<Db> {
  const resolved = resolveDatabaseUrl(url);
  const newFile = resolved.startsWith("file:") && !existsSync(resolved.slice("file:".length));
  if (resolved.startsWith("file:")) {
    mkdirSync(path.dirname(resolved.slice("file:".length)), { recursive: true, mode: 0o700 });
  }
  // Local files go through Node's own SQLite (see NodeSqliteClient); remote libsql servers through libsql.
  const client = resolved.startsWith("file:")
    ? new NodeSqliteClient(resolved.slice("file:".length))
    : createClient({ url: resolved });
  // People's data: a new database is readable by the bot's user only (SQLite gives its -wal and -shm the same mode).
  if (newFile) chmodSync(resolved.slice("file:".length), 0o600);
  try {
    if (resolved.startsWith("file:")) {
      // Several bot processes may share one SQLite file: see withBusyRetry.
      await client.execute(`PRAGMA busy_timeout = ${nativeBusyMs}`);
      await client.execute("PRAGMA journal_mode = WAL");
    }
    await client.execute("PRAGMA foreign_keys = ON");
    if (options.migrate !== false) {
      const file = resolved.startsWith("file:") ? resolved.slice("file:".length) : undefined;
      const beforeMigrate = file && options.beforeMigrating ? options.beforeMigrating(file) : undefined;
      await migrate(withBusyRetry(client), undefined, { beforeMigrate });
    }
  } catch (error) {
    client.close();
    throw error;
  }
  return new PrismaClient({
    adapter: new SharedClientLibSQL(client),
    // Transactions queue behind each other on the one connection
    // (and, with several processes, behind the others' locks): a burst of a thousand votes
    // must wait its turn rather than fail.
    transactionOptions: { maxWait: 60_000, timeout: 60_000 },
  });
}
