/**
 * Waiting for another process's SQLite write lock: how long the event loop stands still.
 * A second process holds the write lock for one second while this one writes. With our
 * driver (5 ms native busy wait, then asynchronous retries) timers keep firing; with
 * SQLite's own busy timeout (how the bot waited before) the process is frozen until the
 * lock is free, which is how a Discord interaction missed its 3-second deadline.
 *
 * Run alone: `node test/bench/lock-wait.bench.ts`; `npm run bench` runs it with the others.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { pathToFileURL } from "node:url";
import { openDatabase } from "../../src/db/client.ts";

export const name = "lock-wait";

const holdMs = 1_000;

/** A process that takes the write lock, says "locked", holds it `holdMs`, then commits. */
function holdLock(file: string): Promise<() => Promise<void>> {
  const script = `const { DatabaseSync } = require("node:sqlite");
    const db = new DatabaseSync(${JSON.stringify(file)});
    db.exec("BEGIN IMMEDIATE"); db.exec("UPDATE \\"Team\\" SET name = 'held'");
    process.stdout.write("locked\\n");
    setTimeout(() => { db.exec("COMMIT"); db.close(); }, ${holdMs});`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  return new Promise((resolve) => child.stdout.once("data", () => resolve(() => exited)));
}

/** How long `write` took and the longest gap between ticks of a 5 ms timer meanwhile, in ms. */
async function measured(write: () => Promise<unknown>): Promise<{ waitedMs: number; stallMs: number }> {
  let last = performance.now();
  let stall = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    stall = Math.max(stall, now - last);
    last = now;
  }, 5);
  const started = performance.now();
  await write();
  const waitedMs = performance.now() - started;
  await new Promise((resolve) => setTimeout(resolve, 20)); // a tick after a synchronous wait
  clearInterval(ticker);
  return { waitedMs: Math.round(waitedMs), stallMs: Math.round(stall) };
}

export async function run(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(path.join(tmpdir(), "teambot-lock-"));
  try {
    const file = path.join(dir, "lock.db");
    const db = await openDatabase(`file:${file}`);
    await db.team.create({ data: { ref: "console:main" } });

    let done = await holdLock(file);
    const ours = await measured(() => db.team.update({ where: { ref: "console:main" }, data: { name: "ours" } }));
    await done();
    await db.$disconnect();

    // SQLite's own wait, as the bot's driver did it before: a synchronous busy timeout.
    const blocking = new DatabaseSync(file);
    blocking.exec("PRAGMA busy_timeout = 5000");
    done = await holdLock(file);
    const before = await measured(async () => blocking.exec(`UPDATE "Team" SET name = 'blocking'`));
    await done();
    blocking.close();
    return {
      "lock held by another process ms": holdMs,
      "our driver: write waited ms": ours.waitedMs,
      "our driver: longest event-loop stall ms": ours.stallMs,
      "native busy timeout: write waited ms": before.waitedMs,
      "native busy timeout: longest event-loop stall ms": before.stallMs,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  for (const [key, value] of Object.entries(await run())) console.log(`${key.padEnd(50)} ${value}`);
}
