import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { countContaining, textColumns } from "../../src/db/text-columns.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";

/** Every text and JSON column of every table that still contains `text`. */
async function traces(bot: TestBot, text: string): Promise<string[]> {
  const found: string[] = [];
  for (const c of await textColumns(bot.app.db)) {
    if ((await countContaining(bot.app.db, c, text)) > 0) found.push(`${c.table}.${c.column}`);
  }
  return found;
}

describe("privacy: export and erasure, as conversations on the console", () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
    // zoltan leaves traces everywhere: settings, skills, a vote, a claim, a remark, reminders, a task, a meeting.
    await bot.say("settings timezone Europe/Kyiv", { member: "zoltan", room: "main" });
    await bot.say("rr skills add dari", { member: "zoltan" });
    await bot.say("rr available on", { member: "zoltan" });
    await bot.say('poll create "Lunch?" Pizza Soup', { member: "ann" });
    await bot.say("poll vote 1 1", { member: "zoltan" });
    await bot.say("rr Need a Dari interpreter --skill dari", { member: "ann" });
    await bot.say("rr claim 1", { member: "zoltan" });
    await bot.say("rr update 1 Zoltans Notiz zum Termin", { member: "zoltan" });
    await bot.say("remind me tomorrow 9:00 Zoltans eigene Erinnerung", { member: "zoltan" });
    await bot.say("remind @zoltan in 2h Erinnerung von ann für ihn", { member: "ann" });
    await bot.say("remind team tomorrow 10:00 Teamrunde vorbereiten", { member: "zoltan" });
    await bot.say('task add "Akte holen" @zoltan', { member: "ann" });
    await bot.say('meeting create Plenum "2030-01-07 14:00"', { member: "zoltan" });
  });
  afterEach(async () => {
    await bot.close();
  });

  it("exports everything about the member as a JSON file in a direct message", async () => {
    const out = await bot.say("privacy export", { member: "zoltan", room: "main" });
    expect(out).toContain("[private → zoltan]");
    const file = /📎 (\S+\.json)/.exec(out)?.[1];
    expect(file).toBeDefined();
    const data = JSON.parse(readFileSync(path.resolve(file ?? ""), "utf8")) as Record<string, unknown>;
    expect(data.profile).toMatchObject({ ref: "console:@zoltan", displayName: "zoltan", timeZone: "Europe/Kyiv" });
    expect(data.skills).toEqual(["dari"]);
    expect(JSON.stringify(data.votes)).toContain("Pizza");
    expect(JSON.stringify(data.claims)).toContain("Dari interpreter");
    expect(JSON.stringify(data.reminders)).toContain("Zoltans eigene Erinnerung");
    expect(JSON.stringify(data.taskAssignments)).toContain("Akte holen");
    expect(JSON.stringify(data.meetingsCreated)).toContain("Plenum");
    expect(JSON.stringify(data.requestActions)).toContain("Zoltans Notiz");
  });

  it("forgets a member after confirmation: no trace of the name or their texts in any table, counts intact", async () => {
    const ask = await bot.say("privacy forget", { member: "zoltan", room: "main" });
    expect(ask).toContain("privacy forget --confirm");
    expect(await bot.app.db.member.count({ where: { forgottenAt: { not: null } } })).toBe(0);
    expect(await bot.say("privacy forget --confirm", { member: "zoltan" })).toContain("Erledigt");

    expect(await traces(bot, "zoltan")).toEqual([]);
    expect(await traces(bot, "Zoltans Notiz")).toEqual([]);
    expect(await traces(bot, "Zoltans eigene Erinnerung")).toEqual([]);
    expect(await traces(bot, "Erinnerung von ann")).toEqual([]);
    // The team's history stays correct: the vote, the claim and the assignment still count.
    expect(await bot.app.db.pollVote.count()).toBe(1);
    expect(await bot.app.db.rrClaim.count()).toBe(1);
    expect(await bot.app.db.taskAssignee.count()).toBe(1);
    expect(await bot.app.db.meeting.count()).toBe(1);
    // The team's reminder stays (the team's, not theirs), set by the placeholder now.
    expect(await bot.app.db.reminder.findMany({ select: { text: true, creatorRef: true } })).toEqual([
      { text: "Teamrunde vorbereiten", creatorRef: expect.stringMatching(/^forgotten:/) as unknown },
    ]);
    expect(await bot.say("rr info 1", { member: "ann" })).toContain("former member");
    // Using the bot again starts a new, empty profile.
    await bot.say("rr skills", { member: "zoltan" });
    expect(await bot.app.db.rrSkill.count()).toBe(0);
  });

  it("lets a coordinator export and erase a member who left, never a current one; the audit log shows it", async () => {
    const asAnn = { member: "ann", room: "main", coordinator: true } as const;
    expect(await bot.say("privacy forget @zoltan --confirm", asAnn)).toContain("noch Mitglied");
    expect(await bot.say("privacy forget @zoltan --confirm", { ...asAnn, coordinator: false })).toContain("Koordinator");
    await bot.say(":leave", { member: "zoltan" });
    const exported = await bot.say("privacy export @zoltan", asAnn);
    expect(exported).toContain("[private → ann]");
    expect(await bot.say("privacy forget @zoltan --confirm", asAnn)).toContain("Erledigt");
    expect(await traces(bot, "zoltan")).toEqual([]);
    const log = await bot.say("privacy audit", asAnn);
    expect(log).toContain("privacy.export");
    expect(log).toContain("privacy.forget");
    expect(await bot.say("privacy audit", { ...asAnn, coordinator: false })).toContain("Koordinator");
    // Removing someone else's item is a coordinator action too; one's own is not.
    await bot.say("rr cancel 1", { member: "dora", room: "main", coordinator: true });
    expect(await bot.say("privacy audit", asAnn)).toContain("rr.cancel");
  });
});
