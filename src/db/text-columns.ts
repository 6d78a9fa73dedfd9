import { type DbOrTx, providerOf } from "./client.ts";

/** A table's column that holds text or JSON (where a person's name or reference can be). */
export interface TextColumn {
  table: string;
  column: string;
  json: boolean;
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Every text and JSON column of the application's tables (not the migrations' bookkeeping). */
export async function textColumns(db: DbOrTx): Promise<TextColumn[]> {
  if (providerOf(db) === "postgres") {
    const rows = await db.$queryRawUnsafe<{ table_name: string; column_name: string; data_type: string }[]>(
      `SELECT table_name::text AS table_name, column_name::text AS column_name, data_type::text AS data_type FROM information_schema.columns
       WHERE table_schema = current_schema() AND data_type IN ('text', 'jsonb') AND table_name NOT LIKE '\\_%'`,
    );
    return rows.map((r) => ({ table: r.table_name, column: r.column_name, json: r.data_type === "jsonb" }));
  }
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '\\_%' ESCAPE '\\'",
  );
  const columns: TextColumn[] = [];
  for (const { name } of tables) {
    const info = await db.$queryRawUnsafe<{ name: string; type: string }[]>(`PRAGMA table_info(${quote(name)})`);
    for (const c of info) {
      const type = c.type.toUpperCase();
      if (type === "TEXT" || type === "JSONB") columns.push({ table: name, column: c.name, json: type === "JSONB" });
    }
  }
  return columns;
}

/**
 * Replaces every occurrence of `from` by `to` in one column (JSON columns as their text, with
 * `from` and `to` JSON-escaped unless `literal`). Returns how many rows changed.
 */
export async function replaceInColumn(
  db: DbOrTx,
  c: TextColumn,
  from: string,
  to: string,
  literal = false,
): Promise<number> {
  const escape = c.json && !literal;
  const [a, b] = escape ? [JSON.stringify(from).slice(1, -1), JSON.stringify(to).slice(1, -1)] : [from, to];
  const column = quote(c.column);
  if (providerOf(db) === "postgres") {
    const text = c.json ? `${column}::text` : column;
    const value = c.json ? `REPLACE(${text}, $1, $2)::jsonb` : `REPLACE(${text}, $1, $2)`;
    return db.$executeRawUnsafe(`UPDATE ${quote(c.table)} SET ${column} = ${value} WHERE STRPOS(${text}, $1) > 0`, a, b);
  }
  return db.$executeRawUnsafe(
    `UPDATE ${quote(c.table)} SET ${column} = REPLACE(${column}, ?1, ?2) WHERE INSTR(${column}, ?1) > 0`,
    a,
    b,
  );
}

/** Sets a text column to `to` where it is exactly `from`. */
export async function replaceValue(db: DbOrTx, c: TextColumn, from: string, to: string): Promise<number> {
  const pg = providerOf(db) === "postgres";
  return db.$executeRawUnsafe(
    `UPDATE ${quote(c.table)} SET ${quote(c.column)} = ${pg ? "$2" : "?2"} WHERE ${quote(c.column)} = ${pg ? "$1" : "?1"}`,
    from,
    to,
  );
}

/** Rows of one column that contain `text` (JSON columns as their text). */
export async function countContaining(db: DbOrTx, c: TextColumn, text: string): Promise<number> {
  const needle = c.json ? JSON.stringify(text).slice(1, -1) : text;
  const column = quote(c.column);
  const pg = providerOf(db) === "postgres";
  const asText = pg && c.json ? `${column}::text` : column;
  const rows = await db.$queryRawUnsafe<{ n: bigint | number }[]>(
    `SELECT COUNT(*) AS n FROM ${quote(c.table)} WHERE ${pg ? `STRPOS(${asText}, $1)` : `INSTR(${asText}, ?)`} > 0`,
    needle,
  );
  return Number(rows[0]?.n ?? 0);
}
