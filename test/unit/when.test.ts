import { describe, expect, it } from "vitest";
import type { Language } from "../../src/core/time.ts";
import { type ParsedWhen, parseWhen, splitWhen } from "../../src/core/when.ts";

// Saturday 21 November 2026, 13:00 in Berlin.
const now = new Date("2026-11-21T12:00:00Z");
const ctx = (lang: Language, timeZone = "Europe/Berlin") => ({ lang, timeZone, now });

function at(input: string, lang: Language, zone?: string): string {
  const parsed = parseWhen(input, ctx(lang, zone));
  if (typeof parsed === "string") return parsed;
  return `${parsed.at.toISOString()}${parsed.allDay ? " all-day" : ""}`;
}

describe("parseWhen: the examples, in German and English", () => {
  it.each([
    ["morgen 9 Uhr", "de", "2026-11-22T08:00:00.000Z"],
    ["nächsten Donnerstag 14:30", "de", "2026-11-26T13:30:00.000Z"],
    ["in 2 Stunden", "de", "2026-11-21T14:00:00.000Z"],
    ["tomorrow 9am", "en", "2026-11-22T08:00:00.000Z"],
    ["next friday 14:00", "en", "2026-11-27T13:00:00.000Z"],
    ["05.03. 10:00", "de", "2027-03-05T09:00:00.000Z"],
    ["2026-12-01 18:00", "en", "2026-12-01T17:00:00.000Z"],
    ["2026-12-01 18:00", "de", "2026-12-01T17:00:00.000Z"],
    ["in 2h", "en", "2026-11-21T14:00:00.000Z"],
  ] as const)("%s (%s) -> %s", (input, lang, expected) => {
    expect(at(input, lang)).toBe(expected);
  });

  it("reads either language whatever the member's language is", () => {
    expect(at("morgen 9 Uhr", "en")).toBe("2026-11-22T08:00:00.000Z");
    expect(at("tomorrow 9am", "de")).toBe("2026-11-22T08:00:00.000Z");
  });

  it("reads 05.03. as 5 March (German order), next year when it has passed", () => {
    expect(at("05.03.", "de")).toBe("2027-03-04T23:00:00.000Z all-day");
    expect(at("05.03. 10 Uhr", "en")).toBe("2027-03-05T09:00:00.000Z");
  });

  it("interprets wall-clock times in the member's zone, across a DST change", () => {
    expect(at("2026-12-01 18:00", "en", "America/New_York")).toBe("2026-12-01T23:00:00.000Z");
    // 1 April 2027 is summer time in Berlin (UTC+2) although today is winter time.
    expect(at("01.04.2027 10:00", "de")).toBe("2027-04-01T08:00:00.000Z");
  });

  it("rejects the past, garbage and empty input", () => {
    expect(at("heute 8:00", "de")).toBe("past");
    expect(at("yesterday 10:00", "en")).toBe("past");
    expect(at("2020-01-01 10:00", "en")).toBe("past");
    for (const garbage of ["", "   ", "blah", "asdf qwer", "32.13.", "tomorrow blah", "🙂", "99:99"]) {
      expect(at(garbage, "en")).toBe("unparseable");
    }
  });
});

describe("splitWhen: a leading date, then the text", () => {
  const split = (line: string, lang: Language = "en") => {
    const result = splitWhen(line.split(" "), ctx(lang));
    if (typeof result === "string") return result;
    const when: ParsedWhen = result.when;
    return { at: when.at.toISOString(), text: line.split(" ").slice(result.consumed).join(" ") };
  };

  it.each([
    ["tomorrow 9:00 call the office", "en", "2026-11-22T08:00:00.000Z", "call the office"],
    ["morgen 9 Uhr Amt anrufen", "de", "2026-11-22T08:00:00.000Z", "Amt anrufen"],
    [
      "nächsten Donnerstag 14:30 Teamrunde vorbereiten",
      "de",
      "2026-11-26T13:30:00.000Z",
      "Teamrunde vorbereiten",
    ],
    ["in 2 Stunden Pause machen", "de", "2026-11-21T14:00:00.000Z", "Pause machen"],
    ["tomorrow 9am bring keys", "en", "2026-11-22T08:00:00.000Z", "bring keys"],
    ["next friday 14:00 send the report", "en", "2026-11-27T13:00:00.000Z", "send the report"],
    ["05.03. 10:00 Arzttermin", "de", "2027-03-05T09:00:00.000Z", "Arzttermin"],
    ["2026-12-01 18:00 Weihnachtsfeier", "de", "2026-12-01T17:00:00.000Z", "Weihnachtsfeier"],
  ] as const)("%s", (line, lang, expected, text) => {
    expect(split(line, lang)).toEqual({ at: expected, text });
  });

  it("keeps at least one word of text", () => {
    // "tomorrow" is the date (a whole day: midnight in Berlin), "9:00" is left as the text.
    expect(split("tomorrow 9:00")).toEqual({ at: "2026-11-21T23:00:00.000Z", text: "9:00" });
  });

  it("calls two dates joined by or/and ambiguous instead of taking the first", () => {
    expect(split("tomorrow or friday call")).toBe("ambiguous");
    expect(split("morgen oder übermorgen anrufen", "de")).toBe("ambiguous");
    expect(split("friday 10:00 or monday 11:00 meet")).toBe("ambiguous");
    expect(split("monday and tuesday 9:00 standup")).toBe("ambiguous");
    // A text that merely starts with "and" stays a text.
    expect(split("tomorrow 9:00 and bring cake")).toEqual({
      at: "2026-11-22T08:00:00.000Z",
      text: "and bring cake",
    });
  });

  it("says why when there is no usable date", () => {
    expect(split("call the office")).toBe("unparseable");
    expect(split("heute 8:00 Bericht", "de")).toBe("past");
    expect(split("")).toBe("unparseable");
  });

  it("takes a quoted date as one word", () => {
    const result = splitWhen(["next friday 14:00", "report"], ctx("en"));
    expect(typeof result === "string" ? result : result.consumed).toBe(1);
  });
});
