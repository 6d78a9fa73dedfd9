import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ConsoleAdapter } from "../../src/adapters/console/console-adapter.ts";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/core/log.ts";
import { benchDatabases } from "./databases.ts";
import { loadAverage, percentile, round } from "./stats.ts";
import { retryingTransaction } from "../../src/db/transaction.ts";

/**
 * Command round trip through the whole core (parse, context, handler, database, render)
 * next to the same database work done directly: the directory's context reads, its
 * `ensure` write when the bot would make one (a membership's "last seen" is refreshed once
 * a minute, so a long run writes it now and then on either side alike), plus for the write
 * command its update in a transaction. Command and direct runs alternate in short rounds,
 * so a busy moment of the (shared) machine hits both; p50/p99 over all rounds.
 */
export const name = "commands";

/** Runs `total` operations with `concurrency` in flight; returns each one's latency in ms. */
async function measure(concurrency: number, total: number, op: (i: number) => Promise<unknown>): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const i = next++;
        const t = performance.now();
        await op(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return latencies;
}

const rounds = 6;

/** On SQLite and, when one answers, on PostgreSQL (figures prefixed "pg "). */
export async function run(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(path.join(tmpdir(), "teambot-bench-"));
  try {
    const figures: Record<string, number | string> = {};
    for (const database of await benchDatabases(dir)) {
      try {
        for (const [key, value] of Object.entries(await runOn(database.url, dir))) figures[`${database.prefix}${key}`] = value;
      } finally {
        await database.drop();
      }
    }
    return figures;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function runOn(url: string, dir: string): Promise<Record<string, number | string>> {
  const config = loadConfig({ DATABASE_URL: url });
  const app = await createApp(config, createLogger("silent"));
  const adapter = new ConsoleAdapter({ member: "m0", room: "main", attachmentDir: dir });
  app.bot.addAdapter(adapter);
  await app.bot.start();
  const rssAfterStart = process.memoryUsage().rss;
  const speaker = (member: number) => ({
    room: "console:main",
    roomName: "main",
    member: `console:@m${member}`,
    memberName: `m${member}`,
    isCoordinator: false,
  });
  const invoke = (member: number, text: string) =>
    app.bot.handle({
      platform: "console",
      isDirect: false,
      ...speaker(member),
      input: { kind: "text", text, requirePrefix: false },
    });
  const { directory } = app.services;
  if (!directory.lookup) throw new Error("the directory reads contexts without writing");
  const lookup = directory.lookup.bind(directory);
  const zones = ["Europe/Berlin", "Asia/Kabul", "Europe/Istanbul"];
  const figures: Record<string, number | string> = { "rss after start MiB": round(rssAfterStart / 2 ** 20) };
  for (const concurrency of [1, 10, 100]) {
    // Enough samples that a p99 is not one garbage collection: the commands take a fraction of a millisecond.
    const perRound = concurrency === 1 ? 500 : concurrency === 10 ? 1_000 : 200;
    for (let m = 0; m < concurrency; m++) await invoke(m, "settings"); // members exist
    // The database work of the same commands, as the bot does it (src/core/bot.ts): the
    // context read, its `ensure` (when due) on the database for the read-only command and in
    // the transaction of the write command, which also updates the member.
    const context = (i: number) => lookup(speaker(i % concurrency), app.bot.clock.now());
    const kinds = {
      read: (i: number) => invoke(i % concurrency, "settings"),
      "read db": async (i: number) => {
        const rows = await context(i);
        if (rows.ensure) await rows.ensure(app.db);
      },
      write: (i: number) => invoke(i % concurrency, `settings timezone ${zones[i % 3]}`),
      "write db": async (i: number) => {
        const rows = await context(i);
        await retryingTransaction(app.db, async (tx) => {
          const { member } = rows.ensure ? await rows.ensure(tx) : rows;
          await tx.member.update({ where: { id: member.id }, data: { timeZone: zones[i % 3] } });
        });
      },
    };
    const latencies = new Map<string, number[]>();
    for (let r = 0; r < rounds; r++) {
      for (const [kind, op] of Object.entries(kinds)) {
        latencies.set(kind, [...(latencies.get(kind) ?? []), ...(await measure(concurrency, perRound, op))]);
      }
    }
    const c = `c${concurrency}`;
    const p = (kind: string, at: number) => percentile([...(latencies.get(kind) ?? [])].sort((x, y) => x - y), at);
    for (const kind of ["read", "write"]) {
      figures[`${kind} ${c} p50 ms`] = round(p(kind, 50));
      figures[`${kind} ${c} db p50 ms`] = round(p(`${kind} db`, 50));
      figures[`${kind} ${c} p99 ms`] = round(p(kind, 99));
      figures[`${kind} ${c} db p99 ms`] = round(p(`${kind} db`, 99));
      figures[`${kind} ${c} p99 ratio`] = round(p(kind, 99) / p(`${kind} db`, 99));
    }
  }
  figures.load = loadAverage();
  figures["rss after commands MiB"] = round(process.memoryUsage().rss / 2 ** 20);
  await app.close();
  return figures;
}


if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const figures = await run();
  for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(36)} ${value}`);
}
