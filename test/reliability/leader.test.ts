import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DiscordAdapter } from "../../src/adapters/discord/discord-adapter.ts";
import { LeaderOnly } from "../../src/adapters/leader-only.ts";
import { createLogger } from "../../src/core/log.ts";
import { projectRoot } from "../../src/db/client.ts";
import { Leadership } from "../../src/db/leadership.ts";
import { FakeDiscord } from "../e2e/discord/fake-discord.ts";
import { FakeHomeserver } from "../e2e/matrix/fake-homeserver.ts";
import { ANN, joinedRoom, replyTarget } from "../e2e/matrix/matrix-harness.ts";
import { databaseUrlFor, dropDatabaseFor, testDatabase } from "../support/database.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";
import { waitFor } from "../support/wait.ts";

const fake = new FakeHomeserver();
const dir = mkdtempSync(path.join(tmpdir(), "teambot-leader-"));
const bots: { child: ChildProcess; log: () => string; leads: () => boolean }[] = [];

afterAll(async () => {
  for (const { child } of bots) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  }
  await fake.stop();
  await dropDatabaseFor(dir);
  rmSync(dir, { recursive: true, force: true });
});

/** `npm start`'s process with Matrix credentials on the shared database. */
function startBot(): (typeof bots)[number] {
  const child = spawn(process.execPath, ["src/main.ts"], {
    cwd: projectRoot,
    env: {
      PATH: process.env.PATH,
      DATABASE_URL: databaseUrlFor(dir),
      LOG_LEVEL: "info",
      DEFAULT_LANGUAGE: "en",
      MATRIX_HOMESERVER_URL: fake.url,
      MATRIX_ACCESS_TOKEN: fake.accessToken,
      // One session (device and keys) for the bot account, used by whichever process leads.
      MATRIX_STORE_PATH: path.join(dir, "matrix-session.bin"),
      MATRIX_STORE_KEY: "a-store-key-for-this-test-only-0123456789",
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  const leadership = () => log.split("\n").filter((l) => l.includes('"name":"matrix"') && /"msg":"(no longer )?leading"/.test(l));
  const bot = { child, log: () => log, leads: () => leadership().at(-1)?.includes('"msg":"leading"') === true };
  bots.push(bot);
  return bot;
}

const botSaid = (room: string, text: string) =>
  fake.sentByBot(room).filter((e) => String(e.content.body ?? "").includes(text));

describe.skipIf(testDatabase !== "postgres")("the Matrix sync with several processes on one PostgreSQL database", () => {
  it("runs in one process; another takes over within 30 s of its death, and nothing happens twice", async () => {
    await fake.start();
    const processes = [startBot(), startBot(), startBot()];
    await waitFor(() => processes.some((b) => b.leads()), 30_000);
    const room = await joinedRoom(fake);
    const remind = fake.say(room, ANN, "!remind team in 20 seconds fill in the form");
    await waitFor(() => fake.sentByBot(room).some((e) => replyTarget(e) === remind), 15_000);
    expect(processes.filter((b) => b.leads())).toHaveLength(1);

    // The leader dies without a word; a follower takes the lead and the sync goes on.
    const leader = processes.find((b) => b.leads());
    leader?.child.kill("SIGKILL");
    const killedAt = Date.now();
    const followers = processes.filter((b) => b !== leader);
    await waitFor(() => followers.some((b) => b.leads()), 30_000);
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    expect(followers.filter((b) => b.leads())).toHaveLength(1);

    const settings = fake.say(room, ANN, "!settings");
    await waitFor(() => fake.sentByBot(room).some((e) => replyTarget(e) === settings), 15_000);
    // The reminder falls due after the takeover: whichever process claims it, the leader posts it, once.
    // (A process notices a job another one planned at its next look, at most a minute later.)
    await waitFor(() => botSaid(room, "fill in the form").length >= 2, 90_000);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(botSaid(room, "fill in the form")).toHaveLength(2); // the confirmation and the reminder
    for (const command of [remind, settings]) {
      expect(fake.sentByBot(room).filter((e) => replyTarget(e) === command)).toHaveLength(1);
    }
  }, 180_000);
});

describe.skipIf(testDatabase !== "postgres")("the Discord gateway with several bots on one PostgreSQL database", () => {
  const fakeDiscord = new FakeDiscord();
  const others: TestBot[] = [];
  afterAll(async () => {
    for (const bot of others.reverse()) await bot.close();
    await fakeDiscord.close();
  });

  it("is open in one of them; when that one stops, another opens it", async () => {
    await fakeDiscord.start();
    const log = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
    const first = await startTestBot();
    const second = await startTestBot({}, { dir: first.dir, keepFiles: true });
    others.push(first, second);
    const { token, applicationId, guildId, api } = fakeDiscord;
    const started = [first, second].map(async (bot) => {
      const gate = new LeaderOnly(
        () => new DiscordAdapter({ token, applicationId, guildId, api, db: bot.app.db, log }),
        (name, onChange) => new Leadership({ url: bot.databaseUrl, name, log, onChange, retryMs: 500 }),
      );
      bot.app.bot.addAdapter(gate);
      await gate.start(bot.app.bot);
      return gate;
    });
    const gates = await Promise.all(started);
    await fakeDiscord.waitForSessions(1);
    await waitFor(() => gates.some((g) => g.leading), 15_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(gates.filter((g) => g.leading)).toHaveLength(1);
    expect(fakeDiscord.identifies).toBe(1);

    const leader = gates.find((g) => g.leading);
    await leader?.stop();
    await fakeDiscord.waitForSessions(2);
    await waitFor(() => gates.some((g) => g.leading), 15_000);
    expect(gates.filter((g) => g.leading)).toHaveLength(1);
    expect(gates.find((g) => g.leading)).not.toBe(leader);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(fakeDiscord.identifies).toBe(2);
    for (const gate of gates) await gate.stop();
  }, 60_000);
});
