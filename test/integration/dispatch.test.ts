import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.ts";

describe("dispatch on the console", () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  it("answers help with every category's commands, in the member's language", async () => {
    const out = await bot.say("help");
    expect(out).toContain("TEAMBOT-BEFEHLE");
    expect(out).toContain("`settings timezone` – Deine Zeitzone wählen");
    await bot.say("settings language en");
    expect(await bot.say("help")).toContain("`settings timezone` – Choose your time zone");
  });

  it("explains one command with syntax and examples, and a family with its commands", async () => {
    const one = await bot.say("help settings timezone");
    expect(one).toContain("settings timezone <zeitzone>");
    expect(one).toContain("settings timezone Asia/Kabul");
    const family = await bot.say("hilfe settings");
    expect(family).toContain("settings team language <sprache>");
    expect(await bot.say("help nonsense")).toContain("Einen Befehl „nonsense“ gibt es nicht");
  });

  it("accepts /, ! and no prefix on the console", async () => {
    for (const line of ["/settings", "!settings", "settings", "  SETTINGS  "]) {
      expect(await bot.say(line)).toContain("EINSTELLUNGEN");
    }
  });

  it("answers unknown commands and subcommands with a hint", async () => {
    expect(await bot.say("dance")).toContain("Den Befehl „dance“ kenne ich nicht");
    expect(await bot.say("settings colour blue")).toContain("„settings colour“ ist kein Befehl");
  });

  it("treats hostile input as a user error, never as an internal one", async () => {
    const lines = [
      `settings timezone ${"x".repeat(10_000)}`,
      "settings language \u0000\u0007en",
      'settings language "de',
      "settings timezone @everyone",
      "settings language en --x --y",
      "settings timezone Europe/Berlin extra words",
      "help 🙂 مرحبا Привет",
    ];
    for (const line of lines) {
      await bot.say(line);
      expect(["user-error", "ok"]).toContain(bot.last?.kind);
    }
    // Control characters are removed before parsing, so this one worked.
    const member = await bot.app.db.member.findUniqueOrThrow({ where: { ref: "console:@ann" } });
    expect(member.language).toBe("en");
    expect(member.timeZone).toBeNull();
  });

  it("creates teams and members on first contact and records who was seen where", async () => {
    await bot.say("settings", { member: "bob", room: "planning" });
    await bot.say("settings", { member: "carla", room: "planning" });
    const team = await bot.app.db.team.findUniqueOrThrow({
      where: { ref: "console:planning" },
      include: { members: true },
    });
    expect(team.members).toHaveLength(2);
  });
});
