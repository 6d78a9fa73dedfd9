import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testDatabase } from "../support/database.ts";
import { startTestBot } from "../support/harness.ts";
import { schedulerWorker, workerReport } from "../support/workers.ts";

const dir = mkdtempSync(path.join(tmpdir(), "teambot-two-processes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe(`two bot processes on one ${testDatabase === "sqlite" ? "SQLite file" : "PostgreSQL database"}`, () => {
  it("deliver 1,000 due jobs exactly once between them", async () => {
    const setup = await startTestBot({}, { dir, keepFiles: true });
    const due = new Date(Date.now() - 1_000);
    await setup.app.db.job.createMany({
      data: Array.from({ length: 1_000 }, (_, i) => ({
        kind: "test.echo",
        payload: { text: `job-${i}` },
        dueAt: due,
        runAt: due,
      })),
    });
    await setup.close();

    const workers = [schedulerWorker(dir, "a"), schedulerWorker(dir, "b")];
    await Promise.all(workers.map((w) => w.ready));
    for (const w of workers) w.go();
    const all = (await Promise.all(workers.map((w) => w.done))).flatMap((out) => workerReport(out).ran);
    expect(all).toHaveLength(1_000);
    expect(new Set(all).size).toBe(1_000);

    const check = await startTestBot({}, { dir, keepFiles: true });
    expect(await check.app.db.job.count({ where: { status: "done" } })).toBe(1_000);
    await check.close();
  }, 90_000);
});
