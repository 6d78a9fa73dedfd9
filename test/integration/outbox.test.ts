import { afterEach, describe, expect, it, vi } from "vitest";
import type { SchedulerOptions } from "../../src/scheduler/durable-scheduler.ts";
import { testDatabase } from "../support/database.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";
import { answerText, OutageAdapter } from "../support/outage-adapter.ts";

/**
 * The outbox on a platform whose outages the test controls ("chat:"): what a command
 * changes and the messages it sends commit together; messages wait for a platform that
 * is down or refuses, keep their order per conversation, and are sent once it is back;
 * what fails for good is told and can be sent again.
 */
const t0 = new Date("2026-11-25T09:00:00Z"); // Wednesday 10:00 in Berlin
const minute = 60_000;
const at = (ms: number) => new Date(t0.getTime() + ms);

let bot: TestBot;
let chat: OutageAdapter;

async function boot(options: { scheduler?: SchedulerOptions; dir?: string } = {}): Promise<void> {
  bot = await startTestBot(
    { DEFAULT_LANGUAGE: "en" },
    { now: t0, keepFiles: true, ...(options.dir ? { dir: options.dir } : {}), ...(options.scheduler ? { scheduler: options.scheduler } : {}) },
  );
  chat = new OutageAdapter(() => bot.clock.now());
  bot.app.bot.addAdapter(chat);
  await chat.start(bot.app.bot);
}

const db = () => bot.app.db;
const say = async (member: string, line: string, options: { coordinator?: boolean } = {}) =>
  answerText(await chat.say(member, line, options), bot.clock.now());

afterEach(async () => {
  vi.restoreAllMocks();
  await bot?.close();
});

describe("the outbox: written with the change, sent once", () => {
  it("commits a command's change and its messages together: when the messages cannot be written, nothing is saved", async () => {
    await boot();
    await say("bob", "rr available on");
    vi.spyOn(bot.app.scheduler.outbox, "add").mockRejectedValueOnce(new Error("disk full"));
    const failed = await chat.say("ann", "rr Interpreter needed at the Jobcenter");
    expect(failed.kind).toBe("internal-error");
    expect(await db().rrRequest.count()).toBe(0);
    expect(await db().job.count({ where: { kind: "rr.escalate" } })).toBe(0);
    // The same command again works: the request, its post, the alert.
    await say("ann", "rr Interpreter needed at the Jobcenter");
    expect(await db().rrRequest.count()).toBe(1);
    expect(chat.to("chat:room")).toHaveLength(1);
    expect(chat.to("chat:@bob").join()).toContain("Interpreter needed");
  });

  it("tells the truth in the answer while the platform is down, and sends the messages once after a restart", async () => {
    const dir = (await startTestBot()).dir;
    await boot({ dir });
    await say("bob", "rr available on");
    chat.down = true;
    const answer = await say("ann", "rr Interpreter needed at the Jobcenter");
    expect(answer).toContain("Request *#1* is saved; the post and the alerts wait for the platform.");
    expect(answer).toContain("⏳ Not sent yet: Chat cannot be reached right now.");
    expect(answer).not.toContain("is posted");
    expect(chat.attempts).toBe(0);
    await bot.close();

    // The bot was stopped before the platform came back: the next start sends what waited.
    await boot({ dir });
    await bot.runDueJobs(bot.clock.now());
    expect(chat.to("chat:room").filter((t) => t.includes("Interpreter"))).toHaveLength(1);
    expect(chat.to("chat:@bob").filter((t) => t.includes("Interpreter"))).toHaveLength(1);
    await bot.close();
    await boot({ dir });
    await bot.runDueJobs(at(60 * minute));
    expect(chat.sent).toEqual([]);
  });

  it("holds messages while the platform is down without spending tries, and keeps their order per conversation", async () => {
    await boot();
    chat.down = true;
    for (const n of [1, 2, 3]) await say("ann", `remind team in ${n} minutes meeting part ${n}`);
    await bot.runDueJobs(at(10 * minute));
    expect(chat.attempts).toBe(0);
    const waiting = await db().outboxEntry.findMany({ where: { status: "pending" } });
    expect(waiting.map((e) => e.attempts)).toEqual([0, 0, 0]);
    chat.down = false;
    await bot.runDueJobs(at(11 * minute));
    expect(chat.to("chat:room").map((t) => /part (\d)/.exec(t)?.[1])).toEqual(["1", "2", "3"]);
  });

  it("marks a reminder delivered only when its message was sent", async () => {
    await boot();
    chat.refusing = true;
    await say("ann", "remind me in 5 minutes call the office");
    await bot.runDueJobs(at(30 * minute));
    const reminder = () => db().reminder.findFirstOrThrow();
    expect((await reminder()).status).toBe("pending");
    expect(await say("ann", "remind snooze 1 10m")).toContain("has not been delivered yet");
    chat.refusing = false;
    await bot.runDueJobs(at(60 * minute));
    expect(chat.to("chat:@ann").filter((t) => t.includes("call the office"))).toHaveLength(1);
    const delivered = await reminder();
    expect(delivered.status).toBe("delivered");
    expect(delivered.deliveredAt?.getTime()).toBeGreaterThan(at(30 * minute).getTime());
  });
});

describe("an outage of three hours", () => {
  it("delivers every reminder, alert and assignment once, in order, marked late where it was", async () => {
    await boot();
    await say("bob", "rr available on");
    await say("ann", "remind me in 20 minutes first reminder");
    await say("ann", "remind me in 40 minutes second reminder");
    await say("ann", "remind team in 1 hour team reminder");
    // 10:15: the platform refuses every send, for three hours.
    await bot.runDueJobs(at(15 * minute));
    chat.refusing = true;
    const asked = await say("ann", "rr Beds for a family tonight --urgent");
    expect(asked).toContain("⏳ Not sent yet");
    const assigned = await say("ann", 'task add "Visit the family" @bob');
    expect(assigned).toContain("⏳ Not sent yet");
    await bot.runDueJobs(at(3 * 60 * minute + 15 * minute));
    expect(chat.sent).toEqual([]);
    expect(chat.attempts).toBeGreaterThan(20);
    // 13:15: healthy again.
    chat.refusing = false;
    await bot.runDueJobs(at(3 * 60 * minute + 45 * minute));

    const ann = chat.to("chat:@ann");
    const first = ann.filter((t) => t.includes("first reminder"));
    const second = ann.filter((t) => t.includes("second reminder"));
    expect([first.length, second.length]).toEqual([1, 1]);
    expect(ann.indexOf(first[0] ?? "")).toBeLessThan(ann.indexOf(second[0] ?? ""));
    expect(first[0]).toMatch(/Delayed: this was meant for .*10:20/);
    const bob = chat.to("chat:@bob");
    const alert = bob.filter((t) => t.includes("Beds for a family"));
    const assignment = bob.filter((t) => t.includes("Visit the family"));
    expect([alert.length, assignment.length]).toEqual([1, 1]);
    expect(bob.indexOf(alert[0] ?? "")).toBeLessThan(bob.indexOf(assignment[0] ?? ""));
    expect(alert[0]).toMatch(/Delayed: this was meant for .*10:15/);
    const room = chat.to("chat:room");
    expect(room.filter((t) => t.includes("team reminder"))).toHaveLength(1);
    // The request's post went out once (then edits of it would follow on platforms that edit).
    expect(room.filter((t) => t.includes("Beds for a family")).length).toBeGreaterThanOrEqual(1);
    expect(await db().outboxEntry.count({ where: { status: { not: "sent" } } })).toBe(0);
    expect((await db().reminder.findMany()).map((r) => r.status)).toEqual(["delivered", "delivered", "delivered"]);
  }, 60_000);
});

describe("what fails for good", () => {
  it("after the retry time tells the owner privately, in the team room when their own private message failed, coordinators for team messages", async () => {
    await boot({ scheduler: { retryForMs: 2 * 60 * minute } });
    await say("cora", "rr settings", { coordinator: true });
    await say("bob", "rr available on");
    // Private messages fail; the team room works.
    chat.refuses = (to) => to.startsWith("chat:@");
    await say("ann", "remind me in 5 minutes call the office");
    await say("ann", "remind member @bob in 5 minutes bring the keys");
    await bot.runDueJobs(at(5 * 60 * minute));

    const room = chat.to("chat:room").join("\n");
    expect(room).toMatch(/@ann: a private message to you \(meant for .*10:05 CET\) could not be delivered: Chat could not be reached for 2 hours\. A coordinator can send it again with \*outbox resend \d+\*/);
    // Bob's reminder was ann's: she is told privately, which fails as well; a notice's failure tells nobody.
    const failed = await db().outboxEntry.findMany({ where: { status: "failed" }, orderBy: { id: "asc" } });
    expect(failed.map((e) => [e.conversation, e.notice])).toEqual([
      ["chat:@ann", false],
      ["chat:@bob", false],
      ["chat:@ann", true],
    ]);

    // A team message nobody in particular caused (an escalation) that fails: the coordinators are told.
    chat.refuses = (to) => to === "chat:room";
    await say("ann", "rr Someone to translate a letter --urgent");
    await bot.runDueJobs(at(8 * 60 * minute));
    expect(chat.to("chat:@cora").join("\n")).toMatch(/A message to the team room room \(meant for .*\) could not be delivered/);
  }, 30_000);

  it("fails a private message the member does not accept at once, without retrying, and tells who sent it", async () => {
    await boot();
    await say("bob", "settings"); // a member of the team, whom reminders may name
    chat.closed.add("chat:@bob");
    await say("bob", "remind list"); // only members of the team can be reminded
    await say("ann", "remind member @bob in 5 minutes bring the keys");
    await bot.runDueJobs(at(5 * minute));
    expect(chat.attempts).toBe(1);
    expect(await db().outboxEntry.findFirst({ where: { conversation: "chat:@bob" } })).toMatchObject({ status: "failed", attempts: 1 });
    await bot.runDueJobs(at(6 * minute));
    expect(chat.to("chat:@ann").join()).toMatch(/A message to bob .* could not be delivered: the recipient does not accept it/);
    expect(chat.attempts).toBe(2);
  });

  it("lets coordinators list failed deliveries (private texts stay private) and send one again; a reminder sent again is delivered", async () => {
    await boot({ scheduler: { retryForMs: 60 * minute } });
    chat.refusing = true;
    await say("ann", "remind me in 5 minutes call the office");
    await say("ann", "remind team in 5 minutes fill in the rota");
    // (The notices about the failures fail as well, an hour later.)
    await bot.runDueJobs(at(3 * 60 * minute));
    chat.refusing = false;

    expect(await say("ann", "outbox failed")).toContain("Only coordinators may do that.");
    const list = await say("cora", "outbox failed", { coordinator: true });
    expect(list).toContain("to the team room");
    expect(list).toContain("fill in the rota");
    expect(list).toContain("to ann (private message)");
    expect(list).not.toContain("call the office");
    const id = (await db().outboxEntry.findFirstOrThrow({ where: { conversation: "chat:@ann", notice: false } })).id;
    expect(await say("cora", "outbox resend 9999", { coordinator: true })).toContain("no failed delivery #9999");
    const resent = await say("cora", `outbox resend ${id}`, { coordinator: true });
    expect(resent).toContain(`Message *#${id}* was sent again.`);
    expect(chat.to("chat:@ann").filter((t) => t.includes("call the office"))).toHaveLength(1);
    expect((await db().reminder.findFirstOrThrow({ where: { targetKind: "me" } })).status).toBe("delivered");
    expect(await say("cora", `outbox resend ${id}`, { coordinator: true })).toContain(`no failed delivery #${id}`);
    // German.
    expect(await say("cora", "settings language de")).toContain("Deutsch");
    expect(await say("cora", "outbox failed", { coordinator: true })).toContain("FEHLGESCHLAGENE ZUSTELLUNGEN");
  }, 30_000);
});

/** Under `vi.useFakeTimers` (Date faked) the bot reads the faked Date. */
const fakeTimersClock = {
  now: () => new Date(),
  set: (to: Date | string) => vi.setSystemTime(new Date(to)),
  advance: (ms: number) => {
    vi.setSystemTime(Date.now() + ms);
    return new Date();
  },
};

/**
 * Moves the faked clock a second at a time and lets the scheduler settle after each step: its
 * database work is real I/O (a PostgreSQL socket), so a timer it sets after a query must see
 * the clock of that moment, not one already moved far ahead.
 */
async function tick(ms: number): Promise<void> {
  for (let done = 0; done < ms; done += 1_000) {
    await vi.advanceTimersByTimeAsync(Math.min(1_000, ms - done));
    await bot.scheduler.idle();
  }
}

/** Ticks until `done` (at most `maxMs`): on a busy machine the I/O may end a tick later. */
async function tickUntil(done: () => boolean, maxMs: number): Promise<void> {
  for (let waited = 0; !done() && waited < maxMs; waited += 1_000) await tick(1_000);
}

describe("the outbox's timer", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // Faked timers and a database over a socket do not mix: PostgreSQL's answers arrive in real
  // time while the test moves the clock. The timer logic is the same on both databases; the
  // real-time test below runs on PostgreSQL too.
  it.skipIf(testDatabase === "postgres")("(fake timers) looks every few seconds whether a platform that is down is back, and backs off on refusals", async () => {
    bot = await startTestBot({ DEFAULT_LANGUAGE: "en" }, { clock: fakeTimersClock, scheduler: { backoffMs: 30_000 } });
    chat = new OutageAdapter(() => bot.clock.now());
    bot.app.bot.addAdapter(chat);
    await chat.start(bot.app.bot);
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"], now: t0 });
    bot.app.startScheduler();
    chat.down = true;
    const said = chat.say("ann", "remind team in 1 minute stand up");
    await vi.advanceTimersByTimeAsync(2_100); // the answer waits up to 2 s for its messages
    await said;
    await tick(minute);
    expect(chat.attempts).toBe(0);
    chat.down = false;
    await tickUntil(() => chat.to("chat:room").join().includes("stand up"), 8_000);
    expect(chat.to("chat:room").join()).toContain("stand up");

    chat.refusing = true;
    await chat.say("ann", "remind team in 1 minute sit down");
    await tick(minute);
    await tickUntil(() => chat.attempts >= 2, 3_000);
    expect(chat.attempts).toBe(2);
    chat.refusing = false;
    await tick(29_000);
    expect(chat.to("chat:room")).toHaveLength(1); // backing off: not tried again within 29 s
    await tickUntil(() => chat.to("chat:room").join().includes("sit down"), 4_000);
    expect(chat.to("chat:room").join()).toContain("sit down");
  });

  it("(real time) sends a refused message as soon as the platform accepts it again", async () => {
    bot = await startTestBot({ DEFAULT_LANGUAGE: "en" }, { startScheduler: true, scheduler: { backoffMs: 200, maxBackoffMs: 400 } });
    chat = new OutageAdapter(() => bot.clock.now());
    bot.app.bot.addAdapter(chat);
    await chat.start(bot.app.bot);
    chat.refusing = true;
    await bot.app.bot.deliver([
      {
        audience: { kind: "room", room: "chat:room" },
        lang: "en",
        timeZone: "UTC",
        tone: "info",
        blocks: [{ kind: "paragraph", spans: [{ kind: "text", text: "hello again" }] }],
        actions: [],
        attachments: [],
      },
    ]);
    setTimeout(() => (chat.refusing = false), 700);
    const started = Date.now();
    while (chat.sent.length === 0 && Date.now() - started < 5_000) await new Promise((r) => setTimeout(r, 20));
    expect(chat.to("chat:room")).toEqual(["hello again"]);
    expect(chat.attempts).toBeGreaterThanOrEqual(3);
  });
});
