import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.ts";

describe("settings, as a conversation on the console", () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  it("shows the defaults in German, the team's default language", async () => {
    const out = await bot.say("settings");
    expect(out).toContain("Sprache: Deutsch (de) (Vorgabe des Teams)");
    expect(out).toContain("Zeitzone: Europe/Berlin (Vorgabe des Teams)");
  });

  it("lets a member choose a language, confirmed in that language; others keep the team's", async () => {
    expect(await bot.say("settings language en")).toContain("Your language is now *English*.");
    expect(await bot.say("settings")).toContain("Language: English (en)");
    expect(await bot.say("settings", { member: "bob" })).toContain("Sprache: Deutsch (de) (Vorgabe des Teams)");
  });

  it("sets a time zone typed in any case and keeps it in the database", async () => {
    expect(await bot.say("/settings timezone asia/kabul")).toContain("Asia/Kabul");
    const member = await bot.app.db.member.findUniqueOrThrow({ where: { ref: "console:@ann" } });
    expect(member.timeZone).toBe("Asia/Kabul");
  });

  it("rejects an unknown zone with suggestions and changes nothing", async () => {
    const out = await bot.say("!settings timezone berlin");
    expect(out).toContain("Meintest du: Europe/Berlin?");
    expect(out).toContain("settings timezone <zeitzone>");
    expect(bot.last?.kind).toBe("user-error");
    const member = await bot.app.db.member.findUniqueOrThrow({ where: { ref: "console:@ann" } });
    expect(member.timeZone).toBeNull();
  });

  it("rejects an unknown language and lists the accepted ones", async () => {
    const out = await bot.say("settings language fr");
    expect(out).toContain("„fr“ ist keine Sprache, die ich spreche. Wähle eine von: de, en");
  });

  it("lets only coordinators change the team's settings", async () => {
    const refused = await bot.say("settings team timezone Europe/Vienna");
    expect(refused).toContain("Das dürfen nur Koordinator*innen.");
    expect((await bot.app.db.team.findUniqueOrThrow({ where: { ref: "console:main" } })).timeZone).toBe(
      "Europe/Berlin",
    );

    expect(await bot.say("settings team timezone Europe/Vienna", { coordinator: true })).toContain(
      "Europe/Vienna",
    );
    expect(await bot.say("settings team language en")).toContain("The team's language is now *English*.");
    // A member without a language of their own now reads English.
    expect(await bot.say("settings", { member: "carla", coordinator: false })).toContain(
      "Language: English (en) (team default)",
    );
  });

  it("keeps team settings apart per room", async () => {
    await bot.say("settings team language en", { coordinator: true });
    expect(await bot.say("settings", { room: "planning" })).toContain("Sprache: Deutsch (de)");
  });

  it("refuses team settings in a direct conversation", async () => {
    expect(await bot.say("settings team language en", { room: "dm-ann", coordinator: true })).toContain(
      "Raum des Teams",
    );
  });
});
