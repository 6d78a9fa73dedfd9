/**
 * Vote storm: 1,000 members voting at once on one poll, then 10,000 votes spread over 100
 * polls, each vote a full command through the core (parse, team/member upsert, checks, one
 * write transaction, acknowledgement). Next to it: the bare Prisma writes the same votes
 * need (one insert per vote row); the ratio core/bare is the figure that counts.
 *
 * Run alone: `npx tsx test/bench/votes.bench.ts`; `npm run bench` runs it with the others.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Invocation } from "../../src/core/command.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";
import { benchDatabases } from "./databases.ts";

export const name = "votes";

const invocation = (member: string, text: string): Invocation => ({
  platform: "console",
  room: "console:bench",
  roomName: "bench",
  isDirect: false,
  member: `console:@${member}`,
  memberName: member,
  isCoordinator: false,
  input: { kind: "text", text, requirePrefix: false },
});

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
}

const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

/** Runs tasks with at most `limit` in flight; returns each task's latency in ms and the total. */
async function timed(
  tasks: (() => Promise<void>)[],
  limit: number,
): Promise<{ totalMs: number; latencies: number[] }> {
  const latencies: number[] = [];
  const start = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) {
      const task = tasks[next++];
      if (!task) return;
      const t0 = performance.now();
      await task();
      latencies.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return { totalMs: performance.now() - start, latencies: latencies.sort((a, b) => a - b) };
}

function figures(prefix: string, votes: number, run: { totalMs: number; latencies: number[] }) {
  return {
    [`${prefix}.votes`]: votes,
    [`${prefix}.totalMs`]: round(run.totalMs, 0),
    [`${prefix}.votesPerSecond`]: round((votes / run.totalMs) * 1000, 0),
    [`${prefix}.p50Ms`]: round(percentile(run.latencies, 50)),
    [`${prefix}.p99Ms`]: round(percentile(run.latencies, 99)),
  };
}

async function vote(bot: TestBot, member: string, line: string): Promise<void> {
  const result = await bot.app.bot.handle(invocation(member, line));
  if (result.kind !== "ok") throw new Error(`vote failed: ${member} ${line}: ${result.kind}`);
}

/** Bare writes: the same vote rows inserted directly, one insert per vote, same concurrency. */
async function bare(
  bot: TestBot,
  rows: { pollId: number; optionId: number; memberId: number }[],
  limit: number,
): Promise<{ totalMs: number; latencies: number[] }> {
  await bot.app.db.pollVote.deleteMany({
    where: { pollId: { in: [...new Set(rows.map((r) => r.pollId))] } },
  });
  return timed(
    rows.map((data) => async () => {
      await bot.app.db.pollVote.create({ data });
    }),
    limit,
  );
}

async function voteRows(bot: TestBot, pollIds: number[]) {
  return bot.app.db.pollVote.findMany({
    where: { pollId: { in: pollIds } },
    select: { pollId: true, optionId: true, memberId: true },
  });
}

/** On SQLite and, when one answers, on PostgreSQL (figures prefixed "pg "). */
export async function run(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(path.join(tmpdir(), "teambot-bench-"));
  try {
    const figures: Record<string, number | string> = {};
    for (const database of await benchDatabases(dir)) {
      try {
        for (const [key, value] of Object.entries(await runOn(database.url))) figures[`${database.prefix}${key}`] = value;
      } finally {
        await database.drop();
      }
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runOn(url: string): Promise<Record<string, number | string>> {
  const bot = await startTestBot({ DATABASE_URL: url });
  try {
    // Storm 1: 1,000 members at once on one poll.
    await bot.say('poll create "Storm?" A B C D', { member: "ann", room: "bench" });
    const first = await bot.app.db.poll.findFirstOrThrow({ orderBy: { id: "desc" } });
    const storm = await timed(
      Array.from(
        { length: 1000 },
        (_, i) => () => vote(bot, `m${i}`, `poll vote ${first.id} ${(i % 4) + 1}`),
      ),
      1000,
    );
    const stormRows = await voteRows(bot, [first.id]);
    if (stormRows.length !== 1000) throw new Error(`expected 1000 vote rows, found ${stormRows.length}`);
    const stormBare = await bare(bot, stormRows, 1000);

    // Storm 2: 10,000 votes over 100 polls (100 members vote on every poll), 100 in flight.
    const pollIds: number[] = [];
    for (let p = 0; p < 100; p++) {
      await bot.say(`poll create "Q${p}?" A B C`, { member: "ann", room: "bench" });
      pollIds.push((await bot.app.db.poll.findFirstOrThrow({ orderBy: { id: "desc" } })).id);
    }
    const tasks = pollIds.flatMap((pollId, p) =>
      Array.from(
        { length: 100 },
        (_, m) => () => vote(bot, `v${m}`, `poll vote ${pollId} ${((m + p) % 3) + 1}`),
      ),
    );
    const spread = await timed(tasks, 100);
    const spreadRows = await voteRows(bot, pollIds);
    if (spreadRows.length !== 10_000) throw new Error(`expected 10000 vote rows, found ${spreadRows.length}`);
    const spreadBare = await bare(bot, spreadRows, 100);

    return {
      ...figures("storm1000.core", 1000, storm),
      ...figures("storm1000.bare", 1000, stormBare),
      "storm1000.ratio": round(storm.totalMs / stormBare.totalMs, 1),
      ...figures("spread10000.core", 10_000, spread),
      ...figures("spread10000.bare", 10_000, spreadBare),
      "spread10000.ratio": round(spread.totalMs / spreadBare.totalMs, 1),
      note: "core: whole command via Bot.handle; bare: one insert per vote",
    };
  } finally {
    await bot.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  run()
    .then((result) => {
      for (const [key, value] of Object.entries(result)) process.stdout.write(`${key}: ${value}\n`);
    })
    .catch((error: unknown) => {
      process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    });
}
