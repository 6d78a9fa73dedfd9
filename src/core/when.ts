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

const parsers: Record<Language, chrono.Chrono> = { de: chrono.de.casual, en: chrono.en.GB };

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

  const order: Language[] = ctx.lang === "de" ? ["de", "en"] : ["en", "de"];
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
