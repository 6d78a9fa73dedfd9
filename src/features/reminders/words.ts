import type { WordTaker } from "../../core/args.ts";
import { UserError } from "../../core/errors.ts";
import { splitWhen } from "../../core/when.ts";
import { parseFriendlyRule } from "../../scheduler/recurrence.ts";

/** "remind me tomorrow 9:00 call the office": the date is the longest leading run of words that reads as one. */
export const reminderDateWords: WordTaker = (words, pc) => {
  const split = splitWhen(words, pc);
  if (typeof split === "string") {
    throw new UserError(`remind.errors.when.${split}`, { value: words.slice(0, 6).join(" ") });
  }
  return split.consumed;
};

/** "remind every weekday 9:00 standup": the rule's words ("every" may be left out after the command). */
export const reminderRuleWords: WordTaker = (words) => {
  const withEvery = parseFriendlyRule(["every", ...words]);
  const consumed = withEvery ? withEvery.consumed - 1 : parseFriendlyRule(words)?.consumed;
  if (!consumed) throw new UserError("remind.errors.rule", { value: words.slice(0, 6).join(" ") });
  return consumed;
};
