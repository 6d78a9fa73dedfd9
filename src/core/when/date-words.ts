import { DateTime } from "luxon";
import { addDays, type CalendarDate, calendarDate, dateOf, partsOf } from "./calendar-date.ts";
import { dottedDate } from "./clock-time.ts";
import {
  fill,
  type Matcher,
  one,
  type PhraseState,
  type ReadContext,
  type Step,
  type WeekdayMode,
} from "./state.ts";
import type { Token } from "./tokens.ts";
import { months, weekdays, wholeDayWords } from "./words.ts";

export const todayOf = (ctx: ReadContext): CalendarDate => dateOf(ctx.now, ctx.timeZone);

function yearOf(text: string | undefined): number | undefined {
  if (text === undefined || text === "") return undefined;
  return text.length === 2 ? 2000 + Number(text) : Number(text);
}

/** A date with a year: fixed, or an error (no such day, or a year beyond any calendar we keep). */
function datedStep(
  len: number,
  year: number,
  month: number,
  day: number,
  extra?: (s: PhraseState) => boolean,
): Step {
  if (year > 9999) return { len, error: "tooFar" };
  const date = calendarDate(year, month, day);
  if (!date) return { len, error: "invalidDate" };
  return one(len, (s) => fill(s, "date", { kind: "fixed", dates: [date] }) && (extra ? extra(s) : true));
}

function dayMonthStep(len: number, month: number, day: number): Step {
  if (!calendarDate(2028, month, day)) return { len, error: "invalidDate" };
  return one(len, (s) => fill(s, "date", { kind: "dayMonth", day, month }));
}

/** "2026-12-04", "2026-12-04T10:00", "2026-12-04T10:00:00Z". */
export const matchIso: Matcher = (tokens, i) => {
  const m = /^(\d{4,6})-(\d{1,2})-(\d{1,2})(?:t(\d{1,2}):(\d{2})(?::(\d{2}))?(z|[+-]\d{2}:?\d{2})?)?$/.exec(
    tokens[i]?.w ?? "",
  );
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (m[4] === undefined) return datedStep(1, year, month, day);
  const [hour, minute] = [Number(m[4]), Number(m[5])];
  if (hour > 23 || minute > 59) return { len: 1, error: "invalidTime" };
  if (m[7]) {
    const at = DateTime.fromISO(tokens[i]?.raw ?? "", { setZone: true });
    if (year > 9999) return { len: 1, error: "tooFar" };
    return at.isValid ? one(1, (s) => fill(s, "absolute", at.toJSDate())) : { len: 1, error: "invalidDate" };
  }
  return datedStep(1, year, month, day, (s) => fill(s, "time", { hour, minute, style: "exact" }));
};

/** German order: "1.4.", "01.04.2027", "1.4.27", "4.12. 2026", "1.4"; "12.12" may also be a time. */
export const matchDottedDate: Matcher = (tokens, i, s) => {
  const w = tokens[i]?.w ?? "";
  let m = /^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4,})?$/.exec(w);
  if (m) {
    const yearToken =
      m[3] === undefined && /^\d{4}$/.test(tokens[i + 1]?.w ?? "") ? tokens[i + 1]?.w : undefined;
    const year = yearOf(m[3] ?? yearToken);
    const len = yearToken ? 2 : 1;
    if (year === undefined) return dayMonthStep(len, Number(m[2]), Number(m[1]));
    return datedStep(len, year, Number(m[2]), Number(m[1]));
  }
  m = /^(\d{1,2})\.(\d{1,2})$/.exec(w);
  if (!m || !dottedDate(w)) return undefined;
  const [day, month] = [Number(m[1]), Number(m[2])];
  const asTime = m[2]?.length === 2 && day <= 23;
  if (!asTime) return dayMonthStep(1, month, day);
  // "12.12": a time after "um", before "Uhr" or after a date; a date before a time; else ask.
  const time = { hour: day, minute: month, style: "uhr" as const };
  const timeWay = (st: PhraseState) => fill(st, "time", time);
  const dateWay = (st: PhraseState) => fill(st, "date", { kind: "dayMonth", day, month });
  const prev = tokens[i - 1]?.w ?? "";
  const next = tokens[i + 1]?.w ?? "";
  if (/^(um|at)$/.test(prev) || /^(uhr|h)$/.test(next))
    return { len: /^(uhr|h)$/.test(next) ? 2 : 1, ways: [timeWay] };
  if (s.date || s.weekday) return { len: 1, ways: [timeWay] };
  if (s.time) return { len: 1, ways: [dateWay] };
  return { len: 1, ways: [dateWay, timeWay] };
};

/** "4/1" (1 April in the US, 4 January elsewhere: ask), "12/25", "25/12/2026", "2026/12/25". */
export const matchSlashDate: Matcher = (tokens, i) => {
  const m = /^(\d{1,4})\/(\d{1,2})(?:\/(\d{2}|\d{4,}))?$/.exec(tokens[i]?.w ?? "");
  if (!m) return undefined;
  const [a, b] = [Number(m[1]), Number(m[2])];
  if ((m[1] ?? "").length === 4) return undefined;
  const year = yearOf(m[3]);
  const orders: [number, number][] =
    a === b
      ? [[a, b]]
      : [
          [b, a],
          [a, b],
        ]; // [month, day]: day-first, then US
  const steps = orders
    .map(([month, day]) =>
      year === undefined ? dayMonthStep(1, month, day) : datedStep(1, year, month, day),
    )
    .filter((st): st is Extract<Step, { ways: unknown }> => "ways" in st);
  if (steps.length === 0)
    return { len: 1, error: year !== undefined && year > 9999 ? "tooFar" : "invalidDate" };
  return { len: 1, ways: steps.flatMap((st) => st.ways) };
};

/** "2026/12/25": year first. */
export const matchYearFirstSlash: Matcher = (tokens, i) => {
  const m = /^(\d{4})\/(\d{1,2})\/(\d{1,2})$/.exec(tokens[i]?.w ?? "");
  return m ? datedStep(1, Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
};

const dayToken = /^(\d{1,2})(\.|st|nd|rd|th)?$/;
const yearAt = (tokens: readonly Token[], i: number) =>
  /^\d{4,}$/.test(tokens[i]?.w ?? "") ? Number(tokens[i]?.w) : undefined;

/** "4. Dezember", "4 December 2026", "4th of December", "December 4th, 2026", "Dez. 4". */
export const matchMonthName: Matcher = (tokens, i) => {
  const w = (k: number) => tokens[i + k]?.w ?? "";
  const build = (len: number, month: number, day: number) => {
    const year = yearAt(tokens, i + len);
    return year === undefined ? dayMonthStep(len, month, day) : datedStep(len + 1, year, month, day);
  };
  const day = dayToken.exec(w(0));
  if (day) {
    const k = w(1) === "of" ? 2 : 1;
    const month = months.get(w(k));
    if (month !== undefined) return build(k + 1, month, Number(day[1]));
    return undefined;
  }
  const month = months.get(w(0));
  const after = dayToken.exec(w(1));
  if (month !== undefined && after) return build(2, month, Number(after[1]));
  return undefined;
};

/** "Anfang Dezember", "Mitte März 2027", "Ende April", "end of May", "mid-June", "early July". */
export const matchPartOfMonth: Matcher = (tokens, i, _s, ctx) => {
  const w = (k: number) => tokens[i + k]?.w ?? "";
  const where: [string[], "start" | "mid" | "end"][] = [
    [["anfang"], "start"],
    [["beginning", "of"], "start"],
    [["start", "of"], "start"],
    [["early"], "start"],
    [["mitte"], "mid"],
    [["mid"], "mid"],
    [["middle", "of"], "mid"],
    [["ende"], "end"],
    [["end", "of"], "end"],
    [["late"], "end"],
  ];
  for (const [lead, part] of where) {
    if (!lead.every((x, k) => w(k) === x)) continue;
    const month = months.get(w(lead.length)) ?? months.get(w(lead.length).replace(/^mid-/, ""));
    if (month === undefined) continue;
    const len = lead.length + 1;
    const givenYear = yearAt(tokens, i + len);
    const today = todayOf(ctx);
    const pick = (year: number) => {
      const first = calendarDate(year, month, 1) as CalendarDate;
      const last = DateTime.fromISO(first, { zone: "UTC" }).endOf("month").day;
      return calendarDate(year, month, part === "start" ? 1 : part === "mid" ? 15 : last) as CalendarDate;
    };
    let date = pick(givenYear ?? partsOf(today).year);
    if (givenYear === undefined && date < today) date = pick(partsOf(today).year + 1);
    if (givenYear !== undefined && givenYear > 9999) return { len: len + 1, error: "tooFar" };
    return one(givenYear === undefined ? len : len + 1, (s) =>
      fill(s, "date", { kind: "fixed", dates: [date] }),
    );
  }
  return undefined;
};

/** "am 4." (the next 4th of a month), "on the 4th". */
export const matchDayOfMonth: Matcher = (tokens, i, s) => {
  const m = /^(\d{1,2})(\.|st|nd|rd|th)$/.exec(tokens[i]?.w ?? "");
  if (!m) return undefined;
  const prev = tokens[i - 1]?.w ?? "";
  if (!/^(am|den|the|zum)$/.test(prev) && !s.weekday) return undefined;
  const day = Number(m[1]);
  if (day < 1 || day > 31) return { len: 1, error: "invalidDate" };
  return one(1, (st) => fill(st, "date", { kind: "dayOnly", day }));
};

const relativeDays: [string[], number][] = [
  [["heute"], 0],
  [["today"], 0],
  [["morgen"], 1],
  [["tomorrow"], 1],
  [["tmrw"], 1],
  [["uebermorgen"], 2],
  [["day", "after", "tomorrow"], 2],
  [["ueberuebermorgen"], 3],
  [["gestern"], -1],
  [["yesterday"], -1],
  [["vorgestern"], -2],
  [["day", "before", "yesterday"], -2],
];

/** "heute", "morgen", "übermorgen", "tomorrow", "the day after tomorrow", "gestern". */
export const matchRelativeDay: Matcher = (tokens, i, _s, ctx) => {
  for (const [phrase, days] of relativeDays) {
    if (!phrase.every((p, k) => tokens[i + k]?.w === p)) continue;
    const date = addDays(todayOf(ctx), days);
    return one(phrase.length, (s) => {
      if (days === 0) s.today = true;
      return fill(s, "date", { kind: "fixed", dates: [date] });
    });
  }
  return undefined;
};

const weekdayModes: [string, WeekdayMode][] = [
  ["this coming", "coming"],
  ["naechsten naechster naechste naechstes next", "next"],
  ["kommenden kommender kommende kommendes coming", "coming"],
  ["diesen dieser diese dieses this", "this"],
  ["uebernaechsten uebernaechster uebernaechste uebernaechstes", "afterNext"],
];

/** "Freitag", "am Fr.", "nächsten Mittwoch", "kommenden Montag", "this Friday", "Monday after next". */
export const matchWeekday: Matcher = (tokens, i) => {
  const w = (k: number) => tokens[i + k]?.w ?? "";
  let mode: WeekdayMode = "bare";
  let k = 0;
  if (w(0) === "this" && w(1) === "coming") {
    mode = "coming";
    k = 2;
  } else {
    const found = weekdayModes.find(([words]) => words.split(" ").includes(w(0)));
    if (found) {
      mode = found[1];
      k = 1;
    }
  }
  const day = weekdays.get(w(k));
  if (day === undefined) return undefined;
  let len = k + 1;
  if (mode === "bare" && w(len) === "after" && w(len + 1) === "next") {
    mode = "afterNext";
    len += 2;
  }
  const chosen = mode;
  return one(len, (s) => fill(s, "weekday", { day, mode: chosen }));
};

/** "nächste Woche", "next week", "übernächste Woche", "the week after next", "diese Woche". */
export const matchWeek: Matcher = (tokens, i) => {
  const w = (k: number) => tokens[i + k]?.w ?? "";
  const k = w(0) === "in" && w(1) === "der" ? 2 : 0;
  const week = (x: string) => x === "woche" || x === "week";
  let offset: number | undefined;
  let len = 0;
  if (/^(naechste|naechster|naechsten|kommende|kommenden|next|coming)$/.test(w(k)) && week(w(k + 1))) {
    [offset, len] = [1, k + 2];
  } else if (/^(uebernaechste|uebernaechster|uebernaechsten)$/.test(w(k)) && week(w(k + 1))) {
    [offset, len] = [2, k + 2];
  } else if (/^(diese|dieser|this)$/.test(w(k)) && week(w(k + 1))) {
    [offset, len] = [0, k + 2];
  } else if (w(0) === "week" && w(1) === "after" && w(2) === "next") {
    [offset, len] = [2, 3];
  }
  if (offset === undefined) return undefined;
  const chosen = offset;
  return one(len, (s) => fill(s, "weekOffset", chosen));
};

/** "ganztägig", "ganztags", "all day", "den ganzen Tag", "the whole day". */
export const matchWholeDay: Matcher = (tokens, i) => {
  const w = (k: number) => tokens[i + k]?.w ?? "";
  let len = 0;
  if (wholeDayWords.has(w(0))) len = 1;
  else if ((w(0) === "all" || w(0) === "whole") && w(1) === "day") len = 2;
  else if (w(0) === "den" && w(1) === "ganzen" && w(2) === "tag") len = 3;
  if (len === 0) return undefined;
  return one(len, (s) => fill(s, "wholeDay", true));
};
