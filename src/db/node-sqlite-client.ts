import { DatabaseSync, type SQLInputValue, type StatementSync } from "node:sqlite";
import type { Client, InArgs, InStatement, InValue, ResultSet, Row, Transaction } from "@libsql/client";

/**
 * The libsql client interface (what Prisma's libsql adapter and our migrator use) on
 * Node's built-in SQLite. libsql's native driver leaks about 5 kB per statement (it never
 * finalizes them) and never resets a statement that returned SQLITE_BUSY; Node's driver
 * does both, and prepared statements are reused here.
 */
export class NodeSqliteClient implements Client {
  readonly protocol = "file";
  closed = false;
  private readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();

  constructor(path: string) {
    this.db = new DatabaseSync(path);
  }

  async execute(stmt: InStatement): Promise<ResultSet> {
    return this.run(stmt);
  }

  async batch(stmts: InStatement[]): Promise<ResultSet[]> {
    this.db.exec("BEGIN IMMEDIATE");
    try {
      const results = stmts.map((s) => this.run(s));
      this.db.exec("COMMIT");
      return results;
    } catch (error) {
      this.db.exec("ROLLBACK");
      throw error;
    }
  }

  async executeMultiple(sql: string): Promise<void> {
    try {
      this.db.exec(sql);
    } catch (error) {
      throw driverError(error);
    }
  }

  /** Transactions run on this one connection (see withBusyRetry in client.ts). */
  transaction(): Promise<Transaction> {
    return Promise.reject(new Error("use the shared-connection transaction wrapper"));
  }

  async sync(): Promise<void> {}

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.statements.clear();
    this.db.close();
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

  private run(stmt: InStatement): ResultSet {
    const sql = typeof stmt === "string" ? stmt : stmt.sql;
    const args = typeof stmt === "string" ? [] : stmt.args;
    try {
      const statement = this.prepare(sql);
      const columns = statement.columns();
      if (columns.length > 0) {
        statement.setReturnArrays(true);
        const names = columns.map((c) => c.name);
        const raw = (Array.isArray(args) ? statement.all(...args.map(toSql)) : statement.all(namedArgs(args))) as unknown as SQLOutput[][];
        return result(
          names,
          columns.map((c) => c.type ?? ""),
          raw.map((values) => row(values, names)),
          0,
          undefined,
        );
      }
      const info = Array.isArray(args) ? statement.run(...args.map(toSql)) : statement.run(namedArgs(args));
      return result([], [], [], Number(info.changes), BigInt(info.lastInsertRowid));
    } catch (error) {
      throw driverError(error);
    }
  }
}

type SQLOutput = null | number | bigint | string | Uint8Array;

function toSql(value: InValue): SQLInputValue {
  if (value === null) return null;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return value;
}

function namedArgs(args: InArgs): Record<string, SQLInputValue> {
  const out: Record<string, SQLInputValue> = {};
  for (const [name, value] of Object.entries(args as Record<string, InValue>)) out[name.replace(/^[@$:]/, "")] = toSql(value);
  return out;
}

/** A row as libsql gives it: values by index (Prisma) and by column name (our code). */
function row(values: SQLOutput[], names: string[]): Row {
  const out: Record<string | number, unknown> = {};
  values.forEach((value, i) => {
    const converted = value instanceof Uint8Array ? value.slice().buffer : value;
    out[i] = converted;
    const name = names[i];
    if (name !== undefined && !(name in out)) out[name] = converted;
  });
  Object.defineProperty(out, "length", { value: values.length });
  return out as unknown as Row;
}

function result(
  columns: string[],
  columnTypes: string[],
  rows: Row[],
  rowsAffected: number,
  lastInsertRowid: bigint | undefined,
): ResultSet {
  return {
    columns,
    columnTypes,
    rows,
    rowsAffected,
    lastInsertRowid,
    toJSON: () => ({ columns, columnTypes, rows, rowsAffected, lastInsertRowid: lastInsertRowid?.toString() }),
  };
}

const primaryCodes: Record<number, string> = {
  5: "SQLITE_BUSY",
  6: "SQLITE_LOCKED",
  19: "SQLITE_CONSTRAINT",
  1: "SQLITE_ERROR",
};

/** Errors shaped like libsql's, so Prisma's adapter maps them (unique violations to P2002 and so on). */
function driverError(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const errcode = (error as { errcode?: unknown }).errcode;
  if (typeof errcode !== "number") return error;
  const code = primaryCodes[errcode & 0xff] ?? `SQLITE_${errcode & 0xff}`;
  return Object.assign(new Error(`${code}: ${error.message}`, { cause: error }), { code, rawCode: errcode });
}
