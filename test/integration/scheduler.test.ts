import { afterEach, describe, expect, it, vi } from "vitest";
import { testDatabase } from "../support/database.ts";
import { startTestBot, type TestBot, type TestClock } from "../support/harness.ts";
import { echoJob, FlakyAdapter } from "../support/test-jobs.ts";

const t0 = new Date("2027-01-04T08:00:00Z"); // Monday 09:00 in Berlin
const plus = (ms: number, from = t0) => new Date(from.getTime() + ms);
const minute = 60_000;
const hour = 60 * minute;

describe("durable scheduler: queue, retries, catch-up, recurrence (controlled clock)", () => {
  let bot: TestBot;
  afterEach(async () => {
    await bot?.close();
  });

  async function boot(options: Parameters<typeof startTestBot>[1] = {}) {
    bot = await startTestBot({}, options);
    const echo = echoJob();
    bot.scheduler.register(echo.handler);
    return echo;
  }

  it("runs due jobs in due order, once, and leaves future ones", async () => {
    const echo = await boot();
    await bot.scheduler.schedule({ kind: "test.echo", dueAt: plus(2 * minute), payload: { text: "b" } });
    await bot.scheduler.schedule({ kind: "test.echo", dueAt: plus(minute), payload: { text: "a" } });
    await bot.scheduler.schedule({ kind: "test.echo", dueAt: plus(hour), payload: { text: "later" } });
    const report = await bot.scheduler.runDue(plus(5 * minute));
    expect(report).toMatchObject({ ran: 2, delivered: 2 });
    expect(echo.runs.map((r) => r.text)).toEqual(["a", "b"]);
    expect(await bot.scheduler.runDue(plus(5 * minute))).toMatchObject({ ran: 0 });
    expect((await bot.scheduler.pending()).map((j) => j.dueAt)).toEqual([plus(hour)]);
  });

  it("replaces a pending job with the same key and cancels by key or prefix", async () => {
    const echo = await boot();
    await bot.scheduler.schedule({
      kind: "test.echo",
      dueAt: plus(minute),
      payload: { text: "old" },
      key: "x:1:a",
    });
    await bot.scheduler.schedule({
      kind: "test.echo",
      dueAt: plus(2 * minute),
      payload: { text: "new" },
      key: "x:1:a",
    });
    await bot.scheduler.schedule({
      kind: "test.echo",
      dueAt: plus(minute),
      payload: { text: "b" },
      key: "x:1:b",
    });
    await bot.scheduler.schedule({
      kind: "test.echo",
      dueAt: plus(minute),
      payload: { text: "c" },
      key: "x:2:a",
    });
    expect(await bot.scheduler.cancel("x:1:*")).toBe(2);
    expect(await bot.scheduler.cancel("nothing")).toBe(0);
    await bot.scheduler.runDue(plus(hour));
    expect(echo.runs.map((r) => r.text)).toEqual(["c"]);
  });

  it("rejects a payload that does not fit the kind's schema, and unknown kinds", async () => {
    await boot();
    await expect(
      bot.scheduler.schedule({ kind: "test.echo", dueAt: t0, payload: { text: 5 } }),
    ).rejects.toThrow();
    await expect(bot.scheduler.schedule({ kind: "nope", dueAt: t0, payload: {} })).rejects.toThrow(
      /no handler/,
    );
  });

  it("retries a refused delivery with growing backoff for the retry time, then records it and tells the owner", async () => {
    await boot({ scheduler: { backoffMs: 30_000, retryForMs: 3 * minute } });
    const flaky = new FlakyAdapter(100);
    bot.app.bot.addAdapter(flaky);
    await bot.scheduler.schedule({
      kind: "test.echo",
      dueAt: t0,
      payload: { text: "hello", room: "flaky:room" },
      owner: "console:@ann",
    });
    // The job runs once; its message is refused and waits in the outbox.
    expect(await bot.scheduler.runDue(t0)).toMatchObject({ ran: 1, delivered: 0 });
    expect(await bot.app.db.job.findFirstOrThrow()).toMatchObject({ status: "done" });
    // Not again before the backoff is over: 30 s, then 60 s, then 120 s (cut at the retry time).
    await bot.scheduler.runDue(plus(29_000));
    expect(flaky.attempts).toBe(1);
    await bot.scheduler.runDue(plus(30_000));
    expect(flaky.attempts).toBe(2);
    await bot.scheduler.runDue(plus(89_000));
    expect(flaky.attempts).toBe(2);
    await bot.scheduler.runDue(plus(90_000));
    expect(flaky.attempts).toBe(3);
    const out = await bot.runDueJobs(plus(4 * minute));
    expect(flaky.attempts).toBe(4); // the last try at the end of the retry time
    const entry = await bot.app.db.outboxEntry.findFirstOrThrow({ where: { conversation: "flaky:room" } });
    expect(entry).toMatchObject({ status: "failed", attempts: 4, owner: "console:@ann" });
    expect(entry.lastError).toContain("platform refused");
    expect(out).toContain("[private → ann]");
    expect(out).toContain("konnte nicht zugestellt werden: Flaky war 3 Minuten lang nicht erreichbar");
  });

  it("sends a refused message again without running the job again", async () => {
    const echo = await boot();
    const flaky = new FlakyAdapter(1);
    bot.app.bot.addAdapter(flaky);
    await bot.scheduler.schedule({ kind: "test.echo", dueAt: t0, payload: { text: "x", room: "flaky:r" } });
    await bot.scheduler.runDue(t0);
    await bot.scheduler.runDue(plus(hour));
    expect(echo.runs).toHaveLength(1);
    expect(flaky.sent).toHaveLength(1);
  });

  it("runs an overdue one-off job once, marked late with its original time", async () => {
    const echo = await boot();
    await bot.scheduler.schedule({ kind: "test.echo", dueAt: t0, payload: { text: "overdue" } });
    await bot.scheduler.runDue(plus(3 * hour));
    await bot.scheduler.runDue(plus(4 * hour));
    expect(echo.runs).toHaveLength(1);
    expect(echo.runs[0]).toMatchObject({ late: true, dueAt: t0 });
    expect(bot.transcript()).toContain("late, due Mon, 4 Jan 2027, 08:00 UTC");
  });

  it("catches up a recurring job once (late) and continues from the next future occurrence", async () => {
    const echo = await boot();
    await bot.scheduler.schedule({
      kind: "test.echo",
      dueAt: t0,
      payload: { text: "daily" },
      recurrence: { rule: "every day 9:00", timeZone: "Europe/Berlin" },
    });
    // Down for three days: Tuesday 12:00 Berlin.
    const back = new Date("2027-01-07T11:00:00Z");
    await bot.scheduler.runDue(back);
    expect(echo.runs).toHaveLength(1);
    expect(echo.runs[0]?.late).toBe(true);
    const [next] = await bot.scheduler.pending();
    expect(next?.dueAt.toISOString()).toBe("2027-01-08T08:00:00.000Z");
    expect(next?.attempts).toBe(0);
  });

  it("keeps a daily 9:00 Berlin job at 9:00 across the 2027 DST changes", async () => {
    const echo = await boot();
    const spring = new Date("2027-03-26T08:00:00Z");
    await bot.scheduler.schedule({
      kind: "test.echo",
      dueAt: spring,
      payload: { text: "nine" },
      recurrence: { rule: "every day 9:00", timeZone: "Europe/Berlin" },
      key: "nine",
    });
    await bot.runDueJobs(new Date("2027-03-30T12:00:00Z"));
    expect(echo.runs.map((r) => r.dueAt.toISOString())).toEqual([
      "2027-03-26T08:00:00.000Z",
      "2027-03-27T08:00:00.000Z",
      "2027-03-28T07:00:00.000Z",
      "2027-03-29T07:00:00.000Z",
      "2027-03-30T07:00:00.000Z",
    ]);
    expect(echo.runs.every((r) => !r.late)).toBe(true);
    echo.runs.length = 0;
    await bot.scheduler.cancel("nine");
    await bot.scheduler.schedule({
      kind: "test.echo",
      dueAt: new Date("2027-10-30T07:00:00Z"),
      payload: { text: "nine" },
      recurrence: { rule: "every day 9:00", timeZone: "Europe/Berlin" },
    });
    await bot.runDueJobs(new Date("2027-11-01T12:00:00Z"));
    expect(echo.runs.map((r) => r.dueAt.toISOString())).toEqual([
      "2027-10-30T07:00:00.000Z",
      "2027-10-31T08:00:00.000Z",
      "2027-11-01T08:00:00.000Z",
    ]);
  });

  it("runs a 02:30 job on the spring-forward day at 03:30 summer time, once", async () => {
    const echo = await boot();
    await bot.scheduler.schedule({
      kind: "test.echo",
      dueAt: new Date("2027-03-27T01:30:00Z"),
      payload: { text: "half past two" },
      recurrence: { rule: "30 2 * * *", timeZone: "Europe/Berlin" },
    });
    await bot.runDueJobs(new Date("2027-03-29T12:00:00Z"));
    expect(echo.runs.map((r) => r.dueAt.toISOString())).toEqual([
      "2027-03-27T01:30:00.000Z", // 02:30 CET
      "2027-03-28T01:30:00.000Z", // 02:30 does not exist: 03:30 CEST
      "2027-03-29T00:30:00.000Z", // 02:30 CEST
    ]);
  });

  it("retries a job whose claim expired (its process died mid-job)", async () => {
    const echo = await boot({ scheduler: { leaseMs: 5 * minute } });
    const id = await bot.scheduler.schedule({ kind: "test.echo", dueAt: t0, payload: { text: "orphan" } });
    await bot.app.db.job.update({
      where: { id },
      data: { status: "running", claimedBy: "dead-process", claimExpiresAt: plus(5 * minute), attempts: 1 },
    });
    expect(await bot.scheduler.runDue(plus(4 * minute))).toMatchObject({ ran: 0 });
    expect(await bot.scheduler.runDue(plus(6 * minute))).toMatchObject({ ran: 1, delivered: 1 });
    expect(echo.runs).toHaveLength(1);
    expect(await bot.app.db.job.findUniqueOrThrow({ where: { id } })).toMatchObject({
      status: "done",
      attempts: 2,
    });
  });
});

/** Under `vi.useFakeTimers` (Date faked) the bot reads the faked Date; moving it moves vi's. */
const fakeTimersClock: TestClock = {
  now: () => new Date(),
  set: (at) => vi.setSystemTime(new Date(at)),
  advance: (ms) => {
    vi.setSystemTime(Date.now() + ms);
    return new Date();
  },
};

// Fake timers need a database that answers within microtasks (SQLite's synchronous driver):
// PostgreSQL answers over a socket, after the fake clock has moved on. The timer logic is
// the same on both; scheduler-processes.test.ts runs it in real time on either.
describe.skipIf(testDatabase === "postgres")("durable scheduler: the timer (fake timers)", () => {
  let bot: TestBot;
  afterEach(async () => {
    vi.useRealTimers();
    await bot?.close();
  });

  it("sleeps until the next job, re-arms for a nearer one, and wakes at least every minute", async () => {
    bot = await startTestBot({}, { clock: fakeTimersClock });
    const echo = echoJob();
    bot.scheduler.register(echo.handler);
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: t0 });
    bot.scheduler.start();
    await bot.scheduler.idle();
    await vi.advanceTimersByTimeAsync(0);
    await bot.scheduler.idle();
    const startWakeups = bot.scheduler.wakeups;

    await bot.scheduler.schedule({ kind: "test.echo", dueAt: plus(10 * minute), payload: { text: "far" } });
    expect(bot.scheduler.nextWake?.getTime()).toBe(plus(minute).getTime()); // capped at one minute
    await bot.scheduler.schedule({ kind: "test.echo", dueAt: plus(10_000), payload: { text: "near" } });
    expect(bot.scheduler.nextWake?.getTime()).toBe(plus(10_000).getTime()); // re-armed earlier

    await vi.advanceTimersByTimeAsync(9_000);
    await bot.scheduler.idle();
    expect(echo.runs).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    await bot.scheduler.idle();
    expect(echo.runs.map((r) => r.text)).toEqual(["near"]);
    expect(echo.runs[0]?.late).toBe(false);

    // Ten minutes of waiting: about ten wakeups (one per minute), not a busy loop.
    for (let i = 0; i < 10; i++) {
      await vi.advanceTimersByTimeAsync(minute);
      await bot.scheduler.idle();
    }
    expect(echo.runs.map((r) => r.text)).toEqual(["near", "far"]);
    const wakeups = bot.scheduler.wakeups - startWakeups;
    expect(wakeups).toBeGreaterThanOrEqual(10);
    expect(wakeups).toBeLessThanOrEqual(13);
  });

  it("wakes for a daily 9:00 Berlin job at 08:00 UTC before and 07:00 UTC after the spring change", async () => {
    // A long sleep cap, so every wakeup is one the queue asked for.
    bot = await startTestBot({}, { clock: fakeTimersClock, scheduler: { maxSleepMs: 7 * 24 * hour } });
    const echo = echoJob();
    bot.scheduler.register(echo.handler);
    const start = new Date("2027-03-26T12:00:00Z");
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: start });
    bot.scheduler.start();
    await bot.scheduler.schedule({
      kind: "test.echo",
      dueAt: new Date("2027-03-27T08:00:00Z"),
      payload: { text: "nine" },
      recurrence: { rule: "every day 9:00", timeZone: "Europe/Berlin" },
    });
    await vi.advanceTimersByTimeAsync(0);
    await bot.scheduler.idle();
    const wokeAt: string[] = [];
    for (let i = 0; i < 3; i++) {
      const next = bot.scheduler.nextWake;
      if (!next) throw new Error("timer not armed");
      await vi.advanceTimersByTimeAsync(next.getTime() - Date.now());
      wokeAt.push(new Date().toISOString());
      await bot.scheduler.idle();
    }
    expect(wokeAt).toEqual([
      "2027-03-27T08:00:00.000Z",
      "2027-03-28T07:00:00.000Z",
      "2027-03-29T07:00:00.000Z",
    ]);
    expect(echo.runs.map((r) => r.dueAt.toISOString())).toEqual(wokeAt);
    expect(echo.runs.every((r) => !r.late)).toBe(true);
  });

  it("notices a clock jump within a minute", async () => {
    bot = await startTestBot({}, { clock: fakeTimersClock });
    const echo = echoJob();
    bot.scheduler.register(echo.handler);
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: t0 });
    bot.scheduler.start();
    await bot.scheduler.schedule({ kind: "test.echo", dueAt: plus(2 * hour), payload: { text: "jump" } });
    await bot.scheduler.idle();
    // The wall clock jumps two hours ahead (NTP, suspend); timers do not notice.
    vi.setSystemTime(plus(2 * hour + 1_000));
    await vi.advanceTimersByTimeAsync(minute);
    await bot.scheduler.idle();
    expect(echo.runs.map((r) => r.text)).toEqual(["jump"]);
  });

  it("backs off in time with the timer until delivery works", async () => {
    bot = await startTestBot({}, { clock: fakeTimersClock, scheduler: { backoffMs: 30_000, maxAttempts: 5 } });
    const echo = echoJob();
    bot.scheduler.register(echo.handler);
    const flaky = new FlakyAdapter(2);
    bot.app.bot.addAdapter(flaky);
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: t0 });
    bot.scheduler.start();
    await bot.scheduler.schedule({
      kind: "test.echo",
      dueAt: plus(1_000),
      payload: { text: "x", room: "flaky:r" },
    });
    await vi.advanceTimersByTimeAsync(1_000);
    await bot.scheduler.idle();
    expect(flaky.attempts).toBe(1);
    await vi.advanceTimersByTimeAsync(30_000);
    await bot.scheduler.idle();
    expect(flaky.attempts).toBe(2);
    await vi.advanceTimersByTimeAsync(59_000);
    await bot.scheduler.idle();
    expect(flaky.attempts).toBe(2);
    await vi.advanceTimersByTimeAsync(1_000);
    await bot.scheduler.idle();
    expect(flaky.attempts).toBe(3);
    expect(flaky.sent).toHaveLength(1);
    expect(echo.runs).toHaveLength(1);
  });
});
