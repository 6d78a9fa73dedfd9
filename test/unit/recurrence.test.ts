import { describe, expect, it } from "vitest";
import {
  anchorRule,
  compileRule,
  isCron,
  nextCronOccurrence,
  nextOccurrence,
  parseFriendlyRule,
} from "../../src/scheduler/recurrence.ts";

const berlin = "Europe/Berlin";
const now = new Date("2026-11-21T12:00:00Z"); // Saturday

function occurrences(rule: string, count: number, from = now, zone = berlin): string[] {
  const compiled = compileRule(rule, zone, from);
  if (!compiled) throw new Error(`not a rule: ${rule}`);
  const out: string[] = [];
  let at = from;
  for (let i = 0; i < count; i++) {
    const next = nextOccurrence(compiled, zone, at);
    if (!next) break;
    out.push(next.toISOString());
    at = next;
  }
  return out;
}

describe("friendly rules in English and German", () => {
  it.each([
    ["every weekday 9:00 standup", "0 9 * * 1-5", 3, undefined],
    ["jeden Montag 10 Uhr Teamrunde", "0 10 * * 1", 4, undefined],
    ["every 2 weeks on friday report", "0 9 * * 5", 5, 2],
    ["alle 2 Wochen am Freitag 14:30 Bericht", "30 14 * * 5", 6, 2],
    ["jede zweite Woche freitags Bericht", "0 9 * * 5", 4, 2],
    ["every monday and thursday 10:00 x", "0 10 * * 1,4", 5, undefined],
    ["werktags 9 Uhr Standup", "0 9 * * 1-5", 3, undefined],
    ["montags 10 Uhr Runde", "0 10 * * 1", 3, undefined],
    ["daily 8am water the plants", "0 8 * * *", 2, undefined],
    ["täglich 7:30 Post", "30 7 * * *", 2, undefined],
    ["jeden Tag 18 Uhr Feierabend", "0 18 * * *", 4, undefined],
    ["every day at the office", "0 9 * * *", 2, undefined],
    ["every month on the 1st 9am rent", "0 9 1 * *", 6, undefined],
    ["jeden Monat am 15. 9 Uhr Miete", "0 9 15 * *", 6, undefined],
    ["every friday at 2pm wrap up", "0 14 * * 5", 4, undefined],
    ["0 9 * * 1-5 standup", "0 9 * * 1-5", 5, undefined],
  ] as const)("%s", (line, cron, consumed, everyWeeks) => {
    const rule = parseFriendlyRule(line.split(" "));
    expect(rule?.recurrence.cron).toBe(cron);
    expect(rule?.consumed).toBe(consumed);
    expect(rule?.recurrence.everyWeeks).toBe(everyWeeks);
  });

  it("does not mistake text for a rule", () => {
    for (const line of [
      "call mom",
      "tomorrow 9:00 x",
      "every",
      "jeden",
      "every blah 9:00",
      "monday meeting",
      "0 99 * * *",
    ]) {
      expect(parseFriendlyRule(line.split(" ")), line).toBeUndefined();
    }
  });

  it("validates cron expressions with node-cron", () => {
    expect(isCron("0 9 * * 1-5")).toBe(true);
    expect(isCron("*/15 * * * *")).toBe(true);
    expect(isCron("0 25 * * *")).toBe(false);
    expect(isCron("0 9 * *")).toBe(false);
    expect(isCron("hello")).toBe(false);
  });
});

describe("next occurrences in the rule's zone", () => {
  it("every weekday 9:00 skips the weekend", () => {
    expect(occurrences("every weekday 9:00", 3)).toEqual([
      "2026-11-23T08:00:00.000Z",
      "2026-11-24T08:00:00.000Z",
      "2026-11-25T08:00:00.000Z",
    ]);
  });

  it("every 2 weeks on friday counts from the first friday", () => {
    expect(occurrences("every 2 weeks on friday", 3)).toEqual([
      "2026-11-27T08:00:00.000Z",
      "2026-12-11T08:00:00.000Z",
      "2026-12-25T08:00:00.000Z",
    ]);
  });

  it("the anchor of an every-2-weeks rule is the week of its first occurrence", () => {
    const rule = parseFriendlyRule("every 2 weeks on friday".split(" "));
    if (!rule) throw new Error("no rule");
    expect(anchorRule(rule.recurrence, berlin, now).anchor).toBe("2026-11-27");
  });

  it("keeps 9:00 at 9:00 across both 2027 DST changes (07:00 UTC in summer, 08:00 UTC in winter)", () => {
    const spring = occurrences("every day 9:00", 4, new Date("2027-03-26T12:00:00Z"));
    expect(spring).toEqual([
      "2027-03-27T08:00:00.000Z",
      "2027-03-28T07:00:00.000Z",
      "2027-03-29T07:00:00.000Z",
      "2027-03-30T07:00:00.000Z",
    ]);
    const autumn = occurrences("every day 9:00", 3, new Date("2027-10-29T12:00:00Z"));
    expect(autumn).toEqual([
      "2027-10-30T07:00:00.000Z",
      "2027-10-31T08:00:00.000Z",
      "2027-11-01T08:00:00.000Z",
    ]);
  });

  it("a 02:30 job on the spring-forward day fires at 03:30 summer time (the shifted instant), once", () => {
    const from = new Date("2027-03-27T12:00:00Z");
    const first = nextCronOccurrence("30 2 * * *", berlin, from);
    expect(first?.toISOString()).toBe("2027-03-28T01:30:00.000Z"); // 03:30 CEST
    const second = nextCronOccurrence("30 2 * * *", berlin, first ?? from);
    expect(second?.toISOString()).toBe("2027-03-29T00:30:00.000Z"); // 02:30 CEST
  });

  it("a 02:30 job on the fall-back day fires once, at the first 02:30", () => {
    const from = new Date("2027-10-30T12:00:00Z");
    const first = nextCronOccurrence("30 2 * * *", berlin, from);
    expect(first?.toISOString()).toBe("2027-10-31T00:30:00.000Z"); // 02:30 CEST
    const second = nextCronOccurrence("30 2 * * *", berlin, first ?? from);
    expect(second?.toISOString()).toBe("2027-11-01T01:30:00.000Z"); // 02:30 CET the next day
  });

  it("supports cron's day-of-month/day-of-week OR, last day and nth weekday", () => {
    expect(nextCronOccurrence("0 9 L * *", "UTC", now)?.toISOString()).toBe("2026-11-30T09:00:00.000Z");
    expect(nextCronOccurrence("0 9 * * 5#2", "UTC", now)?.toISOString()).toBe("2026-12-11T09:00:00.000Z");
    // 1st of the month OR a Monday: Monday 23 November comes first.
    expect(nextCronOccurrence("0 9 1 * 1", "UTC", now)?.toISOString()).toBe("2026-11-23T09:00:00.000Z");
  });

  it("evaluates in other zones too", () => {
    expect(occurrences("every weekday 9:00", 1, now, "America/New_York")).toEqual([
      "2026-11-23T14:00:00.000Z",
    ]);
  });
});
