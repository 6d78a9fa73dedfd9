import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.ts";

const day = 86_400_000;

describe("reminders, as conversations on the console", () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  const reminder = (id: number) => bot.app.db.reminder.findUniqueOrThrow({ where: { id } });

  it("reminds me: repeats the date back, delivers it privately once with buttons", async () => {
    const out = await bot.say("remind me tomorrow 9:00 call the office");
    expect(out).toMatch(/✔ Erinnerung \*#1\* für dich: .*09:00 MEZ \(in 23 Stunden\)\./);
    expect(out).toContain("„call the office“");
    const due = (await reminder(1)).dueAt;
    expect(await bot.runDueJobs(new Date(due.getTime() - 1_000))).toBe("");
    const delivered = await bot.runDueJobs(due);
    expect(delivered).toContain("[private → ann] ⏰ Erinnerung *#1*: call the office");
    expect(delivered).toMatch(/\[1\] Erledigt +\[2\] 10 Min\. später +\[3\] 1 Std\. später/);
    expect(delivered).not.toContain("Verspätet");
    expect(await bot.runDueJobs(new Date(due.getTime() + day))).toBe("");
    expect((await reminder(1)).status).toBe("delivered");
  });

  it("understands German dates and answers in the member's language", async () => {
    await bot.say("settings language en");
    const out = await bot.say("remind me morgen 9 Uhr Amt anrufen");
    expect(out).toMatch(/Reminder \*#1\* for you: .*09:00 CET/);
    expect(out).toContain("“Amt anrufen”");
  });

  it("reminds the team in its room and another member privately", async () => {
    expect(await bot.say("remind team friday 14:00 send the report")).toContain("für das Team");
    await bot.say("remind list", { member: "bob" });
    const toBob = await bot.say("remind @bob in 2h bring the keys", { member: "ann" });
    expect(toBob).toContain("für @bob");
    const bobsDue = (await reminder(2)).dueAt;
    const out = await bot.runDueJobs(bobsDue);
    expect(out).toContain("[private → bob] ⏰ Erinnerung *#2* von @ann: bring the keys");
    const teamDue = (await reminder(1)).dueAt;
    expect(await bot.runDueJobs(teamDue)).toContain("[#main] ⏰ Erinnerung *#1*: send the report");
  });

  it("rejects past, unreadable and text-less reminders and creates nothing", async () => {
    const past = await bot.say("remind me 2020-01-01 10:00 too late");
    expect(past).toContain("„2020-01-01 10:00“ liegt in der Vergangenheit (Mi., 1. Jan. 2020, 10:00 MEZ)");
    expect(await bot.say("remind me whenever you like")).toContain(
      "„whenever“ kann ich nicht als Datum oder Uhrzeit lesen",
    );
    expect(await bot.say("remind me tomorrow")).toContain("Woran soll ich erinnern?");
    const either = await bot.say("remind me tomorrow or friday call");
    expect(either).toContain("„tomorrow or friday“ kann mehr als eine Zeit bedeuten");
    expect(either).toMatch(/\[1\] Do\., 26\. Nov\. 2026 +\[2\] Fr\., 27\. Nov\. 2026/);
    // A question, not an error: answered privately (remind me only answers the invoker).
    expect(bot.last).toMatchObject({ kind: "ok", messages: [{ audience: { kind: "ephemeral" } }] });
    expect(await bot.app.db.reminder.count()).toBe(0);
    expect(await bot.app.db.job.count()).toBe(0);
  });

  it("recurring reminders: friendly rules in both languages and cron, repeated in this room", async () => {
    const en = await bot.say("remind every weekday 9:00 standup");
    expect(en).toMatch(/Wiederkehrende Erinnerung \*#1\* \(Mo–Fr 09:00\) in diesem Raum\. Zuerst: .*09:00 MEZ/);
    expect(await bot.say("remind every jeden Montag 10 Uhr Teamrunde")).toContain("(Mo 10:00)");
    expect(await bot.say("remind every 2 weeks on friday report")).toContain("(alle 2 Wochen Fr 09:00)");
    expect(await bot.say("remind every 0 9 * * 1-5 cron standup")).toContain("(Mo–Fr 09:00)");
    expect(await bot.say("remind every now and then")).toContain("keine Regel für die Wiederholung");
    const first = (await bot.scheduler.pending("reminder:1:*"))[0]?.dueAt;
    if (!first) throw new Error("no job");
    const out = await bot.runDueJobs(new Date(first.getTime() + 2 * day - 1));
    expect(out.match(/\[#main\] ⏰ Erinnerung \*#1\*: standup/g)?.length).toBeGreaterThanOrEqual(2);
    expect(await bot.say("remind list")).toMatch(/\*#1\* weekday 9:00, nächste .* → das Team: standup/);
  });

  it("lists mine; coordinators see the team's", async () => {
    await bot.say("remind me tomorrow 9:00 mine");
    await bot.say("remind me tomorrow 10:00 bobs", { member: "bob" });
    const bobs = await bot.say("remind list");
    expect(bobs).toContain("bobs");
    expect(bobs).not.toContain("mine");
    const all = await bot.say("remind list", { member: "carla", coordinator: true });
    expect(all).toContain("ERINNERUNGEN DES TEAMS");
    expect(all).toContain("mine");
    expect(all).toContain("bobs");
    expect(await bot.say("remind list", { member: "dora", coordinator: false })).toContain(
      "Keine Erinnerungen geplant",
    );
  });

  it("cancels own reminders (or any as coordinator), never someone else's", async () => {
    await bot.say("remind me tomorrow 9:00 mine", { member: "ann" });
    expect(await bot.say("remind cancel 1", { member: "bob" })).toContain("gehört dir nicht");
    expect(await bot.say("remind cancel 1", { member: "ann" })).toContain("Erinnerung *#1* ist gelöscht.");
    expect(await bot.scheduler.pending("reminder:1:*")).toHaveLength(0);
    expect(await bot.say("remind cancel 1")).toContain("keine Erinnerung #1");
    await bot.say("remind me tomorrow 9:00 second", { member: "ann" });
    expect(await bot.say("remind cancel 2", { member: "carla", coordinator: true })).toContain(
      "ist gelöscht",
    );
    expect(await bot.runDueJobs(new Date(bot.clock.now().getTime() + 2 * day))).toBe("");
  });

  it("snoozes a delivered reminder with the button and marks it done", async () => {
    await bot.say("remind me in 1h stretch");
    expect(await bot.say("remind snooze 1 10m")).toContain("noch nicht zugestellt");
    const due = (await reminder(1)).dueAt;
    await bot.runDueJobs(due);
    // Pressing "10 Min. später" on the console: choice 2.
    const snoozed = await bot.say("2");
    expect(snoozed).toContain("→ remind snooze 1 10m");
    expect(snoozed).toMatch(/Erinnerung \*#1\* kommt wieder .* \(in 10 Minuten\)\./);
    const again = (await bot.scheduler.pending("reminder:1:*"))[0]?.dueAt;
    if (!again) throw new Error("not snoozed");
    expect(await bot.runDueJobs(again)).toContain("⏰ Erinnerung *#1*: stretch");
    expect(await bot.say("1")).toContain("Erinnerung *#1* ist erledigt.");
    expect((await reminder(1)).status).toBe("done");
    expect(await bot.say("remind done 1")).toContain("schon abgeschlossen");
    expect(await bot.say("remind snooze 1 1h")).toContain("schon abgeschlossen");
  });

  it("lets only the recipient (or the creator, or a coordinator) snooze", async () => {
    await bot.say("remind list", { member: "bob" });
    await bot.say("remind @bob in 1h call back", { member: "ann" });
    await bot.runDueJobs((await reminder(1)).dueAt);
    expect(await bot.say("remind snooze 1 1h", { member: "carla" })).toContain("gehört dir nicht");
    expect(await bot.say("remind snooze 1 1h", { member: "bob" })).toContain("kommt wieder");
    expect(await bot.say("remind snooze 1 soon", { member: "bob" })).toContain("ist keine Dauer");
  });

  it("on the night the clocks go forward, 'tomorrow 9:00' is 09:00 summer time, 21 hours ahead (22 on the wall clock)", async () => {
    await bot.close();
    // Saturday 27 March 2027, 11:00 in Berlin (CET); the clocks jump from 02:00 to 03:00 that night.
    bot = await startTestBot({}, { now: "2027-03-27T10:00:00Z" });
    const out = await bot.say("remind me tomorrow 9:00 call the office");
    expect(out).toMatch(/Erinnerung \*#1\* für dich: So\., 28\. März 2027, 09:00 MESZ \(in 21 Stunden\)\./);
    expect((await reminder(1)).dueAt.toISOString()).toBe("2027-03-28T07:00:00.000Z");
  });

  it("on a summer night, 'morgen früh 7 Uhr' is the next morning in summer time", async () => {
    await bot.close();
    // Thursday 15 July 2027, 00:30 in Berlin (CEST).
    bot = await startTestBot({}, { now: "2027-07-14T22:30:00Z" });
    await bot.say("remind me morgen 7 Uhr Bäcker");
    expect((await reminder(1)).dueAt.toISOString()).toBe("2027-07-16T05:00:00.000Z");
    expect(await bot.say("remind list")).toMatch(/Fr\., 16\. Juli 2027, 07:00 MESZ/);
  });
});
