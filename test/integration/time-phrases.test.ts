import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.ts";

/**
 * The phrases of issue 15, as a team types them, on the console with the clock pinned at
 * Wednesday 25 November 2026, 10:00 in Berlin (the harness's default "now"). Every answer
 * repeats the instant (or the date) the bot understood.
 */
describe("time as the team says it, in conversations", () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  const lastReminder = () => bot.app.db.reminder.findFirstOrThrow({ orderBy: { id: "desc" } });
  const utc = (iso: string) => new Date(iso).toISOString();

  it.each([
    // phrase, text after it, what the bot repeats, the instant (UTC)
    ["Mittwoch in zwei Wochen", "Akten", "Mi., 9. Dez. 2026, 09:00 MEZ", "2026-12-09T08:00:00Z"],
    ["morgen Nachmittag", "Anruf", "Do., 26. Nov. 2026, 15:00 MEZ", "2026-11-26T14:00:00Z"],
    ["morgen früh", "Bäcker", "Do., 26. Nov. 2026, 08:00 MEZ", "2026-11-26T07:00:00Z"],
    ["in einer halben Stunde", "Tee", "Mi., 25. Nov. 2026, 10:30 MEZ", "2026-11-25T09:30:00Z"],
    ["Ende des Monats", "Abrechnung", "Mo., 30. Nov. 2026, 09:00 MEZ", "2026-11-30T08:00:00Z"],
    ["kommenden Montag 9 Uhr", "Teamrunde", "Mo., 30. Nov. 2026, 09:00 MEZ", "2026-11-30T08:00:00Z"],
    ["heute Abend", "Elternabend", "Mi., 25. Nov. 2026, 19:00 MEZ", "2026-11-25T18:00:00Z"],
    ["tonight", "call Dad", "Mi., 25. Nov. 2026, 19:00 MEZ", "2026-11-25T18:00:00Z"],
    ["Freitag", "Bericht", "Fr., 27. Nov. 2026, 09:00 MEZ", "2026-11-27T08:00:00Z"],
  ])("remind me %s %s: %s", async (phrase, text, shown, at) => {
    const out = await bot.say(`remind me ${phrase} ${text}`);
    expect(out).toContain(`für dich: ${shown}`);
    expect(out).toContain(`„${text}“`);
    const reminder = await lastReminder();
    expect(reminder).toMatchObject({ text, targetKind: "me" });
    expect(reminder.dueAt.toISOString()).toBe(utc(at));
  });

  it("reads 'remind morgen 9 Uhr Akten holen' as a reminder for me, not for '@morgen'", async () => {
    const out = await bot.say("remind morgen 9 Uhr Akten holen");
    expect(out).toContain("Erinnerung *#1* für dich: Do., 26. Nov. 2026, 09:00 MEZ");
    expect(await lastReminder()).toMatchObject({ targetKind: "me", targetRef: "console:@ann", text: "Akten holen" });
  });

  it("reminds only members known in this team, and says how to name one", async () => {
    const unknown = await bot.say("remind @morgen 9 Uhr Akten holen");
    expect(unknown).toContain("„morgen“ kenne ich nicht als Mitglied dieses Teams");
    expect(unknown).toContain("in der Konsole @name");
    expect(await bot.say("remind bob morgen 9 Uhr Akten")).toContain("„bob“ kenne ich nicht als Mitglied");
    expect(await bot.app.db.reminder.count()).toBe(0);
    await bot.say("remind list", { member: "bob" });
    const out = await bot.say("remind bob morgen 9 Uhr Akten", { member: "ann" });
    expect(out).toContain("für @bob: Do., 26. Nov. 2026, 09:00 MEZ");
    expect(await lastReminder()).toMatchObject({ targetKind: "member", targetRef: "console:@bob", text: "Akten" });
  });

  it("asks what 'halb 8' means and runs the choice as a command", async () => {
    const asked = await bot.say("remind me halb 8 Akten holen");
    expect(asked).toContain("„halb 8“ kann mehr als eine Zeit bedeuten. Welche meinst du?");
    expect(asked).toMatch(/\[1\] Mi\., 25\. Nov\. 2026, 19:30 MEZ +\[2\] Do\., 26\. Nov\. 2026, 07:30 MEZ/);
    expect(await bot.app.db.reminder.count()).toBe(0);
    const chosen = await bot.say("2");
    expect(chosen).toContain('→ remind me "26.11.2026 07:30" Akten holen');
    expect(chosen).toContain("Erinnerung *#1* für dich: Do., 26. Nov. 2026, 07:30 MEZ");
    expect((await lastReminder()).text).toBe("Akten holen");
  });

  it("asks inside an option too, and the choice keeps the rest of the command as typed", async () => {
    const asked = await bot.say('task add "Akten holen" @ann --due "halb 8" --note "im Keller"');
    expect(asked).toMatch(/\[1\] Mi\., 25\. Nov\. 2026, 19:30 MEZ +\[2\] Do\., 26\. Nov\. 2026, 07:30 MEZ/);
    const chosen = await bot.say("1");
    expect(chosen).toContain('→ task add "Akten holen" @ann --due "25.11.2026 19:30" --note "im Keller"');
    const task = await bot.app.db.task.findFirstOrThrow();
    expect(task.dueAt?.toISOString()).toBe("2026-11-25T18:30:00.000Z");
  });

  it("refuses a time word left in the text instead of keeping it", async () => {
    const out = await bot.say("remind me morgen Akten um 9");
    expect(out).toContain("Nach „morgen“ steht „um 9“");
    expect(out).toContain("*morgen um 9 Akten*");
    expect(await bot.app.db.reminder.count()).toBe(0);
  });

  it("refuses dates that do not exist or lie too far ahead, with the reason", async () => {
    expect(await bot.say("remind me 31.4. Akten")).toContain("„31.4.“ gibt es im Kalender nicht");
    expect(await bot.say("remind me morgen 25:00 Akten")).toContain("„25:00“ ist keine Uhrzeit");
    expect(await bot.say("remind me 12025-01-01 Akten")).toContain("liegt zu weit in der Zukunft");
    expect(await bot.say("remind me Donnerstag 4.12. Akten")).toContain("passt der Wochentag nicht zum Datum");
    expect(await bot.app.db.reminder.count()).toBe(0);
  });

  describe("recurring rules", () => {
    const firstDue = async () => (await bot.scheduler.pending("reminder:*"))[0]?.dueAt.toISOString();

    it("reads 'jeden Montag um 8' with its time and keeps the rest as the text", async () => {
      const out = await bot.say("remind every jeden Montag um 8 Wochenplanung");
      expect(out).toContain("(Mo 08:00)");
      expect(out).toContain("Zuerst: Mo., 30. Nov. 2026, 08:00 MEZ");
      expect((await lastReminder()).text).toBe("Wochenplanung");
      expect(await firstDue()).toBe(utc("2026-11-30T07:00:00Z"));
    });

    it("reads 'every weekday at 10'", async () => {
      await bot.say("settings language en");
      const out = await bot.say("remind every weekday at 10 Stand-up");
      expect(out).toContain("(Mon–Fri 10:00)");
      expect(out).toContain("First: Thu, 26 Nov 2026, 10:00 CET");
      expect((await lastReminder()).text).toBe("Stand-up");
    });

    it("reads 'first monday of the month', at 9:00 without a time", async () => {
      const out = await bot.say("remind every first monday of the month Plenum vorbereiten");
      expect(out).toContain("(monatlich am 1. Mo 09:00)");
      expect(await firstDue()).toBe(utc("2026-12-07T08:00:00Z"));
    });

    it("refuses 'every day 25:00' and 'every day 9:60' instead of reading 09:00", async () => {
      expect(await bot.say("remind every day 25:00 x")).toContain("„25:00“ ist keine Uhrzeit");
      expect(await bot.say("remind every day 9:60 x")).toContain("„9:60“ ist keine Uhrzeit");
      expect(await bot.app.db.reminder.count()).toBe(0);
    });

    it("asks whether 'jeden Montag um 3' is at night or in the afternoon", async () => {
      const asked = await bot.say("remind every jeden Montag um 3 Kaffee");
      expect(asked).toContain("„jeden Montag um 3“ kann mehr als eine Regel bedeuten");
      expect(asked).toMatch(/\[1\] Mo 03:00 +\[2\] Mo 15:00/);
      const chosen = await bot.say("2");
      expect(chosen).toContain("→ remind every RRULE:FREQ=WEEKLY;BYDAY=MO;BYHOUR=15;BYMINUTE=0 Kaffee");
      expect(chosen).toContain("(Mo 15:00)");
      expect(await firstDue()).toBe(utc("2026-11-30T14:00:00Z"));
    });

    it("'every 15 minutes' in the room, not more often unless a coordinator sets it", async () => {
      const out = await bot.say("remind every 15 minutes Warteschlange prüfen");
      expect(out).toContain("(alle 15 Minuten)");
      expect(await firstDue()).toBe(utc("2026-11-25T09:15:00Z"));
      expect(await bot.say("remind every alle 5 Minuten zu oft")).toContain("höchstens alle 15 Minuten");
      expect(await bot.app.db.reminder.count()).toBe(1);
      expect(await bot.say("remind every 5 minutes ok", { coordinator: true })).toContain("(alle 5 Minuten)");
    });

    it("limits how many recurring reminders one member holds", async () => {
      await bot.close();
      bot = await startTestBot({ REMINDERS_MAX_RECURRING: "2" });
      await bot.say("remind every weekday 9:00 eins");
      await bot.say("remind every weekday 10:00 zwei");
      expect(await bot.say("remind every weekday 11:00 drei")).toContain("schon 2 wiederkehrende Erinnerungen");
      await bot.say("remind cancel 1");
      expect(await bot.say("remind every weekday 11:00 drei")).toContain("Wiederkehrende Erinnerung *#3*");
    });
  });

  describe("'until Friday' means all of Friday for rr and tasks, the morning for reminders", () => {
    // Friday 27 November 2026 ends at Saturday 00:00 in Berlin.
    const endOfFriday = "2026-11-27T23:00:00.000Z";

    it("rr available until Freitag", async () => {
      const out = await bot.say("rr available until Freitag");
      expect(out).toContain("verfügbar* für Schnellanfragen bis einschließlich Fr., 27. Nov. 2026.");
      const member = await bot.app.db.member.findUniqueOrThrow({ where: { ref: "console:@ann" }, include: { rrProfile: true } });
      expect(member.rrProfile?.availableUntil?.toISOString()).toBe(endOfFriday);
    });

    it("task due Freitag: due all of Friday, overdue from Saturday", async () => {
      await bot.say('task add "Bericht schreiben" @ann --due Freitag');
      expect(await bot.say("task list")).toContain("fällig Fr., 27. Nov. 2026");
      await bot.runDueJobs(new Date("2026-11-27T22:59:00Z"));
      expect(await bot.say("task list overdue")).not.toContain("Bericht schreiben");
      await bot.runDueJobs(new Date(endOfFriday));
      expect(await bot.say("task list overdue")).toContain("Bericht schreiben");
    });

    it("remind me Freitag: at the team's morning hour", async () => {
      await bot.say("remind me Freitag Bericht");
      expect((await lastReminder()).dueAt.toISOString()).toBe("2026-11-27T08:00:00.000Z");
    });
  });

  it("lets coordinators set the team's hours: the morning hour moves whole-day reminders, the evening 'heute Abend'", async () => {
    expect(await bot.say("settings team hours")).toContain("morgens (morning): 09:00 (Vorgabe)");
    expect(await bot.say("settings team hours morgens 8")).toContain("Das dürfen nur Koordinator*innen.");
    expect(await bot.say("settings team hours morgens 8", { coordinator: true })).toContain(
      "heißt morgens (morning) jetzt 08:00",
    );
    await bot.say("settings team hours evening 18:00");
    expect(await bot.say("settings team hours soon 8")).toContain("„soon 8“ ist keine Tageszeit");
    expect(await bot.say("settings team hours")).toContain("abends, heute Abend (evening, tonight): 18:00");
    await bot.say("remind me Freitag Bericht", { coordinator: false });
    expect((await lastReminder()).dueAt.toISOString()).toBe("2026-11-27T07:00:00.000Z");
    await bot.say("remind me heute Abend Elternabend");
    expect((await lastReminder()).dueAt.toISOString()).toBe("2026-11-25T17:00:00.000Z");
    expect(await bot.say("remind every jeden Abend Tagebuch")).toContain("(täglich 18:00)");
  });
});
