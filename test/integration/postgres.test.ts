import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { MigrationError, migrate, migrationsDirs } from "../../src/db/migrate.ts";
import { connectPostgres, postgresMigrationTarget } from "../../src/db/postgres.ts";
import { dropSchemas, postgresUrlWithSchema, testDatabase } from "../support/database.ts";

/** PostgreSQL only (TEST_DATABASE=postgres): the migrator and the column types. */
const prefix = `test_pg_${process.pid}_`;
const dir = mkdtempSync(path.join(tmpdir(), "teambot-postgres-"));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (testDatabase === "postgres") await dropSchemas(`^${prefix}`);
});
const url = (name: string) => postgresUrlWithSchema(`${prefix}${name}`);

describe.skipIf(testDatabase !== "postgres")("PostgreSQL", () => {
  it("migrates a fresh schema with every instant as timestamptz and every JSON column as jsonb", async () => {
    const db = await openDatabase(url("fresh"));
    const applied = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY 1`,
    );
    const names = readdirSync(migrationsDirs.postgres, { withFileTypes: true }).filter((e) => e.isDirectory());
    expect(applied.map((r) => r.migration_name)).toEqual(names.map((e) => e.name).sort());
    const columns = await db.$queryRawUnsafe<{ table: string; column: string; type: string }[]>(
      `SELECT table_name::text AS "table", column_name::text AS "column", data_type::text AS type FROM information_schema.columns
       WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'`,
    );
    const ofType = (type: string) => columns.filter((c) => c.type === type).map((c) => `${c.table}.${c.column}`);
    expect(ofType("timestamp without time zone")).toEqual([]);
    expect(ofType("timestamp with time zone")).toContain("Job.runAt");
    expect(ofType("jsonb").sort()).toEqual(
      [
        "AuditEntry.details",
        "DiscordPost.parts",
        "OutboxEntry.message",
        "OutboxEntry.onSent",
        "Job.outbox",
        "Job.payload",
        "Job.recurrence",
        "MeetingSettings.reminderOffsets",
        "RrEvent.data",
        "RrRequest.skills",
        "TaskEvent.data",
        "Team.dayParts",
      ].sort(),
    );
    // Instants go in and come out as the same instant, whatever the session's time zone.
    await db.$executeRawUnsafe(`SET TIME ZONE 'Asia/Kabul'`);
    const at = new Date("2027-03-28T00:30:00.123Z");
    const job = await db.job.create({ data: { kind: "k", payload: { a: [1, "x"] }, dueAt: at, runAt: at } });
    expect((await db.job.findUniqueOrThrow({ where: { id: job.id } })).runAt).toEqual(at);
    expect(await db.job.count({ where: { runAt: { lte: at } } })).toBe(1);
    await db.$disconnect();
  });

  it("lets two processes that start at once apply each migration once", async () => {
    const [a, b] = await Promise.all([openDatabase(url("race")), openDatabase(url("race"))]);
    const rows = await a.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "_prisma_migrations"`);
    expect(Number(rows[0]?.n)).toBe(readdirSync(migrationsDirs.postgres).filter((n) => !n.endsWith(".toml")).length);
    await Promise.all([a.$disconnect(), b.$disconnect()]);
  });

  it("rolls a failed migration back completely and stops with a clear message", async () => {
    const migrations = path.join(dir, "broken");
    mkdirSync(path.join(migrations, "001_ok"), { recursive: true });
    writeFileSync(path.join(migrations, "001_ok", "migration.sql"), 'CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);');
    mkdirSync(path.join(migrations, "002_broken"));
    writeFileSync(
      path.join(migrations, "002_broken", "migration.sql"),
      'CREATE TABLE "B" ("id" INTEGER PRIMARY KEY);\nALTER TABLE "Missing" ADD COLUMN "x" TEXT;',
    );
    const connection = connectPostgres(url("broken"));
    const failure = await migrate(postgresMigrationTarget(connection), migrations).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MigrationError);
    expect(String((failure as Error).message)).toMatch(/migration 002_broken failed: .*Missing/);
    const tables = await connection.pool.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`,
    );
    expect(tables.rows.map((r) => r.name)).toEqual(["A", "_prisma_migrations"]);
    await connection.pool.end();
  });
});
