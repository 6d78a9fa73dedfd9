import { describe, expect, it } from "vitest";
import {
  describeDigestRule,
  digestRuleText,
  nextOccurrence,
  parseDigestRule,
} from "../../src/features/tasks/digest-rule.ts";
import { deadlineOf } from "../../src/features/tasks/model.ts";
import { reminderTimes } from "../../src/features/tasks/reminders.ts";

describe("digest rules as people type them", () => {
  it.each([
    ["weekdays 9:00", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0"],
    ["werktags 9 Uhr", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0"],
    ["daily 8:30", "FREQ=DAILY;BYHOUR=8;BYMINUTE=30"],
    ["täglich 7", "FREQ=DAILY;BYHOUR=7;BYMINUTE=0"],
    ["every day at 18:15", "FREQ=DAILY;BYHOUR=18;BYMINUTE=15"],
    ["mo,do 8:30", "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=8;BYMINUTE=30"],
    ["mon, wed, fri 9", "FREQ=WEEKLY;BYDAY=MO,WE,FR;BYHOUR=9;BYMINUTE=0"],
    ["sa-mo 10:00", "FREQ=WEEKLY;BYDAY=MO,SA,SU;BYHOUR=10;BYMINUTE=0"],
    ["9:15", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=15"],
    ["jeden Montag um 8", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMINUTE=0"],
    ["first monday of the month 9:00", "FREQ=MONTHLY;BYDAY=1MO;BYHOUR=9;BYMINUTE=0"],
    ["0 9 1 * *", "FREQ=DAILY;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0"],
    // Stored values: the cron default of old rows, and the RRULE the bot writes now.
    ["0 9 * * 1-5", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0"],
    ["30 7 * * 0,6", "FREQ=DAILY;BYDAY=SA,SU;BYHOUR=7;BYMINUTE=30"],
    ["0 9 * * 7", "FREQ=DAILY;BYDAY=SU;BYHOUR=9;BYMINUTE=0"],
    ["RRULE:FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=8;BYMINUTE=30", "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=8;BYMINUTE=30"],
  ])("%s -> %s", (input, rrule) => {
    const rule = parseDigestRule(input);
    expect(rule && digestRuleText(rule)).toBe(`RRULE:${rrule}`);
  });

  it.each([
    "",
    "whenever",
    "25:00",
    "mon 9:61",
    "*/5 * * * *",
    "every 15 minutes",
    "funday 9",
    "alle 2 Wochen montags 9",
  ])("refuses %j", (input) => {
    expect(parseDigestRule(input)).toBeUndefined();
  });

  it("describes a rule in the reader's language", () => {
    const rule = parseDigestRule("mo,mi,fr 8:05");
    expect(rule && describeDigestRule(rule, "de")).toEqual({ days: "Mo, Mi, Fr", time: "08:05" });
    const weekdays = parseDigestRule("weekdays 9");
    expect(weekdays && describeDigestRule(weekdays, "en")).toEqual({ days: "Mon–Fri", time: "09:00" });
    const weekend = parseDigestRule("sa-mo 10:00");
    expect(weekend && describeDigestRule(weekend, "de")).toEqual({ days: "Sa–Mo", time: "10:00" });
    const daily = parseDigestRule("daily 7");
    expect(daily && describeDigestRule(daily, "en")).toEqual({ days: "*", time: "07:00" });
  });

  it("finds the next occurrence in the team's zone, keeping 9:00 across the DST change", () => {
    const rule = parseDigestRule("weekdays 9:00");
    if (!rule) throw new Error("rule");
    // Friday 26 March 2027 (CET) and Monday 29 March 2027 (CEST).
    expect(nextOccurrence(rule, "Europe/Berlin", new Date("2027-03-26T07:00:00Z")).toISOString()).toBe(
      "2027-03-26T08:00:00.000Z",
    );
    expect(nextOccurrence(rule, "Europe/Berlin", new Date("2027-03-26T08:00:00Z")).toISOString()).toBe(
      "2027-03-29T07:00:00.000Z",
    );
    expect(nextOccurrence(rule, "America/New_York", new Date("2027-03-26T20:00:00Z")).toISOString()).toBe(
      "2027-03-29T13:00:00.000Z",
    );
  });
});

describe("due dates", () => {
  it("an all-day task is overdue after its day ends in the zone it was given in", () => {
    const task = { dueAt: new Date("2027-03-27T23:00:00Z"), dueAllDay: true, dueZone: "Europe/Berlin" };
    // 28 March 2027 is 23 hours long in Berlin.
    expect(deadlineOf(task)?.toISOString()).toBe("2027-03-28T22:00:00.000Z");
  });

  it("reminds one calendar day before at the same wall-clock time, across DST", () => {
    const times = reminderTimes({
      dueAt: new Date("2027-03-28T08:00:00Z"),
      dueAllDay: false,
      dueZone: "Europe/Berlin",
    });
    expect(times?.soon.toISOString()).toBe("2027-03-27T09:00:00.000Z");
    expect(times?.due.toISOString()).toBe("2027-03-28T08:00:00.000Z");
  });
});
