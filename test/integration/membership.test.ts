import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.ts";

const minute = 60_000;

/** Who belongs to a team follows the platform (here the console's :leave, :kick and :ban). */
describe("membership, as conversations on the console", () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
    await bot.say("rr skills add dari", { member: "bob", room: "main" });
    await bot.say("rr available on", { member: "bob" });
    await bot.say("rr skills add dari", { member: "carla" });
    await bot.say("rr available on", { member: "carla" });
  });
  afterEach(async () => {
    await bot.close();
  });

  const link = (member: string) =>
    bot.app.db.teamMember.findFirstOrThrow({ where: { team: { ref: "console:main" }, member: { ref: `console:@${member}` } } });

  it("sends no request to someone who left; the membership stays as a dated fact", async () => {
    expect(await bot.say(":leave", { member: "bob" })).toContain("bob");
    expect(await link("bob")).toMatchObject({ leftHow: "left", leftAt: bot.clock.now() });
    const out = await bot.say("rr Family Haddad needs a Dari interpreter --skill dari", { member: "ann" });
    expect(out).toContain("[private → carla]");
    expect(out).not.toContain("[private → bob]");
    // A former member reads nothing from a direct conversation.
    expect(await bot.say("rr info 1 --team console:main", { member: "bob", room: "dm-bob" })).toContain(
      "Anfrage #1",
    );
    expect(await bot.say("rr info 1 --team console:main", { member: "bob", room: "dm-bob" })).not.toContain("Haddad");
    // Back in the room: a member again.
    await bot.say("rr list", { member: "bob", room: "main" });
    expect((await link("bob")).leftAt).toBeNull();
  });

  it("withholds a private message that was planned before the member was kicked", async () => {
    await bot.say("remind @bob in 1h bring the keys", { member: "ann", room: "main" });
    await bot.say("remind @carla in 1h bring the keys", { member: "ann", room: "main" });
    await bot.say(":kick bob", { member: "ann" });
    expect((await link("bob")).leftHow).toBe("kicked");
    const out = await bot.runDueJobs(new Date(bot.clock.now().getTime() + 61 * minute));
    expect(out).toContain("[private → carla]");
    expect(out).not.toContain("[private → bob]");
    // And nobody can make the bot write to someone outside the team.
    expect(await bot.say("remind @bob in 2h hello", { member: "ann" })).toContain("kenne ich nicht als Mitglied");
    expect(await bot.say("remind @zoe in 2h hello", { member: "ann" })).toContain("kenne ich nicht als Mitglied");
    expect(await bot.app.db.reminder.count()).toBe(2);
  });

  it("withholds an assignment nudge from a banned member, and lists only current members", async () => {
    const added = await bot.say('task add "Akte prüfen" @bob @carla --due "tomorrow 10:00"', { member: "ann", room: "main" });
    expect(added).toContain("Akte prüfen");
    await bot.say(":ban bob", { member: "ann" });
    expect((await link("bob")).leftHow).toBe("banned");
    const out = await bot.runDueJobs(new Date(bot.clock.now().getTime() + 2 * 24 * 60 * minute));
    expect(out).toContain("[private → carla]");
    expect(out).not.toContain("[private → bob]");
    expect(await bot.say("rr roster", { member: "ann", room: "main" })).not.toContain("bob");
  });

  it("trusts a coordinator status used from a direct conversation only briefly", async () => {
    await bot.say("rr Need a driver --skill dari", { member: "ann", room: "main", coordinator: false });
    await bot.say("rr list", { member: "dora", room: "main", coordinator: true });
    expect(await bot.say("rr cancel 1 --team console:main", { member: "dora", room: "dm-dora", coordinator: false })).toContain(
      "abgebrochen",
    );
    await bot.say("rr Need another driver --skill dari", { member: "ann", room: "main", coordinator: false });
    // The console cannot be asked again: the status seen in the room counts for ten minutes.
    bot.clock.advance(11 * minute);
    expect(await bot.say("rr cancel 2 --team console:main", { member: "dora", room: "dm-dora", coordinator: false })).toContain(
      "Nur wer gefragt hat",
    );
  });

  it("lets only coordinators set room reminders more often than hourly", async () => {
    const member = await bot.say("remind every * * * * * stand up", { member: "bob", room: "main", coordinator: false });
    expect(member).toContain("Koordinator");
    expect(await bot.say("remind every monday 9:00 stand up", { member: "bob" })).toContain("#1");
    expect(await bot.say("remind every * * * * * stand up", { member: "dora", coordinator: true })).toContain("#2");
  });

  it("numbers meetings and reminders per team", async () => {
    await bot.say('meeting create Plenum "2030-01-07 14:00"', { member: "ann", room: "main" });
    await bot.say("remind me tomorrow 9:00 call", { member: "ann", room: "main" });
    expect(await bot.say('meeting create Plenum "2030-01-07 15:00"', { member: "ann", room: "north" })).toContain("#1");
    expect(await bot.say("remind me tomorrow 9:00 call", { member: "ann", room: "north" })).toContain("#1");
    expect(await bot.say("meeting info 1", { room: "north" })).toContain("15:00");
    expect(await bot.say("remind cancel 1", { room: "north" })).toContain("#1");
    expect(await bot.app.db.reminder.findMany({ where: { status: "pending" } })).toHaveLength(1);
  });
});
