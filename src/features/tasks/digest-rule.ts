import { DateTime, Info } from "luxon";
import type { Language } from "../../core/time.ts";

/** The overdue digest's default: weekdays at 9:00 in the team's zone. */
export const defaultDigestRule = "0 9 * * 1-5";

/** A digest time: minute, hour and weekdays (cron numbering, 0 = Sunday). */
export interface DigestRule {
  minute: number;
  hour: number;
  /** Sorted, unique, 0..6. */
  weekdays: number[];
}

const dayWords: [RegExp, number][] = [
  [/^(mon|monday|mo|montag)$/, 1],
  [/^(tue|tues|tuesday|di|die|dienstag)$/, 2],
  [/^(wed|wednesday|mi|mit|mittwoch)$/, 3],
  [/^(thu|thur|thurs|thursday|do|don|donnerstag)$/, 4],
  [/^(fri|friday|fr|fre|freitag)$/, 5],
  [/^(sat|saturday|sa|sam|samstag|sonnabend)$/, 6],
  [/^(sun|sunday|so|son|sonntag)$/, 0],
];
const everyDay = /^(daily|everyday|every-day|täglich|taeglich|jeden-tag|alle-tage|\*)$/;
const workDays = /^(weekdays|workdays|werktags|wochentags|arbeitstags|mo-fr|mon-fri)$/;

function dayNumber(word: string): number | undefined {
  if (/^[0-7]$/.test(word)) return Number(word) % 7;
  return dayWords.find(([re]) => re.test(word))?.[1];
}

/** "mon-fri", "mo,mi", "1-5", "sat": a set of weekdays, or undefined. */
function parseDays(text: string): number[] | undefined {
  if (everyDay.test(text)) return [0, 1, 2, 3, 4, 5, 6];
  if (workDays.test(text)) return [1, 2, 3, 4, 5];
  const days = new Set<number>();
  for (const part of text.split(",")) {
    const range = part.split("-");
    if (range.length === 1) {
      const d = dayNumber(part);
      if (d === undefined) return undefined;
      days.add(d);
    } else if (range.length === 2) {
      const from = dayNumber(range[0] ?? "");
      const to = dayNumber(range[1] ?? "");
      if (from === undefined || to === undefined) return undefined;
      // Cron ranges may end in 7 (Sunday); "fri-mon" wraps around the week.
      for (let d = from, n = 0; n < 7; d = (d + 1) % 7, n++) {
        days.add(d);
        if (d === to) break;
      }
    } else return undefined;
  }
  return days.size > 0 ? [...days].sort((a, b) => a - b) : undefined;
}

function parseClock(text: string): { hour: number; minute: number } | undefined {
  const m = /^(?:at|um)?\s*(\d{1,2})(?:[:.h](\d{2}))?\s*(?:uhr|h)?$/.exec(text.trim());
  if (!m) return undefined;
  const hour = Number(m[1]);
  const minute = Number(m[2] ?? 0);
  return hour <= 23 && minute <= 59 ? { hour, minute } : undefined;
}

/**
 * Reads a digest time as people type it: "weekdays 9:00", "werktags 8:30", "daily 9",
 * "mo,mi 9 Uhr", "mon-fri at 9", or a cron expression "0 9 * * 1-5" (minute, hour, weekdays).
 */
export function parseDigestRule(input: string): DigestRule | undefined {
  const text = input.trim().toLowerCase().replace(/\s+/g, " ");
  const cron = /^(\d{1,2}) (\d{1,2}) \* \* ([0-7*][0-7,-]*)$/.exec(text);
  if (cron) {
    const minute = Number(cron[1]);
    const hour = Number(cron[2]);
    const weekdays = parseDays(cron[3] ?? "");
    if (minute > 59 || hour > 23 || !weekdays) return undefined;
    return { minute, hour, weekdays };
  }
  const normalized = text
    .replace(/\bevery day\b/, "every-day")
    .replace(/\bjeden tag\b/, "jeden-tag")
    .replace(/\s*([,-])\s*/g, "$1");
  const words = normalized.split(" ");
  for (let cut = 1; cut < words.length; cut++) {
    const weekdays = parseDays(words.slice(0, cut).join(""));
    const clock = parseClock(words.slice(cut).join(" "));
    if (weekdays && clock) return { ...clock, weekdays };
  }
  // Only a time: every weekday at that time.
  const clock = parseClock(normalized);
  return clock ? { ...clock, weekdays: [1, 2, 3, 4, 5] } : undefined;
}

/** The cron expression the scheduler evaluates. */
export function toCron(rule: DigestRule): string {
  return `${rule.minute} ${rule.hour} * * ${compactDays(rule.weekdays, ",")}`;
}

function compactDays(days: number[], sep: string, name: (d: number) => string = String): string {
  if (days.length === 7) return "*";
  const parts: string[] = [];
  let i = 0;
  while (i < days.length) {
    let j = i;
    while (j + 1 < days.length && (days[j + 1] ?? 0) === (days[j] ?? 0) + 1) j++;
    const a = days[i] ?? 0;
    const b = days[j] ?? 0;
    parts.push(j - i >= 2 ? `${name(a)}-${name(b)}` : j > i ? `${name(a)}${sep}${name(b)}` : name(a));
    i = j + 1;
  }
  return parts.join(sep);
}

/** The next time the digest is due after `after`, in the team's zone (wall-clock time kept across DST). */
export function nextOccurrence(rule: DigestRule, zone: string, after: Date): Date {
  const start = DateTime.fromJSDate(after, { zone }).startOf("day");
  for (let d = 0; d <= 8; d++) {
    const day = start.plus({ days: d });
    if (!rule.weekdays.includes(day.weekday % 7)) continue;
    const candidate = day.set({ hour: rule.hour, minute: rule.minute });
    if (candidate.toMillis() > after.getTime()) return candidate.toJSDate();
  }
  throw new Error("digest rule without weekdays");
}

/** "Mon–Fri 09:00" in the reader's language. */
export function describeDigestRule(rule: DigestRule, lang: Language): { days: string; time: string } {
  const names = Info.weekdays("short", { locale: lang === "de" ? "de-DE" : "en-GB" });
  // luxon: index 0 = Monday; cron: 0 = Sunday. List Monday first.
  const mondayFirst = [...rule.weekdays].sort((a, b) => ((a + 6) % 7) - ((b + 6) % 7));
  const dayName = (d: number) => (names[(d + 6) % 7] ?? String(d)).replace(/\.$/, "");
  const days =
    rule.weekdays.length === 7
      ? "*"
      : compactDays(
          mondayFirst.map((d) => (d + 6) % 7),
          ", ",
          (i) => dayName((i + 1) % 7),
        ).replace(/-/g, "–");
  const time = `${String(rule.hour).padStart(2, "0")}:${String(rule.minute).padStart(2, "0")}`;
  return { days, time };
}
