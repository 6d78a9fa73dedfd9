import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Tx } from "../../src/db/client.ts";
import { dayStart } from "../../src/features/meetings/calendar.ts";
import type { MeetingInput, MeetingsPort } from "../../src/features/meetings/port.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";

/** A small stand-in for the meetings feature (another branch implements it). */
function fakeMeetings(): MeetingsPort & { created: MeetingInput[]; failNext: boolean; inTx: boolean[] } {
  const fake = {
    created: [] as MeetingInput[],
    failNext: false,
    inTx: [] as boolean[],
    async create(input: MeetingInput, tx?: Tx) {
      fake.inTx.push(tx !== undefined);
      if (fake.failNext) {
        fake.failNext = false;
        throw new Error("meetings are down");
      }
      fake.created.push(input);
      // A real row (polls refer to their meeting by a foreign key), numbered 41, 42, … here.
      const id = 40 + fake.created.length;
      const startsAt = input.start.kind === "date" ? dayStart(input.start.date, "Europe/Berlin") : input.start.at;
      const data = { id, number: id, uid: `fake-${id}`, teamRef: input.teamRef, title: input.title, startsAt, createdBy: input.createdBy };
      if (tx) await tx.meeting.create({ data });
      return { id, number: id };
    },
    async ics(meetingId: number) {
      return {
        filename: `meeting-${meetingId}.ics`,
        contentType: "text/calendar",
        content: `BEGIN:VCALENDAR\nUID:meeting-${meetingId}\nEND:VCALENDAR\n`,
      };
    },
  };
  return fake;
}

const slots = '"2030-01-07 18:00" "2030-01-08 18:00" 2030-01-09';

describe("meeting-date polls with the real meetings feature", () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  it("ends in a planned meeting with its reminders and an .ics", async () => {
    await bot.say(`meeting poll "Plenum" ${slots} --duration 90m`, { member: "ann" });
    await bot.say("meeting vote 1 1 yes", { member: "bob" });
    const out = await bot.say("meeting pick 1 1", { member: "ann" });
    expect(out).toContain("[#main] ✔ 📅 PLENUM: MO., 7. JAN. 2030, 18:00 MEZ");
    const file = /📎 (\S+\.ics)/.exec(out)?.[1];
    expect(file && readFileSync(path.resolve(file), "utf8")).toContain("SUMMARY:Plenum");
    const meeting = await bot.app.db.meeting.findFirstOrThrow();
    expect(meeting).toMatchObject({
      title: "Plenum",
      startsAt: new Date("2030-01-07T17:00:00.000Z"),
      durationMinutes: 90,
      allDay: false,
    });
    expect((await bot.app.db.poll.findUniqueOrThrow({ where: { id: 1 } })).meetingId).toBe(meeting.id);
    expect((await bot.scheduler.pending(`meeting:${meeting.id}:*`)).length).toBeGreaterThan(0);
    expect(await bot.say("meeting list", { member: "bob" })).toContain("Plenum");
  });
});

describe("meeting-date polls, as a conversation on the console", () => {
  let bot: TestBot;
  let meetings: ReturnType<typeof fakeMeetings>;
  beforeEach(async () => {
    meetings = fakeMeetings();
    bot = await startTestBot({}, { meetings });
  });
  afterEach(async () => {
    await bot.close();
  });

  it("collects yes / if need be / no per slot and marks the best slot", async () => {
    const out = await bot.say(`meeting poll "Plenum" ${slots} --duration 90m`, { member: "ann" });
    expect(out).toContain("[#main] 📅 TERMINUMFRAGE #1: PLENUM");
    expect(out).toContain("Dauer: 90 Minuten.");
    expect(out).toContain("• 1) Mo., 7. Jan. 2030, 18:00 MEZ · ✔ 0 · ~ 0 · ✖ 0");
    expect(out).toContain("• 3) Mi., 9. Jan. 2030 · ✔ 0");
    expect(out).toContain("[1] 1 ✔ ja");
    expect(out).toContain("(nur für dich) ✔ Terminumfrage *#1* ist veröffentlicht.");

    // Buttons are numbered choices on the console: bob presses "2 ✔ ja" (choice 4).
    expect(await bot.say("4", { member: "bob" })).toContain(
      "Deine Antwort in Terminumfrage #1, Termin 2: *ja*.",
    );
    await bot.say("meeting vote 1 1 ja", { member: "ann" });
    await bot.say("meeting vote 1 2 vielleicht", { member: "ann" });
    await bot.say("meeting vote 1 all no", { member: "carla" });
    // Carla changes her answer for slot 1.
    await bot.say("meeting vote 1 1 maybe", { member: "carla" });
    await bot.say("meeting vote 1 1 yes", { member: "dan" });
    expect(await bot.app.db.pollVote.count()).toBe(7);

    const table = await bot.say("meeting availability 1", { member: "ann" });
    expect(table).toContain("VERFÜGBARKEIT FÜR TERMINUMFRAGE #1: PLENUM");
    expect(table).toContain(
      "• ★ 1) Mo., 7. Jan. 2030, 18:00 MEZ · ✔ 2 · ~ 1 · ✖ 0 (✔ ja: ann und dan; ~ wenn nötig: carla)",
    );
    expect(table).toContain(
      "• 2) Di., 8. Jan. 2030, 18:00 MEZ · ✔ 1 · ~ 1 · ✖ 1 (✔ ja: bob; ~ wenn nötig: ann; ✖ nein: carla)",
    );
    expect(table).toContain("• 3) Mi., 9. Jan. 2030 · ✔ 0 · ~ 0 · ✖ 1 (✖ nein: carla)");
    expect(table).toContain("Bester Termin: *1) Mo., 7. Jan. 2030, 18:00 MEZ*.");
    expect(table).toContain("4 haben geantwortet, 0 aus dem Team noch nicht.");
  });

  it("breaks a tie on yes by yes plus if need be", async () => {
    await bot.say(`meeting poll "Tie" ${slots}`, { member: "ann" });
    await bot.say("meeting vote 1 1 yes", { member: "ann" });
    await bot.say("meeting vote 1 2 yes", { member: "ann" });
    await bot.say("meeting vote 1 2 maybe", { member: "bob" });
    const table = await bot.say("meeting availability 1");
    expect(table).toContain("• ★ 2)");
    expect(table).toContain("Bester Termin: *2)");
  });

  it("shows slots in the reader's zone; whole days keep their date", async () => {
    await bot.say(`meeting poll "Plenum" ${slots}`, { member: "ann" });
    await bot.say("settings timezone America/New_York", { member: "bob" });
    await bot.say("settings language en", { member: "bob" });
    const table = await bot.say("meeting availability 1", { member: "bob" });
    expect(table).toContain("AVAILABILITY FOR DATE POLL #1: PLENUM");
    expect(table).toMatch(/1\) Mon, 7 Jan 2030, 12:00 (EST|GMT-5)/);
    expect(table).toContain("3) Wed, 9 Jan 2030 · ✔ 0");
  });

  it("picks a slot: closes the poll, creates the meeting with an .ics and tells those who said no", async () => {
    await bot.say(`meeting poll "Plenum" ${slots} --duration 2h --closes "2029-12-20 12:00"`, {
      member: "ann",
    });
    expect((await bot.scheduler.pending("poll:*")).map((j) => j.pendingKey)).toEqual(["poll:1:close"]);
    await bot.say("meeting vote 1 2 yes", { member: "ann" });
    await bot.say("meeting vote 1 2 no", { member: "bob" });
    await bot.say("settings language en", { member: "carla" });
    await bot.say("meeting vote 1 2 nein", { member: "carla" });
    await bot.say("meeting vote 1 1 yes", { member: "dan" });

    expect(await bot.say("meeting pick 1 2", { member: "dan", coordinator: false })).toContain(
      "Das dürfen nur",
    );
    expect(meetings.created).toHaveLength(0);

    const out = await bot.say("meeting pick 1 2", { member: "ann" });
    expect(meetings.created).toEqual([
      {
        teamRef: "console:main",
        title: "Plenum",
        start: { kind: "instant", at: new Date("2030-01-08T17:00:00.000Z") },
        durationMinutes: 120,
        createdBy: "console:@ann",
      },
    ]);
    expect(meetings.inTx).toEqual([true]);
    expect(out).toContain("[#main] ✔ 📅 PLENUM: DI., 8. JAN. 2030, 18:00 MEZ");
    expect(out).toContain("Festgelegter Termin: *2) Di., 8. Jan. 2030, 18:00 MEZ*.");
    expect(out).toContain("Aus Terminumfrage #1 festgelegt von ann. Die Einladung hängt an.");
    const attachment = /📎 (\S+meeting-41\.ics)/.exec(out)?.[1];
    expect(attachment && readFileSync(path.resolve(attachment), "utf8")).toContain("UID:meeting-41");
    expect(out).toContain("[private → bob] „Plenum“ findet Di., 8. Jan. 2030, 18:00 MEZ statt");
    expect(out).toContain("[private → carla] “Plenum” will take place Tue, 8 Jan 2030, 18:00 CET");
    expect(out).not.toContain("[private → dan]");
    expect(out).toContain("Ich habe 2 Mitglieder benachrichtigt, die nein gesagt hatten.");
    expect(out).toContain("TERMINUMFRAGE #1 IST BEENDET: PLENUM");
    expect(await bot.scheduler.pending("poll:*")).toHaveLength(0);

    const poll = await bot.app.db.poll.findUniqueOrThrow({ where: { id: 1 } });
    expect(poll.closedAt).not.toBeNull();
    expect(poll.meetingId).toBe(41);
    expect(await bot.say("meeting vote 1 1 yes", { member: "bob" })).toContain("Umfrage #1 ist beendet");
    expect(await bot.say("meeting pick 1 1", { member: "ann" })).toContain(
      "Für Umfrage #1 wurde schon ein Termin festgelegt.",
    );
    expect(meetings.created).toHaveLength(1);
  });

  it("picks a whole day as an all-day meeting on that calendar date, one day long", async () => {
    await bot.say(`meeting poll "Party" ${slots}`, { member: "ann" });
    await bot.say("meeting pick 1 3", { member: "ann" });
    expect(meetings.created[0]).toMatchObject({
      start: { kind: "date", date: "2030-01-09" },
      durationMinutes: 1440,
    });
  });

  it("changes nothing when the meeting cannot be created", async () => {
    await bot.say(`meeting poll "Plenum" ${slots}`, { member: "ann" });
    meetings.failNext = true;
    await bot.say("meeting pick 1 1", { member: "ann" });
    expect(bot.last?.kind).toBe("internal-error");
    const poll = await bot.app.db.poll.findUniqueOrThrow({ where: { id: 1 } });
    expect(poll.closedAt).toBeNull();
    expect(poll.pickedOptionId).toBeNull();
    expect(await bot.say("meeting pick 1 1", { member: "ann" })).toContain("Niemand hatte nein gesagt.");
  });

  it("closes at the deadline with the final table and a hint to pick", async () => {
    await bot.say(`meeting poll "Plenum" ${slots} --closes "2029-12-20 12:00"`, { member: "ann" });
    await bot.say("meeting vote 1 3 yes", { member: "bob" });
    const out = await bot.runDueJobs(new Date("2029-12-21T00:00:00Z"));
    expect(out).toContain("[#main] TERMINUMFRAGE #1 IST BEENDET: PLENUM");
    expect(out).toContain("• ★ 3) Mi., 9. Jan. 2030 · ✔ 1");
    expect(out).toContain("Lege den Termin fest mit *meeting pick 1 <Termin>*.");
    expect(await bot.say("meeting vote 1 1 yes", { member: "bob" })).toContain("ist beendet");
    // Picking still works after the deadline.
    expect(await bot.say("meeting pick 1 3", { member: "ann" })).toContain("Das Treffen ist geplant.");
  });

  it("rejects bad input with clear errors and changes nothing", async () => {
    const sixteen = Array.from({ length: 16 }, (_, i) => `2030-02-${String(i + 1).padStart(2, "0")}`).join(
      " ",
    );
    const cases: [string, string][] = [
      ['meeting poll "X" "2030-01-07 18:00" "2030-01-07 18:00"', "Der Termin 2 kommt doppelt vor."],
      ['meeting poll "X" "2030-01-07 18:00"', "Eine Terminumfrage braucht mindestens 2 Termine."],
      [`meeting poll "X" ${sixteen}`, "Eine Terminumfrage darf höchstens 15 Termine haben."],
      ['meeting poll "X" "2020-01-07 18:00" 2030-01-08', "liegt in der Vergangenheit"],
      ['meeting poll "X" "someday maybe" 2030-01-08', "kann ich nicht als Datum oder Uhrzeit lesen"],
      ['meeting poll "X" 2030-01-08 2030-01-09 --closes "2020-01-01 10:00"', "liegt in der Vergangenheit"],
    ];
    for (const [line, message] of cases) {
      expect(await bot.say(line, { member: "ann" })).toContain(message);
      expect(bot.last?.kind).toBe("user-error");
    }
    expect(await bot.app.db.poll.count()).toBe(0);

    await bot.say(`meeting poll "Plenum" ${slots}`, { member: "ann" });
    await bot.say('poll create "Q?" A B', { member: "ann" });
    const later: [string, string][] = [
      ["meeting vote 1 4 yes", "Terminumfrage #1 hat keinen Termin „4“. Wähle eine Nummer von 1 bis 3."],
      ["meeting vote 1 1 perhaps", "„perhaps“ ist keine Antwort: ja, vielleicht oder nein"],
      ["meeting vote 2 1 yes", "Umfrage #2 ist keine Terminumfrage"],
      [
        "poll vote 1 1",
        "Umfrage #1 ist eine Terminumfrage: antworte mit *meeting vote 1 <Termin> ja|vielleicht|nein*.",
      ],
      ["meeting pick 1 all", "hat keinen Termin „all“"],
      ["meeting vote 7 1 yes", "In diesem Team gibt es keine Umfrage #7."],
    ];
    for (const [line, message] of later) {
      expect(await bot.say(line, { member: "ann" })).toContain(message);
      expect(bot.last?.kind).toBe("user-error");
    }
    for (const line of ["meeting vote 1 1 yes", "meeting availability 1", "meeting pick 1 1"]) {
      expect(await bot.say(line, { member: "eve", room: "elsewhere", coordinator: true })).toContain(
        "In diesem Team gibt es keine Umfrage #1.",
      );
    }
    expect(await bot.app.db.pollVote.count()).toBe(0);
    expect(meetings.created).toHaveLength(0);
  });

  it("shows up in poll list and poll results, and poll nudge reminds with the right command", async () => {
    await bot.say("settings", { member: "bob" });
    await bot.say(`meeting poll "Plenum" ${slots}`, { member: "ann" });
    expect(await bot.say("poll list")).toContain("#1 📅 Plenum (0 haben geantwortet)");
    expect(await bot.say("poll results 1")).toContain("VERFÜGBARKEIT FÜR TERMINUMFRAGE #1");
    expect(await bot.say("poll nudge 1", { member: "ann" })).toContain("*meeting vote 1 1 ja*");
  });
});
