import { type ArgType, type ColumnType, ColumnTypeEnum, type MappedError } from "@prisma/driver-adapter-utils";
import type { SQLInputValue } from "node:sqlite";

/**
 * Value conversions between Prisma's query engine and node:sqlite, as Prisma's own SQLite
 * adapters do them (so databases written by the earlier libsql-based layer read the same).
 */

/** The declared column type (as in the migrations) tells Prisma how to read a value. */
export function columnTypeOf(declared: string | null): ColumnType | undefined {
  switch ((declared ?? "").toUpperCase()) {
    case "INTEGER":
    case "INT":
      return ColumnTypeEnum.Int32;
    case "BIGINT":
      return ColumnTypeEnum.Int64;
    case "REAL":
    case "DOUBLE":
    case "NUMERIC":
      return ColumnTypeEnum.Double;
    case "DECIMAL":
      return ColumnTypeEnum.Numeric;
    case "TEXT":
      return ColumnTypeEnum.Text;
    case "DATETIME":
      return ColumnTypeEnum.DateTime;
    case "BOOLEAN":
      return ColumnTypeEnum.Boolean;
    case "JSONB":
      return ColumnTypeEnum.Json;
    case "BLOB":
      return ColumnTypeEnum.Bytes;
    default:
      return undefined;
  }
}

/** Expressions (count(*), literals) have no declared type: the first value tells. */
export function inferColumnType(values: readonly unknown[]): ColumnType {
  const sample = values.find((v) => v !== null);
  if (typeof sample === "string") return ColumnTypeEnum.Text;
  if (typeof sample === "bigint") return ColumnTypeEnum.Int64;
  if (typeof sample === "number") return ColumnTypeEnum.UnknownNumber;
  if (sample instanceof Uint8Array) return ColumnTypeEnum.Bytes;
  return ColumnTypeEnum.Int32;
}

export function toResultValue(value: unknown, type: ColumnType): unknown {
  if (value instanceof Uint8Array) return Array.from(value);
  if (typeof value === "number" || typeof value === "bigint") {
    // DATETIME as a number: a Unix time in milliseconds (how Prisma's native engine wrote it).
    if (type === ColumnTypeEnum.DateTime) return new Date(Number(value)).toISOString();
    // JSONB has numeric affinity in SQLite: a JSON number comes back as a number.
    if (type === ColumnTypeEnum.Json) return String(value);
    if (typeof value === "bigint") return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    if ((type === ColumnTypeEnum.Int32 || type === ColumnTypeEnum.Int64) && !Number.isInteger(value)) {
      return Math.trunc(value);
    }
  }
  return value;
}

/** An argument as SQLite stores it. Instants are ISO 8601 text with "+00:00", as before. */
export function toSqlite(arg: unknown, type: ArgType | undefined): SQLInputValue {
  if (arg === null || arg === undefined) return null;
  if (typeof arg === "boolean") return arg ? 1 : 0;
  const scalar = type?.scalarType;
  if (typeof arg === "string") {
    if (scalar === "int") return Number.parseInt(arg, 10);
    if (scalar === "float" || scalar === "decimal") return Number.parseFloat(arg);
    if (scalar === "bigint") return BigInt(arg);
    if (scalar === "datetime") return isoInstant(new Date(arg));
    if (scalar === "bytes") return Buffer.from(arg, "base64");
    return arg;
  }
  if (arg instanceof Date) return isoInstant(arg);
  if (typeof arg === "number" || typeof arg === "bigint" || arg instanceof Uint8Array) return arg;
  if (Array.isArray(arg) && scalar === "bytes") return Uint8Array.from(arg as number[]);
  throw new TypeError(`cannot bind a ${typeof arg} to SQLite`);
}

function isoInstant(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

/** A node:sqlite error (ERR_SQLITE_ERROR with SQLite's extended result code). */
export function sqliteCode(error: unknown): number | undefined {
  const code = typeof error === "object" && error !== null ? (error as { errcode?: unknown }).errcode : undefined;
  return typeof code === "number" ? code : undefined;
}

/** Another connection holds the lock (SQLITE_BUSY and its extended codes). */
export function isBusy(error: unknown): boolean {
  return ((sqliteCode(error) ?? 0) & 0xff) === 5;
}

/** Maps SQLite's result codes to the errors Prisma turns into P2002, P2011, P2003 and so on. */
export function mappedError(error: Error, code: number): MappedError {
  const fields = () =>
    error.message
      .split("constraint failed: ")
      .at(1)
      ?.split(", ")
      .map((f) => f.split(".").pop() ?? f);
  switch (code) {
    case 2067: // SQLITE_CONSTRAINT_UNIQUE
    case 1555: {
      // SQLITE_CONSTRAINT_PRIMARYKEY
      const names = fields();
      return { kind: "UniqueConstraintViolation", ...(names ? { constraint: { fields: names } } : {}) };
    }
    case 1299: {
      // SQLITE_CONSTRAINT_NOTNULL
      const names = fields();
      return { kind: "NullConstraintViolation", ...(names ? { constraint: { fields: names } } : {}) };
    }
    case 787: // SQLITE_CONSTRAINT_FOREIGNKEY
    case 1811: // SQLITE_CONSTRAINT_TRIGGER
      return { kind: "ForeignKeyConstraintViolation", constraint: { foreignKey: {} } };
  }
  if ((code & 0xff) === 5) return { kind: "SocketTimeout" };
  const table = /^no such table: (.+)$/.exec(error.message)?.[1];
  if (table) return { kind: "TableDoesNotExist", table };
  const column = /(?:^no such column: |has no column named )(.+)$/.exec(error.message)?.[1];
  if (column) return { kind: "ColumnNotFound", column };
  return { kind: "sqlite", extendedCode: code, message: error.message };
}
