import { readFileSync } from "node:fs";
import { DateTime } from "luxon";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { defaultTestNow, startTestBot, type TestBot } from "../support/harness.ts";

const minute = 60_000;
/** A date some days after the pinned "now" in Berlin, as typed ("2026-11-28"). */
const inDays = (days: number) =>
  DateTime.fromJSDate(defaultTestNow, { zone: "Europe/Berlin" }).plus({ days }).toFormat("yyyy-MM-dd");

describe("meetings, as conversations on the console", () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  const meeting = (id: number) => bot.app.db.meeting.findUniqueOrThrow({ where: { id } });
  const planned = async (id: number) =>
    (await bot.scheduler.pending(`meeting:${id}:*`)).map((j) => j.pendingKey);

  it("creates a meeting with duration and place, repeats the date and plans reminders 1 day and 15 minutes before", async () => {
    const out = await bot.say("meeting create Plenum friday 14:00 90m town hall");
    expect(out).toMatch(
      /✔ Treffen \*#1\* „Plenum“: Fr\., .*14:00 MEZ \(in \d+ Tag(en)?\), 90 Min\., Ort: town hall\./,
    );
    expect(out).toContain("Erinnerungen kommen 1 Tag und 15 Minuten vorher.");
    expect(await meeting(1)).toMatchObject({ title: "Plenum", durationMinutes: 90, location: "town hall" });
    await bot.say(`meeting create Later ${inDays(5)} 14:00`);
    expect(await planned(2)).toEqual(["meeting:2:remind:1440", "meeting:2:remind:15"]);
  });

  it("sends the reminders to the team room before the meeting, with details and calendar buttons", async () => {
    await bot.say(`meeting create "Team round" ${inDays(3)} 10:00 1h https://meet.example.org/team`);
    const startsAt = (await meeting(1)).startsAt;
    const dayBefore = await bot.runDueJobs(new Date(startsAt.getTime() - 24 * 60 * minute));
    expect(dayBefore).toContain("[#main] 📅 Erinnerung: *Team round* beginnt");
    expect(dayBefore).toContain("Ort: https://meet.example.org/team");
    expect(dayBefore).toMatch(/\[1\] Details +\[2\] In den Kalender \(\.ics\)/);
    const quarter = await bot.runDueJobs(new Date(startsAt.getTime() - 15 * minute));
    expect(quarter).toContain("[#main] 📅 Erinnerung: *Team round* beginnt");
    expect(await bot.runDueJobs(startsAt)).toBe("");
  });

  it("skips reminders whose time has already passed", async () => {
    await bot.say("meeting create Quick in 2h");
    expect(await planned(1)).toEqual(["meeting:1:remind:15"]);
  });

  it("lists upcoming meetings and shows one meeting's details", async () => {
    await bot.say("settings language en");
    await bot.say(`meeting create Retreat ${inDays(12)}`);
    await bot.say("meeting create Plenum friday 14:00");
    const listing = await bot.say("meeting list");
    expect(listing).toContain("UPCOMING MEETINGS");
    expect(listing.indexOf("Plenum")).toBeLessThan(listing.indexOf("Retreat"));
    const day = DateTime.fromJSDate(defaultTestNow, { zone: "Europe/Berlin" }).plus({ days: 12 }).setLocale("en-GB");
    expect(listing).toContain(`${day.toFormat("ccc, d LLL yyyy")}: Retreat`);
    const info = await bot.say("meeting info 2");
    expect(info).toContain("*Plenum* (#2)");
    expect(info).toContain("Duration: 60 min");
    expect(info).toContain("Planned by @ann");
    expect(await bot.say("meeting info 9")).toContain("There is no meeting #9 in this team.");
    expect(await bot.say("meeting info 1", { room: "other" })).toContain(
      "There is no meeting #1 in this team.",
    );
  });

  it("cancels a meeting, tells the team and drops its reminders; only its creator or a coordinator may", async () => {
    await bot.say("meeting create Plenum friday 14:00", { member: "ann" });
    expect(await bot.say("meeting cancel 1", { member: "bob" })).toContain("Das dürfen nur die Person");
    const out = await bot.say("meeting cancel 1", { member: "ann" });
    expect(out).toContain("[#main] ❌ Das Treffen *Plenum* am");
    expect(out).toContain("✔ Treffen *#1* „Plenum“ ist abgesagt.");
    expect(await planned(1)).toEqual([]);
    expect(await bot.say("meeting cancel 1")).toContain("schon abgesagt");
    expect(await bot.say("meeting info 1")).toContain("Dieses Treffen ist abgesagt.");
    expect(await bot.say("meeting list")).toContain("Keine Treffen geplant");
  });

  it("moves a meeting: tells the team and plans its reminders anew", async () => {
    await bot.say(`meeting create Plenum ${inDays(4)} 14:00`);
    const before = await bot.scheduler.pending("meeting:1:*");
    const out = await bot.say(`meeting move 1 ${inDays(6)} 10:00`, { member: "carla", coordinator: true });
    expect(out).toMatch(
      /\[#main\] 🔁 Das Treffen \*Plenum\* ist verschoben von .*14:00 MEZ auf .*10:00 MEZ\./,
    );
    expect(out).toContain("Die Erinnerungen sind neu geplant.");
    const after = await bot.scheduler.pending("meeting:1:*");
    const startsAt = (await meeting(1)).startsAt;
    expect(after.map((j) => j.dueAt.getTime())).toEqual([
      startsAt.getTime() - 24 * 60 * minute,
      startsAt.getTime() - 15 * minute,
    ]);
    expect(after[0]?.dueAt).not.toEqual(before[0]?.dueAt);
    expect(await bot.say("meeting move 1 someday")).toContain("„someday“ kann ich nicht als Datum oder Uhrzeit lesen");
    expect(await bot.say("meeting move 1 2020-01-01 10:00")).toContain("liegt in der Vergangenheit");
  });

  it("rejects meetings without a readable future date and creates nothing", async () => {
    expect(await bot.say("meeting create Plenum whenever")).toContain("„whenever“ kann ich nicht als Datum");
    expect(await bot.say("meeting create Plenum 2020-01-01 10:00")).toContain("liegt in der Vergangenheit");
    expect(await bot.say("meeting create Plenum friday 14:00", { room: "dm-ann" })).toContain(
      "Raum des Teams",
    );
    expect(await bot.app.db.meeting.count()).toBe(0);
  });

  it("gives an .ics file with the right instant, title and place", async () => {
    await bot.say("meeting create Plenum 2026-12-01 18:00 2h Rathaus");
    const out = await bot.say("meeting ics 1");
    expect(out).toContain("Kalenderdatei für *Plenum*");
    const file = /📎 (\S+\.ics)/.exec(out)?.[1];
    if (!file) throw new Error("no attachment");
    const ics = readFileSync(file, "utf8");
    expect(ics).toContain("BEGIN:VCALENDAR");
    expect(ics).toContain("SUMMARY:Plenum");
    expect(ics).toContain("LOCATION:Rathaus");
    expect(ics).toContain("DTSTART:20261201T170000Z"); // 18:00 in Berlin
    expect(ics).toContain("DTEND:20261201T190000Z");
  });

  it("writes an all-day meeting as a date in the calendar file", async () => {
    await bot.say("meeting create Retreat 2026-12-05");
    const ics = await bot.app.bot.services.meetings.ics(1);
    expect(ics.filename).toBe("meeting-1-retreat-20261205.ics");
    expect(ics.content).toContain("DTSTART;VALUE=DATE:20261205");
    expect(ics.content).toContain("DTEND;VALUE=DATE:20261206");
  });

  it("lets coordinators set the team's reminder offsets, used for new meetings", async () => {
    expect(await bot.say("settings team meeting-reminders 2h 30m")).toContain(
      "Das dürfen nur Koordinator*innen.",
    );
    expect(await bot.say("settings team meeting-reminders", { coordinator: true })).toContain(
      "kommen 1 Tag und 15 Minuten vor jedem Treffen",
    );
    expect(await bot.say("settings team meeting-reminders 30m 2h")).toContain(
      "jetzt 2 Stunden und 30 Minuten vorher",
    );
    await bot.say(`meeting create Plenum ${inDays(3)} 14:00`);
    expect(await planned(1)).toEqual(["meeting:1:remind:120", "meeting:1:remind:30"]);
    expect(await bot.say("settings team meeting-reminders soon")).toContain("keine Liste von Zeiten");
    expect(await bot.say("settings team meeting-reminders aus")).toContain("abgeschaltet");
    await bot.say("meeting create Zwei friday 16:00");
    expect(await planned(2)).toEqual([]);
  });

  it("offers the meetings port to other features, inside their transaction", async () => {
    await bot.say("meeting list");
    const startsAt = new Date(defaultTestNow.getTime() + 3 * 24 * 60 * minute);
    const { id } = await bot.app.db.$transaction((tx) =>
      bot.app.bot.services.meetings.create(
        {
          teamRef: "console:main",
          title: "From a poll",
          start: { kind: "instant", at: startsAt },
          durationMinutes: 45,
          createdBy: "console:@ann",
        },
        tx,
      ),
    );
    expect(await meeting(id)).toMatchObject({
      title: "From a poll",
      durationMinutes: 45,
      status: "scheduled",
    });
    expect(await planned(id)).toHaveLength(2);
    const ics = await bot.app.bot.services.meetings.ics(id);
    expect(ics.contentType).toContain("text/calendar");
    expect(ics.content).toContain("SUMMARY:From a poll");
  });
});
