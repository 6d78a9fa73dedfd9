import { afterEach, describe, expect, it } from "vitest";
import { storedRecurrenceSchema } from "../../src/scheduler/recurrence.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";

// Wednesday 25 November 2026, 10:00 in Berlin.
const now = new Date("2026-11-25T09:00:00Z");

describe("recurring rules on the RRULE library, as the team uses them", () => {
  let bot: TestBot;
  afterEach(async () => {
    await bot?.close();
  });

  async function legacyReminder(rule: string, recurrence: object, dueAt: string): Promise<number> {
    const db = bot.app.db;
    await bot.say("remind list"); // the team and ann exist before her stored reminder
    const reminder = await db.reminder.create({
      data: {
        number: 1,
        teamRef: "console:main",
        creatorRef: "console:@ann",
        targetKind: "team",
        text: "Standup",
        dueAt: new Date(dueAt),
        rule,
        timeZone: "Europe/Berlin",
      },
    });
    await db.job.create({
      data: {
        kind: "reminder",
        payload: { reminderId: reminder.id },
        dueAt: new Date(dueAt),
        runAt: new Date(dueAt),
        pendingKey: `reminder:${reminder.id}:main`,
        recurrence: { rule, ...recurrence },
        timeZone: "Europe/Berlin",
        owner: "console:ann",
      },
    });
    return reminder.id;
  }

  it("runs a recurring reminder stored before RRULEs and writes it back as an RRULE", async () => {
    bot = await startTestBot({}, { now });
    await legacyReminder("every weekday 9:00", { cron: "0 9 * * 1-5" }, "2026-11-26T08:00:00Z");
    const out = await bot.runDueJobs(new Date("2026-11-30T12:00:00Z"));
    expect(out.match(/Standup/g)).toHaveLength(3); // Thursday, Friday, Monday
    const [job] = await bot.scheduler.pending();
    expect(job?.dueAt.toISOString()).toBe("2026-12-01T08:00:00.000Z");
    const stored = storedRecurrenceSchema.parse(job?.recurrence);
    expect(job?.recurrence).toEqual(stored);
    expect(stored.rrule).toBe("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0");
  });

  it("keeps the weeks of a stored every-2-weeks rule", async () => {
    bot = await startTestBot({}, { now });
    await legacyReminder(
      "every 2 weeks on friday",
      { cron: "0 9 * * 5", everyWeeks: 2, anchor: "2026-11-27" },
      "2026-11-27T08:00:00Z",
    );
    await bot.runDueJobs(new Date("2026-12-20T12:00:00Z"));
    const delivered = bot.transcript().match(/Standup/g) ?? [];
    expect(delivered).toHaveLength(2); // 27 November and 11 December, not 4 or 18 December
    const [job] = await bot.scheduler.pending();
    expect(job?.dueAt.toISOString()).toBe("2026-12-25T08:00:00.000Z");
  });

  it("reads 'jeden Montag um 8' with its time, and refuses 'every day 25:00'", async () => {
    bot = await startTestBot({}, { now });
    const set = await bot.say("remind every jeden Montag um 8 Wochenplanung");
    expect(set).toContain("(Mo 08:00)");
    expect(set).toContain("Mo., 30. Nov. 2026, 08:00");
    const reminder = await bot.app.db.reminder.findFirstOrThrow({});
    expect(reminder.text).toBe("Wochenplanung");
    const out = await bot.runDueJobs(new Date("2026-11-30T07:00:00Z"));
    expect(out).toContain("Wochenplanung");
    const refused = await bot.say("remind every every day 25:00 x");
    expect(refused).toContain("„25:00“ ist keine Uhrzeit");
    expect(await bot.app.db.reminder.count()).toBe(1);
  });

  it("shows and runs a digest rule stored as cron, and stores a new one as an RRULE", async () => {
    bot = await startTestBot({}, { now });
    await bot.say("task add Formular");
    const team = await bot.app.db.team.findFirstOrThrow({ where: { ref: "console:main" } });
    await bot.app.db.taskTeam.update({ where: { teamId: team.id }, data: { digestRule: "30 7 * * 1,4" } });
    expect(await bot.say("task digest")).toContain("kommt Mo, Do um 07:30");
    await bot.say("task digest jeden Montag um 8", { coordinator: true });
    const row = await bot.app.db.taskTeam.findUniqueOrThrow({ where: { teamId: team.id } });
    expect(row.digestRule).toBe("RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMINUTE=0");
    const [job] = await bot.scheduler.pending("task-digest:*");
    expect(job?.dueAt.toISOString()).toBe("2026-11-30T07:00:00.000Z");
  });
});
