import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DiscordAdapter } from "../../../src/adapters/discord/discord-adapter.ts";
import type { FakeUser, InteractOptions, RecordedRequest } from "./fake-discord.ts";
import { permission } from "./fake-guild.ts";
import { ann, bob, bodyOf, type DiscordWorld, startDiscordWorld, violations } from "./setup.ts";

/**
 * Where the bot is asked matters: threads discord.js never cached (archived ones, private
 * ones), channels where the bot may not write, and buttons it does not know.
 */
const ephemeral = 64;
let world: DiscordWorld;
const readOnly = "300000000000000201";
const noThreads = "300000000000000202";
const noPolls = "300000000000000203";
beforeAll(async () => {
  world = await startDiscordWorld();
  const { fake } = world;
  fake.addChannel(readOnly, "announcements", permission.viewChannel | permission.readMessageHistory);
  fake.addChannel(noPolls, "no-polls", permission.viewChannel | permission.sendMessages | permission.sendMessagesInThreads);
  fake.addChannel(noThreads, "no-threads", permission.viewChannel | permission.sendMessages);
  fake.guild.add({ id: "300000000000000204", type: 11, name: "Thread without rights", parentId: noThreads, announced: false });
});
afterAll(async () => {
  // The private thread's vote lookup is refused by design (the bot cannot see that thread).
  expect(violations(world.fake, (r) => r.path === `/channels/${world.fake.privateThreadId}`)).toEqual([]);
  await world?.close();
});

const db = () => world.bot.app.db;
const posts = (channel: string, from = 0): RecordedRequest[] =>
  world.fake.requests.slice(from).filter((r) => r.method === "POST" && r.path === `/channels/${channel}/messages`);

function slash(command: string, sub: string, values: Record<string, string | boolean>, as: InteractOptions): string {
  const options = Object.entries(values).map(([name, value]) => ({ name, type: typeof value === "boolean" ? 5 : 3, value }));
  return world.fake.slash(command, [{ name: sub, type: 1, options }], { locale: "en-US", ...as });
}

const vote = (user: FakeUser, channel: string, messageId: string) =>
  world.fake.dispatch("MESSAGE_POLL_VOTE_ADD", {
    user_id: user.id,
    channel_id: channel,
    message_id: messageId,
    guild_id: world.fake.guildId,
    answer_id: 1,
  });

describe("threads outside discord.js's cache", () => {
  it("an archived thread is its own team under its channel, from the interaction's parent_id", async () => {
    const { fake } = world;
    const thread = fake.archivedThreadId;
    const room = `discord:${fake.guildId}/${fake.channelId}/${thread}`;
    const token = slash("poll", "create", { question: "Picnic?", options: "Yes No", native: true }, { user: ann, channel: thread });
    await world.answered(token);
    expect(world.invocations.at(-1)?.room).toBe(room);
    const poll = await db().poll.findFirstOrThrow({ where: { question: "Picnic?" }, include: { team: true } });
    expect(poll.team.ref).toBe(room);
    const post = await fake.waitFor((r) => r.method === "POST" && r.path === `/channels/${thread}/messages`);
    expect(bodyOf(post).poll).toBeDefined();
    // A channel in a category is no thread: its parent_id (the category) stays out of its room.
    await world.answered(slash("settings", "show", {}, { user: bob }));
    expect(world.invocations.at(-1)?.room).toBe(`discord:${fake.guildId}/${fake.channelId}`);
  });

  it("a private thread the bot was not added to: private answers work, posts are refused with a hint", async () => {
    const { fake } = world;
    const shown = await world.answered(slash("settings", "show", {}, { user: ann, channel: fake.privateThreadId }));
    expect(world.invocations.at(-1)?.room).toBe(`discord:${fake.guildId}/${fake.channelId}/${fake.privateThreadId}`);
    expect(shown.message.content).toContain("Settings");
    const refused = await world.answered(slash("poll", "create", { question: "Secret?", options: "A B" }, { user: ann, channel: fake.privateThreadId }));
    expect(refused.message.flags).toBe(ephemeral);
    expect(refused.message.content).toContain("not in this private thread");
    expect(await db().poll.count({ where: { question: "Secret?" } })).toBe(0);
  });
});

describe("app_permissions: nothing is announced as posted where the bot cannot post", () => {
  it("refuses a command that posts, in the member's language, and changes nothing", async () => {
    const from = world.fake.requests.length;
    const en = await world.answered(slash("poll", "create", { question: "Lunch?", options: "A B" }, { user: ann, channel: readOnly }));
    expect(en.message.flags).toBe(ephemeral);
    expect(en.message.content).toContain("I cannot post in this channel: I am missing Send Messages here.");
    expect(en.message.content).not.toContain("posted");
    const de = await world.answered(slash("task", "add", { title: "Akten holen" }, { user: bob, channel: readOnly, locale: "de" }));
    expect(de.message.content).toContain("mir fehlt hier „Nachrichten senden“");
    expect(await db().poll.count({ where: { question: "Lunch?" } })).toBe(0);
    expect(await db().task.count({ where: { title: "Akten holen" } })).toBe(0);
    expect(posts(readOnly, from)).toEqual([]);
    // Nothing ran: not even the team was created.
    expect(await db().team.count({ where: { ref: { contains: readOnly } } })).toBe(0);
  });

  it("lets commands that only answer the invoker run there (/remind me, /settings)", async () => {
    const token = slash("remind", "me", { when: "in 2 hours", text: "call the office" }, { user: ann, channel: readOnly });
    const answer = await world.answered(token);
    expect(answer.message.content).toContain("call the office");
    expect(answer.message.flags).toBe(ephemeral);
  });

  it("names Send Messages in Threads in a thread whose channel allows only channel messages", async () => {
    const answer = await world.answered(
      slash("poll", "create", { question: "Thread poll?", options: "A B" }, { user: ann, channel: "300000000000000204" }),
    );
    expect(answer.message.content).toContain("Send Messages in Threads");
    expect(await db().poll.count({ where: { question: "Thread poll?" } })).toBe(0);
  });

  it("posts a poll with answer buttons where the bot may not create Discord polls", async () => {
    const token = slash("poll", "create", { question: "Buttons?", options: "A B", native: true }, { user: ann, channel: noPolls });
    await world.answered(token);
    const post = await world.fake.waitFor((r) => r.method === "POST" && r.path === `/channels/${noPolls}/messages`);
    const body = bodyOf(post) as { poll?: unknown; components?: { components: { custom_id: string }[] }[] };
    expect(body.poll).toBeUndefined();
    const ids = (body.components ?? []).flatMap((r) => r.components.map((b) => b.custom_id));
    expect(ids.some((id) => /poll vote \d+ 1$/.test(id))).toBe(true);
  });
});

describe("buttons and polls", () => {
  it("answers a button it does not know instead of leaving 'This interaction failed'", async () => {
    const unknown = world.fake.press("something-else:1", world.fake.message(world.fake.channelId, { content: "old" }), { user: ann, locale: "en-US" });
    const answer = await world.answered(unknown);
    expect(answer.message.flags).toBe(ephemeral);
    expect(answer.message.content).toContain("This button does nothing any more");
    const select = world.fake.interact(3, { custom_id: "menu", component_type: 3, values: ["a"] }, { user: ann, message: {} });
    expect((await world.answered(select)).message.content).toContain("/help");
  });

  it("closes a native poll without a deadline when Discord would end it (after 768 hours)", async () => {
    const now = world.bot.clock.now();
    const token = slash("poll", "create", { question: "Open end?", options: "A B", native: true }, { user: ann });
    await world.answered(token);
    const poll = await db().poll.findFirstOrThrow({ where: { question: "Open end?" } });
    expect(poll.closesAt?.getTime()).toBe(now.getTime() + 768 * 3_600_000);
    const post = await world.fake.waitFor(
      (r) => (bodyOf(r).poll as { question?: { text?: string } } | undefined)?.question?.text === "Open end?",
    );
    expect((bodyOf(post).poll as { duration: number }).duration).toBe(768);
    expect(await world.bot.scheduler.pending(`poll:${poll.id}:close`)).toHaveLength(1);
  });

  it("counts a vote in a thread a restarted bot has never seen (asks Discord for the thread's channel)", async () => {
    const { fake } = world;
    const poll = await db().poll.findFirstOrThrow({ where: { question: "Picnic?" }, include: { team: true } });
    // Numbers count per team: the thread's poll #1 is not the channel's.
    const sent = await db().sentMessage.findFirstOrThrow({ where: { key: `poll:${poll.number}`, conversation: poll.team.ref } });
    let restarted: DiscordAdapter | undefined;
    try {
      restarted = await world.startAnotherAdapter();
      await world.discord.stop();
      vote(bob, fake.archivedThreadId, sent.messageId);
      await expect.poll(() => db().pollVote.count({ where: { pollId: poll.id } }), { timeout: 5000 }).toBe(1);
      expect(fake.requests.some((r) => r.method === "GET" && r.path === `/channels/${fake.archivedThreadId}`)).toBe(true);
    } finally {
      await restarted?.stop();
    }
  });
});
