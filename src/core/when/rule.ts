import {
  matchBareHour,
  matchClockDigits,
  matchClockWords,
  matchDayPart,
  matchMidnight,
} from "./clock-time.ts";
import { cronToPattern, looksLikeCron } from "./cron.ts";
import { dayCodes, type Frequency, type RulePattern } from "./pattern.ts";
import { onDayPart } from "./resolve.ts";
import type { Matcher, PhraseState, ReadContext, TimeSpec } from "./state.ts";
import {
  countAt,
  dayList,
  leads,
  monthPhrases,
  ruleFillers,
  selfRecurring,
  span,
  unitFreq,
  weekdayOf,
  weekend,
  workdays,
} from "./rule-words.ts";
import { type Token, tokenize } from "./tokens.ts";
import {
  type DayPart,
  dayParts,
  defaultDayPartHours,
  fold,
  habitualWeekdays,
  isTimeWord,
  months,
  ordinals,
} from "./words.ts";

export type RuleErrorReason =
  | "notARule"
  | "invalidTime"
  | "invalidDate"
  | "invalidCron"
  | "needsDay"
  | "conflict"
  | "timeWordLeft"
  | "tooOften";

export type RuleReading =
  | { kind: "rule"; pattern: RulePattern; text: string; consumed: number; rest: string[] }
  /** "jeden Montag um 3": 03:00 or 15:00? "jeden zweiten Dienstag": every other week or the 2nd of the month? */
  | { kind: "question"; choices: RulePattern[]; text: string; consumed: number; rest: string[] }
  | { kind: "error"; reason: RuleErrorReason; text: string; word?: string };

interface RuleState {
  lead: boolean;
  freq?: Frequency;
  interval?: number;
  days: string[];
  /** "jeden zweiten Dienstag": an ordinal that may mean a week interval or a place in the month. */
  ambiguousNth?: number;
  monthly: boolean;
  monthDays: number[];
  months: number[];
  times: TimeSpec[];
  dayPart?: DayPart;
}

const timeMatchers: Matcher[] = [matchClockDigits, matchMidnight, matchClockWords, matchBareHour];

/** Reads one element of a rule at `i`; returns how many tokens it used, 0 for none, or an error. */
function element(
  tokens: readonly Token[],
  i: number,
  st: RuleState,
  ctx: ReadContext,
): number | RuleErrorReason {
  const w = (k: number) => tokens[i + k]?.w ?? "";
  if (leads.has(w(0))) {
    st.lead = true;
    return 1;
  }
  // A count and a unit: "2 Wochen", "15 minutes", "other week", "zweite Woche".
  const count = countAt(tokens, i);
  const unitAfter = unitFreq.find(([re]) => re.test(w(1)));
  if (count !== undefined && unitAfter && st.freq === undefined) {
    if (count < 1) return "invalidTime";
    st.freq = unitAfter[1];
    st.interval = count * unitAfter[2];
    return 2;
  }
  const glued = /^(\d+)(min|m|h|std)$/.exec(w(0));
  if (glued && st.freq === undefined && st.lead) {
    st.freq = glued[2]?.startsWith("m") ? "MINUTELY" : "HOURLY";
    st.interval = Number(glued[1]);
    return st.interval < 1 ? "invalidTime" : 1;
  }
  const unit = unitFreq.find(([re]) => re.test(w(0)));
  if (unit) {
    if (unit[1] === "MONTHLY" && (st.days.length > 0 || st.monthDays.length > 0)) {
      st.monthly = true;
      return 1;
    }
    if (st.freq !== undefined && st.freq !== unit[1]) return "conflict";
    st.freq = unit[1];
    st.interval ??= unit[2];
    return 1;
  }
  if (workdays.test(w(0)) || weekend.test(w(0))) {
    st.days.push(...(workdays.test(w(0)) ? ["MO", "TU", "WE", "TH", "FR"] : ["SA"]));
    return 1;
  }
  for (const phrase of monthPhrases) {
    if (phrase.every((p, k) => w(k) === p) && (st.days.length > 0 || st.monthDays.length > 0)) {
      st.monthly = true;
      return phrase.length;
    }
  }
  // "ersten Montag", "last Friday", "2. Dienstag", "letzten Tag", "am 15.", "on the 1st".
  const nth = ordinals.get(w(0));
  if (nth !== undefined) {
    const day = weekdayOf(w(1), false);
    if (day !== undefined) {
      const code = dayCodes[day - 1] ?? "MO";
      if (nth === 2 || nth === 3 || nth === 4) st.ambiguousNth = nth;
      st.days.push(`${String(nth)}${code}`);
      return 2;
    }
    if (/^(tag|day)$/.test(w(1))) {
      st.monthDays.push(nth);
      return 2;
    }
  }
  const monthDay = /^(\d{1,2})(\.|st|nd|rd|th)$/.exec(w(0));
  if (monthDay) {
    const d = Number(monthDay[1]);
    const month = months.get(w(w(1) === "of" ? 2 : 1));
    if (d < 1 || d > 31) return "invalidDate";
    st.monthDays.push(d);
    if (month !== undefined) {
      st.months.push(month);
      return w(1) === "of" ? 3 : 2;
    }
    return 1;
  }
  const dotted = /^(\d{1,2})\.(\d{1,2})\.$/.exec(w(0));
  if (dotted) {
    st.monthDays.push(Number(dotted[1]));
    st.months.push(Number(dotted[2]));
    return 1;
  }
  if (
    /^(monatsende|monatsletzten|ultimo)$/.test(w(0)) ||
    (w(0) === "end" && w(1) === "of" && w(2) === "the" && w(3) === "month")
  ) {
    st.monthDays.push(-1);
    return w(0) === "end" ? 4 : 1;
  }
  if (/^(monatsanfang|monatsersten|monatsbeginn)$/.test(w(0))) {
    st.monthDays.push(1);
    return 1;
  }
  const single = weekdayOf(w(0), st.lead);
  if (single !== undefined) {
    // "Montag bis Freitag", "monday to friday", "montags bis freitags".
    const last = /^(bis|to|through|thru|-|–)$/.test(w(1)) ? weekdayOf(w(2), true) : undefined;
    st.days.push(...(last === undefined ? span(single, single) : span(single, last)));
    return last === undefined ? 1 : 3;
  }
  const list = /[,\-–]/.test(w(0)) ? dayList(w(0)) : undefined;
  if (list) {
    st.days.push(...list);
    return 1;
  }
  // A time: "um 8", "9:30", "halb 8", "8 Uhr abends", "abends", "jeden Abend".
  const dated = st.days.length > 0 || st.freq !== undefined || st.monthDays.length > 0;
  const context: PhraseState = dated ? { weekday: { day: 1, mode: "bare" } } : {};
  for (const m of timeMatchers) {
    const step = m(tokens, i, context, ctx);
    if (!step) continue;
    if ("error" in step) return step.error === "invalidTime" ? "invalidTime" : "conflict";
    const probe: PhraseState = {};
    step.ways[0]?.(probe);
    if (probe.time) st.times.push(probe.time);
    return step.len;
  }
  if (st.lead || st.freq || st.days.length > 0) {
    const nounContext: PhraseState = { weekday: { day: 1, mode: "bare" } };
    const step = matchDayPart(tokens, i, nounContext, ctx);
    if (step && "ways" in step) {
      const probe: PhraseState = {};
      step.ways[0]?.(probe);
      if (st.dayPart) return "conflict";
      st.dayPart = probe.dayPart;
      return step.len;
    }
  } else if (dayParts.has(w(0)) && selfRecurring.test(w(0))) {
    st.dayPart = dayParts.get(w(0));
    st.lead = true;
    return 1;
  }
  if (ruleFillers.has(w(0)) && tokens[i + 1]) {
    const probe = structuredClone(st);
    const next = element(tokens, i + 1, probe, ctx);
    if (typeof next === "number" && next > 0) return 1;
  }
  return 0;
}

/** Hours a written time can mean in a rule: "um 8" is 08:00; "um 3" is asked (03:00 or 15:00). */
function hoursOf(time: TimeSpec, part: DayPart | undefined): { hour: number; minute: number }[] | undefined {
  if (time.endOfDay) return [{ hour: 0, minute: 0 }];
  if (time.meridiem)
    return [{ hour: (time.hour % 12) + (time.meridiem === "pm" ? 12 : 0), minute: time.minute }];
  if (part) {
    const on = onDayPart(time.hour, part);
    return on ? [{ hour: on.hour, minute: time.minute }] : undefined;
  }
  const twelve = time.style !== "exact" && time.hour >= 1 && time.hour <= 6;
  const list = [{ hour: time.hour, minute: time.minute }];
  if (twelve) list.push({ hour: time.hour + 12, minute: time.minute });
  return list;
}

const dayIndex = (code: string) => dayCodes.indexOf(code.replace(/^-?\d/, "") as (typeof dayCodes)[number]);

function finish(st: RuleState, ctx: ReadContext): RulePattern[] | RuleErrorReason {
  const ordinal = st.days.some((d) => /\d/.test(d));
  let freq = st.freq;
  const interval = st.interval ?? 1;
  if (st.days.length > 0) {
    if (ordinal) {
      if (freq !== undefined && freq !== "MONTHLY" && freq !== "WEEKLY") return "conflict";
      freq = "MONTHLY";
    } else if (freq === undefined || freq === "DAILY") freq = "WEEKLY";
    else if (freq !== "WEEKLY" && freq !== "HOURLY" && freq !== "MINUTELY") return "conflict";
  } else if (st.monthDays.length > 0) {
    if (freq === undefined) freq = st.months.length > 0 ? "YEARLY" : "MONTHLY";
    if (freq !== "MONTHLY" && freq !== "YEARLY") return "conflict";
  } else if (freq === undefined) {
    if (st.times.length === 0 && !st.dayPart) return "notARule";
    freq = "DAILY";
  }
  if (freq === "WEEKLY" && st.days.length === 0) return "needsDay";
  if (freq === "YEARLY" && st.monthDays.length === 0) return "needsDay";
  const clockRule = freq === "MINUTELY" || freq === "HOURLY";
  if (clockRule && (st.times.length > 0 || st.dayPart || st.monthDays.length > 0)) return "conflict";
  const limits: Record<Frequency, number> = {
    MINUTELY: 1440,
    HOURLY: 168,
    DAILY: 366,
    WEEKLY: 52,
    MONTHLY: 24,
    YEARLY: 10,
  };
  if (interval > limits[freq]) return "tooOften";
  const base: RulePattern = { freq, interval };
  if (st.days.length > 0) base.byDay = [...new Set(st.days)].sort((a, b) => dayIndex(a) - dayIndex(b));
  if (freq === "MONTHLY" && st.days.length === 0)
    base.byMonthDay = st.monthDays.length > 0 ? [...new Set(st.monthDays)] : [1];
  if (freq === "YEARLY") {
    base.byMonthDay = [...new Set(st.monthDays)];
    base.byMonth = [...new Set(st.months)];
  }
  if (clockRule) return [base];
  const hours = { ...defaultDayPartHours, ...ctx.dayParts };
  const times =
    st.times.length > 0
      ? st.times
      : [{ hour: st.dayPart ? hours[st.dayPart] : hours.morning, minute: 0, style: "exact" as const }];
  const readings = times.map((t) =>
    st.times.length > 0 ? hoursOf(t, st.dayPart) : [{ hour: t.hour, minute: 0 }],
  );
  if (readings.some((r) => r === undefined)) return "conflict";
  const firstReadings = readings[0] ?? [];
  const minutes = new Set(readings.flatMap((r) => (r ?? []).map((x) => x.minute)));
  if (minutes.size > 1) return "conflict";
  const variants =
    firstReadings.length > 1 && readings.length === 1
      ? firstReadings.map((r) => [r.hour])
      : [readings.map((r) => (r ?? [])[0]?.hour ?? 0)];
  const patterns = variants.map((hoursList) => ({
    ...base,
    byHour: [...new Set(hoursList)].sort((a, b) => a - b),
    byMinute: [...minutes],
  }));
  // "jeden zweiten Dienstag": every other Tuesday, or the second Tuesday of the month?
  if (st.ambiguousNth && !st.monthly && st.days.length === 1) {
    const code = (st.days[0] ?? "").replace(/^\d/, "");
    return patterns.flatMap((p) => [
      { ...p, freq: "WEEKLY" as const, interval: st.ambiguousNth ?? 2, byDay: [code] },
      p,
    ]);
  }
  return patterns;
}

/**
 * Reads a recurring rule at the start of `words`: "every weekday at 10", "jeden Montag um 8",
 * "alle 2 Wochen freitags", "first Monday of the month", "letzten Freitag im Monat",
 * "every 15 minutes", "täglich 7:30", or a cron expression "0 9 * * 1-5".
 */
export function readRule(
  words: readonly string[],
  ctx: ReadContext,
  options: { whole?: boolean; implicit?: boolean } = {},
): RuleReading {
  const textOf = (n: number) => words.slice(0, n).join(" ");
  if (looksLikeCron(words)) {
    const pattern = cronToPattern(words.slice(0, 5).join(" "));
    if (typeof pattern === "string")
      return {
        kind: "error",
        reason: pattern === "invalid" ? "invalidCron" : "conflict",
        text: textOf(5),
        word: words.slice(0, 5).join(" "),
      };
    return done([pattern], 5);
  }
  const tokens = tokenize(words);
  const st: RuleState = {
    lead: options.implicit ?? false,
    days: [],
    monthly: false,
    monthDays: [],
    months: [],
    times: [],
  };
  const first = tokens[0]?.w ?? "";
  const self =
    selfRecurring.test(first) ||
    habitualWeekdays.has(first) ||
    /^(taeglich|daily)$/.test(first) ||
    workdays.test(first);
  let i = 0;
  while (i < tokens.length) {
    const used = element(tokens, i, st, ctx);
    if (typeof used === "string")
      return { kind: "error", reason: used, text: textOf(tokens[i]?.word ?? 0), word: tokens[i]?.raw };
    if (used === 0) break;
    i += used;
  }
  // Back off to a word boundary.
  while (i > 0 && i < tokens.length && tokens[i]?.word === tokens[i - 1]?.word) i--;
  const consumed = i >= tokens.length ? words.length : (tokens[i]?.word ?? 0);
  if (!st.lead && !self && !st.monthly)
    return { kind: "error", reason: "notARule", text: "", word: words[0] };
  const patterns = finish(st, ctx);
  if (typeof patterns === "string")
    return { kind: "error", reason: patterns, text: textOf(consumed), word: tokens[i]?.raw };
  return done(patterns, consumed);

  function done(patterns: RulePattern[], consumed: number): RuleReading {
    const rest = words.slice(consumed);
    const next = rest[0];
    if (next !== undefined && (options.whole || isTimeWord(fold(next))))
      return {
        kind: "error",
        reason: isTimeWord(fold(next)) ? "timeWordLeft" : "notARule",
        text: textOf(consumed),
        word: next,
      };
    const text = textOf(consumed);
    const [one, ...more] = patterns;
    if (!one) return { kind: "error", reason: "notARule", text };
    return more.length > 0
      ? { kind: "question", choices: patterns, text, consumed, rest }
      : { kind: "rule", pattern: one, text, consumed, rest };
  }
}
