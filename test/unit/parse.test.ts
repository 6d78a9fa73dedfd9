import { describe, expect, it } from "vitest";
import { arg } from "../../src/core/args.ts";
import { defineCommand } from "../../src/core/command.ts";
import { UserError } from "../../src/core/errors.ts";
import { bindArguments, normalizeInput, tokenize } from "../../src/core/parse.ts";

const pollCreate = defineCommand({
  path: ["poll", "create"],
  category: "polls",
  args: {
    question: arg.string().positional(),
    options: arg.string().many(2, 20).positional(),
    multi: arg.integer({ min: 1 }).optional(),
    anonymous: arg.flag(),
    skill: arg.string().many(0, 5),
  },
  handler: () => undefined,
});

const words = (line: string) => tokenize(line).map((t) => t.value);

function userErrorKey(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof UserError) return error.key;
    throw error;
  }
  throw new Error("expected a user error");
}

describe("tokenize", () => {
  it("splits on whitespace and keeps quoted text together", () => {
    expect(words("poll create \"Where do we meet?\" Office 'Town hall'")).toEqual([
      "poll",
      "create",
      "Where do we meet?",
      "Office",
      "Town hall",
    ]);
  });

  it("understands German and typographic quotes", () => {
    expect(words("rr „Dolmetschen Dari“ «bitte schnell» “now”")).toEqual([
      "rr",
      "Dolmetschen Dari",
      "bitte schnell",
      "now",
    ]);
  });

  it("keeps apostrophes inside words", () => {
    expect(words("task add don't forget")).toEqual(["task", "add", "don't", "forget"]);
  });

  it("reads quoted option values and escaped quotes", () => {
    expect(words('--note="a \\"b\\" c" x')).toEqual(['--note=a "b" c', "x"]);
  });

  it("marks quoted tokens so they are never options", () => {
    expect(tokenize('"--multi"')[0]).toEqual({ value: "--multi", quoted: true });
  });

  it("rejects an unclosed quote with its position", () => {
    expect(userErrorKey(() => tokenize('poll create "open'))).toBe("core.errors.unclosedQuote");
  });

  it("gives nothing for empty input", () => {
    expect(tokenize("   ")).toEqual([]);
  });
});

describe("normalizeInput", () => {
  it("removes control characters and bidi overrides, keeps letters of every script", () => {
    expect(normalizeInput("a\u0000b\u0007c\u202Ed\tمرحبا\nПривет 👋")).toBe("abcd مرحبا Привет 👋");
  });

  it("turns a phone's long dash back into --", () => {
    expect(normalizeInput("poll create a b c —multi 2")).toBe("poll create a b c --multi 2");
  });
});

describe("bindArguments", () => {
  const bind = (line: string) => bindArguments(pollCreate, tokenize(line));

  it("assigns positionals in order and the rest to a variadic argument", () => {
    expect(bind('"Q?" a b c')).toEqual({ question: "Q?", options: ["a", "b", "c"] });
  });

  it("reads options anywhere, with = or a separate value, and flags without value", () => {
    expect(bind("Q a --multi 2 b --anonymous --skill=dari --skill driving")).toEqual({
      question: "Q",
      options: ["a", "b"],
      multi: "2",
      anonymous: true,
      skill: ["dari", "driving"],
    });
  });

  it("rejects unknown options and names the known ones", () => {
    expect(userErrorKey(() => bind("Q a b --colour red"))).toBe("core.errors.unknownOption");
  });

  it("rejects an option given twice and an option without value", () => {
    expect(userErrorKey(() => bind("Q a b --multi 2 --multi 3"))).toBe("core.errors.optionTwice");
    expect(userErrorKey(() => bind("Q a b --multi"))).toBe("core.errors.optionNeedsValue");
  });

  it("rejects too many arguments for a command without a variadic argument", () => {
    const show = defineCommand({
      path: ["x"],
      category: "general",
          args: { one: arg.string().positional() },
      handler: () => undefined,
    });
    expect(userErrorKey(() => bindArguments(show, tokenize("a b")))).toBe("core.errors.tooManyArguments");
  });

  it("binds a 10 kB argument without trouble (length limits are checked later)", () => {
    const big = "x".repeat(10_000);
    expect(bind(`Q ${big} b`).options).toEqual([big, "b"]);
  });
});
