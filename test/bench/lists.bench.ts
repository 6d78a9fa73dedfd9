/**
 * Every list command at 10,000 rows of its kind in one team (and 100,000 pending jobs in the
 * job table): p50/p99 of the full command (parse, context, queries, render) over interleaved
 * rounds, first page and a middle page. Target: each < 100 ms.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { startTestBot } from "../support/harness.ts";
import { seedLists } from "../support/seed-lists.ts";
import { loadAverage, percentile, round } from "./stats.ts";

export const name = "lists";

const rows = 10_000;
const rounds = 30;
const commands = ["task list", "rr list", "remind list", "meeting list", "poll list"];

export async function run(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(path.join(tmpdir(), "teambot-bench-"));
  const bot = await startTestBot({}, { dir, keepFiles: true });
  try {
    await bot.say("help", { member: "ann", room: "main" });
    const seeded = performance.now();
    await seedLists(bot.app.db, {
      teamRef: "console:main",
      memberRef: "console:@ann",
      now: bot.clock.now(),
      count: rows,
      extraJobs: 100_000 - rows,
    });
    // A running bot brings SQLite's planner statistics up to date at start and every hour
    // (src/db/sqlite.ts); rows seeded behind its back get them as after that hour.
    await bot.app.db.$executeRawUnsafe("PRAGMA optimize=0x10002");
    const figures: Record<string, number | string> = {
      rows,
      "pending jobs": 100_000,
      "seed s": round((performance.now() - seeded) / 1000),
      "load before": loadAverage(),
    };
    const latencies = new Map<string, number[]>();
    // Interleaved: each round runs every list once, so a busy moment of the machine hits all alike.
    for (let r = 0; r < rounds; r++) {
      for (const command of commands) {
        for (const line of [command, `${command} --page 250`]) {
          const t0 = performance.now();
          const out = await bot.say(line, { member: "ann" });
          const ms = performance.now() - t0;
          if (r === 0 && !out.includes("• ")) throw new Error(`${line}: no rows listed\n${out}`);
          latencies.set(line, [...(latencies.get(line) ?? []), ms]);
        }
      }
    }
    for (const [line, values] of latencies) {
      values.sort((a, b) => a - b);
      figures[`${line} p50 ms`] = round(percentile(values, 50));
      figures[`${line} p99 ms`] = round(percentile(values, 99));
    }
    figures["load after"] = loadAverage();
    return figures;
  } finally {
    await bot.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const figures = await run();
  for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(36)} ${value}`);
}
