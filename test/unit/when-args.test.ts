import { describe, expect, it } from "vitest";
import { families } from "../../commands/index.ts";
import { createI18n } from "../../src/app.ts";
import { choiceActions, quoteWord } from "../../src/core/choices.ts";
import { ChoiceError } from "../../src/core/errors.ts";
import { tokenize } from "../../src/core/parse.ts";
import { Registry } from "../../src/core/registry.ts";
import type { RuleErrorReason, WhenErrorReason } from "../../src/core/when/index.ts";
import { readLength } from "../../src/core/when/length.ts";

const whenReasons: WhenErrorReason[] = [
  "unparseable",
  "past",
  "tooFar",
  "invalidDate",
  "invalidTime",
  "timeWordLeft",
  "conflict",
  "weekdayMismatch",
];
const ruleReasons: RuleErrorReason[] = [
  "notARule",
  "invalidTime",
  "invalidDate",
  "invalidCron",
  "needsDay",
  "conflict",
  "timeWordLeft",
  "tooOften",
];

describe("what the reader refuses, said in German and English", () => {
  const i18n = createI18n();
  it.each(["de", "en"] as const)("%s has a text for every reason", (lang) => {
    const keys = new Set(i18n.keys(lang));
    for (const reason of whenReasons) expect(keys, reason).toContain(`core.when.${reason}`);
    for (const reason of ruleReasons) expect(keys, reason).toContain(`core.when.rule.${reason}`);
    for (const key of ["question", "rule.question", "pastSuggest", "timeWordLeftSuggest", "unparseableSuggest"])
      expect(keys).toContain(`core.when.${key}`);
  });
});

describe("lengths", () => {
  it.each([
    ["90", 90],
    ["90m", 90],
    ["2h", 120],
    ["1h30", 90],
    ["1:30", 90],
    ["2 Stunden", 120],
    ["anderthalb Stunden", 90],
    ["2d", 2880],
    ["2 Tage", 2880],
    ["PT2H", 120],
  ] as const)("%s is %i minutes", (typed, minutes) => {
    expect(readLength(typed)).toEqual({ kind: "length", minutes });
  });

  it.each([
    ["0m", "zero"],
    ["-5m", "negative"],
    ["1:75", "unreadable"],
    ["Rathaus", "unreadable"],
  ] as const)("%s is refused (%s)", (typed, reason) => {
    expect(readLength(typed)).toEqual({ kind: "error", reason });
  });
});

describe("choices run the command again with the phrase written out", () => {
  const registry = new Registry(families);
  const command = registry.get(["remind", "me"]);
  if (!command) throw new Error("no remind me");
  const error = (typed: string, words?: number) =>
    new ChoiceError("core.when.question", {}, typed, [
      { label: "a", phrase: "25.11.2026 19:30" },
      { label: "b", phrase: "26.11.2026 07:30" },
    ], words);

  it("quotes what the tokenizer would split", () => {
    expect(quoteWord("morgen")).toBe("morgen");
    expect(quoteWord("26.11.2026 07:30")).toBe('"26.11.2026 07:30"');
    expect(quoteWord('say "hi"')).toBe('"say \\"hi\\""');
    expect(quoteWord("--due")).toBe('"--due"');
    expect(tokenize(quoteWord('say "hi" \\ ok'))[0]?.value).toBe('say "hi" \\ ok');
  });

  it("replaces the typed words where the binder found them", () => {
    const e = error("halb 8", 2);
    e.tokenIndices = [0, 1];
    const actions = choiceActions(e, command, { tokens: tokenize('halb 8 "Akten holen" heute') });
    expect(actions.map((a) => a.command)).toEqual([
      'remind me "25.11.2026 19:30" "Akten holen" heute',
      'remind me "26.11.2026 07:30" "Akten holen" heute',
    ]);
    expect(actions.map((a) => a.label)).toEqual(["a", "b"]);
  });

  it("finds the typed words when only their text is known, and rebuilds typed values", () => {
    expect(choiceActions(error("halb 8"), command, { tokens: tokenize("halb 8 Akten") })[0]?.command).toBe(
      'remind me "25.11.2026 19:30" Akten',
    );
    const fromValues = choiceActions(error("halb 8"), command, { values: { when: "halb 8", text: "Akten holen" } });
    expect(fromValues[1]?.command).toBe('remind me "26.11.2026 07:30" "Akten holen"');
  });
});
