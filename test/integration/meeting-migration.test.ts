import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, describe, expect, it } from "vitest";
import { migrate } from "../../src/db/migrate.ts";
import { SqliteConnection, sqliteMigrationTarget } from "../../src/db/sqlite.ts";

async function migrateFile(file: string, dir: string): Promise<void> {
  const connection = await SqliteConnection.open(file);
  try {
    await migrate(sqliteMigrationTarget(connection), dir);
  } finally {
    connection.close();
  }
}

const realMigrations = path.resolve(import.meta.dirname, "../../prisma/migrations");
const migration = "20261201000000_meeting_dates";
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("the migration to whole-day meetings as calendar dates", () => {
  it("gives existing all-day meetings the date that was meant, in any zone, and every meeting its own UID", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "teambot-meeting-dates-"));
    dirs.push(dir);
    const before = path.join(dir, "before");
    for (const name of readdirSync(realMigrations).filter((n) => n < migration && !n.endsWith(".toml")))
      cpSync(path.join(realMigrations, name), path.join(before, name), { recursive: true });
    const file = path.join(dir, "teambot.db");
    await migrateFile(file, before);
    const db = new DatabaseSync(file);
    // All-day rows stored the midnight of their date in the zone they were typed in; older
    // rows may hold milliseconds instead of ISO text.
    const rows: [number, string | number, boolean, number][] = [
      [1, "2026-12-03T23:00:00.000Z", true, 1440], // 4 December, typed in Berlin
      [2, "2026-12-19T15:00:00.000+00:00", true, 1440], // 20 December, typed in Tokyo
      [3, Date.parse("2026-12-04T05:00:00Z"), true, 60], // 4 December, typed in New York (an old 60-minute row)
      [4, "2026-12-01T17:00:00.000Z", false, 90], // a timed meeting
    ];
    // Meetings belong to a team (a later migration drops meetings of rooms that are no team).
    db.prepare(`INSERT INTO "Team" (ref, updatedAt) VALUES ('console:main', current_timestamp)`).run();
    const insert = db.prepare(
      `INSERT INTO "Meeting" (id, teamRef, title, startsAt, durationMinutes, allDay, createdBy, updatedAt) VALUES (?, 'console:main', 'M', ?, ?, ?, 'console:@ann', current_timestamp)`,
    );
    for (const [id, startsAt, allDay, minutes] of rows) insert.run(id, startsAt, minutes, allDay ? 1 : 0);
    db.close();
    await migrateFile(file, realMigrations);
    const after = new DatabaseSync(file);
    const result = after.prepare(`SELECT id, startDate, durationMinutes, uid, sequence FROM "Meeting" ORDER BY id`).all();
    after.close();
    expect(result.map((r) => [r.id, r.startDate, r.durationMinutes, r.sequence])).toEqual([
      [1, "2026-12-04", 1440, 0],
      [2, "2026-12-20", 1440, 0],
      [3, "2026-12-04", 1440, 0],
      [4, null, 90, 0],
    ]);
    const uids = result.map((r) => String(r.uid));
    expect(new Set(uids).size).toBe(4);
    for (const uid of uids) expect(uid).toMatch(/^[0-9a-f]{32}@teambot$/);
  });
});
