import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action, type OutgoingMessage, paragraph } from "../../../src/core/message.ts";
import type { FakeUser, RecordedRequest } from "./fake-discord.ts";
import { ann, bodyOf, type DiscordWorld, startDiscordWorld, violations } from "./setup.ts";

/**
 * Getting messages out: an urgent request to 120 responders at 100 ms per call, members who
 * do not accept DMs, and long posts that are edited part by part.
 */
let world: DiscordWorld;
const responders: FakeUser[] = Array.from({ length: 120 }, (_, i) => ({
  id: String(410000000000000000n + BigInt(i)),
  username: `helper${i}`,
  globalName: `Helper ${i}`,
}));
/** Three of them do not accept direct messages from the server. */
const closed = responders.slice(0, 3);
const tokens = new Map<string, string>();
/** The note about closed DMs, in the team's language (German here) or English. */
const noDms = /direct messages|Direktnachrichten/;

beforeAll(async () => {
  world = await startDiscordWorld();
  // The responders' first use of the bot opens their DM channels in the background, a burst here.
  world.fake.rateLimits.set("dm-create", 1000, 1000);
  for (let i = 0; i < responders.length; i += 10) {
    await Promise.all(
      responders.slice(i, i + 10).map(async (user) => {
        const token = world.fake.slash("rr", [{ name: "available", type: 1, options: [{ name: "state", type: 3, value: "on" }] }], {
          user,
          locale: "en-US",
        });
        tokens.set(user.id, token);
        await world.answered(token);
      }),
    );
  }
  await world.discord.dms.settled();
  for (const user of closed) world.fake.closedDms.add(user.id);
}, 120_000);
afterAll(async () => {
  expect(violations(world.fake, (r) => r.code === 50007)).toEqual([]);
  await world?.close();
});

const db = () => world.bot.app.db;
const dmPosts = (from: number): RecordedRequest[] =>
  world.fake.requests
    .slice(from)
    .filter((r) => r.method === "POST" && /^\/channels\/\d+\/messages$/.test(r.path) && world.fake.dmOwner(r.path.split("/")[2] ?? "") !== undefined);

describe("an urgent request to many responders", () => {
  it("reaches 120 responders in under 10 s at 100 ms per call, without a 429", async () => {
    const { fake } = world;
    const from = fake.requests.length;
    fake.latencyMs = 100;
    const started = Date.now();
    try {
      const token = fake.slash("rr", [{ name: "ask", type: 1, options: [
        { name: "text", type: 3, value: "Beds for a family of five tonight" },
        { name: "urgent", type: 5, value: true },
      ] }], { user: ann, locale: "en-US" });
      await world.answered(token, 15_000);
      const open = responders.length - closed.length;
      await expect.poll(() => dmPosts(from).filter((r) => r.status === 200).length, { timeout: 15_000, interval: 50 }).toBe(open);
      const elapsed = Date.now() - started;
      expect(elapsed).toBeLessThan(10_000);
      await world.bot.app.bot.idle();
    } finally {
      fake.latencyMs = 0;
    }
    const since = fake.requests.slice(from);
    expect(since.filter((r) => r.status === 429).map((r) => `${r.method} ${r.path} ${r.error}`)).toEqual([]);
    // DM channels were known: no channel opened now, one message per person.
    const responderIds = new Set(responders.map((u) => u.id));
    expect(since.filter((r) => r.path === "/users/@me/channels" && responderIds.has(String(bodyOf(r).recipient_id)))).toEqual([]);
    const perChannel = new Map<string, number>();
    for (const r of dmPosts(from).filter((x) => x.status === 200)) perChannel.set(r.path, (perChannel.get(r.path) ?? 0) + 1);
    expect([...perChannel.values()].every((n) => n === 1)).toBe(true);
    expect(await db().discordDmChannel.count()).toBeGreaterThanOrEqual(responders.length);
  }, 30_000);

  it("tells a member whose DMs are closed once, privately on their recent interaction, and does not retry", async () => {
    const { fake } = world;
    const refusals = () => fake.requests.filter((r) => r.code === 50007);

    expect(refusals()).toHaveLength(closed.length);
    for (const user of closed) {
      const notes = fake.answersTo(tokens.get(user.id) ?? "").filter((m) => noDms.test(m.content));
      expect(notes.map((m) => m.ephemeral)).toEqual([true]);
    }
    const failed = await db().outboxEntry.findMany({
      where: { conversation: { in: closed.map((u) => `discord:${u.id}`) }, status: "failed" },
    });
    expect(failed.map((f) => f.attempts)).toEqual(closed.map(() => 1));

    // A second alert: the closed ones are neither asked again (no invalid request) nor told again.
    const from = fake.requests.length;
    const token = fake.slash("rr", [{ name: "ask", type: 1, options: [{ name: "text", type: 3, value: "A driver at 7:00" }] }], {
      user: ann,
      locale: "en-US",
    });
    await world.answered(token);
    await expect.poll(() => dmPosts(from).length, { timeout: 15_000 }).toBe(responders.length - closed.length);
    await world.bot.app.bot.idle();
    expect(refusals()).toHaveLength(closed.length);
    for (const user of closed) {
      const notes = fake.answersTo(tokens.get(user.id) ?? "").filter((m) => noDms.test(m.content));
      expect(notes).toHaveLength(1);
    }
  }, 30_000);

  it("tells them in the team room, mentioning them, when no recent interaction can carry the note", async () => {
    const { fake } = world;
    const late = responders[3] as FakeUser;
    fake.closedDms.add(late.id);
    world.discord.noteWindowMs = 0;
    const from = fake.requests.length;
    try {
      await world.bot.app.bot.deliver([personal(late, "Your shift starts at 8")]);
    } finally {
      world.discord.noteWindowMs = 14 * 60_000;
    }
    const note = await fake.waitFor(
      (r) => fake.requests.indexOf(r) >= from && r.path === `/channels/${fake.channelId}/messages` && noDms.test(String(bodyOf(r).content)),
    );
    expect(bodyOf(note).content).toContain(`<@${late.id}>`);
    expect(bodyOf(note).allowed_mentions).toEqual({ parse: [], users: [late.id], replied_user: false });
  });
});

describe("a scheduled message to a member whose DMs are closed", () => {
  it("is recorded as failed at once: the job is done, not retried", async () => {
    const { fake } = world;
    const user = responders[4] as FakeUser;
    fake.closedDms.add(user.id);
    const token = fake.slash("remind", [{ name: "me", type: 1, options: [{ name: "when", type: 3, value: "in 2 minutes" }, { name: "text", type: 3, value: "stretch" }] }], {
      user,
      locale: "en-US",
    });
    await world.answered(token);
    const refused = () => fake.requests.filter((r) => r.code === 50007 && r.path === `/channels/${fake.dmChannelOf(user.id)}/messages`);
    const start = world.bot.clock.now().getTime();
    await world.bot.runDueJobs(new Date(start + 3 * 60_000));
    expect(refused()).toHaveLength(1);
    const jobs = await db().job.findMany({ where: { owner: `discord:${user.id}` } });
    expect(jobs.map((j) => j.status)).toEqual(["done"]);
    // (The alerts of the tests before reached this member while their DMs were open.)
    const entries = await db().outboxEntry.findMany({ where: { conversation: `discord:${user.id}`, status: { not: "sent" } } });
    expect(entries.map((e) => [e.status, e.attempts])).toEqual([["failed", 1]]);
  });
});

function personal(user: FakeUser, text: string): OutgoingMessage {
  return {
    audience: { kind: "member", member: `discord:${user.id}` },
    lang: "en",
    timeZone: "Europe/Berlin",
    tone: "info",
    blocks: [paragraph(text)],
    actions: [],
    attachments: [],
  };
}

describe("a message tried again", () => {
  it("is created once: each try carries the same nonce, which Discord enforces", async () => {
    const room = `discord:${world.fake.guildId}/${world.fake.channelId}`;
    const message: OutgoingMessage = { ...personal(ann, "Once only"), audience: { kind: "room", room } };
    const first = await world.discord.send({ room }, message, { key: "o77.test" });
    // The bot did not hear back (a timeout, a crash): the outbox tries the same entry again.
    const again = await world.discord.send({ room }, message, { key: "o77.test" });
    expect(again).toBe(first);
    expect(world.fake.shown(world.fake.channelId).filter((m) => m.content === "Once only")).toHaveLength(1);
    const posts = world.fake.requests.filter((r) => r.method === "POST" && bodyOf(r).nonce === "o77.test.0");
    expect(posts.map((r) => bodyOf(r).enforce_nonce)).toEqual([true, true]);
  });
});

describe("a long post", () => {
  const room = () => `discord:${world.fake.guildId}/${world.fake.channelId}`;
  const post = (paragraphs: string[], key: string): OutgoingMessage => ({
    audience: { kind: "room", room: room() },
    lang: "en",
    timeZone: "Europe/Berlin",
    tone: "info",
    blocks: paragraphs.map((p) => paragraph(p)),
    actions: [action("Done", "task done 1")],
    attachments: [],
    key,
  });
  const text = (label: string, n: number) => Array.from({ length: n }, (_, i) => `${label} part ${i + 1} ${"x".repeat(1500)}`);
  const shown = () =>
    world.fake
      .shown(world.fake.channelId)
      .filter((m) => /(open|closed) part/.test(m.content) || m.content.startsWith("short"));

  it("is edited part by part: every part shows the new text, buttons on the last, extra parts added or removed", async () => {
    world.fake.rateLimits.set("channel-messages-post", 100, 1000);
    world.fake.rateLimits.set("channel-message-patch", 100, 1000);
    const bot = world.bot.app.bot;
    await bot.deliver([post(text("open", 3), "long:1")]);
    expect(shown().map((m) => m.content.slice(0, 11))).toEqual(["open part 1", "open part 2", "open part 3"]);

    await bot.deliver([post(text("closed", 4), "long:1")]);
    const four = shown();
    expect(four.map((m) => m.content.slice(0, 13))).toEqual(["closed part 1", "closed part 2", "closed part 3", "closed part 4"]);
    expect(four.map((m) => m.components.length)).toEqual([0, 0, 0, 1]);

    await bot.deliver([post(["short and done"], "long:1")]);
    expect(shown().map((m) => [m.content, m.components.length])).toEqual([["short and done", 1]]);
    expect(await db().outboxEntry.count({ where: { conversation: room(), status: { not: "sent" } } })).toBe(0);
  });

  it("closing a poll with 20 long options replaces every part of its post with the result", async () => {
    const options = Array.from({ length: 20 }, (_, i) => `Option ${i + 1}: ${"a long description of a possible date ".repeat(4)}`.slice(0, 190));
    const token = world.fake.slash("poll", [{ name: "create", type: 1, options: [
      { name: "question", type: 3, value: "Which of these twenty?" },
      { name: "options", type: 3, value: options.map((o) => `"${o}"`).join(" ") },
    ] }], { user: ann, locale: "en-US" });
    await world.answered(token);
    const poll = await db().poll.findFirstOrThrow({ where: { question: "Which of these twenty?" } });
    await expect.poll(() => db().sentMessage.count({ where: { key: `poll:${poll.number}` } })).toBe(1);
    const parts = world.fake
      .shown(world.fake.channelId)
      .filter((m) => m.content.includes("Option "))
      .map((m) => ({ id: m.id, content: m.content }));
    expect(parts.length).toBeGreaterThan(1);
    const close = world.fake.slash("poll", [{ name: "close", type: 1, options: [{ name: "poll-id", type: 4, value: poll.id }] }], {
      user: ann,
      locale: "en-US",
    });
    await world.answered(close);
    await world.bot.app.bot.idle();
    const after = parts.map((p) => world.fake.channelMessages.get(p.id));
    // No part still shows the open poll: each was edited or removed.
    for (const part of after) expect(part?.deleted || part?.content !== parts.find((p) => p.id === part?.id)?.content).toBe(true);
    const result = world.fake.shown(world.fake.channelId).filter((m) => parts.some((p) => p.id === m.id)).map((m) => m.content).join("\n");
    expect(result).toMatch(/Final result of poll #\d+: Which of these twenty\?|Endergebnis der Umfrage #\d+: Which of these twenty\?/);
  });
});
