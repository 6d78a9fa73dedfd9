/**
 * Vote storm: 1,000 first-time voters at once on one poll, then 2,000 votes of known members
 * spread over 20 polls, each vote a full command through the core (parse, context, checks,
 * one write transaction, acknowledgement). Next to each: the same database statements done
 * directly with Prisma (the context read, the member and membership upserts in the vote's
 * transaction, the poll read, the vote's delete and insert), at the same concurrency. Core
 * and direct storms alternate, several rounds; the figures are medians of the rounds.
 *
 * Run alone: `npx node test/bench/votes.bench.ts`; `npm run bench` runs it with the others.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Invocation } from "../../src/core/command.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";
import { benchDatabases } from "./databases.ts";
import { loadAverage, median, percentile, round } from "./stats.ts";
import { retryingTransaction } from "../../src/db/transaction.ts";
import { lookupContext } from "../../src/features/directory.ts";
import { findTeamPoll, setSelection } from "../../src/features/polls/store.ts";

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

type Run = { totalMs: number; latencies: number[] };

/** Medians over the rounds of a storm's total, p50 and p99. */
function figures(prefix: string, votes: number, runs: Run[]) {
  return {
    [`${prefix} total ms`]: round(median(runs.map((r) => r.totalMs)), 0),
    [`${prefix} votes per s`]: round(median(runs.map((r) => (votes / r.totalMs) * 1000)), 0),
    [`${prefix} p50 ms`]: round(median(runs.map((r) => percentile(r.latencies, 50)))),
    [`${prefix} p99 ms`]: round(median(runs.map((r) => percentile(r.latencies, 99)))),
  };
}

async function vote(bot: TestBot, member: string, line: string): Promise<void> {
  const result = await bot.app.bot.handle(invocation(member, line));
  if (result.kind !== "ok") throw new Error(`vote failed: ${member} ${line}: ${result.kind}`);
}

/**
 * The database work of one vote without the core, through the same functions the command
 * uses: the context read, then one transaction with (for a first-time voter) the member and
 * membership upserts, the poll with its options, the delete of other choices and the
 * insert of this one. What the command adds is parsing, checks, its unit of work and the
 * answer.
 */
async function directVote(bot: TestBot, ref: string, pollNumber: number, position: number, now: Date): Promise<void> {
  const db = bot.app.db;
  const who = { room: "console:bench", roomName: "bench", member: ref, memberName: ref.replace("console:@", ""), isCoordinator: false };
  const looked = await lookupContext(db, who, { language: "de", timeZone: "Europe/Berlin" }, now);
  await retryingTransaction(db, async (tx) => {
    const { team, member } = looked.ensure ? await looked.ensure(tx) : looked;
    const poll = await findTeamPoll(tx, team.id, pollNumber);
    const optionId = poll.options[position - 1]?.id ?? 0;
    await setSelection(tx, poll.id, member.id, [optionId], now);
  });
}

async function newPoll(bot: TestBot, question: string, options: string): Promise<number> {
  await bot.say(`poll create "${question}" ${options}`, { member: "ann", room: "bench" });
  const poll = await bot.app.db.poll.findFirstOrThrow({ orderBy: { id: "desc" } });
  // One team: its poll numbers are the polls' ids, so both sides can use either.
  if (poll.number !== poll.id) throw new Error(`poll #${poll.number} has id ${poll.id}`);
  return poll.id;
}

async function expectVotes(bot: TestBot, pollIds: number[], count: number): Promise<void> {
  const found = await bot.app.db.pollVote.count({ where: { pollId: { in: pollIds } } });
  if (found !== count) throw new Error(`expected ${count} vote rows, found ${found}`);
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

const rounds = 3;

async function runOn(url: string): Promise<Record<string, number | string>> {
  const bot = await startTestBot({ DATABASE_URL: url });
  const now = bot.clock.now();
  try {
    const load = [loadAverage()];
    // Storm 1: 1,000 members never seen before vote at once on one poll; core and direct alternate.
    const storm = { core: [] as Run[], direct: [] as Run[] };
    for (let r = 0; r < rounds; r++) {
      const core = await newPoll(bot, `Storm ${r}?`, "A B C D");
      storm.core.push(
        await timed(Array.from({ length: 1000 }, (_, i) => () => vote(bot, `c${r}m${i}`, `poll vote ${core} ${(i % 4) + 1}`)), 1000),
      );
      await expectVotes(bot, [core], 1000);
      const direct = await newPoll(bot, `Direct ${r}?`, "A B C D");
      storm.direct.push(
        await timed(Array.from({ length: 1000 }, (_, i) => () => directVote(bot, `console:@d${r}m${i}`, direct, (i % 4) + 1, now)), 1000),
      );
      await expectVotes(bot, [direct], 1000);
    }
    load.push(loadAverage());

    // Storm 2: 2,000 votes of 100 known members over 20 polls, 100 in flight; core then direct, per round.
    const spread = { core: [] as Run[], direct: [] as Run[] };
    for (let m = 0; m < 100; m++) await bot.say("help", { member: `v${m}`, room: "bench" });
    for (let r = 0; r < rounds; r++) {
      const polls: number[] = [];
      for (let p = 0; p < 20; p++) polls.push(await newPoll(bot, `Q${r}.${p}?`, "A B C"));
      const votes = (act: (pollId: number, m: number, position: number) => Promise<void>) =>
        polls.flatMap((pollId, p) => Array.from({ length: 100 }, (_, m) => () => act(pollId, m, ((m + p) % 3) + 1)));
      spread.core.push(await timed(votes((pollId, m, o) => vote(bot, `v${m}`, `poll vote ${pollId} ${o}`)), 100));
      await expectVotes(bot, polls, 2_000);
      // Again on the same polls: the direct votes change each member's choice to the next option.
      spread.direct.push(await timed(votes((pollId, m, o) => directVote(bot, `console:@v${m}`, pollId, (o % 3) + 1, now)), 100));
    }
    load.push(loadAverage());
    const ratio = (a: Run[], b: Run[]) => round(median(a.map((r) => r.totalMs)) / median(b.map((r) => r.totalMs)), 2);
    return {
      ...figures("storm1000 first votes core", 1000, storm.core),
      ...figures("storm1000 first votes direct", 1000, storm.direct),
      "storm1000 ratio core/direct": ratio(storm.core, storm.direct),
      ...figures("spread2000 core", 2_000, spread.core),
      ...figures("spread2000 direct", 2_000, spread.direct),
      "spread2000 ratio core/direct": ratio(spread.core, spread.direct),
      rounds,
      "load avg (start, after storms, end)": load.join(" | "),
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
