import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeUser, RecordedRequest } from "./fake-discord.ts";
import {
  ann,
  bob,
  bodyOf,
  coordinatorPermissions,
  type DiscordWorld,
  startDiscordWorld,
  violations,
} from "./setup.ts";

/**
 * The features that came after the adapter (polls, tasks, rapid response, reminders), driven
 * through the real discord.js client against the fake Discord, with the whole bot behind it.
 * The tests run in order and share one team (the fake's channel).
 */
const ephemeral = 64;
const cora: FakeUser = { id: "400000000000000006", username: "cora", globalName: "Cora" };
const dan: FakeUser = { id: "400000000000000009", username: "dan", globalName: "Dan" };
const dm = {
  ann: "310000000000000004",
  bob: "310000000000000005",
  cora: "310000000000000006",
  dan: "310000000000000009",
};

let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld();
  for (const [user, channel] of [
    [ann, dm.ann],
    [bob, dm.bob],
    [cora, dm.cora],
    [dan, dm.dan],
  ] as const)
    world.fake.dmChannels.set(user.id, channel);
});
afterAll(async () => {
  expect(violations(world.fake)).toEqual([]);
  await world?.close();
});

interface Button {
  label: string;
  custom_id: string;
}
interface SentBody {
  content: string;
  components?: { components: Button[] }[];
  poll?: { question: { text: string }; answers: { poll_media: { text: string } }[]; allow_multiselect: boolean };
}

const db = () => world.bot.app.db;
const teamRoom = () => `discord:${world.fake.guildId}/${world.fake.channelId}`;
const channelMessages = () => `/channels/${world.fake.channelId}/messages`;

/** The number of requests so far: later waits only look at what comes after. */
const mark = (): number => world.fake.requests.length;
const after = (from: number, match: (r: RecordedRequest) => boolean, timeoutMs?: number) =>
  world.fake.waitFor((r) => world.fake.requests.indexOf(r) >= from && match(r), timeoutMs);
const since = (from: number) => world.fake.requests.slice(from);

const sentBody = (r: RecordedRequest): SentBody => bodyOf(r) as unknown as SentBody;
const buttons = (r: RecordedRequest): Button[] => (sentBody(r).components ?? []).flatMap((row) => row.components);
const commandOf = (b: Button): string => b.custom_id.replace(/^tb\d+:/, "");

/** A new message in the team channel whose text contains `text`. */
const posted = (from: number, text: string) =>
  after(from, (r) => r.method === "POST" && r.path === channelMessages() && sentBody(r).content.includes(text));
/** A message sent into a member's DM channel. */
const dmTo = (from: number, channel: string) =>
  after(from, (r) => r.method === "POST" && r.path === `/channels/${channel}/messages`);

/** Waits until the interaction is answered and returns what Discord shows. */
const answerTo = (token: string) => world.answered(token);

/** A slash command with a subcommand, options given as name -> value (type from the value). */
function slash(
  command: string,
  sub: string,
  values: Record<string, string | number | boolean>,
  as: { user: FakeUser; permissions?: string; locale?: string },
): string {
  const options = Object.entries(values).map(([name, value]) => ({
    name,
    type: typeof value === "boolean" ? 5 : typeof value === "number" ? 4 : 3,
    value,
  }));
  return world.fake.slash(command, [{ name: sub, type: 1, options }], { locale: "en-US", ...as });
}

/** Presses a button of a message the bot sent (the message as Discord would hand it back). */
function press(sent: RecordedRequest, command: string, user: FakeUser, messageId?: string): string {
  const button = buttons(sent).find((b) => commandOf(b) === command);
  if (!button) throw new Error(`no button for "${command}" in ${JSON.stringify(buttons(sent))}`);
  const message = world.fake.message(world.fake.channelId, bodyOf(sent));
  return world.fake.press(button.custom_id, messageId ? { ...message, id: messageId } : message, {
    user,
    locale: "en-US",
  });
}

const memberId = async (user: FakeUser) =>
  (await db().member.findUniqueOrThrow({ where: { ref: `discord:${user.id}` } })).id;

/** The Discord id of the room message the bot sent under `key` (recorded just after Discord answered). */
async function sentMessageId(key: string): Promise<string> {
  const where = { key_conversation: { key, conversation: teamRoom() } };
  const find = () => db().sentMessage.findUnique({ where });
  await expect.poll(find, { timeout: 5000 }).not.toBeNull();
  return (await find())?.messageId ?? "";
}

/** Moves the bot's clock on by `ms`, running the jobs due on the way, and waits until the deliveries are out. */
async function letTimePass(ms: number): Promise<void> {
  await world.bot.runDueJobs(new Date(world.bot.clock.now().getTime() + ms));
}

describe("features on Discord, end to end", () => {
  it("sets up the team: a coordinator (Manage Guild) switches it to English; members get known", async () => {
    const token = world.fake.slash(
      "settings",
      [
        {
          name: "team",
          type: 2,
          options: [{ name: "language", type: 1, options: [{ name: "language", type: 3, value: "en" }] }],
        },
      ],
      { user: cora, locale: "en-US", permissions: coordinatorPermissions },
    );
    expect((await answerTo(token)).message.content).toContain("English");
    for (const user of [ann, bob, dan]) await answerTo(slash("task", "list", {}, { user }));
    const team = await db().team.findUniqueOrThrow({
      where: { ref: teamRoom() },
      include: { members: { include: { member: true } } },
    });
    expect(team.language).toBe("en");
    expect(
      team.members.map((m) => `${m.member.ref} ${m.coordinator ? "coordinator" : "member"}`).sort(),
    ).toEqual([
      `discord:${ann.id} member`,
      `discord:${bob.id} member`,
      `discord:${cora.id} coordinator`,
      `discord:${dan.id} member`,
    ]);
  });

  it("polls: /poll create posts buttons; a press votes, acknowledged privately", async () => {
    const from = mark();
    const token = slash("poll", "create", { question: "Pizza or soup?", options: "Pizza Soup" }, { user: ann });
    const post = await posted(from, "Pizza or soup?");
    const poll = await db().poll.findFirstOrThrow({ where: { question: "Pizza or soup?" } });
    expect(poll.native).toBe(false);
    expect(sentBody(post).poll).toBeUndefined();
    expect(buttons(post).map(commandOf)).toEqual([
      `poll vote ${poll.id} 1`,
      `poll vote ${poll.id} 2`,
      `poll results ${poll.id}`,
      `poll retract ${poll.id}`,
    ]);
    expect(buttons(post).map((b) => b.label)).toEqual(["1. Pizza", "2. Soup", "Results", "Withdraw my vote"]);
    expect((await answerTo(token)).message.flags).toBe(ephemeral);

    const vote = await answerTo(press(post, `poll vote ${poll.id} 2`, bob));
    expect(vote.message.flags).toBe(ephemeral);
    expect(vote.message.content).toContain("Soup");
    const votes = await db().pollVote.findMany({ where: { pollId: poll.id }, include: { option: true } });
    expect(votes.map((v) => [v.memberId, v.option.position])).toEqual([[await memberId(bob), 2]]);

    // Pressing another option changes the vote (single choice).
    await answerTo(press(post, `poll vote ${poll.id} 1`, bob));
    const changed = await db().pollVote.findMany({ where: { pollId: poll.id }, include: { option: true } });
    expect(changed.map((v) => v.option.position)).toEqual([1]);
  });

  it("polls: a native poll; vote events stored and removed; closing expires it, posts the result", async () => {
    const { fake } = world;
    const from = mark();
    slash(
      "poll",
      "create",
      { question: "Lunch on Friday?", options: "Pizza Pasta Salad", native: true },
      { user: ann },
    );
    const sent = await after(
      from,
      (r) => r.method === "POST" && r.path === channelMessages() && sentBody(r).poll !== undefined,
    );
    expect(sentBody(sent).poll).toMatchObject({
      question: { text: "Lunch on Friday?" },
      answers: ["Pizza", "Pasta", "Salad"].map((text) => ({ poll_media: { text } })),
      allow_multiselect: false,
    });
    // Members vote in Discord's poll; the buttons beside it are results and retract only.
    const customIds = JSON.stringify(sentBody(sent).components ?? []);
    expect(customIds).toContain("poll results");
    expect(customIds).not.toContain("poll vote");
    const poll = await db().poll.findFirstOrThrow({ where: { question: "Lunch on Friday?" } });
    expect(poll.native).toBe(true);
    const messageId = await sentMessageId(`poll:${poll.number}`);

    const votesOf = async () =>
      (await db().pollVote.findMany({ where: { pollId: poll.id }, include: { option: true, member: true } }))
        .map((v) => `${v.member.ref} ${v.option.position}`)
        .sort();
    const event = (t: string, user: FakeUser, answer: number) =>
      fake.dispatch(t, {
        user_id: user.id,
        channel_id: fake.channelId,
        message_id: messageId,
        guild_id: fake.guildId,
        answer_id: answer,
      });

    event("MESSAGE_POLL_VOTE_ADD", bob, 2);
    event("MESSAGE_POLL_VOTE_ADD", dan, 3);
    await expect.poll(votesOf, { timeout: 5000 }).toEqual([`discord:${bob.id} 2`, `discord:${dan.id} 3`]);
    // Bob changes his mind: Discord sends the removal of the old answer and the new one.
    event("MESSAGE_POLL_VOTE_REMOVE", bob, 2);
    event("MESSAGE_POLL_VOTE_ADD", bob, 1);
    await expect.poll(votesOf, { timeout: 5000 }).toEqual([`discord:${bob.id} 1`, `discord:${dan.id} 3`]);
    event("MESSAGE_POLL_VOTE_REMOVE", dan, 3);
    await expect.poll(votesOf, { timeout: 5000 }).toEqual([`discord:${bob.id} 1`]);
    // The platform shows native votes itself: nobody got a message about them.
    const toVoters = since(from).filter((r) => [dm.bob, dm.dan].some((c) => r.path.startsWith(`/channels/${c}`)));
    expect(toVoters).toEqual([]);

    const closing = mark();
    const token = slash("poll", "close", { "poll-id": poll.id }, { user: ann });
    const expire = `/channels/${fake.channelId}/polls/${messageId}/expire`;
    await after(closing, (r) => r.method === "POST" && r.path === expire);
    const result = await posted(closing, "Lunch on Friday?");
    // The bot's own count (the source of truth): the native votes it stored.
    expect(sentBody(result).content).toContain(`Final result of poll #${poll.id}: Lunch on Friday?`);
    expect(sentBody(result).content).toContain("1) Pizza ████████████ 1 vote (100%)");
    expect(sentBody(result).content).toContain("- Pizza: Bob");
    expect(sentBody(result).poll).toBeUndefined();
    expect(buttons(result)).toEqual([]);
    await answerTo(token);
    expect((await db().poll.findUniqueOrThrow({ where: { id: poll.id } })).closedAt).not.toBeNull();

    // A vote after the close is refused and stored nowhere; the voter is told privately.
    event("MESSAGE_POLL_VOTE_ADD", dan, 2);
    expect(sentBody(await dmTo(closing, dm.dan)).content).toContain(`Poll #${poll.id} is closed`);
    expect(await votesOf()).toEqual([`discord:${bob.id} 1`]);
  });

  it("tasks: /task add with a mention assigns that member, who gets a DM and uses Start and Done", async () => {
    const from = mark();
    const token = slash(
      "task",
      "add",
      { title: "Accompany the Haddad family", assignees: `<@${bob.id}>` },
      { user: ann },
    );
    const post = await posted(from, "Accompany the Haddad family");
    await answerTo(token);
    expect(world.invocations.at(-1)?.input).toMatchObject({
      kind: "structured",
      path: ["task", "add"],
      values: { title: "Accompany the Haddad family", assignees: [`<@${bob.id}>`] },
    });
    const task = await db().task.findFirstOrThrow({
      where: { title: "Accompany the Haddad family" },
      include: { assignees: { include: { member: true } } },
    });
    expect(task.assignees.map((a) => a.member.ref)).toEqual([`discord:${bob.id}`]);
    expect(buttons(post).map((b) => [b.label, commandOf(b)])).toEqual([
      ["Start", `task start ${task.number}`],
      ["Done", `task done ${task.number}`],
    ]);

    // Bob's DM channel was opened when he first used the bot; the assignment goes straight there.
    const direct = await dmTo(from, dm.bob);
    expect(since(from).filter((r) => r.path === "/users/@me/channels")).toEqual([]);
    expect(sentBody(direct).content).toContain("Ann assigned you **#1 Accompany the Haddad family** in team.");

    // Someone else may not start it; the assignee may.
    const refused = await answerTo(press(post, `task start ${task.number}`, dan));
    expect(refused.message.flags).toBe(ephemeral);
    expect((await db().task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("open");
    const started = mark();
    await answerTo(press(post, `task start ${task.number}`, bob));
    expect((await db().task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("started");
    await posted(started, "Bob started");
    const done = mark();
    await answerTo(press(post, `task done ${task.number}`, bob));
    expect((await db().task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("done");
    await posted(done, "Bob finished");
  });

  it("rapid response: /rr ask posts “I'm on it”; a button claim edits that message in place", async () => {
    const from = mark();
    const token = slash("rr", "ask", { text: "Dari interpreter at the Jobcenter tomorrow 8:00" }, { user: ann });
    const post = await posted(from, "Dari interpreter at the Jobcenter");
    expect((await answerTo(token)).message.flags).toBe(ephemeral);
    const request = await db().rrRequest.findFirstOrThrow({ where: { text: { contains: "Dari interpreter" } } });
    expect(buttons(post).map((b) => [b.label, commandOf(b)])).toEqual([
      ["I'm on it", `rr claim ${request.number}`],
    ]);
    const messageId = await sentMessageId(`rr:${request.number}`);

    const claiming = mark();
    const answer = await answerTo(press(post, `rr claim ${request.number}`, dan, messageId));
    expect(answer.message.content).toContain(`You're on request **#${request.number}**`);
    const edit = await after(
      claiming,
      (r) => r.method === "PATCH" && r.path === `/channels/${world.fake.channelId}/messages/${messageId}`,
    );
    expect(sentBody(edit).content).toContain("Dari interpreter at the Jobcenter");
    expect(sentBody(edit).content).toContain("Status: **covered**: Dan on it.");
    // Covered: no button left to claim it with, and no second post.
    expect(buttons(edit).map(commandOf)).not.toContain(`rr claim ${request.number}`);
    expect(since(claiming).filter((r) => r.method === "POST" && r.path === channelMessages())).toEqual([]);
    const claims = await db().rrClaim.findMany({ where: { requestId: request.id }, include: { member: true } });
    expect(claims.map((c) => c.member.ref)).toEqual([`discord:${dan.id}`]);
    expect((await db().rrRequest.findUniqueOrThrow({ where: { id: request.id } })).status).toBe("covered");
    // The requester hears privately who took it.
    expect(sentBody(await dmTo(claiming, dm.ann)).content).toContain("Dan");
  });

  it("reminders: /remind me due in two minutes arrives as a DM when the scheduler runs it", async () => {
    const from = mark();
    const token = slash("remind", "me", { when: "in 2 minutes", text: "call the Jobcenter" }, { user: bob });
    expect((await answerTo(token)).message.content).toContain("call the Jobcenter");
    const reminder = await db().reminder.findFirstOrThrow({ where: { creatorRef: `discord:${bob.id}` } });
    expect(reminder).toMatchObject({
      status: "pending",
      targetRef: `discord:${bob.id}`,
      text: "call the Jobcenter",
    });
    expect(since(from).filter((r) => r.path === `/channels/${dm.bob}/messages`)).toEqual([]);

    await letTimePass(3 * 60_000);
    const direct = await dmTo(from, dm.bob);
    expect(sentBody(direct).content).toContain("call the Jobcenter");
    // A private reminder's buttons name its team (they are pressed in the direct conversation).
    const team = ` --team ${teamRoom()}`;
    expect(buttons(direct).map(commandOf)).toEqual([
      `remind done ${reminder.number}${team}`,
      `remind snooze ${reminder.number} 10m${team}`,
      `remind snooze ${reminder.number} 1h${team}`,
    ]);
    expect((await db().reminder.findUniqueOrThrow({ where: { id: reminder.id } })).status).toBe("delivered");
    expect(since(from).filter((r) => r.path === `/channels/${dm.bob}/messages`)).toHaveLength(1);
  });

  it("rapid response: an unclaimed urgent request escalates to the room and coordinators' DMs", async () => {
    const from = mark();
    const text = "A family arrived without a place to sleep";
    const token = slash("rr", "ask", { text, urgent: true }, { user: ann });
    await posted(from, text);
    await answerTo(token);
    await world.bot.app.bot.idle();
    const request = await db().rrRequest.findFirstOrThrow({ where: { text: { contains: "place to sleep" } } });
    const messageId = await sentMessageId(`rr:${request.number}`);

    const before = mark();
    await letTimePass(9 * 60_000);
    expect(since(before).filter((r) => r.method !== "GET")).toEqual([]);

    await letTimePass(2 * 60_000); // 11 minutes after the request
    const alert = await posted(before, `#${request.number}`);
    expect(sentBody(alert).content).toContain("alert 1 of 3");
    // "The whole team" is pinged by name: everyone seen here but the requester.
    const pinged = (bodyOf(alert).allowed_mentions as { users: string[] }).users;
    expect([...pinged].sort()).toEqual([bob.id, cora.id, dan.id].sort());
    for (const user of [bob, cora, dan]) expect(sentBody(alert).content).toContain(`<@${user.id}>`);
    const note = await dmTo(before, dm.cora);
    expect(sentBody(note).content).toContain(`Request **#${request.number}**`);
    expect(sentBody(note).content).toContain("is not covered after 10 min");
    // Only the coordinator is told privately; the request message shows the escalation in place.
    const dms = new Set(Object.values(dm).map((c) => `/channels/${c}/messages`));
    const directs = since(before).filter((r) => r.method === "POST" && dms.has(r.path));
    expect(directs.map((r) => r.path)).toEqual([`/channels/${dm.cora}/messages`]);
    const edit = await after(
      before,
      (r) => r.method === "PATCH" && r.path === `/channels/${world.fake.channelId}/messages/${messageId}`,
    );
    expect(sentBody(edit).content).toContain("The team was alerted once.");
    expect((await db().rrRequest.findUniqueOrThrow({ where: { id: request.id } })).escalations).toBe(1);
  });
  it("polls: a native poll with a deadline is ended by the scheduler, with the result posted", async () => {
    const from = mark();
    const question = "Team evening on Thursday?";
    const token = slash("poll", "create", { question, options: "Yes No", native: true, closes: "in 2 hours" }, {
      user: ann,
    });
    const sent = await after(
      from,
      (r) => r.method === "POST" && r.path === channelMessages() && sentBody(r).poll?.question.text === question,
    );
    expect(sentBody(sent).poll).toMatchObject({ duration: 2 });
    await answerTo(token);
    const poll = await db().poll.findFirstOrThrow({ where: { question } });
    const messageId = await sentMessageId(`poll:${poll.number}`);
    world.fake.dispatch("MESSAGE_POLL_VOTE_ADD", {
      user_id: cora.id,
      channel_id: world.fake.channelId,
      message_id: messageId,
      guild_id: world.fake.guildId,
      answer_id: 1,
    });
    await expect.poll(() => db().pollVote.count({ where: { pollId: poll.id } }), { timeout: 5000 }).toBe(1);

    const before = mark();
    await letTimePass(2 * 3_600_000 + 60_000);
    const expire = `/channels/${world.fake.channelId}/polls/${messageId}/expire`;
    await after(before, (r) => r.method === "POST" && r.path === expire);
    const result = await posted(before, `Final result of poll #${poll.id}: ${question}`);
    expect(sentBody(result).content).toContain("- Yes: Cora");
    expect((await db().poll.findUniqueOrThrow({ where: { id: poll.id } })).closedAt).not.toBeNull();
  });
});
