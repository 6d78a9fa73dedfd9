import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { applyRetention, planRetention } from "../../src/features/privacy/retention.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";

const day = 24 * 60 * 60_000;

describe("retention: finished items are deleted after the team's period", () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  const later = (days: number) => new Date(bot.clock.now().getTime() + days * day);

  /** Finished items of every kind in room `room`, plus an open poll and an open request that must stay. */
  async function finishedItems(room: string): Promise<void> {
    const coord = { member: "ann", room, coordinator: true } as const;
    await bot.say('poll create "Closed?" A B', coord);
    await bot.say("poll close 1", coord);
    await bot.say('poll create "Still open?" A B', coord);
    await bot.say("rr Done soon", coord);
    await bot.say("rr cancel 1", coord);
    await bot.say("rr Still needed", coord);
    await bot.say('task add "Finished"', coord);
    await bot.say("task done 1", coord);
    await bot.say("remind me in 1h call", coord);
    await bot.say("remind cancel 1", coord);
    await bot.say("meeting create Plenum tomorrow 10:00", coord);
    await bot.say("settings team timezone Europe/Berlin", coord);
    await bot.say("rr list", { member: "bob", room });
    await bot.say(":leave", { member: "bob", room });
  }

  const counts = async () => {
    const db = bot.app.db;
    return {
      polls: await db.poll.count(),
      requests: await db.rrRequest.count(),
      tasks: await db.task.count(),
      reminders: await db.reminder.count(),
      meetings: await db.meeting.count(),
      audit: await db.auditEntry.count(),
      memberships: await db.teamMember.count({ where: { leftAt: { not: null } } }),
    };
  };

  it("keeps them for 180 days by default, a team's own period otherwise; open items stay", async () => {
    await finishedItems("main");
    await finishedItems("north");
    expect(await bot.say("privacy retention 30", { member: "ann", room: "north", coordinator: true })).toContain("30");
    const all = await counts();
    expect(all).toEqual({ polls: 4, requests: 4, tasks: 2, reminders: 2, meetings: 2, audit: 3, memberships: 2 });

    await applyRetention(bot.app.db, later(29));
    expect(await counts()).toEqual(all);
    // After 32 days north's finished items are gone (the meeting a day later, from its date).
    await applyRetention(bot.app.db, later(32));
    expect(await counts()).toEqual({ polls: 3, requests: 3, tasks: 1, reminders: 1, meetings: 1, audit: 1, memberships: 1 });
    await applyRetention(bot.app.db, later(182));
    expect(await counts()).toEqual({ polls: 2, requests: 2, tasks: 0, reminders: 0, meetings: 0, audit: 0, memberships: 0 });
    const left = await bot.app.db.poll.findMany({ select: { question: true } });
    expect(left.map((p) => p.question)).toEqual(["Still open?", "Still open?"]);
  });

  it("deletes failed deliveries after 30 days, as a durable daily job", async () => {
    const at = bot.clock.now();
    await bot.app.db.outboxEntry.create({
      data: {
        conversation: "console:@ann",
        message: { text: "Family Haddad" },
        status: "failed",
        lastError: "refused",
        dueAt: at,
        runAt: at,
        giveUpAt: at,
        createdAt: at,
        finishedAt: at,
      },
    });
    const failed = () => bot.app.db.outboxEntry.count({ where: { status: "failed" } });
    await planRetention(bot.scheduler, bot.clock.now(), "Europe/Berlin");
    expect(await bot.scheduler.pending("privacy-retention")).toHaveLength(1);
    await bot.runDueJobs(later(29));
    expect(await failed()).toBe(1);
    await bot.runDueJobs(later(2));
    expect(await failed()).toBe(0);
    // It plans itself on for the next night.
    expect(await bot.scheduler.pending("privacy-retention")).toHaveLength(1);
  });
});
