import { afterEach, describe, expect, it, vi } from "vitest";
import { testDatabase } from "../support/database.ts";
import { startTestBot, type TestBot, type TestClock } from "../support/harness.ts";

/** Under `vi.useFakeTimers` (Date faked) the bot reads the faked Date. */
const fakeTimersClock: TestClock = {
  now: () => new Date(),
  set: (at) => vi.setSystemTime(new Date(at)),
  advance: (ms) => {
    vi.setSystemTime(Date.now() + ms);
    return new Date();
  },
};

const day = 86_400_000;

// Fake timers need SQLite's synchronous driver (see scheduler.test.ts).
describe.skipIf(testDatabase === "postgres")("periodic upkeep", () => {
  let bot: TestBot;
  afterEach(async () => {
    vi.useRealTimers();
    await bot?.close();
  });

  it("forgets finished jobs every hour while the bot runs, not only at start", async () => {
    const t0 = new Date("2026-11-25T09:00:00Z");
    bot = await startTestBot({}, { clock: fakeTimersClock });
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date"], now: t0 });
    bot.scheduler.start();
    // The purge at start is done before the rows below are written.
    for (let i = 0; i < 5; i++) await vi.advanceTimersByTimeAsync(1_000);
    await bot.scheduler.idle();
    // Finished 40 days ago (forgotten), 10 days ago (kept), and one still pending (kept).
    const old = { kind: "test.none", payload: {}, dueAt: t0, runAt: t0, status: "done" };
    await bot.app.db.job.create({ data: { ...old, finishedAt: new Date(t0.getTime() - 40 * day) } });
    await bot.app.db.job.create({ data: { ...old, finishedAt: new Date(t0.getTime() - 10 * day) } });
    await bot.app.db.job.create({ data: { ...old, status: "pending", dueAt: new Date(t0.getTime() + 30 * day), runAt: new Date(t0.getTime() + 30 * day) } });
    expect(await bot.app.db.job.count({ where: { kind: "test.none" } })).toBe(3);
    await vi.advanceTimersByTimeAsync(61 * 60_000);
    await bot.scheduler.idle();
    expect(await bot.app.db.job.count({ where: { kind: "test.none" } })).toBe(2);
  });
});
