import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.ts";
import { retryingTransaction as inTransaction } from "../../src/db/transaction.ts";
import { bumpVersion, findTask, TaskConflict } from "../../src/features/tasks/store.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";

describe("task store: optimistic locking for concurrent changes", () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
    await bot.say("task add Formular");
  });
  afterEach(async () => {
    await bot.close();
  });

  it("refuses a change based on a stale read, so two changes of one task cannot both win", async () => {
    const db = bot.app.db;
    const team = await db.team.findUniqueOrThrow({ where: { ref: "console:main" } });
    const stale = await findTask(db, team.id, 1);
    // Someone else changes the task meanwhile.
    await db.$transaction((tx) => bumpVersion(tx, stale));
    await expect(db.$transaction((tx) => bumpVersion(tx, stale))).rejects.toBeInstanceOf(TaskConflict);
    const fresh = await findTask(db, team.id, 1);
    expect(fresh.version).toBe(stale.version + 1);
  });

  it("retries a transaction that lost a race, and gives up with a clear error", async () => {
    let tries = 0;
    const value = await inTransaction(bot.app.db, async () => {
      tries++;
      if (tries < 3) throw new TaskConflict("lost");
      return "won";
    });
    expect(value).toBe("won");
    expect(tries).toBe(3);
    const busy = new UserError("task.errors.busy", { id: 1 });
    await expect(
      inTransaction(
        bot.app.db,
        async () => {
          throw new TaskConflict("always");
        },
        { giveUp: busy },
      ),
    ).rejects.toBe(busy);
    // Errors the user can fix are not retried.
    let userTries = 0;
    await expect(
      inTransaction(bot.app.db, async () => {
        userTries++;
        throw new UserError("task.errors.unknown", { id: 9 });
      }),
    ).rejects.toBeInstanceOf(UserError);
    expect(userTries).toBe(1);
  });
});
