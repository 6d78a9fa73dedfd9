import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { testDatabase } from "../support/database.ts";

const dir = mkdtempSync(path.join(tmpdir(), "teambot-statistics-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Without table statistics SQLite guessed that `status IN (…)` is more selective than a list
 * of job keys, and read every pending job to find a page's 40 keys. The bot's connection
 * keeps the statistics current (at open, then hourly), so the unique key index is used.
 */
describe.skipIf(testDatabase !== "sqlite")("SQLite planner statistics", () => {
  it("a key lookup among many pending jobs uses the key index once the bot has opened the file", async () => {
    const url = `file:${path.join(dir, "stats.db")}`;
    const keys = Array.from({ length: 40 }, (_, i) => `reminder:${i}:main`);
    const lookup = `EXPLAIN QUERY PLAN SELECT id FROM "Job" WHERE pendingKey IN (${keys.map((k) => `'${k}'`).join(",")}) AND status IN ('pending', 'running') ORDER BY dueAt`;
    const plan = async (db: Awaited<ReturnType<typeof openDatabase>>) =>
      (await db.$queryRawUnsafe<{ detail: string }[]>(lookup)).map((row) => row.detail).join("; ");

    const db = await openDatabase(url);
    await db.$executeRawUnsafe(
      `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 5000)
       INSERT INTO "Job" (kind, payload, dueAt, runAt, pendingKey, status, attempts, createdAt, updatedAt)
       SELECT 'reminder', '{}', n, n, 'reminder:' || n || ':main', 'pending', 0, n, n FROM seq`,
    );
    // Grown behind the planner's back: without statistics it scans by status.
    expect(await plan(db)).toContain("status");
    await db.$disconnect();

    const reopened = await openDatabase(url);
    try {
      expect(await plan(reopened)).toContain("Job_pendingKey_key");
    } finally {
      await reopened.$disconnect();
    }
  });
});
