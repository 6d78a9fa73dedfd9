import { describe, expect, it } from "vitest";
import {
  describeDigestRule,
  nextOccurrence,
  parseDigestRule,
  toCron,
} from "../../src/features/tasks/digest-rule.ts";
import { deadlineOf } from "../../src/features/tasks/model.ts";
import { reminderTimes } from "../../src/features/tasks/reminders.ts";

describe("digest rules as people type them", () => {
  it.each([
    ["weekdays 9:00", "0 9 * * 1-5"],
    ["werktags 9 Uhr", "0 9 * * 1-5"],
    ["daily 8:30", "30 8 * * *"],
    ["täglich 7", "0 7 * * *"],
    ["every day at 18:15", "15 18 * * *"],
    ["mo,do 8:30", "30 8 * * 1,4"],
    ["mon, wed, fri 9", "0 9 * * 1,3,5"],
    ["sa-mo 10:00", "0 10 * * 0,1,6"],
    ["9:15", "15 9 * * 1-5"],
    ["0 9 * * 1-5", "0 9 * * 1-5"],
    ["30 7 * * 0,6", "30 7 * * 0,6"],
    ["0 9 * * 7", "0 9 * * 0"],
  ])("%s -> %s", (input, cron) => {
    const rule = parseDigestRule(input);
    expect(rule).toBeDefined();
    if (rule) expect(toCron(rule)).toBe(cron);
  });

  it.each(["", "whenever", "25:00", "mon 9:61", "0 9 1 * *", "*/5 * * * *", "funday 9"])(
    "refuses %j",
    (input) => {
      expect(parseDigestRule(input)).toBeUndefined();
    },
  );

  it("describes a rule in the reader's language", () => {
    const rule = parseDigestRule("mo,mi,fr 8:05");
    expect(rule && describeDigestRule(rule, "de")).toEqual({ days: "Mo, Mi, Fr", time: "08:05" });
    const weekdays = parseDigestRule("weekdays 9");
    expect(weekdays && describeDigestRule(weekdays, "en")).toEqual({ days: "Mon–Fri", time: "09:00" });
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
