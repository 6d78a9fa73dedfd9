import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { Language } from "../../src/core/time.ts";
import { canonicalText, type ReadContext, readWhen, readWhenText } from "../../src/core/when/index.ts";

// Wednesday 25 November 2026, 10:00 in Berlin.
const now = new Date("2026-11-25T09:00:00Z");
const ctx = (lang: Language = "de", extra: Partial<ReadContext> = {}): ReadContext => ({
  now,
  timeZone: "Europe/Berlin",
  lang,
  ...extra,
});
const words = (text: string) => text.split(" ");

describe("the reader never misreads silently", () => {
  it("says which word after the date belongs to a time it could not place", () => {
    const read = readWhen(words("morgen Uhr Akten"), ctx());
    expect(read).toMatchObject({ kind: "error", reason: "timeWordLeft", word: "Uhr", text: "morgen" });
  });

  it("takes a clock time found in the text after a bare date as the time that was meant, and suggests the order", () => {
    const read = readWhen(words("morgen Akten um 9 holen"), ctx());
    expect(read).toMatchObject({
      kind: "error",
      reason: "timeWordLeft",
      word: "um 9",
      suggestion: "morgen um 9 Akten holen",
    });
    // A quoted text is the member's own words: left alone.
    expect(readWhen(["morgen", "Akten um 9 holen"], ctx())).toMatchObject({
      kind: "when",
      rest: ["Akten um 9 holen"],
    });
  });

  it("keeps day words, articles and numbers that start the text", () => {
    expect(readWhen(words("morgen am Bahnhof Tickets kaufen"), ctx())).toMatchObject({
      kind: "when",
      text: "morgen",
      rest: words("am Bahnhof Tickets kaufen"),
    });
    expect(readWhen(words("Freitag drei Ordner holen"), ctx())).toMatchObject({ kind: "when", consumed: 1 });
  });

  it("suggests tomorrow at the same time for a time that has passed today, in the member's language", () => {
    expect(readWhen(words("heute 8:00 Bericht"), ctx("de"))).toMatchObject({
      kind: "error",
      reason: "past",
      suggestion: "26.11.2026 08:00",
    });
    expect(readWhen(words("today 8am report"), ctx("en"))).toMatchObject({
      kind: "error",
      reason: "past",
      suggestion: "2026-11-26 08:00",
    });
  });

  it("asks instead of guessing, and every choice lies ahead", () => {
    for (const phrase of [
      "nächsten Freitag",
      "next friday",
      "um 8",
      "morgen halb 3",
      "4/1",
      "12.12",
      "Mittwoch 14 Uhr",
      "in 8 Tagen",
    ]) {
      const read = readWhen(words(phrase), ctx());
      expect(read.kind, phrase).toBe("question");
      if (read.kind !== "question") continue;
      expect(read.choices.length).toBeGreaterThanOrEqual(2);
      for (const choice of read.choices) {
        if (choice.kind === "instant") expect(choice.at.getTime()).toBeGreaterThan(now.getTime());
        else expect(choice.date >= "2026-11-25").toBe(true);
      }
    }
  });

  it("refuses dates more than ten years ahead with the last allowed day, also for year 12025", () => {
    expect(readWhen(words("1.4.12025"), ctx())).toMatchObject({ kind: "error", reason: "tooFar" });
    expect(readWhen(words("in 11 Jahren"), ctx())).toMatchObject({
      kind: "error",
      reason: "tooFar",
      limit: "2036-11-25",
    });
    expect(readWhen(words("1.4.2030"), ctx("de", { maxYearsAhead: 2 }))).toMatchObject({
      kind: "error",
      reason: "tooFar",
      limit: "2028-11-25",
    });
  });

  it("reads a whole argument only when all of it is a date", () => {
    expect(readWhenText("nächsten Montag 9 Uhr", ctx())).toMatchObject({ kind: "when", consumed: 4 });
    expect(readWhenText("morgen blah", ctx())).toMatchObject({
      kind: "error",
      reason: "unparseable",
      word: "blah",
    });
    expect(readWhenText("", ctx())).toMatchObject({ kind: "error", reason: "unparseable" });
  });

  it("leaves words for the text when asked, and reads a quoted date as one word", () => {
    expect(readWhen(words("morgen Akten"), ctx(), { keep: 1 })).toMatchObject({ kind: "when", consumed: 1 });
    // With one word kept, "9:00" is not read, and a clock time left over is an error, not text.
    expect(readWhen(words("tomorrow 9:00"), ctx(), { keep: 1 })).toMatchObject({
      kind: "error",
      reason: "timeWordLeft",
    });
    expect(readWhen(["next friday 14:00", "report"], ctx())).toMatchObject({ kind: "question", consumed: 1 });
    expect(readWhen(["morgen 9:00", "report"], ctx())).toMatchObject({
      kind: "when",
      consumed: 1,
      rest: ["report"],
    });
  });
});

describe("the team's hours for the parts of the day", () => {
  it("uses the defaults: früh 8, morgens 9, vormittags 10, mittags 12, nachmittags 15, abends 19, nachts 22", () => {
    const hours = ["früh", "morgens", "vormittags", "mittags", "nachmittags", "abends", "nachts"].map(
      (part) => {
        const read = readWhen(["morgen", part], ctx());
        return read.kind === "when" && read.when.kind === "instant"
          ? DateTime.fromJSDate(read.when.at, { zone: "Europe/Berlin" }).hour
          : undefined;
      },
    );
    expect(hours).toEqual([8, 9, 10, 12, 15, 19, 22]);
  });

  it("takes a team's own hours", () => {
    const team = ctx("de", { dayParts: { evening: 18, morning: 8 } });
    const at = (phrase: string) => {
      const read = readWhen(words(phrase), team);
      return read.kind === "when" && read.when.kind === "instant"
        ? DateTime.fromJSDate(read.when.at, { zone: "Europe/Berlin" }).toFormat("HH:mm")
        : read.kind;
    };
    expect(at("heute Abend")).toBe("18:00");
    expect(at("tonight")).toBe("18:00");
    expect(at("morgen Morgen")).toBe("08:00");
    // An explicit time still wins over the part's hour.
    expect(at("morgen abends um 8")).toBe("20:00");
  });

  it("does not call this evening past before the evening", () => {
    const morning = new Date("2026-11-25T05:30:00Z"); // 06:30 in Berlin
    for (const phrase of ["heute Abend", "tonight", "this evening", "heute Nacht"]) {
      const read = readWhen(words(phrase), { ...ctx(), now: morning });
      expect(read.kind, phrase).toBe("when");
    }
  });
});

describe("canonical texts read back to what they say", () => {
  const zones = ["Europe/Berlin", "America/New_York", "Asia/Tokyo"];

  it("for instants and whole days in both languages (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9 * 365 * 24 * 60 }),
        fc.constantFrom(...zones),
        fc.constantFrom<Language>("de", "en"),
        fc.boolean(),
        (minutes, zone, lang, wholeDay) => {
          const at = new Date(now.getTime() + minutes * 60_000);
          const local = DateTime.fromJSDate(at, { zone });
          const when = wholeDay
            ? { kind: "date" as const, date: local.toISODate() as never }
            : { kind: "instant" as const, at };
          const text = canonicalText(when, { lang, timeZone: zone });
          const read = readWhenText(text, { now, timeZone: zone, lang });
          if (read.kind !== "when") return false;
          if (when.kind === "date") return read.when.kind === "date" && read.when.date === when.date;
          // The wall time is what the text says (a doubled hour reads as its first occurrence).
          return (
            read.when.kind === "instant" &&
            DateTime.fromJSDate(read.when.at, { zone }).toFormat("yyyy-MM-dd HH:mm") ===
              local.toFormat("yyyy-MM-dd HH:mm")
          );
        },
      ),
      { numRuns: 300 },
    );
  });
});
