import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestBot, type TestBot } from "../support/harness.ts";
import { tableNames } from "../support/database.ts";

/**
 * One team's things stay its own: from another room, every command with the ids of the
 * first team's items reads nothing of them and changes nothing of them.
 */
const secret = "SECRET-ALPHA";

/** Arguments that hit the first items of the other team in every id-taking command. */
const argumentSets = ["1", "1 1", "1 yes", "1 1 --add", "1 2 no", "1 tomorrow 9:00", "1 10m", `1 "changed by beta"`, "1 @ann", "1 --team console:alpha", "1 --team alpha"];

async function teamRows(bot: TestBot, teamRef: string): Promise<string> {
  const team = await bot.app.db.team.findUniqueOrThrow({ where: { ref: teamRef } });
  const parts: string[] = [];
  for (const name of tableNames) {
    if (["Team", "Member", "TeamMember", "SentMessage"].includes(name)) continue;
    const rows = await bot.app.db.$queryRawUnsafe<Record<string, unknown>[]>(`SELECT * FROM "${name}" ORDER BY 1`);
    // Rows that belong to the first team: by team id, team reference, or the secret text.
    const own = rows.filter((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v)).match(
      new RegExp(`"teamId":${team.id}\\b|"teamRef":"${teamRef}"|${secret}`),
    ));
    parts.push(`${name}:${JSON.stringify(own, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v))}`);
  }
  return parts.join("\n");
}

describe("isolation between teams", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot({ DEFAULT_LANGUAGE: "en" });
    const inAlpha = { room: "alpha", member: "ann", coordinator: false };
    await bot.say("settings", { ...inAlpha, member: "bob" });
    await bot.say("rr available on", { ...inAlpha, member: "bob" });
    await bot.say(`rr "${secret} interpreter needed" --urgent`, inAlpha);
    await bot.say(`task add "${secret} visit" @bob --due "tomorrow 10:00"`, inAlpha);
    await bot.say(`remind team tomorrow 9:00 ${secret} call`, inAlpha);
    await bot.say(`meeting create "${secret} meeting" "next monday 18:00"`, inAlpha);
    for (const extra of ["poll create", "meeting poll"]) {
      if (bot.app.bot.registry.get(extra.split(" "))) {
        await bot.say(`${extra} "${secret} question" "tomorrow 10:00" "next monday 10:00"`, inAlpha);
      }
    }
  });
  afterAll(async () => {
    await bot.close();
  });

  it("a coordinator of another team, in its room or a direct conversation, can neither read nor change the first team's items", async () => {
    const before = await teamRows(bot, "console:alpha");
    expect(before).toContain(secret);
    const commands = bot.app.bot.registry.commands.filter((c) => c.path[0] !== "help");
    let tried = 0;
    for (const room of ["beta", "dm-mallory"]) {
      for (const command of commands) {
        for (const args of argumentSets) {
          const out = await bot.say(`${command.path.join(" ")} ${args}`, { room, member: "mallory", coordinator: true });
          tried++;
          expect(out, `${command.path.join(" ")} ${args}`).not.toContain(secret);
          expect(bot.last?.kind).not.toBe("internal-error");
        }
      }
    }
    expect(tried).toBeGreaterThan(50);
    expect(await teamRows(bot, "console:alpha")).toBe(before);
  }, 180_000);
});
