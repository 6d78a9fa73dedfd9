import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeHomeserver } from "./fake-homeserver.ts";
import { BOB, joinedRoom, type MatrixBot, pause, startMatrixBot, tempDir } from "./matrix-harness.ts";

/**
 * A stop while commands wait in a room's queue behind a slow one: none is lost and none
 * runs twice. The sync position is saved only past events that were handled, so what a
 * stop leaves in the queue comes again after the restart, and the claims made with each
 * command keep the handled ones from running again.
 */
describe("Matrix: stopping with commands in the queue", () => {
  let fake: FakeHomeserver;
  let temp: ReturnType<typeof tempDir>;
  let bot: MatrixBot | undefined;

  beforeEach(async () => {
    fake = new FakeHomeserver();
    await fake.start();
    temp = tempDir();
  });
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
    await fake.stop();
    temp.remove();
  });

  const texts = ["Q1", "Q2", "Q3", "Q4", "Q5"];
  /** How often each queued command ran: a team reminder is one row per run. */
  const runs = async (b: MatrixBot) => {
    const rows = await b.app.db.reminder.findMany();
    return texts.map((t) => rows.filter((r) => r.text === t).length);
  };
  /** The same, read from the database file while no bot runs. */
  const runsInFile = () => {
    const db = new DatabaseSync(path.join(temp.dir, "test.db"));
    const rows = db.prepare(`SELECT "text" FROM "Reminder"`).all();
    db.close();
    return texts.map((t) => rows.filter((r) => r.text === t).length);
  };

  /** Five commands in one room; every answer waits out the homeserver's rate limit, so they queue up. */
  async function queueCommands(b: MatrixBot): Promise<void> {
    const room = await joinedRoom(fake);
    fake.fail("PUT", /\/send\//, 429, { errcode: "M_LIMIT_EXCEEDED", error: "Slow down", retry_after_ms: 400 }, 40);
    for (const text of texts) fake.say(room, BOB, `!remind team in 2 hours ${text}`);
    const deadline = Date.now() + 8000;
    while ((await runs(b)).every((n) => n === 0) && Date.now() < deadline) await pause(20);
  }

  it("runs what was queued after the restart, once, when the stop could not wait for it", async () => {
    bot = await startMatrixBot(fake, temp.dir, { stopDrainMs: 0 });
    await queueCommands(bot);
    await bot.close();
    bot = undefined;
    // The stop left the ones behind the first: not run, not claimed.
    const before = runsInFile();
    expect(before[0]).toBe(1);
    expect(before.filter((n) => n === 0).length).toBeGreaterThan(0);
    fake.failures.length = 0;
    bot = await startMatrixBot(fake, temp.dir);
    const deadline = Date.now() + 15_000;
    while ((await runs(bot)).some((n) => n === 0) && Date.now() < deadline) await pause(50);
    expect(await runs(bot)).toEqual([1, 1, 1, 1, 1]);
    await bot.close();
    bot = await startMatrixBot(fake, temp.dir);
    await pause(500);
    expect(await runs(bot)).toEqual([1, 1, 1, 1, 1]);
  }, 60_000);

  it("handles what was queued before it stops, and not again after the restart", async () => {
    bot = await startMatrixBot(fake, temp.dir);
    await queueCommands(bot);
    await bot.close();
    bot = undefined;
    expect(runsInFile()).toEqual([1, 1, 1, 1, 1]);
    fake.failures.length = 0;
    bot = await startMatrixBot(fake, temp.dir);
    await pause(500);
    expect(await runs(bot)).toEqual([1, 1, 1, 1, 1]);
  }, 60_000);
});
