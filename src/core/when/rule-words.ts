import { dayCodes, type Frequency } from "./pattern.ts";
import type { Token } from "./tokens.ts";
import { habitualWeekdays, numberWords, shortWeekdays, weekdays } from "./words.ts";

/** The words of recurring rules ("jeden", "alle 2 Wochen", "werktags", "im Monat"), folded. */
export const leads = new Set("every each jeden jede jedes jeder jedem alle immer".split(" "));
export const ruleFillers = new Set(
  "on at am um the im an des der den dem jeweils und and , in of sowie".split(" "),
);

export const unitFreq: [RegExp, Frequency, number][] = [
  [/^(minute|minuten|minutes|min|mins|minuetlich)$/, "MINUTELY", 1],
  [/^(stunde|stunden|hour|hours|std|stuendlich|hourly)$/, "HOURLY", 1],
  [/^(tag|tage|day|days|taeglich|daily)$/, "DAILY", 1],
  [/^(woche|wochen|week|weeks|woechentlich|weekly)$/, "WEEKLY", 1],
  [/^(biweekly|fortnightly|fortnight|zweiwoechentlich|vierzehntaegig|14-taegig)$/, "WEEKLY", 2],
  [/^(monat|monate|month|months|monatlich|monthly)$/, "MONTHLY", 1],
  [/^(jahr|jahre|year|years|jaehrlich|yearly|annually)$/, "YEARLY", 1],
];
export const workdays = /^(werktags?|wochentags?|arbeitstags?|weekdays?|workdays?)$/;
export const weekend = /^(wochenenden?|weekends?)$/;
export const monthPhrases = [
  "im monat",
  "des monats",
  "jedes monats",
  "eines monats",
  "pro monat",
  "of the month",
  "of each month",
  "of every month",
  "in the month",
  "a month",
].map((p) => p.split(" "));

/** Adverbs that make a rule without "every": "täglich 8 Uhr", "werktags 9:00", "abends". */
export const selfRecurring = new RegExp(
  "^(taeglich|daily|woechentlich|weekly|monatlich|monthly|jaehrlich|yearly|annually|stuendlich|hourly|" +
    "biweekly|fortnightly|zweiwoechentlich|vierzehntaegig|werktags|wochentags|arbeitstags|weekdays|" +
    "morgens|abends|mittags|nachmittags|vormittags|nachts)$",
);

export function weekdayOf(w: string, inList: boolean): number | undefined {
  return weekdays.get(w) ?? habitualWeekdays.get(w) ?? (inList ? shortWeekdays.get(w) : undefined);
}

/** The days from one weekday to another, around the weekend if need be ("Sa-Mo"). */
export function span(from: number, to: number): string[] {
  const out: string[] = [];
  for (let d = from, n = 0; n < 7; d = (d % 7) + 1, n++) {
    out.push(dayCodes[d - 1] ?? "MO");
    if (d === to) break;
  }
  return out;
}

/** "mo-fr", "montag-freitag", "mo,mi,fr": days of a list or range in one word. */
export function dayList(w: string): string[] | undefined {
  const days: string[] = [];
  for (const part of w.split(",").filter((x) => x !== "")) {
    const range = part.split(/[-–]/);
    const from = weekdayOf(range[0] ?? "", true);
    const to = range.length === 2 ? weekdayOf(range[1] ?? "", true) : from;
    if (from === undefined || to === undefined || range.length > 2) return undefined;
    days.push(...span(from, to));
  }
  return days.length > 0 ? days : undefined;
}

export function countAt(tokens: readonly Token[], i: number): number | undefined {
  const w = tokens[i]?.w ?? "";
  if (/^\d{1,4}$/.test(w)) return Number(w);
  if (w === "other" || w === "zweite" || w === "zweiten") return 2;
  if (w === "dritte" || w === "dritten" || w === "third") return 3;
  if (w === "vierte" || w === "vierten" || w === "fourth") return 4;
  return numberWords.get(w);
}
