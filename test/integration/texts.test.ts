import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.ts";

/** The smaller findings of the languages issue, as a German team sees them on the console. */
describe("texts in the member's language, as a conversation on the console", () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  it("shows German examples in German help, and finds commands typed in German", async () => {
    const help = await bot.say("help poll create");
    expect(help).toContain('poll create "Pizza oder Suppe?" Pizza Suppe');
    expect(help).not.toContain("Pizza or soup");
    expect(help).toContain("<frage>");
    const erinnere = await bot.say("help erinnere");
    expect(erinnere).toContain("remind me");
    expect(erinnere).not.toContain("gibt es nicht");
    expect(await bot.say("help umfrage neu")).toContain("Eine Umfrage im Team starten");
    expect(await bot.say("umfrage liste")).toContain("keine offenen Umfragen");
  });

  it("speaks the console's own lines in the member's language", async () => {
    expect(await bot.say(":as bob")).toBe("Du bist jetzt bob.");
    expect(await bot.say("remind me in 2h Pause")).toMatch(/^\(nur für dich\) ✔ Erinnerung/);
    await bot.say("settings language en");
    expect(await bot.say(":room planning")).toBe("You are now in room planning.");
    expect(await bot.say("remind me in 2h break")).toMatch(/^\(only you\) ✔ Reminder/);
  });

  it("writes singular and plural forms as German has them", async () => {
    await bot.say('poll create "Laune?" Gut Schlecht --hidden --multi 1');
    const voted = await bot.say("poll vote 1 1 2", { member: "bob" });
    expect(voted).toContain("höchstens 1 Option wählen");
    await bot.say("poll vote 1 1", { member: "bob" });
    expect(await bot.say("poll results 1")).toContain("Bisher hat 1 Person abgestimmt.");
    expect(await bot.say("meeting poll Treffen 2030-01-07 2030-01-08 --duration 2d")).toContain("ist zu lang: höchstens 1 Tag");
    expect(await bot.say('poll create "" A B')).toContain("muss mindestens 1 Zeichen haben");
  });

  it("writes the nudge's example in the reader's language", async () => {
    await bot.say("settings language en", { member: "carla" });
    await bot.say("help", { member: "bob" });
    await bot.say('meeting poll "Plenum" 2030-01-07 2030-01-08', { member: "ann" });
    const out = await bot.say("poll nudge 1", { member: "ann" });
    expect(out).toContain("[private → bob] Erinnerung: Umfrage #1 „Plenum“ in main wartet auf deine Stimme. Antworte im Raum des Teams, z. B. *meeting vote 1 1 ja*.");
    expect(out).toContain("[private → carla] Reminder: poll #1 “Plenum” in main is waiting for your vote. Answer in the team's room, e.g. *meeting vote 1 1 yes*.");
  });
});
