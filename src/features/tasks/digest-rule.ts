import type { Language } from "../../core/time.ts";
import { describeRuleDays, describeTimes } from "../../core/when/describe.ts";
import { type RulePattern, rruleText, shortestGapMinutes } from "../../core/when/pattern.ts";
import type { ReadContext } from "../../core/when/state.ts";
import { anchorPattern, nextOccurrence as nextOf, patternOf } from "../../scheduler/recurrence.ts";

/** The overdue digest's default: weekdays at 9:00 in the team's zone (a cron value, as stored since the start). */
export const defaultDigestRule = "0 9 * * 1-5";

/** A digest may not come more often than hourly. */
const minimumGapMinutes = 60;

/** A digest time: the same rule grammar as reminders, read from what was typed or stored. */
export type DigestRule = RulePattern;

const readContext = (): ReadContext => ({ now: new Date(0), timeZone: "UTC", lang: "de" });

/**
 * Reads a digest time as people type it ("weekdays 9:00", "werktags 8:30", "mo,mi 9 Uhr",
 * "daily 9", "jeden Montag 8 Uhr", a cron expression) or as stored (cron or "RRULE:…").
 * Only a time ("9:15") means every weekday at that time.
 */
export function parseDigestRule(input: string): DigestRule | undefined {
  const text = input.trim();
  if (text === "") return undefined;
  let pattern = patternOf(text, readContext());
  if (!pattern) {
    // No "every": a list of days with a time ("mo,mi 9 Uhr"), or only a time.
    pattern = patternOf(`jeden ${text}`, readContext());
    if (pattern?.freq === "DAILY" && !/^(jeden tag|every day|daily|täglich|taeglich)/i.test(text))
      pattern = { ...pattern, freq: "WEEKLY", byDay: ["MO", "TU", "WE", "TH", "FR"] };
  }
  if (!pattern || shortestGapMinutes(pattern) < minimumGapMinutes || pattern.interval > 1) return undefined;
  return pattern;
}

/** How the rule is stored in TaskTeam.digestRule. */
export function digestRuleText(rule: DigestRule): string {
  return `RRULE:${rruleText(rule)}`;
}

/** The next time the digest is due after `after`, in the team's zone (wall-clock time kept across DST). */
export function nextOccurrence(rule: DigestRule, zone: string, after: Date): Date {
  const anchored = anchorPattern(rule, digestRuleText(rule), zone, after);
  const next = anchored && nextOf(anchored, zone, new Date(after.getTime() - 1));
  if (!next) throw new Error("digest rule without occurrences");
  return next;
}

/** "Mo–Fr" and "09:00" in the reader's language ("*" for every day). */
export function describeDigestRule(rule: DigestRule, lang: Language): { days: string; time: string } {
  const everyDay = rule.freq === "DAILY" && rule.interval === 1 && !rule.byDay?.length && !rule.byMonthDay?.length;
  const days = describeRuleDays(rule, lang);
  return { days: everyDay || rule.byDay?.length === 7 ? "*" : days, time: describeTimes(rule) };
}
