import { Info } from "luxon";
import type { Language } from "../time.ts";
import { dayCodes, type RulePattern } from "./pattern.ts";

const locale = (lang: Language) => (lang === "de" ? "de-DE" : "en-GB");

function dayName(code: string, lang: Language): string {
  const index = dayCodes.indexOf(code as (typeof dayCodes)[number]);
  return (Info.weekdays("short", { locale: locale(lang) })[index] ?? code).replace(/\.$/, "");
}

/** "Mo–Fr", "Mo, Mi, Fr", "Sa–Mo": runs of three or more days as a range, Monday first. */
export function describeDays(codes: readonly string[], lang: Language): string {
  const days = [...new Set(codes.map((c) => dayCodes.indexOf(c as (typeof dayCodes)[number])))]
    .filter((d) => d >= 0)
    .sort((a, b) => a - b);
  if (days.length === 7) return lang === "de" ? "täglich" : "daily";
  // A run across the weekend ("Sa–Mo") starts after the first gap.
  const gap = days.findIndex((d, k) => k > 0 && d !== (days[k - 1] ?? 0) + 1);
  const wraps = gap > 0 && days[0] === 0 && days.at(-1) === 6;
  const ordered = wraps ? [...days.slice(gap), ...days.slice(0, gap)] : days;
  const parts: string[] = [];
  let k = 0;
  while (k < ordered.length) {
    let j = k;
    while (j + 1 < ordered.length && (ordered[j + 1] ?? 0) === ((ordered[j] ?? 0) + 1) % 7) j++;
    const name = (i: number) => dayName(dayCodes[ordered[i] ?? 0] ?? "MO", lang);
    if (j - k >= 2) parts.push(`${name(k)}–${name(j)}`);
    else for (let x = k; x <= j; x++) parts.push(name(x));
    k = j + 1;
  }
  return parts.join(", ");
}

const two = (n: number) => String(n).padStart(2, "0");

/** "09:00", "09:00, 15:00". */
export function describeTimes(p: RulePattern): string {
  const hours = p.byHour ?? [];
  const minutes = p.byMinute ?? [0];
  return hours.flatMap((h) => minutes.map((m) => `${two(h)}:${two(m)}`)).join(", ");
}

const ordinalDe = (n: number) => (n === -1 ? "letzten" : `${String(n)}.`);
const ordinalEn = (n: number) =>
  n === -1
    ? "last"
    : `${String(n)}${n % 10 === 1 && n !== 11 ? "st" : n % 10 === 2 && n !== 12 ? "nd" : n % 10 === 3 && n !== 13 ? "rd" : "th"}`;

/** The days of a rule: "Mo–Fr", "alle 2 Wochen Fr", "am 1. Mo im Monat", "monthly on the 15th". */
export function describeRuleDays(p: RulePattern, lang: Language): string {
  const de = lang === "de";
  const every = (unit: { de: [string, string]; en: [string, string] }) =>
    p.interval === 1
      ? de
        ? unit.de[0]
        : unit.en[0]
      : de
        ? `alle ${String(p.interval)} ${unit.de[1]}`
        : `every ${String(p.interval)} ${unit.en[1]}`;
  const plainDays = p.byDay?.filter((d) => !/\d/.test(d)) ?? [];
  const nthDays = p.byDay?.filter((d) => /\d/.test(d)) ?? [];
  switch (p.freq) {
    case "MINUTELY":
      return every({ de: ["jede Minute", "Minuten"], en: ["every minute", "minutes"] });
    case "HOURLY": {
      let base = every({ de: ["stündlich", "Stunden"], en: ["hourly", "hours"] });
      const minutes = p.byMinute ?? [];
      if (minutes.length > 1 || (minutes[0] ?? 0) !== 0)
        base += `${de ? " um" : " at"} ${minutes.map((m) => `:${two(m)}`).join(", ")}`;
      return plainDays.length > 0 ? `${base}, ${describeDays(plainDays, lang)}` : base;
    }
    case "DAILY": {
      if (plainDays.length > 0) return describeDays(plainDays, lang);
      if (p.byMonthDay?.includes(-1)) return de ? "am letzten Tag im Monat" : "on the last day of the month";
      return every({ de: ["täglich", "Tage"], en: ["daily", "days"] });
    }
    case "WEEKLY": {
      const days = describeDays(plainDays, lang);
      return p.interval === 1 ? days : `${every({ de: ["", "Wochen"], en: ["", "weeks"] })} ${days}`;
    }
    case "MONTHLY": {
      const base = every({ de: ["monatlich", "Monate"], en: ["monthly", "months"] });
      if (nthDays.length > 0) {
        const list = nthDays.map((d) => {
          const n = Number(/^-?\d/.exec(d)?.[0]);
          const day = dayName(d.replace(/^-?\d/, ""), lang);
          return de ? `${ordinalDe(n)} ${day}` : `${ordinalEn(n)} ${day}`;
        });
        return de ? `${base} am ${list.join(", ")}` : `${base} on the ${list.join(", ")}`;
      }
      const monthDays = (p.byMonthDay ?? [1]).map((n) =>
        n === -1 ? (de ? "letzten Tag" : "last day") : de ? ordinalDe(n) : ordinalEn(n),
      );
      return de ? `${base} am ${monthDays.join(", ")}` : `${base} on the ${monthDays.join(", ")}`;
    }
    case "YEARLY": {
      const month = Info.months("short", { locale: locale(lang) })[(p.byMonth?.[0] ?? 1) - 1] ?? "";
      const dayOfMonth = p.byMonthDay?.[0] ?? 1;
      return de ? `jährlich am ${String(dayOfMonth)}. ${month}` : `yearly on ${String(dayOfMonth)} ${month}`;
    }
  }
}

/** The whole rule in words: "Mo–Fr 09:00", "alle 15 Minuten", "monatlich am 1. Mo 08:00". */
export function describeRule(p: RulePattern, lang: Language): string {
  const days = describeRuleDays(p, lang);
  const times = p.freq === "MINUTELY" || p.freq === "HOURLY" ? "" : describeTimes(p);
  return times ? `${days} ${times}` : days;
}
