import { DatabaseSync, type StatementSync } from "node:sqlite";
import { setTimeout as sleep } from "node:timers/promises";
import cron, { type ScheduledTask } from "node-cron";
import {
  DriverAdapterError,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from "@prisma/driver-adapter-utils";
import type { MigrationTarget, SqlSession } from "./migrate.ts";
import { columnTypeOf, inferColumnType, isBusy, mappedError, sqliteCode, toResultValue, toSqlite } from "./sqlite-values.ts";

const adapterName = "teambot-node-sqlite";

/**
 * SQLite's own busy wait blocks the whole process (node:sqlite is synchronous): the event
 * loop stands still while another process holds the write lock. So SQLite waits only a
 * moment itself, and the longer wait happens here, asynchronously, with backoff.
 */
const nativeBusyMs = 5;
const busyDeadlineMs = 60_000;

/** Transactions that commit together (group commit): at most this many, for at most this long. */
const groupLimit = 64;
const groupMaxMs = 50;

/** A SQLite transaction holding several of ours, each a savepoint in it; committed together. */
interface Group {
  started: number;
  size: number;
  /** Transactions that ended with COMMIT: told once the group's COMMIT is on disk (or failed). */
  committed: { done: () => void; failed: (error: unknown) => void }[];
  /** Settles when the group's transaction ended; statements outside a transaction wait for it. */
  ended: () => void;
}

/**
 * One node:sqlite connection, shared by Prisma and the migrator. Statements are prepared
 * once and reused. One transaction at a time: the others queue, and statements outside a
 * transaction wait until it ends (on one connection they would otherwise run inside it).
 *
 * Group commit: while more transactions wait their turn, the next one runs in the same
 * SQLite transaction (as a savepoint) instead of after a COMMIT of its own; the last of the
 * group commits for all. A COMMIT waits for the disk, so a storm of a thousand votes
 * commits a few dozen times instead of a thousand. Each transaction's commit returns only
 * when the group's COMMIT did (it is durable then), and one that rolls back undoes only its
 * savepoint.
 */
export class SqliteConnection {
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();
  /** Transactions take turns here. */
  private turn: Promise<void> = Promise.resolve();
  /** Transactions waiting for their turn (they join the open group). */
  private waiting = 0;
  private group: Group | undefined;
  /** Set while a transaction is open; settles when it ends. */
  private open: Promise<void> | undefined;
  private statistician: ScheduledTask | undefined;

  constructor(file: string) {
    this.db = new DatabaseSync(file);
    this.db.exec(`PRAGMA busy_timeout = ${nativeBusyMs}`);
  }

  /** Opens a file (or ":memory:") ready for several processes: WAL, foreign keys on. */
  static async open(file: string): Promise<SqliteConnection> {
    const connection = new SqliteConnection(file);
    try {
      if (file !== ":memory:") await connection.outside(() => connection.db.exec("PRAGMA journal_mode = WAL"));
      connection.db.exec("PRAGMA foreign_keys = ON");
    } catch (error) {
      connection.close();
      throw error;
    }
    return connection;
  }

  close(): void {
    void this.statistician?.destroy();
    this.statistician = undefined;
    if (!this.db.isOpen) return;
    this.statements.clear();
    this.db.close();
  }

  /**
   * Brings the query planner's table statistics up to date where a table was never analysed
   * or grew or shrank a lot since (SQLite's advice for long-lived connections: at open, then
   * now and then). Without them SQLite guesses: it read all 100,000 pending jobs through the
   * status index to find the 40 job keys of one `remind list` page (20 ms instead of 0.3).
   * Cheap when nothing changed; SQLite bounds the work on large tables itself.
   */
  async optimize(): Promise<void> {
    await this.outside(() => this.db.exec("PRAGMA optimize=0x10002"));
  }

  /** `optimize()` now and every hour while the connection is open. */
  async keepStatistics(): Promise<void> {
    await this.optimize();
    if (this.statistician) return;
    // A failed or missed run (a busy database or process) leaves older statistics: slower
    // plans at worst, no harm, and nothing to tell the console about.
    this.statistician = cron.schedule("41 * * * *", () => this.optimize().catch(() => undefined), {
      name: "sqlite-statistics",
      noOverlap: true,
      unref: true,
    });
    this.statistician.on("execution:missed", () => undefined);
  }

  /** Runs one statement outside a transaction: after the open one ends, retrying while busy. */
  async outside<T>(run: () => T): Promise<T> {
    return retryBusy(async () => {
      while (this.open) await this.open;
      return run();
    });
  }

  /**
   * Starts a transaction: a savepoint in the open group, or a new group with BEGIN
   * IMMEDIATE (the write lock is taken up front, so two processes never deadlock on a read
   * lock that must become a write lock). Returns the function that ends it.
   */
  async begin(): Promise<(sql: "COMMIT" | "ROLLBACK") => Promise<void>> {
    let release = () => {};
    const previous = this.turn;
    this.turn = new Promise((resolve) => {
      release = resolve;
    });
    this.waiting++;
    await previous;
    this.waiting--;
    let group: Group;
    try {
      group = this.group ?? (await this.startGroup());
      this.db.exec("SAVEPOINT tx");
    } catch (error) {
      if (this.group && !this.db.isTransaction) this.endGroup(error);
      release();
      throw error;
    }
    group.size++;
    let done = false;
    return async (sql) => {
      if (done) return;
      done = true;
      // SQLite ends the whole transaction itself after some errors (a full disk): the group is lost.
      if (!this.db.isTransaction) {
        const lost = new Error("SQLite rolled the transaction back");
        this.endGroup(lost);
        release();
        if (sql === "COMMIT") throw lost;
        return;
      }
      if (sql === "ROLLBACK") {
        this.db.exec("ROLLBACK TO tx");
        this.db.exec("RELEASE tx");
        await this.passTurn(group, release);
        return;
      }
      this.db.exec("RELEASE tx");
      const durable = new Promise<void>((resolve, reject) => group.committed.push({ done: resolve, failed: reject }));
      durable.catch(() => undefined); // awaited below; may fail before that
      await this.passTurn(group, release);
      await durable;
    };
  }

  private async startGroup(): Promise<Group> {
    await this.outside(() => this.db.exec("BEGIN IMMEDIATE"));
    let ended = () => {};
    this.open = new Promise((resolve) => {
      ended = resolve;
    });
    this.group = { started: Date.now(), size: 0, committed: [], ended };
    return this.group;
  }

  /** Lets the next transaction join the group, or (nobody waits, or the group is full) commits it first. */
  private async passTurn(group: Group, release: () => void): Promise<void> {
    if (this.waiting > 0 && group.size < groupLimit && Date.now() - group.started < groupMaxMs) {
      release();
      return;
    }
    try {
      // In WAL mode COMMIT does not wait for readers; retried anyway, as it stays open when busy.
      await retryBusy(async () => this.db.exec("COMMIT"));
      this.endGroup();
    } catch (error) {
      if (this.db.isTransaction) this.db.exec("ROLLBACK");
      this.endGroup(error);
    } finally {
      release();
    }
  }

  /** The group's transaction ended: its committed transactions are told (failed, with `error`). */
  private endGroup(error?: unknown): void {
    const group = this.group;
    if (!group) return;
    this.group = undefined;
    this.open = undefined;
    group.ended();
    for (const t of group.committed) {
      if (error === undefined) t.done();
      else t.failed(error);
    }
  }

  /** Rows as arrays with their column names and declared types. */
  query(sql: string, args: readonly unknown[] = [], types: SqlQuery["argTypes"] = []) {
    // The schema engine sends what follows a migration's last statement (comments) too.
    if (blank(sql)) return { columns: [], rows: [] as unknown[][], changes: 0, lastInsertRowid: undefined };
    const statement = this.prepare(sql);
    if (statement.sourceSQL.length < sql.length && !blank(sql.slice(statement.sourceSQL.length))) {
      // Several statements in one (Prisma's schema engine sends a whole migration so):
      // a prepared statement would run only the first.
      if (args.length > 0) throw new Error("several SQL statements with parameters");
      this.db.exec(sql);
      return { columns: [], rows: [] as unknown[][], changes: 0, lastInsertRowid: undefined };
    }
    const params = args.map((arg, i) => toSqlite(arg, types[i]));
    const columns = statement.columns();
    if (columns.length === 0) {
      const info = statement.run(...params);
      return { columns, rows: [] as unknown[][], changes: Number(info.changes), lastInsertRowid: info.lastInsertRowid };
    }
    statement.setReturnArrays(true);
    const rows = statement.all(...params) as unknown as unknown[][];
    return { columns, rows, changes: 0, lastInsertRowid: undefined };
  }

  /** Several statements separated by semicolons (migrations). */
  script(sql: string): void {
    this.db.exec(sql);
  }

  private prepare(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      // Prisma's SQL has a bounded number of shapes; still keep the cache from growing without end.
      if (this.statements.size >= 500) this.statements.clear();
      this.statements.set(sql, statement);
    }
    return statement;
  }
}

/** Only whitespace, comments and semicolons. */
function blank(sql: string): boolean {
  return sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\/|[\s;]/g, "") === "";
}

async function retryBusy<T>(operation: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + busyDeadlineMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation();
    } catch (error) {
      if (!isBusy(error) || Date.now() > deadline) throw error;
      // 1, 2, 4 ... 64 ms with jitter: short while the other process finishes a quick write.
      await sleep((1 + Math.random()) * 2 ** Math.min(attempt, 6));
    }
  }
}

/** SQLite's errors as Prisma knows them (unique violations become P2002 and so on). */
function driverError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const code = sqliteCode(error);
  return code === undefined ? error : new DriverAdapterError(mappedError(error, code));
}

/** Prisma's queries on the connection, inside a transaction or outside (`run` says how). */
class SqliteQueryable {
  readonly provider = "sqlite";
  readonly adapterName = adapterName;
  protected readonly connection: SqliteConnection;
  private readonly inTransaction: boolean;

  constructor(connection: SqliteConnection, inTransaction: boolean) {
    this.connection = connection;
    this.inTransaction = inTransaction;
  }

  async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    const result = await this.run(() => this.connection.query(query.sql, query.args, query.argTypes));
    const columnTypes = result.columns.map(
      (c, i) => columnTypeOf(c.type) ?? inferColumnType(result.rows.map((row) => row[i])),
    );
    return {
      columnNames: result.columns.map((c) => c.name),
      columnTypes,
      rows: result.rows.map((row) => row.map((value, i) => toResultValue(value, columnTypes[i] ?? 0))),
      ...(result.lastInsertRowid !== undefined ? { lastInsertId: String(result.lastInsertRowid) } : {}),
    };
  }

  async executeRaw(query: SqlQuery): Promise<number> {
    return (await this.run(() => this.connection.query(query.sql, query.args, query.argTypes))).changes;
  }

  protected async run<T>(work: () => T): Promise<T> {
    try {
      return this.inTransaction ? work() : await this.connection.outside(work);
    } catch (error) {
      throw driverError(error);
    }
  }
}

class SqliteTransaction extends SqliteQueryable implements Transaction {
  readonly options = { usePhantomQuery: true };
  private readonly end: (sql: "COMMIT" | "ROLLBACK") => Promise<void>;

  constructor(connection: SqliteConnection, end: (sql: "COMMIT" | "ROLLBACK") => Promise<void>) {
    super(connection, true);
    this.end = end;
  }

  async commit(): Promise<void> {
    try {
      await this.end("COMMIT");
    } catch (error) {
      throw driverError(error);
    }
  }

  async rollback(): Promise<void> {
    await this.end("ROLLBACK");
  }
}

class SqliteAdapter extends SqliteQueryable implements SqlDriverAdapter {
  constructor(connection: SqliteConnection) {
    super(connection, false);
  }

  async executeScript(script: string): Promise<void> {
    await this.run(() => this.connection.script(script));
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    // SQLite transactions are serializable; nothing else can be promised.
    if (isolationLevel && isolationLevel !== "SERIALIZABLE") {
      throw new DriverAdapterError({ kind: "InvalidIsolationLevel", level: isolationLevel });
    }
    try {
      return new SqliteTransaction(this.connection, await this.connection.begin());
    } catch (error) {
      throw driverError(error);
    }
  }

  async dispose(): Promise<void> {
    this.connection.close();
  }
}

/**
 * Prisma's driver adapter for SQLite through Node's built-in node:sqlite. The client gets
 * the connection that was opened (and migrated) before; the CLI's shadow database for
 * `migrate diff` is a fresh in-memory one.
 */
export class SqliteAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "sqlite";
  readonly adapterName = adapterName;
  private readonly connection: SqliteConnection | string;

  constructor(connection: SqliteConnection | string) {
    this.connection = connection;
  }

  async connect(): Promise<SqlDriverAdapter> {
    const connection =
      typeof this.connection === "string" ? await SqliteConnection.open(this.connection) : this.connection;
    return new SqliteAdapter(connection);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    return new SqliteAdapter(await SqliteConnection.open(":memory:"));
  }
}

/**
 * The migrator's view of the connection: each migration in a BEGIN IMMEDIATE transaction.
 * Foreign keys are off meanwhile (SQLite ignores that pragma inside a transaction), so a
 * migration that rebuilds a table does not cascade-delete the rows that point at it; they
 * are checked before the commit instead.
 */
export function sqliteMigrationTarget(connection: SqliteConnection): MigrationTarget {
  const session: SqlSession = {
    async rows(sql) {
      const { columns, rows } = connection.query(sql);
      return rows.map((row) => Object.fromEntries(columns.map((c, i) => [c.name, row[i]])));
    },
    async script(sql) {
      connection.script(sql);
    },
  };
  return {
    provider: "sqlite",
    async lockedTransaction(work) {
      await connection.outside(() => connection.script("PRAGMA foreign_keys = OFF"));
      try {
        const end = await connection.begin();
        try {
          const result = await work(session);
          const broken = await session.rows("PRAGMA foreign_key_check");
          if (broken.length > 0) throw new Error(`"${String(broken[0]?.table)}" has rows that refer to missing rows`);
          await end("COMMIT");
          return result;
        } catch (error) {
          await end("ROLLBACK").catch(() => undefined);
          throw error;
        }
      } finally {
        await connection.outside(() => connection.script("PRAGMA foreign_keys = ON"));
      }
    },
  };
}
