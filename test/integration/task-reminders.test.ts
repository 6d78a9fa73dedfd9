import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.ts";

const at = (iso: string) => new Date(iso);
const minuteBefore = (iso: string) => new Date(new Date(iso).getTime() - 60_000);

describe("task reminders and the overdue digest, through the scheduler", () => {
  let bot: TestBot;

  async function boot(now: string): Promise<void> {
    bot = await startTestBot({}, { now });
    for (const member of ["bob", "carla", "dave"]) await bot.say("help", { member, room: "main" });
    bot.console.member = "ann";
  }

  beforeEach(async () => {
    // Monday, 23 November 2026, 10:00 in Berlin.
    await boot("2026-11-23T09:00:00Z");
  });
  afterEach(async () => {
    await bot.close();
  });

  it("reminds each assignee a day before and at the due time, in their own language and zone", async () => {
    await bot.say("settings language en", { member: "carla" });
    await bot.say("settings timezone Europe/London", { member: "carla" });
    await bot.say('task add "Formular" @bob @carla --due "2026-11-26 09:00"', { member: "ann" });
    // Thursday 09:00 Berlin = 08:00 UTC.
    expect(await bot.runDueJobs(minuteBefore("2026-11-25T08:00:00Z"))).toBe("");
    const soon = await bot.runDueJobs(at("2026-11-25T08:00:00Z"));
    expect(soon).toContain(
      "[private → bob] Erinnerung: *#1 Formular* in main ist morgen fällig, Do., 26. Nov. 2026, 09:00 MEZ.",
    );
    expect(soon).toContain(
      "[private → carla] Reminder: *#1 Formular* in main is due tomorrow, Thu, 26 Nov 2026, 08:00 GMT.",
    );
    expect(await bot.runDueJobs(minuteBefore("2026-11-26T08:00:00Z"))).toBe("");
    const due = await bot.runDueJobs(at("2026-11-26T08:00:00Z"));
    expect(due).toContain(
      "[private → bob] ⚠ *#1 Formular* in main ist jetzt fällig (Do., 26. Nov. 2026, 09:00 MEZ).",
    );
    expect(due).toContain(
      "[private → carla] ⚠ *#1 Formular* in main is due now (Thu, 26 Nov 2026, 08:00 GMT).",
    );
  });

  it("re-plans the reminders when the due date changes", async () => {
    await bot.say('task add "Formular" @bob --due "2026-11-26 09:00"');
    await bot.say('task due 1 "2026-11-27 15:00"', { member: "bob" });
    expect(await bot.runDueJobs(at("2026-11-26T08:00:00Z"))).not.toContain("[private → bob]");
    expect(await bot.runDueJobs(at("2026-11-26T14:00:00Z"))).toContain(
      "ist morgen fällig, Fr., 27. Nov. 2026, 15:00 MEZ.",
    );
    expect(await bot.runDueJobs(at("2026-11-27T14:00:00Z"))).toContain("ist jetzt fällig");
  });

  it("re-plans the reminders when assignees change: removed ones hear nothing, new ones are reminded", async () => {
    await bot.say('task add "Formular" @bob --due "2026-11-26 09:00"');
    await bot.say("task unassign 1 @bob");
    await bot.say("task assign 1 @dave");
    const soon = await bot.runDueJobs(at("2026-11-25T08:00:00Z"));
    expect(soon).not.toContain("[private → bob]");
    expect(soon).toContain("[private → dave] Erinnerung: *#1 Formular*");
  });

  it("reminds a task someone took, and an all-day task at 9:00 the day before and on the day", async () => {
    await bot.say('task add "Formular" --due "2026-11-27"');
    await bot.say("task take 1", { member: "bob" });
    expect(await bot.runDueJobs(minuteBefore("2026-11-26T08:00:00Z"))).toBe("");
    expect(await bot.runDueJobs(at("2026-11-26T08:00:00Z"))).toContain(
      "[private → bob] Erinnerung: *#1 Formular* in main ist morgen fällig, Fr., 27. Nov. 2026.",
    );
    expect(await bot.runDueJobs(at("2026-11-27T08:00:00Z"))).toContain(
      "ist jetzt fällig (Fr., 27. Nov. 2026)",
    );
  });

  it("cancels the reminders when the task is done or cancelled, and plans them again on reopen", async () => {
    await bot.say('task add "Formular" @bob --due "2026-11-26 09:00"');
    await bot.say('task add "Dolmetscher" @bob --due "2026-11-26 09:00"');
    await bot.say("task done 1", { member: "bob" });
    await bot.say("task cancel 2", { member: "ann" });
    expect(await bot.runDueJobs(at("2026-11-25T08:00:00Z"))).toBe("");
    await bot.say("task reopen 1", { member: "bob" });
    expect(await bot.runDueJobs(at("2026-11-26T08:00:00Z"))).toContain(
      "*#1 Formular* in main ist jetzt fällig",
    );
  });

  it("a task without assignees or without a due date reminds nobody", async () => {
    await bot.say('task add "Formular" --due "2026-11-26 09:00"');
    await bot.say("task add Dolmetscher @bob");
    expect(await bot.runDueJobs(at("2026-11-26T08:00:00Z"))).not.toContain("[private");
  });

  it("posts the overdue digest at its time and skips it when nothing is overdue", async () => {
    await bot.say('task add "Formular" @bob --due "2026-11-24 12:00"');
    // The digest is planned with the team's first task: Tuesday 09:00 Berlin. Nothing is overdue yet.
    const first = await bot.runDueJobs(at("2026-11-24T08:00:00Z"));
    expect(first).not.toContain("[#main]");
    // Planned again on Tuesday (as the scheduler does for a recurring job): Wednesday 09:00, #1 is overdue by then.
    bot.clock.set(at("2026-11-24T10:00:00Z"));
    await bot.say("task add Dolmetscher");
    await bot.say("task add Wohnung @carla");
    await bot.say("task done 3", { member: "carla" });
    const digest = await bot.runDueJobs(at("2026-11-25T08:00:00Z"));
    expect(digest).toContain("[#main] ⚠ ÜBERFÄLLIGE AUFGABEN");
    expect(digest).toContain("• *#1* Formular – überfällig seit Di., 24. Nov. 2026, 12:00 MEZ – @bob");
    expect(digest).not.toContain("#2");
    expect(digest).not.toContain("#3");
  });

  it("sends no digest when the team switched it off", async () => {
    await bot.say('task add "Formular" @bob --due "2026-11-23 12:00"');
    await bot.say("task digest off", { coordinator: true });
    expect(await bot.runDueJobs(at("2026-11-24T08:00:00Z"))).not.toContain("ÜBERFÄLLIGE");
  });

  it("keeps the wall-clock time of reminders and the digest across the DST change on 2027-03-28", async () => {
    await bot.close();
    // Saturday, 20 March 2027, 10:00 in Berlin (CET, UTC+1).
    await boot("2027-03-20T09:00:00Z");
    await bot.say('task add "Begleitung" @bob --due "2027-03-28 10:00"');
    // The day before, 10:00 CET = 09:00 UTC; on the day, 10:00 CEST = 08:00 UTC.
    expect(await bot.runDueJobs(minuteBefore("2027-03-27T09:00:00Z"))).not.toContain("[private → bob]");
    expect(await bot.runDueJobs(at("2027-03-27T09:00:00Z"))).toContain(
      "ist morgen fällig, So., 28. März 2027, 10:00 MESZ.",
    );
    expect(await bot.runDueJobs(minuteBefore("2027-03-28T08:00:00Z"))).toBe("");
    expect(await bot.runDueJobs(at("2027-03-28T08:00:00Z"))).toContain(
      "ist jetzt fällig (So., 28. März 2027, 10:00 MESZ).",
    );
    // The digest planned after the change comes at 09:00 CEST = 07:00 UTC on Monday.
    bot.clock.set(at("2027-03-28T12:00:00Z"));
    await bot.say("task add Weiteres");
    expect(await bot.runDueJobs(minuteBefore("2027-03-29T07:00:00Z"))).toBe("");
    const digest = await bot.runDueJobs(at("2027-03-29T07:00:00Z"));
    expect(digest).toContain("ÜBERFÄLLIGE AUFGABEN");
    expect(digest).toContain("• *#1* Begleitung – überfällig seit So., 28. März 2027, 10:00 MESZ – @bob");
  });
});
