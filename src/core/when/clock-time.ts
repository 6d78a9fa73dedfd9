import { calendarDate } from "./calendar-date.ts";
import { fill, hasDate, type Matcher, one, type Step, type TimeSpec } from "./state.ts";
import type { Token } from "./tokens.ts";
import { type DayPart, dayPartNouns, dayParts, months, numberWords, weekdays } from "./words.ts";

/** A number written as digits or a word ("8", "acht", "eight"). */
export function numberAt(tokens: readonly Token[], i: number, max = 60): number | undefined {
  const w = tokens[i]?.w;
  if (w === undefined) return undefined;
  const n = /^\d{1,2}$/.test(w) ? Number(w) : numberWords.get(w);
  return n !== undefined && n <= max ? n : undefined;
}

const meridiemOf = (w: string | undefined): "am" | "pm" | undefined =>
  w === "am" || w === "a.m." || w === "a.m"
    ? "am"
    : w === "pm" || w === "p.m." || w === "p.m"
      ? "pm"
      : undefined;

/** Words after which a German "am" is "on the" and not "a.m.": "um 9 am Montag". */
function startsADate(tokens: readonly Token[], i: number): boolean {
  const w = tokens[i]?.w ?? "";
  return (
    /^\d/.test(w) ||
    weekdays.has(w) ||
    dayParts.has(w) ||
    months.has(w) ||
    /^(morgen|wochenende|monatsende|monatsanfang|ende|anfang|mitte)$/.test(w)
  );
}

/** Words that introduce a clock time: "um 9", "at 10", "gegen 8". */
const timeFillers = new Set(["um", "at", "gegen", "around", "ab", "by", "so"]);

/** Tokens that can only be a clock time (a second one after a time is a conflict). */
export function isClockToken(w: string): boolean {
  return /^\d{1,2}(:\d{2}|h\d{0,2}|uhr|am|pm|a\.m\.|p\.m\.)$/.test(w) || w === "uhr";
}

function style(hour: number, typed: string): TimeSpec["style"] {
  return typed.startsWith("0") && typed.length === 2 ? "exact" : hour === 0 || hour >= 13 ? "exact" : "uhr";
}

/** A time if hour and minute are on a clock; "24:00" is the end of the day. */
function clock(hour: number, minute: number, spec: Omit<TimeSpec, "hour" | "minute">): TimeSpec | undefined {
  if (minute > 59 || hour > 24 || (hour === 24 && minute > 0)) return undefined;
  if (hour === 24) return { ...spec, hour: 0, minute: 0, style: "exact", endOfDay: true };
  return { ...spec, hour, minute };
}

function timeStep(len: number, time: TimeSpec | undefined): Step {
  return time ? one(len, (s) => fill(s, "time", time)) : { len, error: "invalidTime" };
}

/** A meridiem right after a number: "9 am", "9 pm" (not German "am Montag"). */
function meridiemAfter(tokens: readonly Token[], i: number): "am" | "pm" | undefined {
  const m = meridiemOf(tokens[i]?.w);
  if (m === "am" && startsADate(tokens, i + 1)) return undefined;
  return m;
}

function withMeridiem(hour: number, minute: number, meridiem: "am" | "pm"): TimeSpec | undefined {
  if (hour < 1 || hour > 12) return undefined;
  return clock(hour, minute, { style: "exact", meridiem });
}

/** "14:30", "9.30", "9:30 Uhr", "9:30pm", "9h", "9h30", "9uhr", "9 Uhr", "9 Uhr 30", "8 o'clock", "9 am". */
export const matchClockDigits: Matcher = (tokens, i, s) => {
  const w = tokens[i]?.w ?? "";
  if (s.time) return isClockToken(w) ? { len: 1, error: "conflict" } : undefined;
  let m = /^(\d{1,2})[:.](\d{2})(?::\d{2})?(am|pm|a\.m\.|p\.m\.)?$/.exec(w);
  if (m && (w.includes(":") || !dottedDate(w))) {
    const [hour, minute] = [Number(m[1]), Number(m[2])];
    const meridiem = meridiemOf(m[3]) ?? meridiemAfter(tokens, i + 1);
    if (meridiem) return timeStep(m[3] ? 1 : 2, withMeridiem(hour, minute, meridiem));
    const len = /^(uhr|h)$/.test(tokens[i + 1]?.w ?? "") ? 2 : 1;
    return timeStep(len, clock(hour, minute, { style: style(hour, m[1] ?? "") }));
  }
  m = /^(\d{1,2})(am|pm|a\.m\.|p\.m\.)$/.exec(w);
  if (m) return timeStep(1, withMeridiem(Number(m[1]), 0, meridiemOf(m[2]) ?? "am"));
  m = /^(\d{1,2})(?:h|uhr)(\d{2})?$/.exec(w);
  if (m)
    return timeStep(1, clock(Number(m[1]), Number(m[2] ?? 0), { style: style(Number(m[1]), m[1] ?? "") }));
  const hour = numberAt(tokens, i, 99);
  if (hour === undefined) return undefined;
  const next = tokens[i + 1]?.w;
  if (next === "uhr" || next === "h") {
    const minute = /^\d{2}$/.test(tokens[i + 2]?.w ?? "") ? Number(tokens[i + 2]?.w) : undefined;
    const len = minute === undefined ? 2 : 3;
    return timeStep(len, clock(hour, minute ?? 0, { style: style(hour, w) }));
  }
  if (next === "o'clock" || next === "oclock") return timeStep(2, clock(hour, 0, { style: "uhr" }));
  const meridiem = meridiemAfter(tokens, i + 1);
  if (meridiem) return timeStep(2, withMeridiem(hour, 0, meridiem));
  return undefined;
};

/** "9.30" is a time; "12.12" could be a time or 12 December; "1.4" is a date. */
export function dottedDate(w: string): boolean {
  const m = /^(\d{1,2})\.(\d{1,2})$/.exec(w);
  return m !== null && calendarDate(2028, Number(m[2]), Number(m[1])) !== undefined;
}

/** German and English clock words: "halb 8", "viertel nach 8", "fünf vor halb 8", "quarter to 8". */
export const matchClockWords: Matcher = (tokens, i, s) => {
  if (s.time) return undefined;
  const w = (k: number) => tokens[i + k]?.w;
  const loose = (len: number, hour: number, minute: number): Step => {
    const h = ((hour % 24) + 24) % 24;
    const time =
      hour >= 13 ? clock(h, minute, { style: "exact" }) : clock(h === 0 ? 12 : h, minute, { style: "loose" });
    return timeStep(len, time);
  };
  const hourAt = (k: number) => numberAt(tokens, i + k, 24);
  const at = (k: number) => {
    const n = hourAt(k);
    return n === undefined || n === 0 ? undefined : n;
  };
  let n: number | undefined;
  if (w(0) === "halb" && (n = at(1))) return loose(2, n - 1, 30);
  if (w(0) === "dreiviertel" && (n = at(1))) return loose(2, n - 1, 45);
  if (w(0) === "viertel") {
    if (w(1) === "nach" && (n = at(2))) return loose(3, n, 15);
    if (w(1) === "vor" && (n = at(2))) return loose(3, n - 1, 45);
    if ((n = at(1))) return loose(2, n - 1, 15);
  }
  const quarter = w(0) === "a" && w(1) === "quarter" ? 1 : w(0) === "quarter" ? 0 : -1;
  if (quarter >= 0) {
    const rel = w(quarter + 1);
    if ((rel === "past" || rel === "after") && (n = at(quarter + 2))) return loose(quarter + 3, n, 15);
    if ((rel === "to" || rel === "before" || rel === "of") && (n = at(quarter + 2)))
      return loose(quarter + 3, n - 1, 45);
  }
  if (w(0) === "half") {
    if (w(1) === "past" && (n = at(2))) return loose(3, n, 30);
    if ((n = at(1)) && (timeFillers.has(tokens[i - 1]?.w ?? "") || hasDate(s))) return loose(2, n, 30);
  }
  const minutes = numberAt(tokens, i, 29);
  if (minutes !== undefined && minutes > 0) {
    const k = /^(min|min\.|minuten|minutes|mins)$/.test(w(1) ?? "") ? 2 : 1;
    const rel = w(k);
    if ((rel === "nach" || rel === "past" || rel === "after") && w(k + 1) === "halb" && rel === "nach") {
      if ((n = at(k + 2))) return loose(k + 3, n - 1, 30 + minutes);
    }
    if (rel === "vor" && w(k + 1) === "halb" && (n = at(k + 2))) return loose(k + 3, n - 1, 30 - minutes);
    if ((rel === "nach" || rel === "past" || rel === "after") && (n = at(k + 1)))
      return loose(k + 2, n, minutes);
    if ((rel === "vor" || rel === "to" || rel === "before") && (n = at(k + 1)))
      return loose(k + 2, n - 1, 60 - minutes);
  }
  return undefined;
};

/** Does a day part follow: "abends", "am Abend", "in the evening", "at night", "tonight"? */
function dayPartAt(tokens: readonly Token[], i: number): boolean {
  const w = tokens[i]?.w ?? "";
  if ((dayParts.has(w) && !dayPartNouns.has(w)) || w === "tonight") return true;
  const k = w === "in" && /^(the|der)$/.test(tokens[i + 1]?.w ?? "") ? 2 : w === "am" || w === "at" ? 1 : 0;
  return k > 0 && partOf(tokens[i + k]?.w ?? "") !== undefined;
}

/** A bare hour: "um 8", "at 10", "morgen 9", "8 abends", "um acht". */
export const matchBareHour: Matcher = (tokens, i, s) => {
  if (s.time) return undefined;
  const w = tokens[i]?.w ?? "";
  const hour = numberAt(tokens, i, 99);
  if (hour === undefined) return undefined;
  const introduced = timeFillers.has(tokens[i - 1]?.w ?? "") || dayPartAt(tokens, i + 1);
  // After a date, digits are an hour ("Freitag 9"); a number word needs "um" ("Freitag drei Ordner").
  if (!introduced && !(hasDate(s) && /^\d/.test(w))) return undefined;
  if (hour > 24) return introduced ? { len: 1, error: "invalidTime" } : undefined;
  const exact = hour === 0 || hour >= 13 || (w.length === 2 && w.startsWith("0"));
  return timeStep(1, clock(hour, 0, { style: exact ? "exact" : "loose" }));
};

/** "Mitternacht", "midnight": the end of the day. */
export const matchMidnight: Matcher = (tokens, i, s) => {
  const w = tokens[i]?.w;
  if (w !== "mitternacht" && w !== "midnight") return undefined;
  return s.time ? { len: 1, error: "conflict" } : timeStep(1, clock(24, 0, { style: "exact" }));
};

/** The day part a word names; "morgen" is the morning only where this asks for a day part. */
function partOf(w: string): DayPart | undefined {
  return w === "morgen" ? "morning" : dayParts.get(w);
}

function dayPartStep(len: number, part: DayPart | undefined, today = false): Step | undefined {
  if (!part) return undefined;
  return one(len, (s) => {
    if (today && hasDate(s)) return false;
    if (today) s.today = true;
    return fill(s, "dayPart", part);
  });
}

/**
 * Parts of the day: "abends", "morgen früh" (after a date), "Montagabend", "am Nachmittag",
 * "in der Nacht", "in the evening", "at night", "this morning", "tonight".
 */
export const matchDayPart: Matcher = (tokens, i, s) => {
  const w = (k: number) => tokens[i + k]?.w ?? "";
  if (w(0) === "tonight") return dayPartStep(1, "evening", true);
  if (w(0) === "this" && /^(morning|afternoon|evening)$/.test(w(1)))
    return dayPartStep(2, partOf(w(1)), true);
  if (w(0) === "in" && (w(1) === "the" || w(1) === "der")) return dayPartStep(3, partOf(w(2)));
  if (w(0) === "am") return dayPartStep(2, partOf(w(1)));
  if ((w(0) === "at" || w(0) === "zu") && /^(night|noon|midday|mittag)$/.test(w(1)))
    return dayPartStep(2, partOf(w(1)));
  if (w(0) === "morgen" || dayPartNouns.has(w(0))) {
    // "morgen" is tomorrow, unless a date came first ("Montag Morgen", "morgen Morgen");
    // "evening" alone is text, "Friday evening" is a day part.
    return hasDate(s) || (s.time && w(0) !== "morgen") ? dayPartStep(1, partOf(w(0))) : undefined;
  }
  return dayPartStep(1, dayParts.get(w(0)));
};
