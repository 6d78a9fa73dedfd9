/**
 * Time as the team says it: a reader for German and English date and time phrases, whole
 * days as calendar dates, and recurring rules stored as RFC 5545 RRULEs.
 */
export * from "./calendar-date.ts";
export { canonicalText, type ReadOptions, readWhen, readWhenText, type WhenReading } from "./reader.ts";
export type { When } from "./resolve.ts";
export type { ReadContext, WhenErrorReason } from "./state.ts";
export { type DayPart, type DayPartHours, defaultDayPartHours, isTimeWord } from "./words.ts";
export { cronToPattern } from "./cron.ts";
export { describeRule } from "./describe.ts";
export { type Frequency, parseRRule, type RulePattern, rruleText, shortestGapMinutes } from "./pattern.ts";
export { type RuleErrorReason, type RuleReading, readRule } from "./rule.ts";
