import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Invocation } from "../../src/core/command.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";

const as = (member: string, text: string): Invocation => ({
  platform: "console",
  room: "console:main",
  roomName: "main",
  isDirect: false,
  member: `console:@${member}`,
  memberName: member,
  isCoordinator: false,
  // Native poll votes arrive like this: text without a prefix, run as the voting member.
  input: { kind: "text", text, requirePrefix: false },
});

describe("concurrent votes through the core", () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await startTestBot();
  });
  afterAll(async () => {
    await bot.close();
  });

  it("counts 1,000 members voting on one poll at the same moment exactly once", async () => {
    await bot.say('poll create "Storm?" A B C D --multi', { member: "ann" });
    const results = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => bot.app.bot.handle(as(`m${i}`, `poll vote 1 ${(i % 4) + 1}`))),
    );
    expect(results.filter((r) => r.kind !== "ok")).toEqual([]);
    // Every vote is acknowledged privately.
    expect(results.every((r) => r.kind === "ok" && r.messages[0]?.audience.kind === "ephemeral")).toBe(true);
    expect(await bot.app.db.pollVote.count({ where: { pollId: 1 } })).toBe(1000);
    const perOption = await bot.app.db.pollVote.groupBy({
      by: ["optionId"],
      _count: true,
      where: { pollId: 1 },
    });
    expect(perOption.map((g) => g._count)).toEqual([250, 250, 250, 250]);
    const members = await bot.app.db.pollVote.groupBy({ by: ["memberId"], where: { pollId: 1 } });
    expect(members).toHaveLength(1000);
  }, 300_000);

  it("keeps one row per member and option when the same members change votes concurrently", async () => {
    await bot.say('poll create "Churn?" A B C --multi 2', { member: "ann" });
    const lines = Array.from({ length: 100 }, (_, i) => i).flatMap((i) => [
      as(`c${i}`, "poll vote 2 1"),
      as(`c${i}`, "poll vote 2 2 --add"),
      as(`c${i}`, "poll vote 2 1 --add"),
      as(`c${i}`, "poll vote 2 3 --add"),
      as(`c${i}`, "poll retract 2 3"),
    ]);
    const results = await Promise.all(lines.map((l) => bot.app.bot.handle(l)));
    // Some --add may exceed the limit of 2 depending on the order: a user error, never a crash.
    expect(results.filter((r) => r.kind !== "ok" && r.kind !== "user-error")).toEqual([]);
    const rows = await bot.app.db.pollVote.findMany({ where: { pollId: 2 } });
    const keys = rows.map((r) => `${r.memberId}:${r.optionId}`);
    expect(new Set(keys).size).toBe(keys.length);
    const perMember = new Map<number, number>();
    for (const r of rows) perMember.set(r.memberId, (perMember.get(r.memberId) ?? 0) + 1);
    expect(Math.max(...perMember.values())).toBeLessThanOrEqual(2);
  }, 300_000);

  // Two real processes and this one on one database: locks wait, nothing is lost or doubled.
  it(
    "counts votes from two bot processes on one database exactly once (locks wait, no busy errors)",
    async () => {
    await bot.say('poll create "Two processes?" A B', { member: "ann" });
    const poll = await bot.app.db.poll.findFirstOrThrow({ orderBy: { id: "desc" } });
    const worker = fileURLToPath(new URL("./fixtures/vote-worker.ts", import.meta.url));
    const run = (prefix: string) =>
      new Promise<string>((resolve, reject) => {
        execFile(
          process.execPath,
          [worker, bot.databaseUrl, prefix, String(poll.id), "150"],
          { timeout: 240_000 },
          (error, stdout, stderr) =>
            error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout),
        );
      });
    // Two processes and this one vote at the same time.
    const [first, second] = await Promise.all([
      run("p"),
      run("q"),
      Promise.all(
        Array.from({ length: 50 }, (_, i) => bot.app.bot.handle(as(`r${i}`, `poll vote ${poll.id} 1`))),
      ),
    ]);
    expect(JSON.parse(first)).toEqual({ ok: 150 });
    expect(JSON.parse(second)).toEqual({ ok: 150 });
    expect(await bot.app.db.pollVote.count({ where: { pollId: poll.id } })).toBe(350);
    },
    300_000,
  );
});
