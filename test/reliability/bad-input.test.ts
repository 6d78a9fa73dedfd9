import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.ts";
import { tableNames } from "../support/database.ts";

/**
 * Every command, fed generated hostile input: each line gets a user error or a valid
 * result (never an internal error), and a user error changes nothing in the database.
 */

const hostileWords = [
  "@everyone",
  "@here",
  "@room",
  "<@&123456789>",
  "<@123>",
  "@ann",
  "--",
  "---",
  "--multi",
  "--closes=",
  "--unknown=1",
  "\"",
  "'",
  "„",
  "«",
  "\\",
  "\u202Eevil\u202C",
  "\u200F",
  "\u0000",
  "\u0007",
  "\u001b[31m",
  "-1",
  "0",
  "99999999999999999999",
  "NaN",
  "1e9",
  "3.5",
  "🙂",
  "👨‍👩‍👧‍👦",
  "مرحبا",
  "Привет",
  "ß",
  "<b>x</b>",
  "**x**",
  "`x`",
  "[x](http://a)",
  "tomorrow",
  "morgen 9 Uhr",
  "yesterday",
  "2020-01-01",
  "Europe/Berlin",
  "de",
  "1",
  "2",
];

const word = fc.oneof(
  fc.constantFrom(...hostileWords),
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "grapheme", maxLength: 8 }),
  fc.integer({ min: -5, max: 2000 }).map(String),
  fc.string({ minLength: 1, maxLength: 30 }).map((s) => `"${s}"`),
);

/** A fingerprint of everything stored: row counts and the newest change per table. */
async function fingerprint(bot: TestBot): Promise<string> {
  const parts: string[] = [];
  for (const name of tableNames) {
    // TeamMember.lastSeen and Member.displayName change on every contact by design.
    if (name === "TeamMember" || name === "SentMessage") continue;
    const rows = await bot.app.db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${name}" ORDER BY 1`);
    parts.push(`${name}:${JSON.stringify(rows, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}`);
  }
  return parts.join("\n");
}

describe("bad input for every command", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
    // A little state so ids and members exist.
    await bot.say("settings", { member: "bob" });
    await bot.say("settings", { member: "ann" });
  });
  afterAll(async () => {
    await bot.close();
  });

  it("never answers with an internal error and never changes anything on a user error", async () => {
    const paths = bot.app.bot.registry.commands.map((c) => c.path.join(" "));
    expect(paths.length).toBeGreaterThan(3);
    const seen = new Set<string>();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...paths),
        fc.array(word, { maxLength: 8 }),
        fc.boolean(),
        fc.constantFrom("", "!", "/"),
        async (path, words, coordinator, prefix) => {
          const line = `${prefix}${path} ${words.join(" ")}`;
          const before = await fingerprint(bot);
          await bot.say(line, { member: "ann", room: "main", coordinator });
          const result = bot.last;
          seen.add(result?.kind ?? "none");
          if (result?.kind === "internal-error") throw new Error(`internal error for: ${JSON.stringify(line)}`);
          if (result?.kind === "user-error") {
            const after = await fingerprint(bot);
            if (after !== before) throw new Error(`a user error changed data for: ${JSON.stringify(line)}`);
          }
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300), seed: Number(process.env.FUZZ_SEED ?? 20261121) },
    );
    expect(seen.has("user-error")).toBe(true);
  }, 120_000);

  it("handles huge input and unbalanced quotes for every command as user errors", async () => {
    for (const command of bot.app.bot.registry.commands) {
      const path = command.path.join(" ");
      for (const line of [`${path} ${"x".repeat(10_000)}`, `${path} "unbalanced`, `${path} ${"word ".repeat(900)}`]) {
        await bot.say(line, { coordinator: true });
        expect(bot.last?.kind, line.slice(0, 60)).not.toBe("internal-error");
      }
    }
  }, 120_000);
});
