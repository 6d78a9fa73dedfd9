import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { MigrationError, migrate, migrationsDirs } from "../../src/db/migrate.ts";
import { SqliteConnection, sqliteMigrationTarget } from "../../src/db/sqlite.ts";

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
    const connection = await SqliteConnection.open(path.join(dir, "old.db"));
    const target = sqliteMigrationTarget(connection);
    expect(await migrate(target, migrations)).toEqual(["001_a"]);
    connection.script(`INSERT INTO "A" (id) VALUES (1)`);
    mkdirSync(path.join(migrations, "002_b"));
    writeFileSync(path.join(migrations, "002_b", "migration.sql"), 'ALTER TABLE "A" ADD COLUMN "name" TEXT;');
    expect(await migrate(target, migrations)).toEqual(["002_b"]);
    expect(await migrate(target, migrations)).toEqual([]);
    expect(connection.query(`SELECT id, name FROM "A"`).rows).toEqual([[1, null]]);
    connection.close();
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
    const connection = await SqliteConnection.open(path.join(dir, "broken.db"));
    const failure = await migrate(sqliteMigrationTarget(connection), migrations).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect(String((failure as Error).message)).toMatch(/migration 002_broken failed: .*Missing/);
    const names = connection.query(`SELECT name FROM sqlite_master WHERE type = 'table'`).rows.flat();
    expect(names).toContain("A");
    expect(names).not.toContain("B"); // rolled back with its migration
    expect(connection.query(`SELECT migration_name FROM "_prisma_migrations"`).rows.flat()).toEqual(["001_ok"]);
    connection.close();
  });

  it("lets two connections that start at once apply each migration once", async () => {
    const file = path.join(tempDir(), "race.db");
    const [a, b] = await Promise.all([SqliteConnection.open(file), SqliteConnection.open(file)]);
    const [first, second] = await Promise.all([migrate(sqliteMigrationTarget(a)), migrate(sqliteMigrationTarget(b))]);
    const all = readdirSync(migrationsDirs.sqlite, { withFileTypes: true }).filter((e) => e.isDirectory());
    expect([...first, ...second].sort()).toEqual(all.map((e) => e.name).sort());
    expect(a.query(`SELECT count(*) FROM "_prisma_migrations"`).rows[0]?.[0]).toBe(first.length + second.length);
    a.close();
    b.close();
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

describe("waiting for another connection's write lock", () => {
  it("keeps the event loop turning: the holder, in this same process, can finish", async () => {
    const file = path.join(tempDir(), "busy.db");
    const db = await openDatabase(`file:${file}`);
    const holder = await SqliteConnection.open(file);
    const end = await holder.begin();
    holder.script(`INSERT INTO "Team" (ref, name, language, "timeZone", "createdAt", "updatedAt") VALUES ('console:holder', '', 'de', 'UTC', 0, 0)`);
    let ticks = 0;
    const ticker = setInterval(() => ticks++, 5);
    // The holder commits from a timer: with a blocking busy wait that timer could never fire.
    const released = new Promise<void>((resolve) => setTimeout(() => void end("COMMIT").then(resolve), 300));
    const created = await db.team.create({ data: { ref: "console:waiter" } });
    clearInterval(ticker);
    await released;
    expect(created.id).toBe(2);
    expect(ticks).toBeGreaterThan(5);
    expect(await db.team.count()).toBe(2);
    holder.close();
    await db.$disconnect();
  });
});
