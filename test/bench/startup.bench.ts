/**
 * Start-up and memory of the real program: time from spawn to the console greeting of
 * `node --max-semi-space-size=8 --max-old-space-size=512 src/main.ts` (what `npm start`
 * execs and the systemd unit runs), with an empty database and with 100,000 pending
 * reminders (medians of several starts); resident memory of the whole process tree of
 * `npm start` (npm stays as the parent) at the greeting and after 20,000 piped commands,
 * next to the bot process alone, and the bot without --max-old-space-size for comparison.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { openDatabase } from "../../src/db/client.ts";
import { loadAverage, median, round } from "./stats.ts";

export const name = "startup";

const root = path.resolve(import.meta.dirname, "../..");
const starts = 5;
const commands = 20_000;

const rssKiB = (pid: number): number => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
  } catch {
    return 0; // gone meanwhile
  }
};

/** The process and all its descendants (Linux: /proc/<pid>/task/<tid>/children). */
function processTree(pid: number): number[] {
  let children: number[] = [];
  try {
    for (const task of readdirSync(`/proc/${pid}/task`)) {
      const listed = readFileSync(`/proc/${pid}/task/${task}/children`, "utf8").trim();
      if (listed) children = [...children, ...listed.split(/\s+/).map(Number)];
    }
  } catch {
    return [];
  }
  return [pid, ...children.flatMap(processTree)];
}

/** Resident memory of the whole tree and of its last process (the bot), MiB. */
function memory(pid: number): { tree: number; bot: number } {
  const pids = processTree(pid);
  const mib = (kib: number) => round(kib / 1024, 1);
  return { tree: mib(pids.reduce((sum, p) => sum + rssKiB(p), 0)), bot: mib(rssKiB(pids.at(-1) ?? pid)) };
}

/** `npm start` as a person types it, or the bot's node process as systemd runs it. */
const npmStart = (): [string, string[]] => {
  const npm = process.env.npm_execpath;
  return npm ? [process.execPath, [npm, "start", "--silent"]] : ["npm", ["start", "--silent"]];
};
const nodeDirect = (): [string, string[]] => [process.execPath, ["--max-semi-space-size=8", "--max-old-space-size=512", "src/main.ts"]];
/** Without the old-generation cap: V8 sizes its heap for the machine's memory (24 GiB here). */
const uncapped = (): [string, string[]] => [process.execPath, ["--max-semi-space-size=8", "src/main.ts"]];

/** Starts the bot on the console; resolves at the greeting with the time taken and the memory then. */
function startBot(url: string, how: () => [string, string[]], input?: string) {
  const started = performance.now();
  const [command, args] = how();
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: "warn" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  const greeted = new Promise<{ ms: number; tree: number; bot: number }>((resolve, reject) => {
    child.stdout.on("data", (d: Buffer) => {
      if (out === "" && child.pid) resolve({ ms: performance.now() - started, ...memory(child.pid) });
      // Only the end matters (the marker): the bench itself must not hold 20,000 answers.
      out = (out + d.toString()).slice(-200);
    });
    child.on("error", reject);
  });
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  if (input !== undefined) child.stdin.write(input);
  return { child, greeted, exited, output: () => out };
}

async function startups(url: string, how: () => [string, string[]], times: number) {
  const runs: { ms: number; tree: number; bot: number }[] = [];
  for (let i = 0; i < times; i++) {
    const bot = startBot(url, how);
    runs.push(await bot.greeted);
    bot.child.stdin.end();
    await bot.exited;
  }
  const mid = (pick: (r: (typeof runs)[number]) => number) => median(runs.map(pick));
  return { ms: round(mid((r) => r.ms), 0), tree: mid((r) => r.tree), bot: mid((r) => r.bot) };
}

/** Memory after `commands` piped commands (sampled before the input ends) and the peak meanwhile. */
async function afterCommands(url: string, how: () => [string, string[]]) {
  const lines = Array.from({ length: commands }, (_, i) => (i % 2 ? "settings" : "help")).join("\n");
  const started = performance.now();
  const bot = startBot(url, how, `${lines}\n:as done-marker\n`);
  await bot.greeted;
  let peak = 0;
  while (!bot.output().includes("done-marker")) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    if (bot.child.pid) peak = Math.max(peak, memory(bot.child.pid).tree);
  }
  const end = bot.child.pid ? memory(bot.child.pid) : { tree: Number.NaN, bot: Number.NaN };
  const seconds = round((performance.now() - started) / 1000, 1);
  bot.child.stdin.end();
  await bot.exited;
  return { ...end, peak, seconds };
}

export async function run(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(path.join(tmpdir(), "teambot-bench-"));
  try {
    const url = `file:${path.join(dir, "start.db")}`;
    const load = [loadAverage()];
    const empty = await startups(url, nodeDirect, starts);
    const emptyTree = await startups(url, npmStart, 3);
    // 100,000 pending reminders (rows and jobs) of one team and member, written in bulk.
    const db = await openDatabase(url);
    await db.team.create({ data: { ref: "console:main" } });
    await db.member.create({ data: { ref: "console:@ann" } });
    const stamp = "strftime('%Y-%m-%dT%H:%M:%f+00:00', ?1 + n * 300, 'unixepoch')";
    await db.$executeRawUnsafe(
      `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 100000)
       INSERT INTO "Reminder" (id, number, teamRef, creatorRef, targetKind, targetRef, text, dueAt, timeZone, status, createdAt, updatedAt)
       SELECT n, n, 'console:main', 'console:@ann', 'me', 'console:@ann', 'Reminder ' || n, ${stamp}, 'Europe/Berlin', 'pending', ${stamp}, ${stamp} FROM seq`,
      Date.now() / 1000 + 3_600,
    );
    await db.$executeRawUnsafe(
      `INSERT INTO "Job" (kind, payload, dueAt, runAt, pendingKey, status, attempts, createdAt, updatedAt)
       SELECT 'reminder', json_object('reminderId', id), dueAt, dueAt, 'reminder:' || id || ':main', 'pending', 0, createdAt, updatedAt FROM "Reminder"`,
    );
    await db.$disconnect();
    const full = await startups(url, nodeDirect, starts);
    const fullTree = await startups(url, npmStart, 3);
    load.push(loadAverage());
    const after = await afterCommands(url, npmStart);
    const before = await afterCommands(url, uncapped);
    load.push(loadAverage());
    return {
      "greeting empty db ms": empty.ms,
      "greeting 100k pending reminders ms": full.ms,
      "rss at greeting empty db, bot / npm start tree MiB": `${empty.bot} / ${emptyTree.tree}`,
      "rss at greeting 100k pending, bot / npm start tree MiB": `${full.bot} / ${fullTree.tree}`,
      [`rss after ${commands} commands, bot / npm start tree MiB`]: `${after.bot} / ${after.tree}`,
      [`peak tree rss during ${commands} commands MiB`]: after.peak,
      [`${commands} commands s`]: after.seconds,
      [`rss after ${commands} commands, bot without --max-old-space-size MiB`]: before.bot,
      [`${commands} commands without --max-old-space-size s`]: before.seconds,
      starts,
      "load avg (start, after starts, end)": load.join(" | "),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const figures = await run();
  for (const [key, value] of Object.entries(figures)) console.log(`${key.padEnd(56)} ${value}`);
}
