import * as chrono from "chrono-node";
import { DateTime, Duration } from "luxon";
import type { Language } from "./time.ts";

export interface ParsedWhen {
  at: Date;
  /** Only a date was given ("Friday", "05.03."): `at` is that day's midnight in the zone. */
  allDay: boolean;
}

export type WhenError = "unparseable" | "ambiguous" | "past";

export interface WhenContext {
  lang: Language;
  timeZone: string;
  now: Date;
}

/** Time phrases are read in German and English, whatever language a member reads. */
const parsers = { de: chrono.de.casual, en: chrono.en.GB } as const;

/** German day-first dates, which chrono reads only partly: "05.03.", "5.3.2027 10:00", "05.03. 10 Uhr". */
const germanDate =
  /^(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})?(?:[ ,]+(?:um\s+)?(\d{1,2})(?::(\d{2}))?(?:\s*uhr)?)?$/i;

/**
 * Reads a date or time as people type it, in German or English, in the member's zone.
 * The member's language is tried first, then the other. The whole text must be a date:
 * "tomorrow blah" is unparseable rather than silently "tomorrow".
 */
export function parseWhen(input: string, ctx: WhenContext): ParsedWhen | WhenError {
  const text = input.trim().replace(/\s+/g, " ");
  if (text === "") return "unparseable";
  const zone = ctx.timeZone;
  const now = DateTime.fromJSDate(ctx.now, { zone });

  const iso = DateTime.fromISO(text, { zone }).isValid
    ? DateTime.fromISO(text, { zone })
    : DateTime.fromSQL(text, { zone });
  if (iso.isValid) {
    const allDay = /^\d{4}-\d{2}-\d{2}$/.test(text);
    return future({ at: iso.toJSDate(), allDay }, ctx);
  }

  const german = germanDate.exec(text);
  if (german) {
    const [, day, month, yearText, hour, minute] = german;
    const year = yearText ? Number(yearText.length === 2 ? `20${yearText}` : yearText) : now.year;
    const build = (y: number) =>
      DateTime.fromObject(
        {
          year: y,
          month: Number(month),
          day: Number(day),
          hour: Number(hour ?? 0),
          minute: Number(minute ?? 0),
        },
        { zone },
      );
    let dt = build(year);
    if (!dt.isValid) return "unparseable";
    // Without a year, a date that has passed this year means next year.
    if (!yearText && dt.endOf(hour ? "minute" : "day") < now) dt = build(year + 1);
    return future({ at: dt.toJSDate(), allDay: hour === undefined }, ctx);
  }

  const order = ctx.lang === "de" ? (["de", "en"] as const) : (["en", "de"] as const);
  const reference = { instant: ctx.now, timezone: now.offset };
  let ambiguous = false;
  for (const lang of order) {
    const results = parsers[lang].parse(text, reference, { forwardDate: true });
    const first = results[0];
    if (!first) continue;
    if (results.length > 1) ambiguous = true;
    if (results.length > 1 || first.text.length < text.length - 1) continue;
    const start = first.start;
    const relative = [...first.tags()].some((tag) => tag.startsWith("result/relativeDate"));
    if (relative) return future({ at: start.date(), allDay: false }, ctx);
    const allDay = !start.isCertain("hour");
    // Rebuild the wall-clock time in the IANA zone: chrono only knows today's offset,
    // which is wrong for dates on the other side of a daylight-saving change.
    const dt = DateTime.fromObject(
      {
        year: start.get("year") ?? now.year,
        month: start.get("month") ?? now.month,
        day: start.get("day") ?? now.day,
        hour: allDay ? 0 : (start.get("hour") ?? 0),
        minute: allDay ? 0 : (start.get("minute") ?? 0),
      },
      { zone },
    );
    if (!dt.isValid) return "unparseable";
    return future({ at: dt.toJSDate(), allDay }, ctx);
  }
  return ambiguous ? "ambiguous" : "unparseable";
}

function future(parsed: ParsedWhen, ctx: WhenContext): ParsedWhen | WhenError {
  const end = parsed.allDay
    ? DateTime.fromJSDate(parsed.at, { zone: ctx.timeZone }).endOf("day").toJSDate()
    : parsed.at;
  return end.getTime() < ctx.now.getTime() ? "past" : parsed;
}

/** Durations as typed: "90", "90m", "2h", "1h30", "1:30", "2 Stunden", "30 min", "1d", ISO "PT2H". */
export function parseDuration(input: string): Duration | undefined {
  const text = input.trim().toLowerCase().replace(/\s+/g, "");
  if (/^p/i.test(text)) {
    const iso = Duration.fromISO(text.toUpperCase());
    return iso.isValid && iso.as("milliseconds") > 0 ? iso : undefined;
  }
  const clock = /^(\d{1,3}):(\d{2})$/.exec(text);
  if (clock) return positive(Duration.fromObject({ hours: Number(clock[1]), minutes: Number(clock[2]) }));
  const units: [RegExp, "days" | "hours" | "minutes"][] = [
    [/^(\d{1,4})(?:d|t|tage?|days?)/, "days"],
    [/^(\d{1,4})(?:h|std|stunden?|hours?|hrs?)/, "hours"],
    [/^(\d{1,5})(?:m|min|minuten?|minutes?|mins?)?$/, "minutes"],
  ];
  let rest = text;
  const values: Record<string, number> = {};
  while (rest !== "") {
    const match = units.find(([re]) => re.test(rest));
    if (!match) {
      // "1h30": trailing bare number after hours means minutes.
      if (/^\d{1,2}$/.test(rest) && values.hours !== undefined) {
        values.minutes = Number(rest);
        break;
      }
      return undefined;
    }
    const [re, unit] = match;
    const m = re.exec(rest);
    if (!m) return undefined;
    if (values[unit] !== undefined) return undefined;
    values[unit] = Number(m[1]);
    rest = rest.slice(m[0].length);
  }
  return positive(Duration.fromObject(values));
}

function positive(d: Duration): Duration | undefined {
  return d.isValid && d.as("milliseconds") > 0 ? d : undefined;
}

/** Words that belong to a time even when the time reads the same without them ("9 Uhr"). */
const timeWord = /^(uhr|h|am|pm|a\.m\.|p\.m\.|o'clock|oclock|morgens|abends|nachmittags|vormittags|\d.*)$/i;

const connector = /^(or|oder|and|und|bzw\.?|bis|to|\/|-|–)$/i;

export interface SplitWhen {
  when: ParsedWhen;
  /** How many leading words the date used; the rest is the text. */
  consumed: number;
}

/**
 * Splits a leading date expression off a list of words ("tomorrow 9:00 call the office",
 * "morgen 9 Uhr Akten holen"): the longest prefix that reads as a date wins, and at least
 * `keep` words are left for the text. A quoted date arrives as one word. Returns the
 * reason when no prefix is a usable date: "past" as soon as a prefix reads as a past date
 * (no shorter prefix is tried then), "ambiguous" if some prefix could mean several dates,
 * else "unparseable".
 */
export function splitWhen(words: readonly string[], ctx: WhenContext, keep = 1): SplitWhen | WhenError {
  const longest = Math.min(words.length - keep, 8);
  let ambiguous = false;
  for (let n = longest; n >= 1; n--) {
    const parsed = parseWhen(words.slice(0, n).join(" "), ctx);
    if (typeof parsed !== "string") {
      // The parser forgives a trailing letter or two ("morgen 9 Uhr Amt"): keep the
      // shortest prefix that still means the same instant, so no word of the text is lost.
      let consumed = n;
      while (consumed > 1 && !timeWord.test(words[consumed - 1] ?? "")) {
        const shorter = parseWhen(words.slice(0, consumed - 1).join(" "), ctx);
        if (typeof shorter === "string" || shorter.at.getTime() !== parsed.at.getTime()) break;
        if (shorter.allDay !== parsed.allDay) break;
        consumed--;
      }
      // "tomorrow or friday …", "Montag und Dienstag …": two dates, not one date and a text.
      if (connector.test(words[consumed] ?? "")) {
        for (let m = Math.min(4, words.length - consumed - 1); m >= 1; m--) {
          const other = parseWhen(words.slice(consumed + 1, consumed + 1 + m).join(" "), ctx);
          if (other !== "unparseable") return "ambiguous";
        }
      }
      return { when: parsed, consumed };
    }
    // "today 8:00 …" at ten: the member meant a date, do not fall back to "today".
    if (parsed === "past") return parsed;
    if (parsed === "ambiguous") ambiguous = true;
  }
  return ambiguous ? "ambiguous" : "unparseable";
}
