import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { dropDatabaseFor, testDatabase } from "../support/database.ts";
import { startTestBot } from "../support/harness.ts";
import { schedulerWorker, workerReport } from "../support/workers.ts";

const dirs: string[] = [];
afterAll(async () => {
  for (const dir of dirs) {
    await dropDatabaseFor(dir);
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A fresh database holding `count` echo jobs, all due, for a "slow:" room. */
async function dueJobs(count: number): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "teambot-processes-"));
  dirs.push(dir);
  const setup = await startTestBot({}, { dir, keepFiles: true });
  const due = new Date(Date.now() - 1_000);
  for (let i = 0; i < count; i += 2_000) {
    await setup.app.db.job.createMany({
      data: Array.from({ length: Math.min(2_000, count - i) }, (_, k) => ({
        kind: "test.echo",
        payload: { text: `job-${i + k}`, room: "slow:main" },
        dueAt: due,
        runAt: due,
      })),
    });
  }
  await setup.close();
  return dir;
}

/**
 * Runs `processes` workers on the folder's jobs at once; what each ran, and the longest
 * working time. Each delivery takes 1 ms, as a platform's round trip would (real ones take
 * 50-300 ms): a process delivers one job after another, so more processes deliver more.
 */
async function deliver(dir: string, processes: number): Promise<{ ran: string[][]; sent: string[][]; ms: number }> {
  const workers = Array.from({ length: processes }, (_, i) => schedulerWorker(dir, `w${i}`, 240_000, 100, 1));
  await Promise.all(workers.map((w) => w.ready));
  for (const w of workers) w.go();
  const reports = (await Promise.all(workers.map((w) => w.done))).map(workerReport);
  return { ran: reports.map((r) => r.ran), sent: reports.map((r) => r.sent), ms: Math.max(...reports.map((r) => r.ms)) };
}

// SQLite has one writer at a time: several processes share its work but cannot speed it
// up (two-processes.test.ts covers exactly-once there). PostgreSQL is for more processes.
describe.skipIf(testDatabase !== "postgres")("several bot processes on one PostgreSQL database", () => {
  it("4 workers deliver 10,000 due jobs each exactly once, each taking a share", async () => {
    const [alone, shared] = [await dueJobs(10_000), await dueJobs(10_000)];
    const one = await deliver(alone, 1);
    const four = await deliver(shared, 4);

    // What left for the platform: every job's message once. (A job whose transaction lost a
    // race with another process is rolled back and runs again: its work may run twice, its
    // message is written and sent once.)
    const sent = four.sent.flat();
    expect(sent).toHaveLength(10_000);
    expect(new Set(sent).size).toBe(10_000);
    expect(four.ran.every((ran) => ran.length > 0)).toBe(true); // every process took a share
    expect(new Set(four.ran.flat()).size).toBe(10_000);
    expect(one.sent.flat()).toHaveLength(10_000);
    const check = await startTestBot({}, { dir: shared, keepFiles: true });
    expect(await check.app.db.job.count({ where: { status: "done" } })).toBe(10_000);
    await check.close();
    // How long each took is printed, not asserted: timings belong in the bench, and every
    // message here goes to one room, which the outbox serves in order, one send at a time.
    process.stdout.write(`10,000 jobs: 1 process ${one.ms} ms, 4 processes ${four.ms} ms\n`);
  }, 600_000);
});
