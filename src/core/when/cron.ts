import type { RulePattern } from "./pattern.ts";
import { dayCodes } from "./pattern.ts";

const monthNames = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const dayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

/** Does this look like a five-field cron expression (so an error about it names cron)? */
export function looksLikeCron(words: readonly string[]): boolean {
  return (
    words.length >= 5 &&
    /^[\d*]/.test(words[0] ?? "") &&
    words.slice(0, 5).every((w) => /^[\d*?,\-/LW#a-zA-Z]+$/.test(w) && !/^[a-zA-Z]{4,}$/.test(w))
  );
}

/** Values of one field ("*\/15", "1-5", "mon,wed", "9"), or undefined if it is not valid. */
function field(
  text: string,
  min: number,
  max: number,
  names: string[] = [],
  offset = 0,
): number[] | undefined {
  const value = (v: string): number | undefined => {
    const named = names.indexOf(v.toLowerCase());
    const n = named >= 0 ? named + offset : /^\d+$/.test(v) ? Number(v) : NaN;
    return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
  };
  const out = new Set<number>();
  for (const item of text.split(",")) {
    const m = /^(\*|\?|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/i.exec(item);
    if (!m) return undefined;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) return undefined;
    let from = min;
    let to = max;
    if (m[1] !== "*" && m[1] !== "?") {
      const [a, b] = (m[1] ?? "").split("-");
      const lo = value(a ?? "");
      const hi = b === undefined ? (m[2] === undefined ? lo : max) : value(b);
      if (lo === undefined || hi === undefined || hi < lo) return undefined;
      [from, to] = [lo, hi];
    }
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return [...out].sort((a, b) => a - b);
}

const all = (text: string) => text === "*" || text === "?";

/**
 * A five-field cron expression (minute hour day-of-month month day-of-week) as an RRULE
 * pattern. Refused: day-of-month and day-of-week both restricted (cron fires on either,
 * which one RRULE cannot say), and anything out of range ("0 25 * * *").
 */
export function cronToPattern(expression: string): RulePattern | "invalid" | "unsupported" {
  const f = expression.trim().split(/\s+/);
  if (f.length !== 5) return "invalid";
  const [minuteF, hourF, domF, monthF, dowF] = f as [string, string, string, string, string];
  const minutes = field(minuteF, 0, 59);
  const hours = field(hourF, 0, 23);
  const monthsV = field(monthF, 1, 12, monthNames, 1);
  if (!minutes || !hours || !monthsV) return "invalid";
  let monthDays: number[] | undefined;
  if (!all(domF)) {
    if (domF.toUpperCase() === "L") monthDays = [-1];
    else monthDays = field(domF, 1, 31);
    if (!monthDays) return "invalid";
  }
  let byDay: string[] | undefined;
  let monthly = false;
  if (!all(dowF)) {
    const nth = /^([0-7]|[a-z]{3})(#([1-5])|L)$/i.exec(dowF);
    if (nth) {
      const d = field(nth[1] ?? "", 0, 7, dayNames);
      if (!d || d.length !== 1) return "invalid";
      const code = dayCodes[((d[0] ?? 0) + 6) % 7];
      byDay = [`${nth[3] ?? "-1"}${code ?? ""}`];
      monthly = true;
    } else {
      const d = field(dowF, 0, 7, dayNames);
      if (!d) return "invalid";
      byDay = [...new Set(d.map((x) => dayCodes[(x + 6) % 7] ?? "MO"))];
      byDay.sort((a, b) => dayCodes.indexOf(a as never) - dayCodes.indexOf(b as never));
    }
  }
  if (monthDays && byDay) return "unsupported";
  const pattern: RulePattern = { freq: "DAILY", interval: 1 };
  if (monthly) pattern.freq = "MONTHLY";
  else if (all(minuteF) && !f.slice(1).some((x) => !all(x))) pattern.freq = "MINUTELY";
  else if (all(hourF)) pattern.freq = "HOURLY";
  if (pattern.freq !== "MINUTELY") pattern.byMinute = minutes;
  if (!all(hourF) || monthly) pattern.byHour = hours;
  if (pattern.freq === "MINUTELY" && !all(hourF)) pattern.byHour = hours;
  if (monthDays) pattern.byMonthDay = monthDays;
  if (byDay) pattern.byDay = byDay;
  if (!all(monthF)) pattern.byMonth = monthsV;
  return pattern;
}
