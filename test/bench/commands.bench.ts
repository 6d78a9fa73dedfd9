import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { ConsoleAdapter } from "../../src/adapters/console/console-adapter.ts";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/core/log.ts";
import { benchDatabases } from "./databases.ts";

/**
 * Command round trip through the whole core (parse, authorize, handler, database,
 * render) next to the bare Prisma operations the same command needs.
 */
export const name = "commands";

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

async function measure(concurrency: number, total: number, op: (i: number) => Promise<unknown>) {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
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
  const elapsed = performance.now() - started;
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99), perSecond: (total / elapsed) * 1000 };
}

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
  const invoke = (member: number, text: string) =>
    app.bot.handle({
      platform: "console",
      room: "console:main",
      roomName: "main",
      isDirect: false,
      member: `console:@m${member}`,
      memberName: `m${member}`,
      isCoordinator: false,
      input: { kind: "text", text, requirePrefix: false },
    });
  const zones = ["Europe/Berlin", "Asia/Kabul", "Europe/Istanbul"];
  const figures: Record<string, number | string> = { "rss after start MiB": round(rssAfterStart / 2 ** 20) };
  for (const concurrency of [1, 10, 100]) {
    const total = concurrency === 1 ? 300 : 1000;
    for (let m = 0; m < concurrency; m++) await invoke(m, "settings"); // members exist
    const read = await measure(concurrency, total, (i) => invoke(i % concurrency, "settings"));
    const write = await measure(concurrency, total, (i) => invoke(i % concurrency, `settings timezone ${zones[i % 3]}`));
    // The bare database work of the same commands: the three context lookups
    // (team, member, membership), plus the update for the write command.
    const lookups = async (i: number) => {
      const ref = `console:@m${i % concurrency}`;
      const team = await app.db.team.findFirst({ where: { ref: "console:main" } });
      const member = await app.db.member.findFirst({ where: { ref } });
      if (team && member) await app.db.teamMember.findFirst({ where: { teamId: team.id, memberId: member.id } });
    };
    const bareRead = await measure(concurrency, total, lookups);
    const bareWrite = await measure(concurrency, total, async (i) => {
      await lookups(i);
      await app.db.member.update({ where: { ref: `console:@m${i % concurrency}` }, data: { timeZone: zones[i % 3] } });
    });
    const c = `c${concurrency}`;
    figures[`read ${c} p50 ms`] = round(read.p50);
    figures[`read ${c} p99 ms`] = round(read.p99);
    figures[`read ${c} per s`] = round(read.perSecond);
    figures[`read ${c} bare db per s`] = round(bareRead.perSecond);
    figures[`read ${c} ratio core/bare`] = round(bareRead.perSecond / read.perSecond);
    figures[`write ${c} p50 ms`] = round(write.p50);
    figures[`write ${c} p99 ms`] = round(write.p99);
    figures[`write ${c} per s`] = round(write.perSecond);
    figures[`write ${c} bare db per s`] = round(bareWrite.perSecond);
    figures[`write ${c} ratio core/bare`] = round(bareWrite.perSecond / write.perSecond);
  }
  figures["rss after commands MiB"] = round(process.memoryUsage().rss / 2 ** 20);
  await app.close();
  return figures;
}

const round = (n: number) => Math.round(n * 100) / 100;

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const figures = await run();
  for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(36)} ${value}`);
}
