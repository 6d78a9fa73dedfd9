import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { MigrationError, migrate } from "../../src/db/migrate.ts";

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "teambot-migrate-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("migrations at start", () => {
  it("brings a fresh database up to date and records it as Prisma does", async () => {
    const file = path.join(tempDir(), "fresh.db");
    const db = await openDatabase(`file:${file}`);
    await db.team.create({ data: { ref: "console:main" } });
    const rows = await db.$queryRawUnsafe<{ migration_name: string; finished_at: unknown }[]>(
      `SELECT migration_name, finished_at FROM "_prisma_migrations"`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.finished_at !== null)).toBe(true);
    await db.$disconnect();
    // Opening again applies nothing twice and keeps the data.
    const again = await openDatabase(`file:${file}`);
    expect(await again.team.count()).toBe(1);
    await again.$disconnect();
  });

  it("applies only the new migrations to an older database", async () => {
    const dir = tempDir();
    const migrations = path.join(dir, "migrations");
    mkdirSync(path.join(migrations, "001_a"), { recursive: true });
    writeFileSync(
      path.join(migrations, "001_a", "migration.sql"),
      'CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);',
    );
    const client = createClient({ url: `file:${path.join(dir, "old.db")}` });
    expect(await migrate(client, migrations)).toEqual(["001_a"]);
    await client.execute(`INSERT INTO "A" (id) VALUES (1)`);
    mkdirSync(path.join(migrations, "002_b"));
    writeFileSync(path.join(migrations, "002_b", "migration.sql"), 'ALTER TABLE "A" ADD COLUMN "name" TEXT;');
    expect(await migrate(client, migrations)).toEqual(["002_b"]);
    expect(await migrate(client, migrations)).toEqual([]);
    const row = await client.execute(`SELECT id, name FROM "A"`);
    expect(row.rows[0]?.id).toBe(1);
    client.close();
  });

  it("stops with a clear message on a failed migration and leaves the database as it was", async () => {
    const dir = tempDir();
    const migrations = path.join(dir, "migrations");
    mkdirSync(path.join(migrations, "001_ok"), { recursive: true });
    writeFileSync(
      path.join(migrations, "001_ok", "migration.sql"),
      'CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);',
    );
    mkdirSync(path.join(migrations, "002_broken"));
    writeFileSync(
      path.join(migrations, "002_broken", "migration.sql"),
      'CREATE TABLE "B" ("id" INTEGER PRIMARY KEY);\nALTER TABLE "Missing" ADD COLUMN "x" TEXT;',
    );
    const client = createClient({ url: `file:${path.join(dir, "broken.db")}` });
    const failure = await migrate(client, migrations).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect(String((failure as Error).message)).toMatch(/migration 002_broken failed: .*Missing/);
    const tables = await client.execute(`SELECT name FROM sqlite_master WHERE type = 'table'`);
    const names = tables.rows.map((r) => String(r.name));
    expect(names).toContain("A");
    expect(names).not.toContain("B"); // rolled back with its migration
    const applied = await client.execute(`SELECT migration_name FROM "_prisma_migrations"`);
    expect(applied.rows.map((r) => String(r.migration_name))).toEqual(["001_ok"]);
    client.close();
  });
});

describe("the database connection", () => {
  it("does not open a new connection per transaction (file handles stay flat)", async () => {
    const { readdirSync } = await import("node:fs");
    const openFiles = () => readdirSync("/proc/self/fd").length;
    const db = await openDatabase(`file:${path.join(tempDir(), "fd.db")}`);
    await db.$transaction(async (tx) => tx.team.count());
    const before = openFiles();
    for (let i = 0; i < 300; i++) {
      await db.$transaction(async (tx) => {
        await tx.team.upsert({ where: { ref: `console:r${i % 3}` }, create: { ref: `console:r${i % 3}` }, update: {} });
      });
    }
    expect(openFiles() - before).toBeLessThan(10);
    // A failed transaction rolls back and leaves the connection usable.
    await expect(
      db.$transaction(async (tx) => {
        await tx.team.create({ data: { ref: "console:rolled-back" } });
        throw new Error("abort");
      }),
    ).rejects.toThrow("abort");
    expect(await db.team.findUnique({ where: { ref: "console:rolled-back" } })).toBeNull();
    expect(await db.team.count()).toBe(3);
    await db.$disconnect();
  });
});

describe("the SQLite driver", () => {
  it("maps constraint errors as Prisma expects, with values of every column type", async () => {
    const db = await openDatabase(`file:${path.join(tempDir(), "driver.db")}`);
    const team = await db.team.create({ data: { ref: "console:same", name: "Café ☕" } });
    await expect(db.team.create({ data: { ref: "console:same" } })).rejects.toMatchObject({ code: "P2002" });
    const member = await db.member.create({ data: { ref: "console:@ann" } });
    await db.teamMember.create({ data: { teamId: team.id, memberId: member.id, coordinator: true } });
    const link = await db.teamMember.findFirstOrThrow({ include: { team: true } });
    expect(link.coordinator).toBe(true);
    expect(link.lastSeen).toBeInstanceOf(Date);
    expect(link.team.name).toBe("Café ☕");
    // A foreign key that points nowhere is refused.
    await expect(db.teamMember.create({ data: { teamId: 999, memberId: member.id } })).rejects.toMatchObject({
      code: "P2003",
    });
    await db.$disconnect();
  });
});
