import { describe, expect, it } from "vitest";
import { arg } from "../../src/core/args.ts";
import { defineCommand } from "../../src/core/command.ts";
import { bindArguments, tokenize } from "../../src/core/parse.ts";
import {
  bar,
  firstDuplicate,
  isOpen,
  nativeMisfit,
  type PollShape,
  parseDateAnswer,
  tallyChoice,
  tallyDate,
  type VoteShape,
} from "../../src/features/polls/model.ts";

const poll = (options: number): PollShape => ({
  id: 1,
  teamId: 1,
  kind: "date",
  question: "Q",
  createdById: 1,
  maxSelections: options,
  anonymous: false,
  hidden: false,
  native: false,
  closesAt: null,
  closedAt: null,
  pickedOptionId: null,
  options: Array.from({ length: options }, (_, i) => ({
    id: 10 + i,
    position: i + 1,
    label: `o${i + 1}`,
    startsAt: null,
    allDay: false,
  })),
});

const vote = (memberId: number, optionId: number, answer = "yes"): VoteShape => ({
  memberId,
  optionId,
  answer,
  member: { id: memberId, ref: `console:@m${memberId}`, displayName: `m${memberId}` },
});

describe("poll rules", () => {
  it("folds case and spaces when looking for duplicate options", () => {
    expect(firstDuplicate(["Pizza", "Soup", " pizza "])).toBe(" pizza ");
    expect(firstDuplicate(["Straße", "STRASSE"])).toBeUndefined();
    expect(firstDuplicate(["a  b", "A b"])).toBe("A b");
  });

  it("knows when a poll fits a native Discord poll", () => {
    const base = {
      question: "Q?",
      options: ["a", "b"],
      maxSelections: 1,
      anonymous: false,
      hidden: false,
      now: new Date(0),
    };
    expect(nativeMisfit(base)).toBeUndefined();
    expect(nativeMisfit({ ...base, maxSelections: 2 })).toBeUndefined();
    expect(nativeMisfit({ ...base, options: ["a", "b", "c"], maxSelections: 2 })).toBe("selections");
    expect(nativeMisfit({ ...base, anonymous: true })).toBe("anonymous");
    expect(nativeMisfit({ ...base, hidden: true })).toBe("hidden");
    expect(nativeMisfit({ ...base, options: ["a", "x".repeat(56)] })).toBe("answerTooLong");
    expect(nativeMisfit({ ...base, options: Array.from({ length: 11 }, (_, i) => `${i}`) })).toBe(
      "tooManyAnswers",
    );
    expect(nativeMisfit({ ...base, closesAt: new Date(33 * 86_400_000) })).toBe("tooLong");
  });

  it("reads date answers in both languages", () => {
    expect(["yes", "JA", "maybe", "vielleicht", "no", "Nein"].map(parseDateAnswer)).toEqual([
      "yes",
      "yes",
      "maybe",
      "maybe",
      "no",
      "no",
    ]);
    expect(parseDateAnswer("perhaps")).toBeUndefined();
  });

  it("is open until closed or past its deadline", () => {
    const now = new Date("2030-01-01T00:00:00Z");
    expect(isOpen({ closedAt: null, closesAt: null }, now)).toBe(true);
    expect(isOpen({ closedAt: null, closesAt: new Date("2030-01-01T00:00:01Z") }, now)).toBe(true);
    expect(isOpen({ closedAt: null, closesAt: now }, now)).toBe(false);
    expect(isOpen({ closedAt: now, closesAt: null }, now)).toBe(false);
  });

  it("counts choice votes with percentages of the voters", () => {
    const tally = tallyChoice(poll(3), [vote(1, 10), vote(1, 11), vote(2, 10), vote(3, 12)]);
    expect(tally.voters).toBe(3);
    expect(tally.options.map((o) => [o.count, o.percent])).toEqual([
      [2, 67],
      [1, 33],
      [1, 33],
    ]);
  });

  it("marks the best slot: most yes, then most yes plus if need be, then the earlier one", () => {
    const p = poll(3);
    expect(tallyDate(p, []).best).toBeUndefined();
    expect(tallyDate(p, [vote(1, 10, "no")]).best).toBeUndefined();
    const byYes = tallyDate(p, [vote(1, 10, "maybe"), vote(2, 10, "maybe"), vote(1, 11, "yes")]);
    expect(byYes.best?.option.position).toBe(2);
    const byMaybe = tallyDate(p, [vote(1, 10, "yes"), vote(2, 11, "yes"), vote(3, 11, "maybe")]);
    expect(byMaybe.best?.option.position).toBe(2);
    const tie = tallyDate(p, [vote(1, 11, "yes"), vote(2, 12, "yes")]);
    expect(tie.best?.option.position).toBe(2);
  });

  it("draws bars of a fixed width", () => {
    expect(bar(0)).toBe("············");
    expect(bar(100)).toBe("████████████");
    expect(bar(50)).toBe("██████······");
    expect(bar(25)).toHaveLength(12);
  });
});

describe("options that may be typed alone (--multi)", () => {
  const command = defineCommand({
    path: ["x"],
    category: "general",
    args: {
      words: arg.string().positional().many(0, 10),
      multi: arg.integer().optional().bare("all"),
      other: arg.flag(),
    },
    handler: () => undefined,
  });
  const bind = (line: string) => bindArguments(command, tokenize(line));

  it("takes the bare value at the end or before another option, else the next word", () => {
    expect(bind("a b --multi")).toEqual({ words: ["a", "b"], multi: "all" });
    expect(bind("a --multi --other b")).toEqual({ words: ["a", "b"], multi: "all", other: true });
    expect(bind("a --multi 3 b")).toEqual({ words: ["a", "b"], multi: "3" });
    expect(bind("a --multi=2")).toEqual({ words: ["a"], multi: "2" });
  });
});
