import type { WordTaker } from "../../core/args.ts";
import { UserError } from "../../core/errors.ts";
import { parseDuration, splitWhen } from "../../core/when.ts";

/** A meeting's length when typed after its date ("… 14:00 90m town hall"): up to a week. */
export const maxMeetingDays = 7;

/** "meeting create Plenum next friday 14:00 90m town hall": the date is the longest leading run that reads as one. */
export const meetingDateWords: WordTaker = (words, pc) => {
  const split = splitWhen(words, pc, 0);
  if (typeof split === "string") {
    throw new UserError(`meetings.errors.when.${split}`, { value: words.slice(0, 6).join(" ") });
  }
  return split.consumed;
};

/** "meeting move 2 next monday 10:00": every word is the new date. */
export const meetingMoveWords: WordTaker = (words, pc) => {
  const split = splitWhen(words, pc, 0);
  const reason = typeof split === "string" ? split : split.consumed === words.length ? undefined : "unparseable";
  if (reason) throw new UserError(`meetings.errors.when.${reason}`, { value: words.join(" ") });
  return words.length;
};

/** After the date, a word that reads as a length of up to a week is the meeting's duration. */
export const meetingDurationWords: WordTaker = (words) => {
  const duration = words[0] ? parseDuration(words[0]) : undefined;
  return duration && duration.as("days") <= maxMeetingDays ? 1 : 0;
};
