import { randomUUID } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { Prisma } from "../../src/generated/prisma/client.ts";

/**
 * The database the suites run on: a SQLite file per test folder (the default, nothing to
 * install), or with TEST_DATABASE=postgres a fresh schema per test folder in the
 * PostgreSQL database TEST_POSTGRES_URL names (`.ci/run` sets both when it can).
 */
export const testDatabase: "sqlite" | "postgres" = process.env.TEST_DATABASE === "postgres" ? "postgres" : "sqlite";

function postgresBase(): string {
  const url = process.env.TEST_POSTGRES_URL;
  if (!url) throw new Error("TEST_DATABASE=postgres needs TEST_POSTGRES_URL (postgresql://user:password@host/database)");
  return url;
}

/** A PostgreSQL URL of TEST_POSTGRES_URL's database with another schema. */
export function postgresUrlWithSchema(schema: string): string {
  const url = new URL(postgresBase());
  url.searchParams.set("schema", schema);
  return url.toString();
}

/**
 * The database of a test folder. On PostgreSQL the URL of its schema is kept in the folder,
 * so a restarted bot, or a worker process given the folder, opens the same database.
 */
export function databaseUrlFor(dir: string, name = "test"): string {
  if (testDatabase === "sqlite") return `file:${path.join(dir, `${name}.db`)}`;
  const remembered = path.join(dir, `${name}.postgres-url`);
  if (existsSync(remembered)) return readFileSync(remembered, "utf8");
  const url = postgresUrlWithSchema(`test_${randomUUID().replaceAll("-", "").slice(0, 20)}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(remembered, url);
  return url;
}

/** Drops the PostgreSQL schema of a test folder (SQLite files go with the folder). */
export async function dropDatabaseFor(dir: string, name = "test"): Promise<void> {
  const remembered = path.join(dir, `${name}.postgres-url`);
  if (testDatabase === "sqlite" || !existsSync(remembered)) return;
  const schema = new URL(readFileSync(remembered, "utf8")).searchParams.get("schema");
  if (schema) await dropSchemas(`^${schema}$`);
}

/** Drops the schemas whose names match (test schemas left by earlier runs). */
export async function dropSchemas(pattern: string): Promise<void> {
  const client = new pg.Client({ connectionString: postgresBase() });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT nspname AS name FROM pg_namespace WHERE nspname ~ $1",
      [pattern],
    );
    for (const { name } of rows) await client.query(`DROP SCHEMA IF EXISTS "${name}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** Every table of the bot's schema (one per model), for tests that compare all stored data. */
export const tableNames: readonly string[] = Object.values(Prisma.ModelName);
