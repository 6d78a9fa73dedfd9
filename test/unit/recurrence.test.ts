import { describe, expect, it } from "vitest";
import { cronToPattern } from "../../src/core/when/cron.ts";
import { parseRRule, rruleText } from "../../src/core/when/pattern.ts";
import {
  anchorRule,
  compileRule,
  fromLegacy,
  nextOccurrence,
  parseFriendlyRule,
  type StoredRecurrence,
  storedRecurrenceSchema,
} from "../../src/scheduler/recurrence.ts";

const berlin = "Europe/Berlin";
const now = new Date("2026-11-21T12:00:00Z"); // Saturday 13:00 in Berlin

function series(stored: StoredRecurrence, count: number, from: Date, zone = berlin): string[] {
  const out: string[] = [];
  let at = from;
  for (let i = 0; i < count; i++) {
    const next = nextOccurrence(stored, zone, at);
    if (!next) break;
    out.push(next.toISOString());
    at = next;
  }
  return out;
}

function occurrences(rule: string, count: number, from = now, zone = berlin): string[] {
  const compiled = compileRule(rule, zone, from);
  if (!compiled) throw new Error(`not a rule: ${rule}`);
  return series(compiled, count, from, zone);
}

describe("friendly rules become RRULEs", () => {
  it.each([
    ["every weekday 9:00 standup", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0", 3],
    ["jeden Montag 10 Uhr Teamrunde", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=10;BYMINUTE=0", 4],
    ["jeden Montag um 8 Wochenplanung", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMINUTE=0", 4],
    ["every weekday at 10 Stand-up", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=10;BYMINUTE=0", 4],
    ["every 2 weeks on friday report", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;BYHOUR=9;BYMINUTE=0;WKST=MO", 5],
    [
      "alle 2 Wochen am Freitag 14:30 Bericht",
      "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;BYHOUR=14;BYMINUTE=30;WKST=MO",
      6,
    ],
    ["jede zweite Woche freitags Bericht", "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;BYHOUR=9;BYMINUTE=0;WKST=MO", 4],
    ["every monday and thursday 10:00 x", "FREQ=WEEKLY;BYDAY=MO,TH;BYHOUR=10;BYMINUTE=0", 5],
    ["werktags 9 Uhr Standup", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0", 3],
    ["montags 10 Uhr Runde", "FREQ=WEEKLY;BYDAY=MO;BYHOUR=10;BYMINUTE=0", 3],
    ["daily 8am water the plants", "FREQ=DAILY;BYHOUR=8;BYMINUTE=0", 2],
    ["täglich 7:30 Post", "FREQ=DAILY;BYHOUR=7;BYMINUTE=30", 2],
    ["jeden Tag 18 Uhr Feierabend", "FREQ=DAILY;BYHOUR=18;BYMINUTE=0", 4],
    ["every day at the office", "FREQ=DAILY;BYHOUR=9;BYMINUTE=0", 2],
    ["every month on the 1st 9am rent", "FREQ=MONTHLY;BYMONTHDAY=1;BYHOUR=9;BYMINUTE=0", 6],
    ["jeden Monat am 15. 9 Uhr Miete", "FREQ=MONTHLY;BYMONTHDAY=15;BYHOUR=9;BYMINUTE=0", 6],
    ["every friday at 2pm wrap up", "FREQ=WEEKLY;BYDAY=FR;BYHOUR=14;BYMINUTE=0", 4],
    ["every first monday of the month plan", "FREQ=MONTHLY;BYDAY=1MO;BYHOUR=9;BYMINUTE=0", 6],
    ["jeden ersten Montag im Monat um 10 Plenum", "FREQ=MONTHLY;BYDAY=1MO;BYHOUR=10;BYMINUTE=0", 7],
    ["every last friday 16:00 drinks", "FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=16;BYMINUTE=0", 4],
    ["letzten Freitag im Monat 16 Uhr Abrechnung", "FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=16;BYMINUTE=0", 6],
    ["every 15 minutes stretch", "FREQ=MINUTELY;INTERVAL=15", 3],
    ["alle 15 Minuten trinken", "FREQ=MINUTELY;INTERVAL=15", 3],
    ["stündlich lüften", "FREQ=HOURLY", 1],
    ["jeden Abend Tür abschließen", "FREQ=DAILY;BYHOUR=19;BYMINUTE=0", 2],
    ["montags bis freitags um halb 9 Kaffee", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=8;BYMINUTE=30", 6],
    ["jedes Jahr am 24.12. Geschenke", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24;BYHOUR=9;BYMINUTE=0", 4],
    ["0 9 * * 1-5 standup", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0", 5],
  ] as const)("%s", (line, rrule, consumed) => {
    const rule = parseFriendlyRule(line.split(" "));
    expect(rule && rruleText(rule.recurrence.pattern)).toBe(rrule);
    expect(rule?.consumed).toBe(consumed);
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

  it("refuses times that are not on a clock instead of taking 9:00", () => {
    expect(compileRule("every day 25:00", berlin, now)).toBeUndefined();
    expect(compileRule("every day 9:60", berlin, now)).toBeUndefined();
    expect(compileRule("0 25 * * *", berlin, now)).toBeUndefined();
  });
});

describe("cron expressions as RRULEs", () => {
  it.each([
    ["0 9 * * 1-5", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0"],
    ["*/15 * * * *", "FREQ=HOURLY;BYMINUTE=0,15,30,45"],
    ["30 2 * * *", "FREQ=DAILY;BYHOUR=2;BYMINUTE=30"],
    ["0 9 L * *", "FREQ=DAILY;BYMONTHDAY=-1;BYHOUR=9;BYMINUTE=0"],
    ["0 9 * * 5#2", "FREQ=MONTHLY;BYDAY=2FR;BYHOUR=9;BYMINUTE=0"],
    ["0 16 * * 5L", "FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=16;BYMINUTE=0"],
    ["0 9 * * 0,7", "FREQ=DAILY;BYDAY=SU;BYHOUR=9;BYMINUTE=0"],
    ["0 8 1 jan,jul *", "FREQ=DAILY;BYMONTH=1,7;BYMONTHDAY=1;BYHOUR=8;BYMINUTE=0"],
  ])("%s -> %s", (cron, rrule) => {
    const pattern = cronToPattern(cron);
    expect(typeof pattern === "string" ? pattern : rruleText(pattern)).toBe(rrule);
  });

  it("refuses what is not cron, and day-of-month with day-of-week (cron ORs them; RRULE cannot)", () => {
    for (const bad of [
      "0 25 * * *",
      "60 9 * * *",
      "0 9 32 * *",
      "0 9 * 13 *",
      "0 9 * * 8",
      "0 9 * *",
      "x y z a b",
    ]) {
      expect(cronToPattern(bad), bad).toBe("invalid");
    }
    expect(cronToPattern("0 9 1 * 1")).toBe("unsupported");
  });

  it("reads its own RRULEs back", () => {
    for (const text of [
      "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;BYHOUR=9;BYMINUTE=0;WKST=MO",
      "FREQ=MONTHLY;BYDAY=-1FR;BYHOUR=16;BYMINUTE=0",
    ]) {
      const pattern = parseRRule(text);
      expect(pattern && rruleText(pattern)).toBe(text);
    }
    expect(parseRRule("FREQ=SOMETIMES")).toBeUndefined();
    expect(parseRRule("FREQ=DAILY;BYHOUR=24")).toBeUndefined();
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
    const rule = parseFriendlyRule("every 2 weeks on friday".split(" "));
    if (!rule) throw new Error("no rule");
    expect(anchorRule(rule.recurrence, berlin, now).dtstart).toBe("20261127T090000");
  });

  it("first Monday and last Friday of the month", () => {
    expect(occurrences("every first monday of the month at 8", 3)).toEqual([
      "2026-12-07T07:00:00.000Z",
      "2027-01-04T07:00:00.000Z",
      "2027-02-01T07:00:00.000Z",
    ]);
    expect(occurrences("every last friday 16:00", 3)).toEqual([
      "2026-11-27T15:00:00.000Z",
      "2026-12-25T15:00:00.000Z",
      "2027-01-29T15:00:00.000Z",
    ]);
  });

  it("every 15 minutes runs at the quarter hours", () => {
    expect(occurrences("every 15 minutes", 3, new Date("2026-11-21T12:07:00Z"))).toEqual([
      "2026-11-21T12:15:00.000Z",
      "2026-11-21T12:30:00.000Z",
      "2026-11-21T12:45:00.000Z",
    ]);
  });

  it("keeps 9:00 at 9:00 across both 2027 DST changes (07:00 UTC in summer, 08:00 UTC in winter)", () => {
    expect(occurrences("every day 9:00", 4, new Date("2027-03-26T12:00:00Z"))).toEqual([
      "2027-03-27T08:00:00.000Z",
      "2027-03-28T07:00:00.000Z",
      "2027-03-29T07:00:00.000Z",
      "2027-03-30T07:00:00.000Z",
    ]);
    expect(occurrences("every day 9:00", 3, new Date("2027-10-29T12:00:00Z"))).toEqual([
      "2027-10-30T07:00:00.000Z",
      "2027-10-31T08:00:00.000Z",
      "2027-11-01T08:00:00.000Z",
    ]);
  });

  it("a 02:30 rule fires at 03:30 summer time on the spring-forward day, and once on the fall-back day", () => {
    expect(occurrences("30 2 * * *", 3, new Date("2027-03-26T12:00:00Z"))).toEqual([
      "2027-03-27T01:30:00.000Z", // 02:30 CET
      "2027-03-28T01:30:00.000Z", // 02:30 does not exist: 03:30 CEST
      "2027-03-29T00:30:00.000Z", // 02:30 CEST
    ]);
    expect(occurrences("30 2 * * *", 3, new Date("2027-10-29T12:00:00Z"))).toEqual([
      "2027-10-30T00:30:00.000Z",
      "2027-10-31T00:30:00.000Z", // the first 02:30 (CEST), not the second
      "2027-11-01T01:30:00.000Z",
    ]);
  });

  it("every 15 minutes steps in real time through both DST nights", () => {
    expect(occurrences("every 15 minutes", 5, new Date("2027-03-28T00:20:00Z"))).toEqual([
      "2027-03-28T00:30:00.000Z", // 01:30 CET
      "2027-03-28T00:45:00.000Z",
      "2027-03-28T01:00:00.000Z", // 03:00 CEST
      "2027-03-28T01:15:00.000Z",
      "2027-03-28T01:30:00.000Z",
    ]);
    const autumn = occurrences("every 15 minutes", 8, new Date("2027-10-31T00:20:00Z"));
    expect(autumn).toEqual([
      "2027-10-31T00:30:00.000Z", // 02:30 CEST
      "2027-10-31T00:45:00.000Z",
      "2027-10-31T01:00:00.000Z", // 02:00 CET: the hour comes again
      "2027-10-31T01:15:00.000Z",
      "2027-10-31T01:30:00.000Z",
      "2027-10-31T01:45:00.000Z",
      "2027-10-31T02:00:00.000Z",
      "2027-10-31T02:15:00.000Z",
    ]);
  });

  it("evaluates in other zones too", () => {
    expect(occurrences("every weekday 9:00", 1, now, "America/New_York")).toEqual([
      "2026-11-23T14:00:00.000Z",
    ]);
    expect(occurrences("every weekday 9:00", 1, now, "Asia/Tokyo")).toEqual(["2026-11-23T00:00:00.000Z"]);
  });
});

describe("rules stored before RRULEs keep working", () => {
  it("reads a legacy cron row as the same schedule", () => {
    const parsed = storedRecurrenceSchema.parse({ rule: "every weekday 9:00", cron: "0 9 * * 1-5" });
    expect(parsed.rrule).toBe("FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=9;BYMINUTE=0");
    expect(series(parsed, 2, now)).toEqual(["2026-11-23T08:00:00.000Z", "2026-11-24T08:00:00.000Z"]);
  });

  it("keeps the week of an every-2-weeks rule from its anchor", () => {
    const legacy = {
      rule: "every 2 weeks on friday",
      cron: "0 9 * * 5",
      everyWeeks: 2,
      anchor: "2026-11-27",
    };
    const parsed = storedRecurrenceSchema.parse(legacy);
    expect(parsed).toEqual(fromLegacy(legacy));
    expect(parsed.dtstart).toBe("20261127T090000");
    // From a Saturday in the "off" week the next one is still two weeks after an anchored Friday.
    expect(series(parsed, 2, new Date("2026-12-05T12:00:00Z"))).toEqual([
      "2026-12-11T08:00:00.000Z",
      "2026-12-25T08:00:00.000Z",
    ]);
  });

  it("reads current rows as they are and refuses broken ones", () => {
    const current = {
      rule: "jeden Montag um 8",
      rrule: "FREQ=WEEKLY;BYDAY=MO;BYHOUR=8;BYMINUTE=0",
      dtstart: "20261123T080000",
    };
    expect(storedRecurrenceSchema.parse(current)).toEqual(current);
    expect(storedRecurrenceSchema.safeParse({ rule: "x", cron: "not cron" }).success).toBe(false);
    expect(
      storedRecurrenceSchema.safeParse({ rule: "x", rrule: "FREQ=NEVER", dtstart: "20261123T080000" })
        .success,
    ).toBe(false);
  });

  it("compiles an RRULE with its own DTSTART as given", () => {
    const stored = compileRule("DTSTART:20261204T090000\nRRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=FR", berlin, now);
    expect(stored?.dtstart).toBe("20261204T090000");
    expect(stored && series(stored, 2, now)).toEqual([
      "2026-12-04T08:00:00.000Z",
      "2026-12-18T08:00:00.000Z",
    ]);
  });
});
