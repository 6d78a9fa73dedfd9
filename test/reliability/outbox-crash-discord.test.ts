import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FakeDiscord, type FakeUser } from "../e2e/discord/fake-discord.ts";
import { waitFor } from "../support/wait.ts";
import { type BotProcess, duplicatesPerConversation, planReminders, startBot } from "./support/burst.ts";

const dir = mkdtempSync(path.join(tmpdir(), "teambot-outbox-crash-discord-"));
const fake = new FakeDiscord();
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

const users: FakeUser[] = Array.from({ length: 30 }, (_, i) => ({
  id: String(420000000000000000n + BigInt(i)),
  username: `m${i}`,
  globalName: `M${i}`,
}));
const ann: FakeUser = { id: "400000000000000004", username: "ann", globalName: "Ann" };

/** Messages Discord shows: in the team channel or a member's DM, with the mark they carry. */
function deliveries(): { to: string; text: string }[] {
  const found: { to: string; text: string }[] = [];
  for (const message of fake.channelMessages.values()) {
    const mark = /\b(R\d+X|C\d+X)\b/.exec(message.content)?.[1];
    const owner = fake.dmOwner(message.channelId);
    if (mark) found.push({ to: owner ? `discord:${owner}` : `channel:${message.channelId}`, text: mark });
  }
  return found;
}

function startDiscordBot(): BotProcess {
  return startBot(dir, {
    DISCORD_TOKEN: fake.token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_GUILD_ID: fake.guildId,
    DISCORD_API_URL: fake.api,
  });
}

/** Connected: the bot asked for its registered commands (it does that once it is ready). */
async function connected(since: number): Promise<void> {
  await fake.waitFor((r) => fake.requests.indexOf(r) >= since && r.path.endsWith("/commands"), 30_000);
}

const ask = (n: number): string =>
  fake.slash("rr", [{ name: "ask", type: 1, options: [{ name: "text", type: 3, value: `Need help C${n}X` }, { name: "urgent", type: 5, value: true }] }], {
    user: ann,
    locale: "en-US",
  });

describe("SIGKILL during a burst of 300 due reminders and a stream of commands (fake Discord)", () => {
  it("after restart every acknowledged command's messages and every reminder arrive, each once", async () => {
    await fake.start();
    const room = `discord:${fake.guildId}/${fake.channelId}`;
    const now = new Date();
    const reminders = await planReminders(dir, {
      room,
      members: users.map((u) => `discord:${u.id}`),
      count: 300,
      dueAt: new Date(now.getTime() + 12_000),
      now,
    });

    const first = startDiscordBot();
    await connected(0);
    // Two responders, so each urgent request is a room post and two alerts.
    for (const user of users.slice(0, 2)) {
      const token = fake.slash("rr", [{ name: "available", type: 1, options: [{ name: "state", type: 3, value: "on" }] }], { user, locale: "en-US" });
      await waitFor(() => fake.answersTo(token).length > 0, 15_000);
    }
    const tokens = new Map<number, string>();
    let asked = 0;
    // A request every half second (each is a post in the team channel, which Discord lets the bot
    // write to about once a second), from before the burst until the crash.
    const stream = setInterval(() => {
      asked += 1;
      tokens.set(asked, ask(asked));
    }, 500);
    const acknowledged = () =>
      [...tokens].filter(([, token]) => fake.answersTo(token).some((m) => m.content.includes("is posted"))).map(([n]) => n);
    const reminderCount = () => deliveries().filter((d) => d.text.startsWith("R")).length;
    await waitFor(() => acknowledged().length >= 1 && reminderCount() >= 60, 90_000);
    first.child.kill("SIGKILL");
    clearInterval(stream);
    await first.exited;
    expect(first.child.signalCode).toBe("SIGKILL");
    expect(reminderCount()).toBeLessThan(300);

    const expected = new Map(reminders);
    const done = acknowledged();
    for (const n of done) expected.set(`C${n}X`, `channel:${fake.channelId}`);
    const alerts = (n: number) => deliveries().filter((d) => d.text === `C${n}X` && d.to.startsWith("discord:")).length;

    const restartAt = fake.requests.length;
    const second = startDiscordBot();
    await connected(restartAt);
    await waitFor(
      () => duplicatesPerConversation(deliveries(), expected).missing.length === 0 && done.every((n) => alerts(n) >= 2),
      120_000,
    );
    await new Promise((r) => setTimeout(r, 1_000));
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    const result = duplicatesPerConversation(deliveries(), expected);
    expect(result.missing).toEqual([]);
    expect(result.tooOften).toEqual([]);
    expect(result.conversationsWithTwoDuplicates).toEqual([]);
    // The promise is the one above (at most the message in flight, once per conversation).
    // Each try of one message carries the same nonce, and Discord creates a message once per
    // nonce (within a few minutes), so duplicates are rare: none on SQLite, but a few seen on
    // PostgreSQL on a loaded machine (not yet traced to their cause).
    if (result.duplicates > 0) process.stdout.write(`Discord crash: ${result.duplicates} message(s) in flight shown twice\n`);
    // (A restarted process does not know how much of Discord's rate limits the dead one used:
    // discord.js waits out a 429 then. Before the crash, none.)
    expect(fake.requests.slice(0, restartAt).filter((r) => r.status === 429)).toEqual([]);
  }, 300_000);
});
