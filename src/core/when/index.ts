/**
 * Time as the team says it: a reader for German and English date and time phrases, whole
 * days as calendar dates, and recurring rules stored as RFC 5545 RRULEs.
 */
export * from "./calendar-date.ts";
export { canonicalText, type ReadOptions, readWhen, readWhenText, type WhenReading } from "./reader.ts";
export type { When } from "./resolve.ts";
export type { ReadContext, WhenErrorReason } from "./state.ts";
export { type DayPart, type DayPartHours, defaultDayPartHours, isTimeWord } from "./words.ts";
