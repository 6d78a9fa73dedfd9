import { spawn } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { MigrationError, migrate } from "../../src/db/migrate.ts";
import { SqliteConnection, sqliteMigrationTarget } from "../../src/db/sqlite.ts";
import { backupBeforeMigrating } from "../../src/ops/upgrade.ts";

const root = path.resolve(import.meta.dirname, "../..");
const realMigrations = path.join(root, "prisma", "migrations");
const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "teambot-upgrade-"));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function migration(dir: string, name: string, sql: string): void {
  mkdirSync(path.join(dir, name), { recursive: true });
  writeFileSync(path.join(dir, name, "migration.sql"), sql);
}

function realMigrationNames(): string[] {
  return readdirSync(realMigrations, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** A database migrated by this version, with a migration recorded that only a newer version has. */
async function newerDatabase(file: string): Promise<void> {
  const db = await openDatabase(`file:${file}`);
  await db.team.create({ data: { ref: "console:main" } });
  await db.$executeRawUnsafe(
    `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count) VALUES ('x', 'x', current_timestamp, '29991231000000_from_the_future', 1)`,
  );
  await db.$disconnect();
}

describe("upgrades", () => {
  it("backs the database up before applying pending migrations, and not a fresh one", async () => {
    const dir = tempDir();
    const file = path.join(dir, "data", "teambot.db");
    mkdirSync(path.dirname(file));
    // This version minus its newest migration: an install one release behind.
    const names = realMigrationNames();
    const older = path.join(dir, "older-migrations");
    for (const name of names.slice(0, -1)) cpSync(path.join(realMigrations, name), path.join(older, name), { recursive: true });
    const connection = await SqliteConnection.open(file);
    const fresh = backupBeforeMigrating(file);
    await migrate(sqliteMigrationTarget(connection), older, { beforeMigrate: fresh });
    expect(readdirSync(path.dirname(file))).not.toContain("backups"); // nothing to lose yet
    connection.script(`INSERT INTO "Team" (ref, "updatedAt") VALUES ('console:main', current_timestamp)`);
    connection.close();

    const reports: string[] = [];
    const db = await openDatabase(`file:${file}`, {
      beforeMigrating: (f) => backupBeforeMigrating(f, (message) => reports.push(message)),
    });
    expect(await db.team.count()).toBe(1);
    await db.$disconnect();

    const backups = readdirSync(path.join(path.dirname(file), "backups"));
    const newest = names.at(-1) ?? "";
    expect(backups).toHaveLength(1);
    expect(backups[0]).toMatch(new RegExp(`^teambot-before-${newest}-\\d{8}-\\d{6}\\.db$`));
    expect(reports[0]).toMatch(/backed up before 1 pending migration/);
    const backupFile = path.join(path.dirname(file), "backups", backups[0] ?? "");
    expect(statSync(backupFile).mode & 0o777).toBe(0o600);
    // The backup holds the database as it was before the upgrade: the data, without the new migration.
    const copy = new DatabaseSync(backupFile, { readOnly: true });
    expect(copy.prepare(`SELECT ref FROM "Team"`).all().map((r) => r.ref)).toEqual(["console:main"]);
    const recorded = copy.prepare(`SELECT migration_name FROM "_prisma_migrations"`).all().map((r) => r.migration_name);
    expect(recorded).toHaveLength(names.length - 1);
    expect(recorded).not.toContain(newest);
    copy.close();
  });

  it("does not migrate when no backup can be made", async () => {
    const dir = tempDir();
    const migrations = path.join(dir, "migrations");
    migration(migrations, "001_a", 'CREATE TABLE "A" ("id" INTEGER PRIMARY KEY);');
    const file = path.join(dir, "t.db");
    const connection = await SqliteConnection.open(file);
    const target = sqliteMigrationTarget(connection);
    await migrate(target, migrations);
    migration(migrations, "002_b", 'CREATE TABLE "B" ("id" INTEGER PRIMARY KEY);');
    writeFileSync(path.join(dir, "backups"), "a file where the backups folder should be");
    const failure = await migrate(target, migrations, { beforeMigrate: backupBeforeMigrating(file) }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MigrationError);
    expect(String(failure)).toMatch(/no backup could be made before migrating .* nothing was changed/);
    expect(connection.query(`SELECT name FROM sqlite_master WHERE name = 'B'`).rows).toHaveLength(0);
    connection.close();
  });

  it("refuses a database that a newer version has migrated, with a clear message, and leaves it alone", async () => {
    const file = path.join(tempDir(), "newer.db");
    await newerDatabase(file);
    const failure = await openDatabase(`file:${file}`).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(MigrationError);
    expect(String(failure)).toMatch(/newer than this version of Teambot.*29991231000000_from_the_future/);
    expect(readdirSync(path.dirname(file))).not.toContain("backups");
  });

  it("npm start says so and exits non-zero on a newer database", async () => {
    const file = path.join(tempDir(), "newer.db");
    await newerDatabase(file);
    const child = spawn(process.execPath, ["src/main.ts"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: `file:${file}`, LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/database is newer than this version of Teambot/);
  }, 30_000);

  it("keeps the rows that refer to a table a migration rebuilds (foreign keys on)", async () => {
    const dir = tempDir();
    const migrations = path.join(dir, "migrations");
    migration(
      migrations,
      "001_tables",
      'CREATE TABLE "P" ("id" INTEGER PRIMARY KEY);\nCREATE TABLE "C" ("id" INTEGER PRIMARY KEY, "p" INTEGER NOT NULL REFERENCES "P" ("id") ON DELETE CASCADE);',
    );
    const connection = await SqliteConnection.open(path.join(dir, "fk.db")); // foreign keys on
    const target = sqliteMigrationTarget(connection);
    const one = (sql: string) => connection.query(sql).rows[0]?.[0];
    await migrate(target, migrations);
    connection.script(`INSERT INTO "P" (id) VALUES (1); INSERT INTO "C" (id, p) VALUES (10, 1)`);
    // How Prisma writes a table rebuild for SQLite.
    migration(
      migrations,
      "002_rebuild",
      `PRAGMA defer_foreign_keys=ON;\nPRAGMA foreign_keys=OFF;\nCREATE TABLE "new_P" ("id" INTEGER PRIMARY KEY, "name" TEXT NOT NULL DEFAULT '');\nINSERT INTO "new_P" ("id") SELECT "id" FROM "P";\nDROP TABLE "P";\nALTER TABLE "new_P" RENAME TO "P";\nPRAGMA foreign_keys=ON;\nPRAGMA defer_foreign_keys=OFF;`,
    );
    expect(await migrate(target, migrations)).toEqual(["002_rebuild"]);
    expect(one(`SELECT count(*) FROM "C"`)).toBe(1);
    expect(one("PRAGMA foreign_keys")).toBe(1);
    // A migration that leaves dangling references is refused and rolled back.
    migration(migrations, "003_dangling", `DELETE FROM "P";`);
    await expect(migrate(target, migrations)).rejects.toThrow(/003_dangling failed: .*rows that refer to missing rows/);
    expect(one(`SELECT count(*) FROM "P"`)).toBe(1);
    expect(one("PRAGMA foreign_keys")).toBe(1);
    connection.close();
  });
});
