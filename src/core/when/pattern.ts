/**
 * A recurring rule as RFC 5545 describes it (the RRULE property without DTSTART): what
 * reminders, digests and meetings repeat by, and what goes into an .ics file.
 */
export type Frequency = "MINUTELY" | "HOURLY" | "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY";

export interface RulePattern {
  freq: Frequency;
  interval: number;
  /** "MO" … "SU", or with a position in the month: "1MO" (first Monday), "-1FR" (last Friday). */
  byDay?: string[];
  /** 1..31, or -1 for the last day. */
  byMonthDay?: number[];
  byMonth?: number[];
  byHour?: number[];
  byMinute?: number[];
}

export const dayCodes = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const;

const frequencies: readonly Frequency[] = ["MINUTELY", "HOURLY", "DAILY", "WEEKLY", "MONTHLY", "YEARLY"];

/** "FREQ=WEEKLY;INTERVAL=2;BYDAY=FR;BYHOUR=9;BYMINUTE=0" (parts in RFC 5545 order). */
export function rruleText(p: RulePattern): string {
  const parts = [`FREQ=${p.freq}`];
  if (p.interval !== 1) parts.push(`INTERVAL=${String(p.interval)}`);
  if (p.byMonth?.length) parts.push(`BYMONTH=${p.byMonth.join(",")}`);
  if (p.byMonthDay?.length) parts.push(`BYMONTHDAY=${p.byMonthDay.join(",")}`);
  if (p.byDay?.length) parts.push(`BYDAY=${p.byDay.join(",")}`);
  if (p.byHour?.length) parts.push(`BYHOUR=${p.byHour.join(",")}`);
  if (p.byMinute?.length) parts.push(`BYMINUTE=${p.byMinute.join(",")}`);
  if (p.freq === "WEEKLY" && p.interval > 1) parts.push("WKST=MO");
  return parts.join(";");
}

function numbers(value: string, min: number, max: number): number[] | undefined {
  const list = value.split(",").map(Number);
  const ok = list.every((n) => Number.isInteger(n) && n >= min && n <= max && (min >= 0 || n !== 0));
  return ok ? list : undefined;
}

/** Reads an RRULE value back (only the parts the bot writes); undefined if it is not one. */
export function parseRRule(text: string): RulePattern | undefined {
  const body = text.replace(/^RRULE:/i, "").trim();
  const pattern: Partial<RulePattern> = { interval: 1 };
  for (const part of body.split(";")) {
    const [name, value] = part.split("=");
    if (!name || value === undefined) return undefined;
    switch (name.toUpperCase()) {
      case "FREQ": {
        const freq = frequencies.find((f) => f === value.toUpperCase());
        if (!freq) return undefined;
        pattern.freq = freq;
        break;
      }
      case "INTERVAL": {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) return undefined;
        pattern.interval = n;
        break;
      }
      case "BYDAY": {
        const days = value.toUpperCase().split(",");
        if (!days.every((d) => /^(-?[1-5])?(MO|TU|WE|TH|FR|SA|SU)$/.test(d))) return undefined;
        pattern.byDay = days;
        break;
      }
      case "BYMONTHDAY":
        pattern.byMonthDay = numbers(value, -31, 31);
        if (!pattern.byMonthDay) return undefined;
        break;
      case "BYMONTH":
        pattern.byMonth = numbers(value, 1, 12);
        if (!pattern.byMonth) return undefined;
        break;
      case "BYHOUR":
        pattern.byHour = numbers(value, 0, 23);
        if (!pattern.byHour) return undefined;
        break;
      case "BYMINUTE":
        pattern.byMinute = numbers(value, 0, 59);
        if (!pattern.byMinute) return undefined;
        break;
      case "WKST":
        break;
      default:
        return undefined;
    }
  }
  return pattern.freq ? (pattern as RulePattern) : undefined;
}

/** The shortest time between two occurrences, roughly (for minimum-interval checks). */
export function shortestGapMinutes(p: RulePattern): number {
  const perFreq: Record<Frequency, number> = {
    MINUTELY: 1,
    HOURLY: 60,
    DAILY: 24 * 60,
    WEEKLY: 7 * 24 * 60,
    MONTHLY: 28 * 24 * 60,
    YEARLY: 365 * 24 * 60,
  };
  const gaps = (values: number[] | undefined, span: number): number => {
    if (!values || values.length < 2) return Infinity;
    const sorted = [...values].sort((a, b) => a - b);
    const diffs = sorted.slice(1).map((v, k) => v - (sorted[k] ?? 0));
    diffs.push(span - (sorted.at(-1) ?? 0) + (sorted[0] ?? 0));
    return Math.min(...diffs);
  };
  let gap = perFreq[p.freq] * p.interval;
  gap = Math.min(gap, gaps(p.byMinute, 60));
  if (p.byHour && p.byHour.length > 1) gap = Math.min(gap, 60 * gaps(p.byHour, 24));
  if (p.byDay && p.byDay.length > 1 && !p.byDay.some((d) => /\d/.test(d)))
    gap = Math.min(
      gap,
      24 *
        60 *
        gaps(
          p.byDay.map((d) => dayCodes.indexOf(d as (typeof dayCodes)[number])),
          7,
        ),
    );
  return gap;
}
