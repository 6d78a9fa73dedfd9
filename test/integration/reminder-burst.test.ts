import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.ts";

/**
 * Many reminders due at the same moment run as one group: the scheduler reads them, their
 * teams and members together and writes all their messages at once. Each must still read
 * exactly as a reminder delivered alone does.
 */
describe("reminders falling due together", () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  it("delivers each in its reader's language, skips cancelled ones and people who left, and plans the next of a recurring one", async () => {
    await bot.say("settings language en", { member: "bob" });
    await bot.say("remind me tomorrow 9:00 call the office", { member: "ann" }); // #1
    await bot.say("remind @bob tomorrow 9:00 bring the keys", { member: "ann" }); // #2, for bob in English
    await bot.say("remind team tomorrow 9:00 send the report", { member: "ann" }); // #3, the room
    await bot.say("remind me tomorrow 9:00 never mind", { member: "ann" }); // #4, cancelled
    await bot.say("remind me tomorrow 9:00 water the plants", { member: "carl" }); // #5, carl leaves
    await bot.say("remind every weekday 9:00 standup", { member: "ann" }); // #6, recurring
    expect(await bot.say("remind cancel 4", { member: "ann" })).toContain("gelöscht");
    await bot.say(":leave", { member: "carl" });
    const reminders = await bot.app.db.reminder.findMany({ orderBy: { id: "asc" } });
    const due = reminders[0]?.dueAt ?? new Date(0);
    // All six fall due at the same instant (tomorrow, a Thursday, 9:00).
    expect(new Set(reminders.map((r) => r.dueAt.getTime()))).toEqual(new Set([due.getTime()]));

    const out = await bot.runDueJobs(due);
    expect(out).toContain("[private → ann] ⏰ Erinnerung *#1*: call the office");
    expect(out).toContain("[private → bob] ⏰ Reminder *#2* from @ann: bring the keys");
    expect(out).toContain("[#main] ⏰ Erinnerung *#3*: send the report");
    expect(out).toContain("⏰ Erinnerung *#6*: standup");
    expect(out).not.toContain("never mind");
    expect(out).not.toContain("water the plants");
    expect(out).not.toContain("→ carl");
    expect(out.match(/⏰/g)).toHaveLength(4);

    const after = new Map((await bot.app.db.reminder.findMany()).map((r) => [r.number, r]));
    expect(after.get(1)).toMatchObject({ status: "delivered", deliveredAt: due });
    expect(after.get(2)?.status).toBe("delivered");
    expect(after.get(3)?.status).toBe("delivered");
    expect(after.get(4)?.status).toBe("cancelled");
    const next = await bot.app.services.scheduler.pendingFor(`reminder:${after.get(6)?.id ?? 0}:*`);
    expect(next.map((j) => j.dueAt)).toEqual([new Date(due.getTime() + 86_400_000)]);
    // Nothing runs twice.
    expect(await bot.runDueJobs(new Date(due.getTime() + 60_000))).toBe("");
  });

  it("delivers 250 reminders due at once (three groups) each once, in the order they were set", async () => {
    for (let i = 1; i <= 250; i++) await bot.say(`remind me tomorrow 9:00 item ${i}`, { member: `m${i % 5}` });
    const due = (await bot.app.db.reminder.findFirstOrThrow()).dueAt;
    const out = await bot.runDueJobs(due);
    for (let i = 1; i <= 250; i++) expect(out.match(new RegExp(`: item ${i}\\n`, "g")), `item ${i}`).toHaveLength(1);
    // Each member's reminders arrive in the order they were set.
    for (let m = 0; m < 5; m++) {
      const mine = [...out.matchAll(new RegExp(`\\[private → m${m}\\] ⏰ Erinnerung \\*#\\d+\\*: item (\\d+)`, "g"))].map((x) =>
        Number(x[1]),
      );
      expect(mine).toHaveLength(50);
      expect(mine).toEqual([...mine].sort((a, b) => a - b));
    }
    expect(await bot.app.db.reminder.count({ where: { status: "delivered" } })).toBe(250);
  });
});
