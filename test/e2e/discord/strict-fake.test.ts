import { Client, GatewayIntentBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord } from "./fake-discord.ts";

/**
 * The fake refuses what Discord's documentation says Discord refuses, so that the bot's
 * tests against it mean something. Each rule is tried here with a plain HTTP request.
 */
let fake: FakeDiscord;
beforeAll(async () => {
  fake = new FakeDiscord();
  await fake.start();
  // Plain requests do not follow the rate-limit headers as discord.js does: room for the rule checks.
  fake.rateLimits.set("commands-put", 1000, 1000);
  fake.rateLimits.set("channel-messages-post", 1000, 1000);
});
afterAll(async () => {
  await fake.close();
});

interface Reply {
  status: number;
  body: { code?: number; message?: string; errors?: unknown } & Record<string, unknown>;
  headers: Headers;
}

async function call(method: string, path: string, body?: unknown, auth = true): Promise<Reply> {
  const res = await fetch(`${fake.api}/v10${path}`, {
    method,
    headers: {
      ...(auth ? { authorization: `Bot ${fake.token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Reply["body"]) : {}, headers: res.headers };
}

const channelPost = (body: unknown, channel = fake.channelId) => call("POST", `/channels/${channel}/messages`, body);
const command = (extra: Record<string, unknown> = {}) => ({ name: "poll", description: "Polls", type: 1, ...extra });
const option = (name: string, extra: Record<string, unknown> = {}) => ({ name, description: "An option", type: 3, ...extra });
const putGuild = (commands: unknown) =>
  call("PUT", `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`, commands);
const button = (extra: Record<string, unknown> = {}) => ({ type: 2, style: 1, label: "Vote", custom_id: "tb0:x", ...extra });

describe("the fake Discord is as strict as Discord's documentation", () => {
  it("application commands: naming, lengths, counts, order, locales, size, contexts", async () => {
    expect((await putGuild([command()])).status).toBe(200);
    const refused = [
      [command({ name: "Poll" })],
      [command({ name: "poll create" })],
      [command({ description: "" })],
      [command({ description: "x".repeat(101) })],
      [command({ options: Array.from({ length: 26 }, (_, i) => option(`o${i}`)) })],
      [command({ options: [option("a"), option("b", { required: true })] })],
      [command({ options: [option("a"), option("a")] })],
      [command({ options: [option("a", { name_localizations: { "de-DE": "x" } })] })],
      [command({ options: [option("a", { name_localizations: { de: "b" } }), option("b")] })],
      [command({ options: [option("a", { choices: Array.from({ length: 26 }, (_, i) => ({ name: `${i}`, value: `${i}` })) })] })],
      [command({ options: [option("a", { autocomplete: true, choices: [{ name: "x", value: "x" }] })] })],
      [command({ options: [{ name: "sub", description: "S", type: 1 }, option("a")] })],
      // Over 8,000 characters of names, descriptions and values in one command.
      [command({ options: ["a", "b"].map((name) => option(name, { choices: Array.from({ length: 25 }, (_, i) => ({ name: `${i}`.padEnd(100, "n"), value: `${i}`.padEnd(100, "v") })) })) })],
      [command({ contexts: [0, 1] })],
      Array.from({ length: 101 }, (_, i) => command({ name: `c${i}` })),
    ];
    for (const commands of refused) {
      const reply = await putGuild(commands);
      expect(reply.status, JSON.stringify(commands).slice(0, 200)).toBe(400);
      expect(reply.body.code).toBe(50035);
    }
  });

  it("answers a command list with its translations only when asked ?with_localizations=true", async () => {
    const localized = command({ name_localizations: { de: "umfrage", "en-US": "poll" }, description_localizations: { de: "Umfragen" } });
    expect((await putGuild([localized])).status).toBe(200);
    const list = `/applications/${fake.applicationId}/guilds/${fake.guildId}/commands`;
    const [plain] = (await call("GET", list)).body as unknown as Record<string, unknown>[];
    expect(plain).not.toHaveProperty("name_localizations");
    const [full] = (await call("GET", `${list}?with_localizations=true`)).body as unknown as Record<string, unknown>[];
    // A localization equal to the default name is dropped, as Discord does.
    expect(full?.name_localizations).toEqual({ de: "umfrage" });
    expect(full?.description_localizations).toEqual({ de: "Umfragen" });
  });

  it("messages: 2,000 characters, valid Unicode, components, custom ids, labels, polls, allowed_mentions", async () => {
    const ok = { content: "hello", allowed_mentions: { parse: [] } };
    expect((await channelPost(ok)).status).toBe(200);
    const refused: unknown[] = [
      { content: "x".repeat(2001) },
      { content: `${"a".repeat(10)}\ud83d` },
      { content: "" },
      { content: "x", components: Array.from({ length: 6 }, () => ({ type: 1, components: [button()] })) },
      { content: "x", components: [{ type: 1, components: Array.from({ length: 6 }, (_, i) => button({ custom_id: `b${i}` })) }] },
      { content: "x", components: [{ type: 1, components: [button(), button()] }] },
      { content: "x", components: [{ type: 1, components: [button({ custom_id: "c".repeat(101) })] }] },
      { content: "x", components: [{ type: 1, components: [button({ label: "l".repeat(81) })] }] },
      { content: "x", components: [{ type: 1, components: [button({ label: `${"a".repeat(78)}\ud83d` })] }] },
      { poll: { question: { text: "Q" }, answers: Array.from({ length: 11 }, (_, i) => ({ poll_media: { text: `${i}` } })) } },
      { poll: { question: { text: "Q" }, answers: [{ poll_media: { text: "a".repeat(56) } }] } },
      { poll: { question: { text: "Q" }, answers: [{ poll_media: { text: "a" } }], duration: 769 } },
      { content: "x", allowed_mentions: { parse: ["users"], users: ["123456789012345678"] } },
      { content: "x", allowed_mentions: { parse: [], users: Array.from({ length: 101 }, (_, i) => `1234567890123456${String(i).padStart(2, "0")}`) } },
      { content: "x", flags: 64 },
    ];
    for (const body of refused) {
      const reply = await channelPost(body);
      expect(reply.status, JSON.stringify(body).slice(0, 120)).toBe(400);
    }
  });

  it("channel permissions: threads need Send Messages in Threads, polls Create Polls; private threads are invisible", async () => {
    const readOnly = "300000000000000101";
    fake.addChannel(readOnly, "announcements", (1n << 10n) | (1n << 38n));
    expect((await channelPost({ content: "x" }, readOnly)).body.code).toBe(50013);
    expect((await channelPost({ content: "x" }, fake.privateThreadId)).body.code).toBe(50001);
    expect((await channelPost({ content: "x" }, "300000000000000999")).body.code).toBe(10003);
    fake.guild.botPermissions.set(fake.channelId, (1n << 10n) | (1n << 11n));
    try {
      expect((await channelPost({ content: "x" }, fake.threadId)).body.code).toBe(50013);
      const poll = { poll: { question: { text: "Q" }, answers: [{ poll_media: { text: "a" } }] } };
      expect((await channelPost(poll)).body.code).toBe(50013);
      expect(fake.appPermissions(fake.threadId, false) & (1n << 38n)).toBe(0n);
    } finally {
      fake.guild.botPermissions.delete(fake.channelId);
    }
  });

  it("direct messages to a member who does not accept them fail with 50007", async () => {
    const user = "400000000000000077";
    fake.closedDms.add(user);
    const dm = await call("POST", "/users/@me/channels", { recipient_id: user });
    expect(dm.status).toBe(200);
    const sent = await channelPost({ content: "hi" }, String(dm.body.id));
    expect([sent.status, sent.body.code]).toEqual([403, 50007]);
  });

  it("interactions: one acknowledgement within 3 s, follow-ups for 15 minutes, deferred visibility kept", async () => {
    const as = { user: { id: "400000000000000078", username: "zoe" } };
    const first = fake.slash("help", [], as);
    const id = fake.interactions.byToken.get(first)?.id ?? "";
    const defer = { type: 5, data: { flags: 64 } };
    expect((await call("POST", `/interactions/${id}/${first}/callback`, defer, false)).status).toBe(204);
    expect((await call("POST", `/interactions/${id}/${first}/callback`, defer, false)).body.code).toBe(40060);
    // A follow-up while the answer is still loading replaces it and stays private, whatever it asks for.
    expect((await call("POST", `/webhooks/${fake.applicationId}/${first}`, { content: "public?" }, false)).status).toBe(200);
    expect(fake.answersTo(first).map((m) => [m.content, m.ephemeral])).toEqual([["public?", true]]);
    // Editing the original may not set flags.
    const flagged = await call("PATCH", `/webhooks/${fake.applicationId}/${first}/messages/@original`, { content: "x", flags: 64 }, false);
    expect(flagged.status).toBe(400);

    const late = fake.slash("help", [], as);
    const lateId = fake.interactions.byToken.get(late)?.id ?? "";
    fake.timeShiftMs = 3_100;
    expect((await call("POST", `/interactions/${lateId}/${late}/callback`, defer, false)).body.code).toBe(10062);
    fake.timeShiftMs = 16 * 60_000;
    expect((await call("POST", `/webhooks/${fake.applicationId}/${first}`, { content: "x" }, false)).body.code).toBe(10015);
    fake.timeShiftMs = 0;

    const unacknowledged = fake.slash("help", [], as);
    expect((await call("PATCH", `/webhooks/${fake.applicationId}/${unacknowledged}/messages/@original`, { content: "x" }, false)).body.code).toBe(10015);
  });

  it("rate limits: per-route buckets with headers, then 429 with Retry-After; a global limit", async () => {
    const channel = "300000000000000102";
    fake.addChannel(channel, "busy");
    fake.rateLimits.set("channel-messages-post", 5, 5000);
    const replies: Reply[] = [];
    for (let i = 0; i < 6; i++) replies.push(await channelPost({ content: `m${i}` }, channel));
    expect(replies.slice(0, 5).map((r) => r.headers.get("x-ratelimit-remaining"))).toEqual(["4", "3", "2", "1", "0"]);
    expect(replies[0]?.headers.get("x-ratelimit-bucket")).toBe("channel-messages-post");
    expect(replies[5]?.status).toBe(429);
    expect(Number(replies[5]?.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another channel is another bucket.
    expect((await channelPost({ content: "x" }, fake.threadId)).status).toBe(200);

    const before = fake.rateLimits.globalPerSecond;
    fake.rateLimits.globalPerSecond = 3;
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await call("GET", `/users/40000000000000009${i}`)).status);
      expect(statuses.at(-1)).toBe(429);
    } finally {
      fake.rateLimits.globalPerSecond = before;
    }
  });

  it("gateway: a privileged intent the app has not enabled closes the connection with 4014", async () => {
    const client = new Client({ intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers], rest: { api: fake.api } });
    try {
      await expect(client.login(fake.token)).rejects.toThrow();
      expect(fake.gateway.closes).toContain(4014);
    } finally {
      await client.destroy();
    }
  });

  it("nonces: 25 characters at most; an enforced one creates its message once, within a few minutes", async () => {
    // (After the rate-limit rules above: a fresh second and room in the bucket.)
    fake.rateLimits.set("channel-messages-post", 1000, 1000);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await channelPost({ content: "x", nonce: "n".repeat(26), enforce_nonce: true })).status).toBe(400);
    expect((await channelPost({ content: "x", nonce: "n1", enforce_nonce: "yes" })).status).toBe(400);
    const first = await channelPost({ content: "once", nonce: "n1", enforce_nonce: true });
    const again = await channelPost({ content: "once", nonce: "n1", enforce_nonce: true });
    expect(again.body.id).toBe(first.body.id);
    // Without enforce_nonce the nonce only travels with the message.
    const loose = await channelPost({ content: "twice", nonce: "n2" });
    const looseAgain = await channelPost({ content: "twice", nonce: "n2" });
    expect(looseAgain.body.id).not.toBe(loose.body.id);
  });
});
