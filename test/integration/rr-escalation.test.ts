import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.ts";

const minutes = (n: number) => n * 60_000;

describe("rapid response escalation and expiry", () => {
  let bot: TestBot;
  let t0: number;
  /** Lets time pass to t0 + n minutes, running what is due on the way. */
  const at = (n: number): Promise<string> => bot.runDueJobs(new Date(t0 + minutes(n)));

  beforeEach(async () => {
    t0 = Date.parse("2026-11-23T08:00:00Z");
    bot = await startTestBot({}, { now: new Date(t0) });
    // cora coordinates the team; bob is available; dan is a plain member.
    await bot.say("rr settings", { member: "cora", room: "main", coordinator: true });
    await bot.say("rr available on", { member: "bob", coordinator: false });
    await bot.say("rr list", { member: "dan" });
  });
  afterEach(async () => {
    await bot.close();
  });

  const request = () => bot.app.db.rrRequest.findFirstOrThrow({ where: { number: 1 } });

  it("escalates an urgent request after 10 minutes: the room, and coordinators privately", async () => {
    await bot.say("rr Interpreter needed now --urgent", { member: "ann" });
    expect(await at(9)).toBe("");
    const out = await at(10);
    expect(out).toContain(
      "[#main] ⚠ *Anfrage #1 hat noch niemand übernommen.* Kann jemand helfen? (Alarm 1 von 3)",
    );
    expect(out).toContain("Das Team wurde einmal alarmiert."); // the post, re-sent under its key
    expect(out).toContain("[private → cora] ⚠ Anfrage *#1* in main ist nach 10 Min. nicht übernommen.");
    expect(out).not.toContain("[private → dan]");
    expect(out).not.toContain("[private → bob]");
    expect((await request()).escalations).toBe(1);
  });

  it("waits two hours for a normal request", async () => {
    await bot.say("rr Someone to help with a form", { member: "ann" });
    expect(await at(119)).toBe("");
    expect(await at(120)).toContain("Alarm 1 von 3");
  });

  it("repeats at the interval up to the configured number, then marks the request unanswered", async () => {
    await bot.say("rr settings --repeats 1", { member: "cora", coordinator: true });
    await bot.say("rr Interpreter needed now --urgent", { member: "ann", coordinator: false });
    expect(await at(10)).toContain("Alarm 1 von 2");
    expect(await at(15)).toBe("");
    expect(await at(20)).toContain("Alarm 2 von 2");
    const last = await at(30);
    expect(last).toContain("Anfrage *#1* ist jetzt als *unbeantwortet* markiert");
    expect(last).toContain("Status: *unbeantwortet*: niemand hat übernommen, trotz 2 Alarmen ans Team.");
    expect(last).toContain("[private → cora] ⚠ Anfrage *#1* in main ist *unbeantwortet*, trotz 2 Alarmen");
    expect(last).toContain("[private → ann] ⚠ Leider hat niemand deine Anfrage *#1* in main übernommen");
    expect(await at(600)).toBe("");
    const r = await request();
    expect(r.unansweredAt?.getTime()).toBe(t0 + minutes(30));

    // It can still be taken; the timeline tells the whole story.
    expect(await bot.say("rr claim 1", { member: "bob" })).toContain("Sie ist jetzt abgedeckt.");
    const info = await bot.say("rr info 1", { member: "ann" });
    expect(info).toContain("09:10 MEZ: ganzes Team alarmiert (Alarm 1)");
    expect(info).toContain("09:20 MEZ: ganzes Team alarmiert (Alarm 2)");
    expect(info).toContain("09:30 MEZ: als unbeantwortet markiert");
    expect(info).toContain("bob übernimmt");
  });

  it("stops at once on a claim; a stale escalation job that runs anyway does nothing", async () => {
    await bot.say("rr Interpreter needed now --urgent", { member: "ann" });
    const r = await request();
    expect(await at(10)).toContain("Alarm 1 von 3");
    bot.clock.set(new Date(t0 + minutes(12)));
    await bot.say("rr claim 1", { member: "bob" });
    expect(await at(20)).toBe("");
    // A job for round 2 that escaped cancellation (a race with the claim) stays silent.
    await bot.app.bot.services.scheduler.schedule({
      kind: "rr.escalate",
      dueAt: new Date(t0 + minutes(20)),
      payload: { requestId: r.id, round: 2 },
    });
    expect(await at(21)).toBe("");
    expect((await request()).escalations).toBe(1);
  });

  it("keeps escalating with need > 1 until enough people are on it", async () => {
    await bot.say("rr Two helpers --urgent --need 2", { member: "ann" });
    await bot.say("rr claim 1", { member: "bob" });
    expect(await at(10)).toContain("Alarm 1 von 3");
    await bot.say("rr claim 1", { member: "dan" });
    expect(await at(20)).toBe("");
  });

  it("expires at --by when nobody is on it, and stops escalating", async () => {
    await bot.say('rr "Bed for tonight" --urgent --by "2026-11-23 09:25"', { member: "ann" });
    expect(await at(10)).toContain("Alarm 1 von 3");
    expect(await at(20)).toContain("Alarm 2 von 3");
    const out = await at(25);
    expect(out).toContain("Status: *abgelaufen*");
    expect(out).toContain("[private → ann] ⚠ Deine Anfrage *#1* ist um");
    expect(out).not.toContain("Alarm 3");
    expect(await at(60)).toBe("");
    expect((await request()).status).toBe("expired");
    expect(await bot.say("rr claim 1", { member: "bob" })).toContain("Anfrage #1 ist abgelaufen.");
  });

  it("does not expire a covered request; stepping back after --by expires it", async () => {
    await bot.say('rr "Bed for tonight" --by "2026-11-23 10:00"', { member: "ann" });
    await bot.say("rr claim 1", { member: "bob" });
    expect(await at(120)).toBe("");
    expect((await request()).status).toBe("covered");
    expect(await bot.say("rr unclaim 1", { member: "bob" })).toContain(
      "Ihre Zeit ist vorbei, darum ist sie abgelaufen.",
    );
    expect((await request()).status).toBe("expired");
  });

  it("continues after a restart in the middle of an escalation without a duplicate alert", async () => {
    const dir = bot.dir;
    await bot.close();
    bot = await startTestBot({}, { dir, keepFiles: true, now: new Date(t0) });
    await bot.say("rr settings", { member: "cora", room: "main", coordinator: true });
    await bot.say("rr Interpreter needed now --urgent", { member: "ann", coordinator: false });
    const r = await request();
    expect(await at(10)).toContain("Alarm 1 von 3");

    // The process dies after round 1 did its work but before the scheduler recorded it as done.
    const stoppedAt = bot.clock.now();
    await bot.close();
    bot = await startTestBot({}, { dir, keepFiles: true, now: stoppedAt });
    // The durable scheduler runs the unfinished round 1 again and still has round 2 pending.
    const scheduler = bot.app.bot.services.scheduler;
    await scheduler.schedule({
      kind: "rr.escalate",
      dueAt: new Date(t0 + minutes(10)),
      payload: { requestId: r.id, round: 1 },
    });
    await scheduler.schedule({
      kind: "rr.escalate",
      dueAt: new Date(t0 + minutes(20)),
      payload: { requestId: r.id, round: 2 },
      key: `rr:${r.id}:escalate`,
    });
    expect(await at(11)).toBe(""); // round 1 again: no second alert
    const second = await at(20);
    expect(second.match(/Kann jemand helfen\? \(Alarm 2 von 3\)/g)).toHaveLength(1);
    expect(second.match(/\[private → cora\]/g)).toHaveLength(1);
    // Running round 2 twice (two processes, or a retry) still alerts once.
    await scheduler.schedule({
      kind: "rr.escalate",
      dueAt: new Date(t0 + minutes(20)),
      payload: { requestId: r.id, round: 2 },
    });
    expect(await at(21)).toBe("");
    expect((await request()).escalations).toBe(2);
  });

  it("computes stats: share covered, median and p90 time to claim and to resolve, unanswered", async () => {
    await bot.say("rr settings --repeats 0", { member: "cora", coordinator: true });
    // #1 claimed after 4 min, resolved after 60; #2 claimed after 20 min, resolved after 30; #3 unanswered.
    await bot.say("rr One --urgent", { member: "ann", coordinator: false });
    await bot.say("rr Two --urgent", { member: "ann" });
    await bot.say("rr Three --urgent", { member: "ann" });
    bot.clock.set(new Date(t0 + minutes(4)));
    await bot.say("rr claim 1", { member: "bob" });
    await at(10);
    bot.clock.set(new Date(t0 + minutes(20)));
    await bot.say("rr claim 2", { member: "bob" });
    await at(20);
    bot.clock.set(new Date(t0 + minutes(30)));
    await bot.say("rr resolve 2", { member: "bob" });
    bot.clock.set(new Date(t0 + minutes(60)));
    await bot.say("rr resolve 1", { member: "bob" });
    await bot.say("rr Four", { member: "ann" });
    await bot.say("rr cancel 4", { member: "ann" });
    const out = await bot.say("rr stats 7d", { member: "ann" });
    expect(out).toContain("SCHNELLANFRAGEN, ZEITRAUM 7 TG.");
    expect(out).toContain("*4* Anfragen (1 offen, 2 erledigt, 1 abgebrochen, 0 abgelaufen)");
    expect(out).toContain("Abgedeckt: 2 von 4 (50\u00a0%)");
    expect(out).toContain("Zeit bis jemand übernahm: Median 12 Min., 90 % innerhalb 20 Min. (2 Anfragen)");
    expect(out).toContain("Zeit bis erledigt: Median 45 Min., 90 % innerhalb 1 Std. (2 Anfragen)");
    expect(out).toContain("Unbeantwortet: *1* Anfrage");
    // Another team sees its own figures only.
    expect(await bot.say("rr stats", { member: "zoe", room: "north" })).toContain("*0* Anfragen");
  });
});
