import type { WordTaker } from "../../core/args.ts";
import { UserError } from "../../core/errors.ts";
import { readContextOf, ruleWords, whenOrThrow } from "../../core/when-args.ts";
import { readWhen } from "../../core/when/index.ts";

/** "remind me tomorrow 9:00 call the office": the date phrase at the start, at least one word left for the text. */
export const reminderDateWords: WordTaker = (words, pc) => {
  const ctx = readContextOf(pc);
  const reading = readWhen(words, ctx, { keep: 1 });
  if (reading.kind !== "when" && readWhen(words, ctx, { whole: true }).kind === "when")
    throw new UserError("remind.errors.noText");
  whenOrThrow(reading, pc, words.slice(0, 6).join(" "));
  return reading.kind === "when" ? reading.consumed : 0;
};

/**
 * "remind @ann tomorrow 9:00 …": the first word is the member when it is a mention, or a
 * name followed by a date. A word that starts the date is no member: "remind morgen 9 Uhr
 * Akten holen" reminds the one who writes it.
 */
export const reminderMemberWords: WordTaker = (words, pc) => {
  const first = words[0] ?? "";
  if (/^(@|<@)/.test(first)) return 1;
  const ctx = readContextOf(pc);
  const fromFirst = readWhen(words, ctx, { keep: 1 });
  if (fromFirst.kind !== "error" || fromFirst.text !== "") return 0;
  const fromSecond = readWhen(words.slice(1), ctx, { keep: 1 });
  if (fromSecond.kind === "error" && fromSecond.text === "") return 0;
  if (!pc.parseMember(first)) throw new UserError("remind.errors.unknownMember", { value: first });
  return 1;
};

/** "remind every weekday 9:00 standup": the rule's words ("every" is the command's own word). */
export const reminderRuleWords: WordTaker = ruleWords;
