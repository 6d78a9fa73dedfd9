import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.ts";
import { echoJob } from "../support/test-jobs.ts";
import { waitFor } from "../support/wait.ts";

describe("durable scheduler across time and processes", () => {
  const bots: TestBot[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const b of bots.splice(0)) await b.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it("delivers a job due in one second through the console adapter, in real time", async () => {
    const bot = await startTestBot({}, { startScheduler: true });
    bots.push(bot);
    const echo = echoJob();
    bot.scheduler.register(echo.handler);
    // The bot's clock starts at the pinned instant and runs with real time from there.
    const started = performance.now();
    await bot.scheduler.schedule({
      kind: "test.echo",
      dueAt: new Date(bot.clock.now().getTime() + 1_000),
      payload: { text: "tick" },
    });
    await waitFor(() => bot.transcript().includes("[#main] echo tick"), 5_000);
    expect(performance.now() - started).toBeGreaterThanOrEqual(990);
    expect(echo.runs).toHaveLength(1);
    expect(echo.runs[0]?.late).toBe(false);
  });

  it("runs a job scheduled inside a slow transaction right after the commit, not a minute later", async () => {
    const bot = await startTestBot({}, { startScheduler: true });
    bots.push(bot);
    const echo = echoJob();
    bot.scheduler.register(echo.handler);
    await bot.scheduler.idle();
    const committed = await bot.app.db.$transaction(async (tx) => {
      await bot.scheduler.schedule({ kind: "test.echo", dueAt: bot.clock.now(), payload: { text: "in tx" } }, tx);
      await new Promise((resolve) => setTimeout(resolve, 200)); // the feature keeps writing
      return performance.now();
    });
    await waitFor(() => echo.runs.length === 1, 5_000);
    expect(performance.now() - committed).toBeLessThan(3_000);
  });

  it("after a restart, delivers an overdue reminder once, marked late", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "teambot-restart-"));
    dirs.push(dir);
    // Pinned: Wednesday 25 November 2026, 10:00 in Berlin.
    const first = await startTestBot({}, { dir, keepFiles: true, startScheduler: true, now: "2026-11-25T09:00:00Z" });
    const set = await first.say("remind me tomorrow 9:00 call the office");
    expect(set).toContain("Erinnerung *#1* für dich");
    const reminder = await first.app.db.reminder.findUniqueOrThrow({ where: { id: 1 } });
    await first.close();

    // The bot was down past the reminder's time: it comes back two hours later.
    const backAt = new Date(reminder.dueAt.getTime() + 2 * 3_600_000);
    const second = await startTestBot({}, { dir, keepFiles: true, startScheduler: true, now: backAt });
    bots.push(second);
    await waitFor(() => second.transcript().includes("[private → ann]"), 5_000);
    await second.scheduler.idle();
    const out = second.transcript();
    expect(out).toContain("⏰ Erinnerung *#1*: call the office");
    expect(reminder.dueAt.toISOString()).toBe("2026-11-26T08:00:00.000Z");
    expect(out).toContain("Verspätet: Das war fällig Do., 26. Nov. 2026, 09:00 MEZ");
    // Once: another run finds nothing.
    expect(await second.scheduler.runDue(new Date(backAt.getTime() + 60_000))).toMatchObject({ ran: 0 });
    expect(second.transcript().match(/⏰ Erinnerung \*#1\*/g)).toHaveLength(1);
    expect((await second.app.db.job.findFirstOrThrow({ where: { kind: "reminder" } })).status).toBe("done");
  });
  // Two processes on one file: test/reliability/two-processes.test.ts runs real ones.
});
