import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  type CalendarDate,
  calendarDate,
  calendarDateSchema,
  dateOf,
  daysBetween,
  endOfDate,
  formatCalendarDate,
  instantOfDate,
  isCalendarDate,
  startOfDate,
  wallClock,
} from "../../src/core/when/calendar-date.ts";

const date = (text: string) => calendarDateSchema.parse(text);

describe("calendar dates", () => {
  it("are real days written YYYY-MM-DD", () => {
    expect(isCalendarDate("2026-12-04")).toBe(true);
    for (const bad of ["2026-02-30", "2026-13-01", "4.12.2026", "2026-12-4", "12025-01-01", ""]) {
      expect(isCalendarDate(bad), bad).toBe(false);
    }
    expect(calendarDate(2028, 2, 29)).toBe("2028-02-29");
    expect(calendarDate(2027, 2, 29)).toBeUndefined();
    expect(calendarDate(12025, 1, 1)).toBeUndefined();
    expect(calendarDateSchema.safeParse("2026-02-30").success).toBe(false);
  });

  it("count days and months on the calendar, not in hours", () => {
    expect(addDays(date("2027-03-27"), 1)).toBe("2027-03-28");
    expect(addDays(date("2026-12-31"), 1)).toBe("2027-01-01");
    expect(addMonths(date("2027-01-31"), 1)).toBe("2027-02-28");
    expect(daysBetween(date("2027-03-27"), date("2027-03-29"))).toBe(2);
  });

  it("name the same day for every member: Friday 4 December is the 4th in New York and in Tokyo", () => {
    const friday = date("2026-12-04");
    expect(formatCalendarDate(friday, "en")).toBe("Fri, 4 Dec 2026");
    expect(formatCalendarDate(friday, "de")).toBe("Fr., 4. Dez. 2026");
    // The date a Tokyo member means by "20.12." stays the 20th, whatever zone turns it into an instant.
    const start = startOfDate(date("2026-12-20"), "Asia/Tokyo");
    expect(start.toISOString()).toBe("2026-12-19T15:00:00.000Z");
    expect(dateOf(start, "Asia/Tokyo")).toBe("2026-12-20");
  });
});

/** The README's table: what a bare date means where an instant is needed. */
describe("a bare date where an instant is needed", () => {
  const cases: [string, CalendarDate, "until" | "due" | "remind" | "start", string][] = [
    ["Europe/Berlin", date("2026-11-27"), "until", "2026-11-27T23:00:00.000Z"],
    ["Europe/Berlin", date("2026-11-27"), "due", "2026-11-27T23:00:00.000Z"],
    ["Europe/Berlin", date("2026-11-27"), "remind", "2026-11-27T08:00:00.000Z"],
    ["Europe/Berlin", date("2026-11-27"), "start", "2026-11-26T23:00:00.000Z"],
    ["America/New_York", date("2026-11-27"), "until", "2026-11-28T05:00:00.000Z"],
    ["America/New_York", date("2026-11-27"), "remind", "2026-11-27T14:00:00.000Z"],
    ["Asia/Tokyo", date("2026-11-27"), "due", "2026-11-27T15:00:00.000Z"],
    // 28 March 2027 has 23 hours in Berlin; 31 October 2027 has 25.
    ["Europe/Berlin", date("2027-03-28"), "until", "2027-03-28T22:00:00.000Z"],
    ["Europe/Berlin", date("2027-03-28"), "remind", "2027-03-28T07:00:00.000Z"],
    ["Europe/Berlin", date("2027-10-31"), "start", "2027-10-30T22:00:00.000Z"],
    ["Europe/Berlin", date("2027-10-31"), "until", "2027-10-31T23:00:00.000Z"],
  ];
  it.each(cases)("%s %s %s -> %s", (zone, day, use, expected) => {
    expect(instantOfDate(day, use, zone).toISOString()).toBe(expected);
  });

  it("reminds at the team's own morning hour", () => {
    expect(
      instantOfDate(date("2026-11-27"), "remind", "Europe/Berlin", { hour: 8, minute: 30 }).toISOString(),
    ).toBe("2026-11-27T07:30:00.000Z");
  });

  it("the end of a day is the start of the next, across DST", () => {
    expect(endOfDate(date("2027-03-27"), "Europe/Berlin")).toEqual(
      startOfDate(date("2027-03-28"), "Europe/Berlin"),
    );
  });
});

describe("wall-clock times on DST days", () => {
  it("moves a time in the spring gap forward and takes the first of a doubled time", () => {
    expect(wallClock(date("2027-03-28"), 2, 30, "Europe/Berlin").toISOString()).toBe(
      "2027-03-28T01:30:00.000Z",
    );
    expect(wallClock(date("2027-10-31"), 2, 30, "Europe/Berlin").toISOString()).toBe(
      "2027-10-31T00:30:00.000Z",
    );
    expect(wallClock(date("2027-10-31"), 3, 0, "Europe/Berlin").toISOString()).toBe(
      "2027-10-31T02:00:00.000Z",
    );
  });
});
