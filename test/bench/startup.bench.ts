/**
 * Start-up and memory of the real program (`node src/main.ts`, what `npm start` runs):
 * time from spawn to the console greeting and resident memory then, with an empty database
 * and with 100,000 pending reminders (medians of several starts); resident memory after
 * piped commands, with and without a smaller V8 young generation (--max-semi-space-size).
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { openDatabase } from "../../src/db/client.ts";
import { loadAverage, median, round } from "./stats.ts";

export const name = "startup";

const root = path.resolve(import.meta.dirname, "../..");
const starts = 5;
const commands = 5_000;

const rssMiB = (pid: number): number => {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024, 1);
};

/** Starts the bot on the console; resolves at the greeting with the time taken and the memory then. */
function startBot(url: string, nodeOptions: string[], input?: string) {
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeOptions, "src/main.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "warn" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  const greeted = new Promise<{ ms: number; rss: number }>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      if (out === "" && child.pid) resolve({ ms: performance.now() - started, rss: rssMiB(child.pid) });
      out += d.toString();
    });
    child.on("error", reject);
  });
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  if (input !== undefined) child.stdin.write(input);
  return { child, greeted, exited, output: () => out };
}

async function startups(url: string): Promise<{ ms: number; rss: number }> {
  const runs: { ms: number; rss: number }[] = [];
  for (let i = 0; i < starts; i++) {
    const bot = startBot(url, []);
    runs.push(await bot.greeted);
    bot.child.stdin.end();
    await bot.exited;
  }
  return { ms: round(median(runs.map((r) => r.ms)), 0), rss: round(median(runs.map((r) => r.rss)), 1) };
}

/** Resident memory after `commands` piped commands, sampled before the input ends. */
async function afterCommands(url: string, nodeOptions: string[]): Promise<number> {
  const lines = Array.from({ length: commands }, (_, i) => (i % 2 ? "settings" : "help")).join("\n");
  const bot = startBot(url, nodeOptions, `${lines}\n:as done-marker\n`);
  await bot.greeted;
  while (!bot.output().includes("done-marker")) await new Promise((resolve) => setTimeout(resolve, 100));
  const rss = bot.child.pid ? rssMiB(bot.child.pid) : Number.NaN;
  bot.child.stdin.end();
  await bot.exited;
  return rss;
}

export async function run(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(path.join(tmpdir(), "teambot-bench-"));
  try {
    const url = `file:${path.join(dir, "start.db")}`;
    const load = [loadAverage()];
    const empty = await startups(url);
    // 100,000 pending reminders (rows and jobs), written in bulk.
    const db = await openDatabase(url);
    const stamp = "strftime('%Y-%m-%dT%H:%M:%f+00:00', ?1 + n * 300, 'unixepoch')";
    await db.$executeRawUnsafe(
      `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 100000)
       INSERT INTO "Reminder" (id, teamRef, creatorRef, targetKind, targetRef, text, dueAt, timeZone, status, createdAt, updatedAt)
       SELECT n, 'console:main', 'console:@ann', 'me', 'console:@ann', 'Reminder ' || n, ${stamp}, 'Europe/Berlin', 'pending', ${stamp}, ${stamp} FROM seq`,
      Date.now() / 1000 + 3_600,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO "Job" (kind, payload, dueAt, runAt, pendingKey, status, attempts, createdAt, updatedAt)
       SELECT 'reminder', json_object('reminderId', id), dueAt, dueAt, 'reminder:' || id || ':main', 'pending', 0, createdAt, updatedAt FROM "Reminder"`,
    );
    await db.$disconnect();
    const full = await startups(url);
    load.push(loadAverage());
    const plain = await afterCommands(url, []);
    const semi = await afterCommands(url, ["--max-semi-space-size=8"]);
    load.push(loadAverage());
    return {
      "greeting empty db ms": empty.ms,
      "rss at greeting empty db MiB": empty.rss,
      "greeting 100k pending reminders ms": full.ms,
      "rss at greeting 100k pending MiB": full.rss,
      [`rss after ${commands} commands MiB`]: plain,
      [`rss after ${commands} commands, --max-semi-space-size=8 MiB`]: semi,
      starts,
      "load avg (start, after starts, end)": load.join(" | "),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const figures = await run();
  for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(52)} ${value}`);
}
