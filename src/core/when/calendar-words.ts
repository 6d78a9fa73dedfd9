import {
  addDays,
  addMonths,
  type CalendarDate,
  calendarDate,
  firstDayOfMonth,
  lastDayOfMonth,
  mondayOf,
  partsOf,
  weekdayOf,
} from "./calendar-date.ts";
import { todayOf } from "./date-words.ts";
import { fill, type Matcher } from "./state.ts";

/** The next date (today included) with this month and day. */
function nextOf(today: CalendarDate, month: number, day: number): CalendarDate {
  const { year } = partsOf(today);
  const date = calendarDate(year, month, day) as CalendarDate;
  return date < today ? (calendarDate(year + 1, month, day) as CalendarDate) : date;
}

function nextDayOfMonth(today: CalendarDate, day: number): CalendarDate {
  const { year, month } = partsOf(today);
  const date = calendarDate(year, month, day) as CalendarDate;
  return date < today ? addMonths(date, 1) : date;
}

const weekDay = (today: CalendarDate, weeks: number, isoDay: number) =>
  addDays(mondayOf(today), 7 * weeks + isoDay - 1);

/** Calendar words and what they mean from a given today; two dates mean a question. */
const phrases: [string, (today: CalendarDate) => CalendarDate[]][] = [
  [
    "ende des monats|ende dieses monats|ende monat|ende vom monat|monatsende|end of the month|end of month|end of this month|month end|month-end|eom",
    (t) => [lastDayOfMonth(t)],
  ],
  [
    "ende naechsten monats|ende des naechsten monats|ende naechster monat|ende kommenden monats|end of next month|end of the next month",
    (t) => [lastDayOfMonth(addMonths(firstDayOfMonth(t), 1))],
  ],
  [
    "monatsanfang|monatsbeginn|anfang des monats|anfang monat|beginning of the month|start of the month|start of month",
    (t) => [partsOf(t).day === 1 ? t : addMonths(firstDayOfMonth(t), 1)],
  ],
  [
    "anfang naechsten monats|anfang des naechsten monats|anfang naechster monat|anfang kommenden monats|naechsten monat|naechster monat|im naechsten monat|start of next month|beginning of next month|first of next month|next month",
    (t) => [addMonths(firstDayOfMonth(t), 1)],
  ],
  [
    "mitte des monats|monatsmitte|mitte monat|mid-month|mid month|middle of the month",
    (t) => [nextDayOfMonth(t, 15)],
  ],
  [
    "mitte naechsten monats|mitte des naechsten monats|mid next month|middle of next month",
    (t) => [addDays(addMonths(firstDayOfMonth(t), 1), 14)],
  ],
  [
    "wochenende|dieses wochenende|am wochenende|this weekend|weekend",
    (t) => [weekdayOf(t) >= 6 ? t : weekDay(t, 0, 6)],
  ],
  ["kommendes wochenende", (t) => [weekDay(t, weekdayOf(t) >= 6 ? 1 : 0, 6)]],
  [
    "naechstes wochenende|next weekend",
    (t) => (weekdayOf(t) >= 6 ? [weekDay(t, 1, 6)] : [weekDay(t, 0, 6), weekDay(t, 1, 6)]),
  ],
  [
    "ende der woche|ende dieser woche|ende woche|end of the week|end of this week|end of week|eow",
    (t) => [weekDay(t, 0, 5)],
  ],
  [
    "ende naechster woche|ende der naechsten woche|ende naechste woche|end of next week",
    (t) => [weekDay(t, 1, 5)],
  ],
  [
    "anfang naechster woche|anfang der naechsten woche|anfang naechste woche|start of next week|beginning of next week|early next week",
    (t) => [weekDay(t, 1, 1)],
  ],
  [
    "mitte naechster woche|mitte der naechsten woche|mitte naechste woche|mid next week|middle of next week",
    (t) => [weekDay(t, 1, 3)],
  ],
  ["mitte der woche|mitte dieser woche|midweek|mid-week", (t) => [weekDay(t, 0, 3)]],
  [
    "jahresende|ende des jahres|ende dieses jahres|end of the year|end of year|end of this year|year end|year-end",
    (t) => [calendarDate(partsOf(t).year, 12, 31) as CalendarDate],
  ],
  [
    "jahresanfang|anfang naechsten jahres|anfang des naechsten jahres|neujahr|start of next year|beginning of next year|new year's day",
    (t) => [calendarDate(partsOf(t).year + 1, 1, 1) as CalendarDate],
  ],
  ["heiligabend|christmas eve", (t) => [nextOf(t, 12, 24)]],
  ["weihnachten|christmas|christmas day", (t) => [nextOf(t, 12, 25)]],
  ["silvester|new year's eve", (t) => [nextOf(t, 12, 31)]],
];

const table = phrases
  .flatMap(([variants, dates]) => variants.split("|").map((v) => [v.split(" "), dates] as const))
  .sort((a, b) => b[0].length - a[0].length);

/** "Ende des Monats", "Monatsanfang", "Wochenende", "end of next week", "Heiligabend", … */
export const matchCalendarWords: Matcher = (tokens, i, _s, ctx) => {
  for (const [words, dates] of table) {
    if (!words.every((x, k) => tokens[i + k]?.w === x)) continue;
    const found = dates(todayOf(ctx));
    return {
      len: words.length,
      ways: found.map((d) => (s) => fill(s, "date", { kind: "fixed", dates: [d] })),
    };
  }
  return undefined;
};
