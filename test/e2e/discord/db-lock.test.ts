import { Worker } from "node:worker_threads";
import { afterAll, beforeAll, expect, it } from "vitest";
import type { FakeUser } from "./fake-discord.ts";
import { type DiscordWorld, startDiscordWorld, violations } from "./setup.ts";

/**
 * Another process holds SQLite's write lock for 4 seconds. The database driver waits for it
 * synchronously, so nothing else runs meanwhile: the interaction must already be
 * acknowledged by then, or Discord rejects it after 3 seconds and the member, told it
 * failed, tries again (a duplicate).
 */
let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld();
});
afterAll(async () => {
  expect(violations(world.fake)).toEqual([]);
  await world?.close();
});

/** A second connection, in a thread of its own (as another process would be), holding the write lock. */
function holdWriteLock(file: string, holdMs: number): Promise<{ released: Promise<void> }> {
  const worker = new Worker(
    `const { DatabaseSync } = require("node:sqlite");
     const { parentPort, workerData } = require("node:worker_threads");
     const db = new DatabaseSync(workerData.file);
     db.exec("BEGIN IMMEDIATE");
     parentPort.postMessage("locked");
     setTimeout(() => { db.exec("COMMIT"); db.close(); parentPort.postMessage("released"); }, workerData.holdMs);`,
    { eval: true, workerData: { file, holdMs } },
  );
  const released = new Promise<void>((resolve) => worker.on("message", (m) => m === "released" && resolve()));
  return new Promise((resolve, reject) => {
    worker.once("error", reject);
    worker.on("message", (m) => m === "locked" && resolve({ released }));
  });
}

it("acknowledges a command before it waits on a database lock held by another process", async () => {
  const newcomer: FakeUser = { id: "400000000000000044", username: "nadia", globalName: "Nadia" };
  const file = world.bot.databaseUrl.replace(/^file:/, "");
  const lock = await holdWriteLock(file, 4000);
  const token = world.fake.slash(
    "task",
    [{ name: "add", type: 1, options: [{ name: "title", type: 3, value: "Book the interpreter" }] }],
    { user: newcomer, locale: "en-US" },
  );
  const state = world.fake.interactions.byToken.get(token);
  await world.answered(token, 20_000);
  await lock.released;
  // The first contact writes (member, team membership, task): they waited for the lock, then went through.
  await world.fake.waitFor((r) => r.method === "POST" && String((r.body as { content?: string }).content).includes("Book the interpreter"));
  const acknowledged = (state?.ackAt ?? Infinity) - (state?.createdAt ?? 0);
  expect(acknowledged).toBeLessThan(1000);
  const answeredAt = Math.max(...world.fake.requests.filter((r) => r.path.includes(token)).map((r) => r.at));
  expect(answeredAt - (state?.createdAt ?? 0)).toBeGreaterThan(3000);
}, 30_000);
