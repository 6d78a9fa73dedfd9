import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startBot } from "../../support/bot-process.ts";
import { waitFor } from "../../support/wait.ts";
import { FakeDiscord } from "./fake-discord.ts";

const dir = mkdtempSync(path.join(tmpdir(), "teambot-unreachable-"));
const fake = new FakeDiscord();
afterAll(async () => {
  await fake.close().catch(() => undefined);
  rmSync(dir, { recursive: true, force: true });
});

describe("Discord unreachable when the bot starts", () => {
  it("keeps the bot and the console running, says so in the log, and connects once Discord is back", async () => {
    // Where Discord will be: a port that nothing listens on yet.
    await fake.start();
    const api = fake.api;
    const port = Number(new URL(api).port);
    await fake.close();

    const bot = startBot(dir, {
      CONSOLE: "true",
      LOG_LEVEL: "info",
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_GUILD_ID: fake.guildId,
      DISCORD_API_URL: api,
    });
    try {
      await waitFor(() => bot.err().includes("adapter could not start; trying again"), 30_000);
      expect(bot.err()).toMatch(/"adapter":"discord".*"retryInSeconds":5/);
      // The console answers meanwhile, and the process does not exit.
      bot.child.stdin?.write("settings\n");
      await waitFor(() => bot.out().includes("Time zone"), 15_000);
      expect(bot.child.exitCode).toBeNull();

      // Discord comes back: the next attempt connects and commands work.
      await fake.start(port);
      await waitFor(() => /"adapter":"discord","attempt":\d+,"msg":"adapter started"/.test(bot.err()), 30_000);
      const token = fake.slash("settings", [{ name: "show", type: 1, options: [] }], {
        user: { id: "400000000000000004", username: "ann" },
        locale: "en-US",
      });
      await waitFor(() => fake.answersTo(token).length > 0, 15_000);
    } finally {
      bot.child.kill("SIGTERM");
      await bot.exited;
    }
  }, 90_000);
});
