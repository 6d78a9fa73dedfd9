import { DateTime } from "luxon";
import cron from "node-cron";
import { z } from "zod";

/**
 * Recurring schedules: cron expressions (validated and expanded by node-cron) and
 * friendly rules in English and German, always evaluated in an IANA zone with luxon.
 *
 * Daylight saving: a local time that does not exist that day (02:30 when clocks spring
 * forward) fires at the shifted instant (03:30 local); a local time that happens twice
 * (02:30 when clocks fall back) fires once, at its first occurrence.
 */
export const storedRecurrenceSchema = z.object({
  /** The rule as the member typed it (for display). */
  rule: z.string(),
  /** A five-field cron expression: minute hour day-of-month month day-of-week. */
  cron: z.string(),
  /** Every N weeks, counted from the week of `anchor` (ISO date). */
  everyWeeks: z.number().int().min(2).max(52).optional(),
  anchor: z.string().optional(),
});
export type StoredRecurrence = z.infer<typeof storedRecurrenceSchema>;

interface Fields {
  minutes: number[];
  hours: number[];
  days: (number | string)[];
  months: number[];
  weekdays: (number | string)[];
  /** Vixie cron: when both day fields are restricted, a day matching either fires. */
  daysRestricted: boolean;
  weekdaysRestricted: boolean;
}

const compiled = new Map<string, Fields>();

/** Is this a five-field cron expression node-cron accepts? */
export function isCron(expression: string): boolean {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) return false;
  try {
    return cron.validate(fields.join(" "));
  } catch {
    return false;
  }
}

function fieldsOf(expression: string): Fields {
  const cached = compiled.get(expression);
  if (cached) return cached;
  const raw = expression.trim().split(/\s+/);
  if (raw.length !== 5 || !isCron(expression)) throw new Error(`not a cron expression: ${expression}`);
  const parsed = cron.parse(raw.join(" "));
  const unrestricted = (f: string | undefined) => f === "*" || f === "?";
  const fields: Fields = {
    minutes: [...parsed.minute].sort((a, b) => a - b),
    hours: [...parsed.hour].sort((a, b) => a - b),
    days: parsed.dayOfMonth,
    months: parsed.month,
    weekdays: parsed.dayOfWeek.map((d) => (d === 7 ? 0 : d)),
    daysRestricted: !unrestricted(raw[2]),
    weekdaysRestricted: !unrestricted(raw[4]),
  };
  compiled.set(expression, fields);
  return fields;
}

function dayMatches(fields: Fields, day: DateTime): boolean {
  if (!fields.months.includes(day.month)) return false;
  const weekday = day.weekday % 7; // luxon: Monday 1 … Sunday 7; cron: Sunday 0
  const domOk = fields.days.some((d) => (d === "L" ? day.day === day.daysInMonth : d === day.day));
  const dowOk = fields.weekdays.some((d) => {
    if (typeof d === "number") return d === weekday;
    const nth = /^(\d)#(\d)$/.exec(d);
    if (nth) return Number(nth[1]) % 7 === weekday && Math.ceil(day.day / 7) === Number(nth[2]);
    const last = /^(\d)L$/.exec(d);
    if (last) return Number(last[1]) % 7 === weekday && day.plus({ weeks: 1 }).month !== day.month;
    return false;
  });
  if (fields.daysRestricted && fields.weekdaysRestricted) return domOk || dowOk;
  return domOk && dowOk;
}

/** Searches at most this many days ahead (covers "29 February on a Monday"). */
const maxDays = 366 * 8;

/**
 * For a local time that happens twice (clocks fall back), luxon picks the later instant:
 * take the earlier one, which reads the same on the wall clock.
 */
function firstOf(at: DateTime): DateTime {
  const before = DateTime.fromMillis(at.toMillis() - 3 * 3_600_000, { zone: at.zone }).offset;
  if (before <= at.offset) return at;
  const earlier = DateTime.fromMillis(at.toMillis() - (before - at.offset) * 60_000, { zone: at.zone });
  const same = earlier.day === at.day && earlier.hour === at.hour && earlier.minute === at.minute;
  return same ? earlier : at;
}

/** The first occurrence of the cron expression strictly after `after`, in `zone`. */
export function nextCronOccurrence(expression: string, zone: string, after: Date): Date | undefined {
  const fields = fieldsOf(expression);
  const start = DateTime.fromJSDate(after, { zone });
  let day = start.startOf("day");
  for (let i = 0; i < maxDays; i++, day = day.plus({ days: 1 })) {
    if (!dayMatches(fields, day)) continue;
    let best: DateTime | undefined;
    for (const hour of fields.hours) {
      for (const minute of fields.minutes) {
        // luxon moves a local time inside a spring-forward gap forward by the gap.
        const at = firstOf(
          DateTime.fromObject({ year: day.year, month: day.month, day: day.day, hour, minute }, { zone }),
        );
        if (at.toMillis() <= after.getTime()) continue;
        if (!best || at < best) best = at;
      }
    }
    if (best) return best.toJSDate();
  }
  return undefined;
}

/** The next occurrence of a stored rule strictly after `after`. */
export function nextOccurrence(recurrence: StoredRecurrence, zone: string, after: Date): Date | undefined {
  let from = after;
  for (let i = 0; i < 60; i++) {
    const next = nextCronOccurrence(recurrence.cron, zone, from);
    if (!next || !recurrence.everyWeeks || !recurrence.anchor) return next;
    const anchorWeek = DateTime.fromISO(recurrence.anchor, { zone }).startOf("week");
    const week = DateTime.fromJSDate(next, { zone }).startOf("week");
    const weeks = Math.round(week.diff(anchorWeek, "weeks").weeks);
    if (weeks >= 0 && weeks % recurrence.everyWeeks === 0) return next;
    from = next;
  }
  return undefined;
}

// ---- friendly rules ----

const weekdayWords: Record<string, number> = {
  sunday: 0,
  sundays: 0,
  sun: 0,
  monday: 1,
  mondays: 1,
  mon: 1,
  tuesday: 2,
  tuesdays: 2,
  tue: 2,
  wednesday: 3,
  wednesdays: 3,
  wed: 3,
  thursday: 4,
  thursdays: 4,
  thu: 4,
  friday: 5,
  fridays: 5,
  fri: 5,
  saturday: 6,
  saturdays: 6,
  sat: 6,
  sonntag: 0,
  sonntags: 0,
  montag: 1,
  montags: 1,
  dienstag: 2,
  dienstags: 2,
  mittwoch: 3,
  mittwochs: 3,
  donnerstag: 4,
  donnerstags: 4,
  freitag: 5,
  freitags: 5,
  samstag: 6,
  samstags: 6,
  sonnabend: 6,
};

const numberWords: Record<string, number> = {
  two: 2,
  three: 3,
  four: 4,
  other: 2,
  second: 2,
  third: 3,
  zwei: 2,
  drei: 3,
  vier: 4,
  zweite: 2,
  zweiten: 2,
  dritte: 3,
  dritten: 3,
};

/** Words that make a rule without "every"/"jeden": "daily 8:00", "werktags 9 Uhr", "montags". */
const selfRecurring = new Set([
  "daily",
  "weekly",
  "monthly",
  "täglich",
  "wöchentlich",
  "monatlich",
  "werktags",
  "wochentags",
  "arbeitstags",
  "weekdays",
  ...Object.keys(weekdayWords).filter((w) => w.endsWith("s") && w.length > 4),
]);

/** Words that carry no meaning in a rule ("every week ON friday AT 9"). */
const filler = new Set(["on", "at", "the", "am", "um", "an", "den", "der", "im", "in", "and", "und", ","]);

export interface FriendlyRule {
  recurrence: Omit<StoredRecurrence, "anchor">;
  /** How many of the given words the rule used; the rest is the reminder's text. */
  consumed: number;
}

function parseTime(words: string[], i: number): { hour: number; minute: number; used: number } | undefined {
  const w = words[i]?.toLowerCase();
  if (!w) return undefined;
  const m = /^(\d{1,2})(?:[:.](\d{2}))?(am|pm|h|uhr)?$/.exec(w);
  if (!m) return undefined;
  let hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  let used = 1;
  let suffix = m[3];
  const next = words[i + 1]?.toLowerCase();
  if (!suffix && (next === "uhr" || next === "am" || next === "pm" || next === "h")) {
    // "10 Uhr", "9 am" (but "am" alone after a time could be German "am": only after a bare hour)
    if (next !== "am" || !m[2]) {
      suffix = next;
      used = 2;
    }
  }
  if (!suffix && !m[2]) return undefined; // a bare number is no time: "every 2 weeks"
  if (suffix === "pm" && hour < 12) hour += 12;
  if (suffix === "am" && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return undefined;
  return { hour, minute, used };
}

/**
 * Reads a friendly rule at the start of `words`: "every weekday 9:00", "daily 8am",
 * "every monday and thursday 10:00", "every 2 weeks on friday", "every month on the 1st",
 * "jeden Montag 10 Uhr", "werktags 9 Uhr", "alle 2 Wochen freitags 14:30",
 * "jeden Monat am 15. 9 Uhr", or a five-field cron expression "0 9 * * 1-5".
 * Without a time, 9:00 is meant.
 */
export function parseFriendlyRule(words: readonly string[]): FriendlyRule | undefined {
  const first5 = words.slice(0, 5);
  if (first5.length === 5 && isCron(first5.join(" "))) {
    return { recurrence: { rule: first5.join(" "), cron: first5.join(" ") }, consumed: 5 };
  }
  const lower = words.map((w) => w.toLowerCase().replace(/,$/, ""));
  let i = 0;
  let everyWeeks: number | undefined;
  let unit: "day" | "weekday" | "week" | "month" | undefined;
  const weekdays = new Set<number>();
  let monthDay: number | undefined;
  let time: { hour: number; minute: number } | undefined;
  const lead = lower[0];
  const leadsWithEvery = lead === "every" || lead === "each" || /^(jede[nrs]?|alle)$/.test(lead ?? "");
  if (leadsWithEvery) i++;
  // A count: "every 2 weeks", "alle 2 Wochen", "every other week", "jede zweite Woche".
  const count = lower[i];
  if (count && (/^\d{1,2}$/.test(count) || numberWords[count] !== undefined)) {
    const n = /^\d+$/.test(count) ? Number(count) : (numberWords[count] ?? 0);
    const unitWord = lower[i + 1] ?? "";
    if (/^(weeks?|wochen?)$/.test(unitWord)) {
      if (n >= 2 && n <= 52) everyWeeks = n;
      else if (n !== 1) return undefined;
      unit = "week";
      i += 2;
    }
  }
  for (; i < lower.length; i++) {
    const w = lower[i] ?? "";
    if (filler.has(w)) continue;
    if (/^(day|days|daily|tag|tage|täglich)$/.test(w) && !unit) unit = "day";
    else if (/^(weekday|weekdays|werktag|werktags|wochentag|wochentags|arbeitstag|arbeitstags)$/.test(w))
      unit = "weekday";
    else if (/^(week|weekly|woche|wöchentlich)$/.test(w) && !unit) unit = "week";
    else if (/^(month|monthly|monat|monatlich)$/.test(w) && !unit) unit = "month";
    else if (weekdayWords[w] !== undefined) {
      weekdays.add(weekdayWords[w] ?? 0);
      unit ??= "week";
    } else if (unit === "month" && monthDay === undefined && /^(\d{1,2})(st|nd|rd|th|\.)$/.test(w)) {
      monthDay = Number(/^(\d{1,2})/.exec(w)?.[1]);
      if (monthDay < 1 || monthDay > 31) return undefined;
    } else if (
      unit === "month" &&
      monthDay === undefined &&
      w === "day" &&
      /^\d{1,2}$/.test(lower[i + 1] ?? "")
    ) {
      monthDay = Number(lower[i + 1]);
      i++;
    } else {
      const t = time ? undefined : parseTime(lower, i);
      if (!t) break;
      time = { hour: t.hour, minute: t.minute };
      i += t.used - 1;
    }
  }
  // Trailing filler words belong to the text ("every day at" is odd, but "…9:00 an" is not ours).
  while (i > 0 && filler.has(lower[i - 1] ?? "")) i--;
  if (!leadsWithEvery && !selfRecurring.has(lead ?? "")) return undefined;
  if (!unit) return undefined;
  const { hour, minute } = time ?? { hour: 9, minute: 0 };
  let dom = "*";
  let dow = "*";
  if (unit === "weekday") dow = "1-5";
  else if (unit === "week") {
    if (weekdays.size === 0) return undefined;
    dow = [...weekdays].sort((a, b) => a - b).join(",");
  } else if (unit === "month") {
    dom = String(monthDay ?? 1);
  }
  if (unit !== "week") everyWeeks = undefined;
  const consumed = i;
  const rule = words.slice(0, consumed).join(" ");
  const recurrence: FriendlyRule["recurrence"] = { rule, cron: `${minute} ${hour} ${dom} * ${dow}` };
  if (everyWeeks) recurrence.everyWeeks = everyWeeks;
  return { recurrence, consumed };
}

/** A rule ready to store: friendly or cron, with its anchor for "every N weeks". */
export function compileRule(rule: string, zone: string, now: Date): StoredRecurrence | undefined {
  const words = rule.trim().split(/\s+/);
  const parsed = parseFriendlyRule(words);
  if (!parsed || parsed.consumed !== words.length) return undefined;
  return anchorRule(parsed.recurrence, zone, now);
}

/** Sets the anchor of an "every N weeks" rule to the week of its first occurrence. */
export function anchorRule(
  recurrence: Omit<StoredRecurrence, "anchor">,
  zone: string,
  now: Date,
): StoredRecurrence {
  if (!recurrence.everyWeeks) return { ...recurrence };
  const first = nextCronOccurrence(recurrence.cron, zone, now) ?? now;
  return { ...recurrence, anchor: DateTime.fromJSDate(first, { zone }).toISODate() ?? undefined };
}
