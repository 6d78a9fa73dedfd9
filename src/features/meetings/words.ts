import type { WordTaker } from "../../core/args.ts";
import { ruleWords, whenWords } from "../../core/when-args.ts";
import { lengthWords } from "../../core/when/length.ts";

/** A meeting's length when typed after its date ("… 14:00 90m town hall"): up to a week. */
export const maxMeetingDays = 7;

const gluedLength = /^\d+([.,]\d+)?(m|min|h|std|d|t)$|^\d+h\d{1,2}(m|min)?$/i;
const lengthUnit = /^(min|minuten?|minutes?|std|stunden?|hours?|tage?|days?)$/i;

/** Words after which a number belongs to the date or rule: "in 2h", "every 15 minutes", "alle 2 Tage". */
const countLeads = /^(in|every|alle|jede[nrs]?)$/i;

/** Where a length starts after the date ("… 14:00 2h …", "… 4.12. 2 Tage …"), not an "in 2h" of the date itself. */
function lengthStart(words: readonly string[]): number {
  return words.findIndex(
    (w, i) =>
      i > 0 &&
      !countLeads.test(words[i - 1] ?? "") &&
      (gluedLength.test(w) || (/^\d+([.,]\d+)?$/.test(w) && lengthUnit.test(words[i + 1] ?? ""))),
  );
}

const leadingDate = whenWords(0);

/**
 * "meeting create Plenum friday 14:00 90m town hall": the date phrase at the start. A
 * length after it ends the phrase, so "2h" is two hours there, never two o'clock.
 */
export const meetingDateWords: WordTaker = (words, pc) => {
  const cut = lengthStart(words);
  return leadingDate(cut > 0 ? words.slice(0, cut) : words, pc);
};

/** "meeting move 2 next monday 10:00": every word is the new date. */
export const meetingMoveWords: WordTaker = whenWords(0, true);

/**
 * After the date, words that read as a length are the meeting's duration, also when it is
 * one no meeting can have ("0m", "-5m", "999h"): that is refused, never taken as the place.
 */
export const meetingDurationWords: WordTaker = (words) => lengthWords(words);

/** "meeting series Plenum jeden Montag um 10 90m Rathaus": the rule at the start, a length after it ends it. */
export const meetingRuleWords: WordTaker = (words, pc) => {
  const cut = lengthStart(words);
  return ruleWords(cut > 0 ? words.slice(0, cut) : words, pc);
};
