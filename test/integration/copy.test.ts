import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type Db, openDatabase, projectRoot } from "../../src/db/client.ts";
import { CopyError, copyDatabase, copyOrder, rowCounts } from "../../src/db/copy.ts";
import { Prisma } from "../../src/generated/prisma/client.ts";
import { databaseUrlFor, dropDatabaseFor, testDatabase } from "../support/database.ts";
import { defaultTestNow, startTestBot } from "../support/harness.ts";

const dir = mkdtempSync(path.join(tmpdir(), "teambot-copy-"));
afterAll(async () => {
  await dropDatabaseFor(dir, "target");
  rmSync(dir, { recursive: true, force: true });
});

/** Every row of every table, in key order, as plain data. */
async function everything(db: Db): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const [model, key] of copyOrder) {
    const name = model.charAt(0).toLowerCase() + model.slice(1);
    const delegate = (db as unknown as Record<string, { findMany(a: unknown): Promise<unknown[]> }>)[name];
    out[model] = (await delegate?.findMany({ orderBy: key.map((k) => ({ [k]: "asc" })) })) ?? [];
  }
  return out;
}

function runCopy(sqlite: string, target: string): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ["src/ops/copy-main.ts", target], {
    cwd: projectRoot,
    env: { PATH: process.env.PATH, DATABASE_URL: `file:${sqlite}` },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on("close", (code) => resolve({ code, out })));
}

describe("copying a team's SQLite database into PostgreSQL", () => {
  it("knows every table", () => {
    expect(copyOrder.map(([model]) => model).sort()).toEqual(Object.values(Prisma.ModelName).sort());
  });

  it.skipIf(testDatabase !== "postgres")(
    "copies every row as it was; the bot goes on on PostgreSQL with new ids after the old ones",
    async () => {
      const sqlite = path.join(dir, "source.db");
      const source = await startTestBot({ DATABASE_URL: `file:${sqlite}` }, { dir, keepFiles: true });
      await source.say("rr skills add arabic", { member: "cem" });
      await source.say("settings", { member: "bob" });
      const added = await source.say('task add "Formular für Familie K." @bob --due "2026-11-27 12:00" --note "Ümlaute ✓"', {
        member: "ann",
      });
      expect(added).toContain("#1");
      await source.say('poll create "Treffen?" Mo Di Mi --multi 2', { member: "ann" });
      await source.say("poll vote 1 1 2", { member: "bob" });
      await source.say("rr available on", { member: "cem" });
      await source.say("rr Dolmetschen beim Jobcenter --skill arabic --urgent", { member: "ann" });
      await source.say("rr claim 1", { member: "cem" });
      await source.say("remind every monday 9:00 Wochenplanung", { member: "ann" });
      await source.say("remind team tomorrow 10:00 Akten", { member: "ann" });
      await source.say("settings timezone Asia/Kabul", { member: "cem" });
      await source.close();

      const target = databaseUrlFor(dir, "target");
      const copy = await runCopy(sqlite, target);
      expect(copy.out).toMatch(/Copied \d+ rows/);
      expect(copy.code).toBe(0);

      const [from, to] = [await openDatabase(`file:${sqlite}`), await openDatabase(target)];
      expect(await everything(to)).toEqual(await everything(from));
      const counts = await rowCounts(to);
      for (const model of ["TaskEvent", "PollVote", "RrClaim", "RrEvent", "RrSkill", "Job", "Reminder"] as const) {
        expect(counts.get(model), model).toBeGreaterThan(0);
      }
      expect((await to.job.count({ where: { recurrence: { not: Prisma.DbNull } } })) > 0).toBe(true);
      // Copying again into a database that has data is refused.
      await expect(copyDatabase(from, to)).rejects.toBeInstanceOf(CopyError);
      await Promise.all([from.$disconnect(), to.$disconnect()]);

      // The bot on the copy: the same tasks, new rows get fresh ids, due jobs run.
      const bot = await startTestBot({ DATABASE_URL: target }, { dir, keepFiles: true, now: defaultTestNow });
      expect(await bot.say("task list", { member: "ann" })).toContain("Formular für Familie K.");
      expect(await bot.say('task add "Zweite Aufgabe"', { member: "dora" })).toContain("#2");
      const later = new Date(defaultTestNow.getTime() + 2 * 86_400_000);
      expect(await bot.runDueJobs(later)).toContain("Akten");
      await bot.close();
    },
    120_000,
  );
});
