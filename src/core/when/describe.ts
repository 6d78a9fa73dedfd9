import { Info } from "luxon";
import { defaultI18n } from "../catalog.ts";
import type { Translator } from "../i18n.ts";
import { intlLocale, type Language } from "../time.ts";
import { dayCodes, type RulePattern } from "./pattern.ts";


function dayName(code: string, lang: Language): string {
  const index = dayCodes.indexOf(code as (typeof dayCodes)[number]);
  return (Info.weekdays("short", { locale: intlLocale(lang) })[index] ?? code).replace(/\.$/, "");
}

/** "Mo–Fr", "Mo, Mi, Fr", "Sa–Mo": runs of three or more days as a range, Monday first. */
export function describeDays(codes: readonly string[], lang: Language): string {
  const days = [...new Set(codes.map((c) => dayCodes.indexOf(c as (typeof dayCodes)[number])))]
    .filter((d) => d >= 0)
    .sort((a, b) => a - b);
  if (days.length === 7) return defaultI18n().translator(lang).t("when.daily");
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

/** "1st" / "1." / "last", in the reader's language (ordinal plural forms). */
function nth(n: number, tr: Translator): string {
  return n === -1 ? tr.t("when.last") : tr.t("when.nth", { count: n, ordinal: true });
}

/** "every 2 weeks" or, every single time, "weekly": `once` for an interval of 1, else the counted form. */
const every = (p: RulePattern, once: string, counted: string, tr: Translator): string =>
  p.interval === 1 ? tr.t(`when.${once}`) : tr.t(`when.${counted}`, { count: p.interval });

/** The days of a rule: "Mo–Fr", "alle 2 Wochen Fr", "am 1. Mo im Monat", "monthly on the 15th". */
export function describeRuleDays(p: RulePattern, lang: Language): string {
  const tr = defaultI18n().translator(lang);
  const plainDays = p.byDay?.filter((d) => !/\d/.test(d)) ?? [];
  const nthDays = p.byDay?.filter((d) => /\d/.test(d)) ?? [];
  switch (p.freq) {
    case "MINUTELY":
      return every(p, "everyMinute", "everyMinutes", tr);
    case "HOURLY": {
      let base = every(p, "hourly", "everyHours", tr);
      const minutes = p.byMinute ?? [];
      if (minutes.length > 1 || (minutes[0] ?? 0) !== 0)
        base = tr.t("when.atMinutes", { base, minutes: minutes.map((m) => `:${two(m)}`).join(", ") });
      return plainDays.length > 0 ? tr.t("when.withDays", { base, days: describeDays(plainDays, lang) }) : base;
    }
    case "DAILY": {
      if (plainDays.length > 0) return describeDays(plainDays, lang);
      if (p.byMonthDay?.includes(-1)) return tr.t("when.lastDayOfMonth");
      return every(p, "daily", "everyDays", tr);
    }
    case "WEEKLY": {
      const days = describeDays(plainDays, lang);
      return p.interval === 1 ? days : tr.t("when.everyWeeks", { count: p.interval, days });
    }
    case "MONTHLY": {
      const base = every(p, "monthly", "everyMonths", tr);
      const days =
        nthDays.length > 0
          ? nthDays.map((d) => {
              const n = Number(/^-?\d/.exec(d)?.[0]);
              return tr.t("when.nthWeekday", { nth: nth(n, tr), day: dayName(d.replace(/^-?\d/, ""), lang) });
            })
          : (p.byMonthDay ?? [1]).map((n) => (n === -1 ? tr.t("when.lastDay") : nth(n, tr)));
      return tr.t("when.monthlyOn", { base, days: days.join(", ") });
    }
    case "YEARLY": {
      const month = Info.months("short", { locale: intlLocale(lang) })[(p.byMonth?.[0] ?? 1) - 1] ?? "";
      return tr.t("when.yearly", { day: p.byMonthDay?.[0] ?? 1, month });
    }
  }
}

/** The whole rule in words: "Mo–Fr 09:00", "alle 15 Minuten", "monatlich am 1. Mo 08:00". */
export function describeRule(p: RulePattern, lang: Language): string {
  const days = describeRuleDays(p, lang);
  const times = p.freq === "MINUTELY" || p.freq === "HOURLY" ? "" : describeTimes(p);
  return times ? defaultI18n().translator(lang).t("when.rule", { days, times }) : days;
}
