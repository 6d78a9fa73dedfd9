import { readFileSync } from "node:fs";
import ICAL from "ical.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.ts";

/** An .ics text as an independent iCalendar parser reads it (it throws on malformed input). */
function calendarOf(ics: string): ICAL.Component {
  const jcal: unknown = ICAL.parse(ics);
  return new ICAL.Component(jcal as unknown[]);
}

const events = (ics: string) => calendarOf(ics).getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));

/** The .ics file the console saved for the last `meeting ics`. */
function attached(out: string): string {
  const file = /📎 (\S+\.ics)/.exec(out)?.[1];
  if (!file) throw new Error(`no attachment in: ${out}`);
  return readFileSync(file, "utf8");
}

/**
 * Whole-day meetings are calendar dates: the same day for every member in every zone, in
 * posts, lists and .ics files. Pinned at Wednesday 25 November 2026, 10:00 in Berlin.
 */
describe("whole-day meetings and calendar files", () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  const meeting = (id: number) => bot.app.db.meeting.findUniqueOrThrow({ where: { id } });

  it("shows a meeting on Friday 4 December as Friday 4 December to a member in New York", async () => {
    await bot.say("meeting create Klausur 4.12.", { member: "ann" });
    await bot.say("settings timezone America/New_York", { member: "nina" });
    expect(await bot.say("meeting list", { member: "nina" })).toContain("Fr., 4. Dez. 2026: Klausur");
    expect(await bot.say("meeting info 1", { member: "nina" })).toContain("Wann: ganztägig am Fr., 4. Dez. 2026");
    expect(await meeting(1)).toMatchObject({ allDay: true, startDate: "2026-12-04", durationMinutes: 1440 });
  });

  it("stores, posts and exports a day a member in Tokyo gave as 2026-12-20 as 20 December", async () => {
    await bot.say("settings timezone Asia/Tokyo", { member: "kenji" });
    const out = await bot.say("meeting create Feier 2026-12-20", { member: "kenji" });
    expect(out).toContain("„Feier“: ganztägig am So., 20. Dez. 2026");
    expect(await meeting(1)).toMatchObject({ startDate: "2026-12-20" });
    expect(await bot.say("meeting list", { member: "ann" })).toContain("So., 20. Dez. 2026: Feier");
    const [event] = events(attached(await bot.say("meeting ics 1", { member: "kenji" })));
    expect(event?.startDate.isDate).toBe(true);
    expect(event?.startDate.toString()).toBe("2026-12-20");
    expect(event?.endDate.toString()).toBe("2026-12-21");
  });

  it("reads '1.4. ganztägig' as the whole day, never as the place", async () => {
    const out = await bot.say("meeting create Klausur 1.4. ganztägig");
    expect(out).toContain("„Klausur“: ganztägig am Do., 1. Apr. 2027.");
    expect(await meeting(1)).toMatchObject({ startDate: "2027-04-01", location: null });
  });

  it("takes a length in days: 'meeting create … 2d' lasts two days", async () => {
    const out = await bot.say("meeting create Klausur 4.12. 2d Waldheim");
    expect(out).toContain("ganztägig am Fr., 4. Dez. 2026 bis Sa., 5. Dez. 2026 (2 Tage), Ort: Waldheim.");
    expect(await meeting(1)).toMatchObject({ startDate: "2026-12-04", durationMinutes: 2 * 1440, location: "Waldheim" });
    const [event] = events((await bot.app.bot.services.meetings.ics(1)).content);
    expect(event?.endDate.toString()).toBe("2026-12-06");
    const timed = await bot.say("meeting create Tagung 4.12. 9:00 2d Rathaus");
    expect(timed).toContain("Fr., 4. Dez. 2026, 09:00 MEZ");
    expect(await meeting(2)).toMatchObject({ allDay: false, durationMinutes: 2 * 1440, location: "Rathaus" });
    expect(await bot.say("meeting create Klausur 4.12. 90m")).toContain("dauert ganze Tage");
  });

  it.each([
    ["999h", "„999h“ ist zu lang: höchstens 7 Tage"],
    ["0m", "„0m“ dauert gar nicht"],
    ["-5m", "„-5m“ ist negativ"],
  ])("refuses the length %s with a clear error and never takes it as the place", async (length, error) => {
    const out = await bot.say(`meeting create Plenum morgen 14:00 ${length} Rathaus`);
    expect(out).toContain(error);
    expect(await bot.app.db.meeting.count()).toBe(0);
  });

  it("reminds of a whole-day meeting before the team's morning hour, also across the clock change", async () => {
    await bot.close();
    // Friday 26 March 2027, 10:00 in Berlin; the clocks go forward on Sunday 28 March.
    bot = await startTestBot({}, { now: "2027-03-26T09:00:00Z" });
    await bot.say("meeting create Klausur 29.3.");
    const jobs = await bot.scheduler.pending("meeting:1:*");
    // 09:00 summer time on Monday is 07:00 UTC: one day and 15 minutes before.
    expect(jobs.map((j) => j.dueAt.toISOString())).toEqual(["2027-03-28T07:00:00.000Z", "2027-03-29T06:45:00.000Z"]);
  });

  it("writes .ics files a calendar parser reads: a unique UID, SEQUENCE raised on each move, CRLF to the end", async () => {
    await bot.say("meeting create Plenum 2026-12-01 18:00 2h Rathaus");
    await bot.say("meeting create Plenum 2026-12-08 18:00");
    const first = await bot.app.bot.services.meetings.ics(1);
    expect(first.content.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(first.content.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    const [event] = events(first.content);
    expect(event?.uid).toMatch(/^[0-9a-f-]{36}@.+$/);
    expect(event?.uid).not.toBe((await meeting(2)).uid);
    expect(event?.sequence).toBe(0);
    expect(event?.summary).toBe("Plenum");
    expect(event?.location).toBe("Rathaus");
    expect(event?.startDate.toJSDate().toISOString()).toBe("2026-12-01T17:00:00.000Z");
    expect(event?.endDate.toJSDate().toISOString()).toBe("2026-12-01T19:00:00.000Z");

    await bot.say("meeting move 1 2026-12-02 18:00");
    const moved = events((await bot.app.bot.services.meetings.ics(1)).content)[0];
    expect(moved?.uid).toBe(event?.uid);
    expect(moved?.sequence).toBe(1);
    expect(moved?.startDate.toJSDate().toISOString()).toBe("2026-12-02T17:00:00.000Z");
    await bot.say("meeting move 1 4.12.");
    const whole = events((await bot.app.bot.services.meetings.ics(1)).content)[0];
    expect(whole?.sequence).toBe(2);
    expect(whole?.startDate.toString()).toBe("2026-12-04");
    await bot.say("meeting cancel 1");
    const cancelled = calendarOf((await bot.app.bot.services.meetings.ics(1)).content);
    const vevent = cancelled.getFirstSubcomponent("vevent");
    expect(vevent?.getFirstPropertyValue("status")).toBe("CANCELLED");
    expect(vevent?.getFirstPropertyValue("sequence")).toBe(3);
  });

  describe("a meeting series", () => {
    it("plans 'jeden Montag um 10', reminds of each occurrence in turn, and lists the next one", async () => {
      const out = await bot.say("meeting series Plenum jeden Montag um 10 90m Rathaus");
      expect(out).toContain(
        "Treffen-Serie *#1* „Plenum“: Mo 10:00, 90 Min., Ort: Rathaus. Zuerst: Mo., 30. Nov. 2026, 10:00 MEZ",
      );
      const due = async () => (await bot.scheduler.pending("meeting:1:*")).map((j) => j.dueAt.toISOString());
      expect(await due()).toEqual(["2026-11-29T09:00:00.000Z", "2026-11-30T08:45:00.000Z"]);
      expect(await bot.runDueJobs(new Date("2026-11-30T08:45:00Z"))).toContain("📅 Erinnerung: *Plenum* beginnt Mo., 30. Nov. 2026, 10:00 MEZ");
      expect(await due()).toEqual(["2026-12-06T09:00:00.000Z", "2026-12-07T08:45:00.000Z"]);
      await bot.runDueJobs(new Date("2026-12-01T12:00:00Z"));
      expect(await bot.say("meeting list")).toContain("Mo., 7. Dez. 2026, 10:00 MEZ: Plenum (🔁 Mo 10:00)");
      expect(await bot.say("meeting info 1")).toContain("Wiederholt sich: Mo 10:00");
      expect(await bot.say("meeting move 1 morgen 10 Uhr")).toContain("ist eine Serie");
    });

    it("exports the series as an RRULE in its zone that a calendar expands right across daylight saving", async () => {
      await bot.say("meeting series Plenum every monday 10:00 90m");
      const calendar = calendarOf((await bot.app.bot.services.meetings.ics(1)).content);
      for (const zone of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(zone);
      const vevent = calendar.getFirstSubcomponent("vevent");
      expect(vevent?.getFirstPropertyValue("rrule")?.toString()).toBe("FREQ=WEEKLY;BYDAY=MO;BYHOUR=10;BYMINUTE=0");
      const event = new ICAL.Event(vevent ?? undefined);
      expect(event.startDate.zone?.tzid).toBe("Europe/Berlin");
      const starts: string[] = [];
      const it = event.iterator();
      for (let next = it.next(); next && starts.length < 20; next = it.next()) starts.push(next.toJSDate().toISOString());
      expect(starts[0]).toBe("2026-11-30T09:00:00.000Z");
      // 22 March 2027 in winter time, 29 March in summer time: 10:00 in Berlin both times.
      expect(starts).toContain("2027-03-22T09:00:00.000Z");
      expect(starts).toContain("2027-03-29T08:00:00.000Z");
    });

    it("refuses a meeting every 15 minutes", async () => {
      expect(await bot.say("meeting series Sprechstunde every 15 minutes")).toContain("zu oft");
      expect(await bot.app.db.meeting.count()).toBe(0);
    });
  });
});
