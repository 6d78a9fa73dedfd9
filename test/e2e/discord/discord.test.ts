import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { action, mention, type OutgoingMessage, paragraph } from "../../../src/core/message.ts";
import {
  ann,
  bob,
  bodyOf,
  coordinatorPermissions,
  type DiscordWorld,
  responsesFor,
  startDiscordWorld,
  violations,
} from "./setup.ts";

const ephemeral = 64;

let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld();
});
afterAll(async () => {
  // Only the refusals these tests provoke on purpose: a wrong token, a flaky and a closed channel.
  expect(violations(world.fake, (r) => r.status === 401 || /300000000000000055|300000000000000077/.test(r.path))).toEqual([]);
  await world?.close();
});

const roomMessage = (room: string, extra: Partial<OutgoingMessage>): OutgoingMessage => ({
  audience: { kind: "room", room },
  lang: "en",
  timeZone: "Europe/Berlin",
  tone: "info",
  blocks: [],
  actions: [],
  attachments: [],
  ...extra,
});

/** Waits until the interaction is answered and returns what Discord shows. */
const answerTo = (token: string) => world.answered(token);

const timezone = (zone: string) => [
  { name: "timezone", type: 1, options: [{ name: "zone", type: 3, value: zone }] },
];

describe("Discord adapter against a fake Discord", () => {
  it("registers the commands in bulk, guild-scoped, derived from the declarations", () => {
    const puts = world.fake.requests.filter((r) => r.method === "PUT");
    expect(puts).toHaveLength(1);
    expect(puts[0]?.path).toBe(
      `/applications/${world.fake.applicationId}/guilds/${world.fake.guildId}/commands`,
    );
    const commands = puts[0]?.body as {
      name: string;
      options: { name: string; type: number; options?: unknown[] }[];
    }[];
    // Other families add their own commands; the foundation's are always there.
    expect(commands.map((c) => c.name)).toEqual(expect.arrayContaining(["help", "settings"]));
    const settings = commands.find((c) => c.name === "settings");
    expect(settings?.options.map((o) => [o.name, o.type])).toEqual([
      ["show", 1],
      ["language", 1],
      ["timezone", 1],
      ["team", 2],
    ]);
    const zone = settings?.options.find((o) => o.name === "timezone")?.options?.[0];
    expect(zone).toMatchObject({
      name: "zone",
      type: 3,
      required: true,
      autocomplete: true,
      name_localizations: { de: "zeitzone", uk: "пояс", ru: "пояс", tr: "dilim" },
      description_localizations: {
        de: "Eine IANA-Zeitzone, z. B. Europe/Berlin",
        uk: "Часовий пояс IANA, наприклад Europe/Kyiv",
      },
    });
    const language = settings?.options.find((o) => o.name === "language");
    expect(language).toMatchObject({
      name_localizations: { de: "sprache", uk: "мова", ru: "язык", tr: "dil" },
      description_localizations: { uk: "Вибрати свою мову", ru: "Выбрать свой язык", tr: "Dilinizi seçin" },
      options: [
        {
          choices: [
            { name: "Deutsch (de)", value: "de" },
            { name: "English (en)", value: "en" },
            { name: "Українська (uk)", value: "uk" },
            { name: "Русский (ru)", value: "ru" },
            { name: "العربية (ar)", value: "ar" },
            { name: "Türkçe (tr)", value: "tr" },
            { name: "فارسی (fa)", value: "fa" },
          ],
        },
      ],
    });
    // Discord has no Arabic or Farsi locale: those members read English or German names here.
    const locales = new Set(
      JSON.stringify(commands)
        .match(/"(name|description)_localizations":\{[^}]*\}/g)
        ?.flatMap((l) => [...l.matchAll(/"([a-zA-Z-]+)":"/g)].map((m) => m[1])),
    );
    expect([...locales].sort()).toEqual(["de", "ru", "tr", "uk"]);
  });

  it("does not register again when Discord already has the same commands, and does when they differ", async () => {
    const { fake } = world;
    const putsBefore = fake.requests.filter((r) => r.method === "PUT").length;
    const same = await world.startAnotherAdapter();
    await same.stop();
    expect(fake.requests.filter((r) => r.method === "PUT")).toHaveLength(putsBefore);
    expect(fake.requests.filter((r) => r.method === "GET" && r.path.endsWith("/commands")).length).toBe(2);

    // Someone changed a description on Discord's side: the next start puts ours back.
    fake.guildCommands = fake.guildCommands.map((c) => ({ ...(c as object), description: "changed" }));
    const changed = await world.startAnotherAdapter();
    await changed.stop();
    expect(fake.requests.filter((r) => r.method === "PUT")).toHaveLength(putsBefore + 1);
  });

  it("refuses to start with a wrong token, saying so", async () => {
    await expect(world.startAnotherAdapter("wrong-token")).rejects.toThrow(/token/i);
  });

  it("runs a slash command with options as the member, in the channel's team", async () => {
    const token = world.fake.slash("settings", timezone("asia/kabul"), { user: ann, locale: "de" });
    const { message } = await answerTo(token);
    expect(message.content).toContain("Deine Zeitzone ist jetzt **Asia/Kabul**");
    expect(message.flags).toBeUndefined();
    expect(message.allowed_mentions).toEqual({ parse: [], users: [], replied_user: false });

    const invocation = world.invocations.at(-1);
    expect(invocation).toMatchObject({
      platform: "discord",
      room: `discord:${world.fake.guildId}/${world.fake.channelId}`,
      member: `discord:${ann.id}`,
      memberName: "Ann",
      locale: "de",
      isDirect: false,
      isCoordinator: false,
      input: { kind: "structured", path: ["settings", "timezone"], values: { zone: "asia/kabul" } },
    });
    const member = await world.bot.app.db.member.findUniqueOrThrow({ where: { ref: `discord:${ann.id}` } });
    expect(member.timeZone).toBe("Asia/Kabul");
  });

  it("shows a user error privately, in the interaction's language, and changes nothing", async () => {
    const token = world.fake.slash("settings", timezone("berlin"), { user: bob, locale: "en-US" });
    const { message } = await answerTo(token);
    expect(message.flags).toBe(ephemeral);
    expect(message.content).toContain("Did you mean: Europe/Berlin?");
    const member = await world.bot.app.db.member.findUniqueOrThrow({ where: { ref: `discord:${bob.id}` } });
    expect(member.timeZone).toBeNull();
  });

  it("takes coordinator status from Manage Guild / Manage Channels", async () => {
    const refused = world.fake.slash(
      "settings",
      [{ name: "team", type: 2, options: timezone("Europe/Vienna") }],
      { user: bob, locale: "en-US" },
    );
    expect((await answerTo(refused)).message.content).toContain("coordinator");
    const allowed = world.fake.slash(
      "settings",
      [{ name: "team", type: 2, options: timezone("Europe/Vienna") }],
      { user: bob, locale: "en-US", permissions: coordinatorPermissions },
    );
    expect((await answerTo(allowed)).message.content).toContain("Europe/Vienna");
    const team = await world.bot.app.db.team.findUniqueOrThrow({
      where: { ref: `discord:${world.fake.guildId}/${world.fake.channelId}` },
    });
    expect(team.timeZone).toBe("Europe/Vienna");
  });

  it("acknowledges every command at once and privately, before it runs; public answers follow", async () => {
    const token = world.fake.slash("settings", [{ name: "show", type: 1, options: [] }], { user: ann });
    const { message } = await answerTo(token);
    const steps = responsesFor(world.fake, token).map((r) => `${r.method} ${r.path.split(token)[1]}`);
    expect(steps).toEqual(["POST /callback", "DELETE /messages/@original", "POST "]);
    expect(bodyOf(responsesFor(world.fake, token)[0] ?? ({} as never))).toEqual({ type: 5, data: { flags: ephemeral } });
    expect(message.content).toContain("Einstellungen");
    expect(message.flags).toBeUndefined();

    const failing = world.fake.slash("settings", timezone("nowhere"), { user: ann });
    const answer = await answerTo(failing);
    const edit = responsesFor(world.fake, failing).find((r) => r.method === "PATCH");
    expect(edit?.path).toContain("/messages/@original");
    expect(answer.message.flags).toBe(ephemeral);
    expect(answer.messages).toHaveLength(1);
  });

  it("renders actions as buttons whose press runs the command as the presser", async () => {
    const room = `discord:${world.fake.guildId}/${world.fake.channelId}`;
    const long = `help ${"settings ".repeat(12)}`.trim();
    await world.bot.app.bot.deliver([
      roomMessage(room, {
        blocks: [paragraph("Choose a language")],
        actions: [action("English", "settings language en", "primary"), action("Everything", long)],
      }),
    ]);
    const sent = await world.fake.waitFor(
      (r) => r.method === "POST" && r.path === `/channels/${world.fake.channelId}/messages`,
    );
    const body = bodyOf(sent) as { content: string; components: { components: { custom_id: string }[] }[] };
    expect(body.components[0]?.components.map((b) => b.custom_id)).toEqual(["tb0:settings language en"]);
    // Too long for a custom id: offered as a command to type, in Discord's slash syntax (typed text never reaches the bot).
    expect(body.content).toContain(`\`/help command:${"settings ".repeat(12).trim()}\``);

    const token = world.fake.press(
      "tb0:settings language en",
      world.fake.message(world.fake.channelId, body),
      { user: bob },
    );
    const { message } = await answerTo(token);
    expect(message.content).toContain("Your language is now **English**.");
    expect(world.invocations.at(-1)).toMatchObject({
      member: `discord:${bob.id}`,
      input: { kind: "structured", path: ["settings", "language"], values: { language: "en" } },
    });
    const member = await world.bot.app.db.member.findUniqueOrThrow({ where: { ref: `discord:${bob.id}` } });
    expect(member.language).toBe("en");
  });

  it("edits a keyed room message in place", async () => {
    const room = `discord:${world.fake.guildId}/${world.fake.channelId}`;
    await world.bot.app.bot.deliver([roomMessage(room, { blocks: [paragraph("Open: 3 tasks")], key: "status:1" })]);
    const row = await world.bot.app.db.sentMessage.findFirstOrThrow({ where: { key: "status:1" } });
    await world.bot.app.bot.deliver([roomMessage(room, { blocks: [paragraph("Open: 2 tasks")], key: "status:1" })]);
    const edit = await world.fake.waitFor(
      (r) => r.method === "PATCH" && r.path === `/channels/${world.fake.channelId}/messages/${row.messageId}`,
    );
    expect(bodyOf(edit)).toMatchObject({ content: "Open: 2 tasks", components: [] });
  });

  it("delivers a private message as a DM", async () => {
    await world.bot.app.bot.deliver([
      {
        ...roomMessage("", { blocks: [paragraph("Reminder: meeting at 10")] }),
        audience: { kind: "member", member: `discord:${ann.id}` },
      },
    ]);
    const open = await world.fake.waitFor((r) => r.path === "/users/@me/channels");
    expect(bodyOf(open)).toEqual({ recipient_id: ann.id });
    const dm = await world.fake.waitFor((r) => r.path === `/channels/${world.fake.dmChannelOf(ann.id)}/messages`);
    expect(bodyOf(dm).content).toBe("Reminder: meeting at 10");
  });

  it("never lets user text ping @everyone, @here or roles; only mentioned members", async () => {
    const token = world.fake.slash(
      "help",
      [{ name: "command", type: 3, value: "@everyone <@&123456789012> @here" }],
      { user: ann, locale: "en-US" },
    );
    const { message } = await answerTo(token);
    const content = String(message.content);
    expect(content).not.toMatch(/@everyone|@here|<@&/);
    expect(content).toContain("@\u200beveryone");
    expect(message.allowed_mentions).toEqual({ parse: [], users: [], replied_user: false });

    const room = `discord:${world.fake.guildId}/${world.fake.channelId}`;
    await world.bot.app.bot.deliver([
      roomMessage(room, { blocks: [paragraph(mention(`discord:${bob.id}`, "Bob"), " @everyone **now**")] }),
    ]);
    const sent = await world.fake.waitFor(
      (r) => bodyOf(r).content === `<@${bob.id}> @\u200beveryone \\*\\*now\\*\\*`,
    );
    expect(bodyOf(sent).allowed_mentions).toEqual({ parse: [], users: [bob.id], replied_user: false });
  });

  it("offers time zones while typing (autocomplete)", async () => {
    const token = world.fake.interact(
      4,
      {
        id: world.fake.id(),
        name: "settings",
        type: 1,
        options: [
          { name: "timezone", type: 1, options: [{ name: "zone", type: 3, value: "kabu", focused: true }] },
        ],
      },
      { user: ann },
    );
    await answerTo(token);
    expect(bodyOf(responsesFor(world.fake, token)[0] ?? ({} as never))).toEqual({
      type: 8,
      data: { choices: [{ name: "Asia/Kabul", value: "Asia/Kabul" }] },
    });
  });

  it("answers in a direct conversation, where team commands are refused", async () => {
    const token = world.fake.slash("settings", [{ name: "team", type: 2, options: timezone("UTC") }], {
      user: ann,
      direct: true,
      locale: "en-US",
    });
    const { message } = await answerTo(token);
    expect(message.content).toContain("team");
    expect(world.invocations.at(-1)).toMatchObject({
      room: `discord:@me/${world.fake.dmChannelOf(ann.id)}`,
      isDirect: true,
    });
  });

  it("rides out rate limits and server errors (discord.js retries)", async () => {
    const flaky = "300000000000000055";
    world.fake.addChannel(flaky, "flaky");
    const path = `/channels/${flaky}/messages`;
    world.fake.failures.set(path, [429, 502]);
    await world.bot.app.bot.deliver([
      roomMessage(`discord:${world.fake.guildId}/${flaky}`, { blocks: [paragraph("still here")] }),
    ]);
    expect(world.fake.requests.filter((r) => r.path === path)).toHaveLength(3);
    const entry = await world.bot.app.db.outboxEntry.findFirst({
      where: { conversation: `discord:${world.fake.guildId}/${flaky}` },
    });
    expect(entry).toMatchObject({ status: "sent", lastError: null });
  });

  it("treats a thread as its own team room and posts into the thread", async () => {
    const { fake } = world;
    const token = fake.slash("settings", [{ name: "show", type: 1, options: [] }], {
      user: ann,
      channel: fake.threadId,
    });
    await answerTo(token);
    const room = `discord:${fake.guildId}/${fake.channelId}/${fake.threadId}`;
    expect(world.invocations.at(-1)?.room).toBe(room);
    await world.bot.app.bot.deliver([roomMessage(room, { blocks: [paragraph("In the thread")] })]);
    const sent = await fake.waitFor((r) => r.path === `/channels/${fake.threadId}/messages`);
    expect(bodyOf(sent).content).toBe("In the thread");
  });

  it("keeps a delivery Discord refuses in the outbox, to try again, instead of losing it", async () => {
    const refusing = "300000000000000077";
    world.fake.addChannel(refusing, "closed", 0n);
    await world.bot.app.bot.deliver([
      roomMessage(`discord:${world.fake.guildId}/${refusing}`, { blocks: [paragraph("hello")] }),
    ]);
    const entries = await world.bot.app.db.outboxEntry.findMany({
      where: { conversation: `discord:${world.fake.guildId}/${refusing}` },
    });
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      status: "pending",
      attempts: 1,
      lastError: "Discord refused the request: 403 50001 Missing Access",
    });
    expect(entries[0]?.runAt.getTime()).toBeGreaterThan(world.bot.clock.now().getTime());
  });

  it("posts native polls; votes become poll commands by the voter; closing expires the poll", async () => {
    const { fake } = world;
    const room = `discord:${fake.guildId}/${fake.channelId}`;
    const poll = {
      pollId: "7",
      question: "Pizza or pasta?",
      answers: [
        { id: "1", text: "Pizza" },
        { id: "2", text: "Pasta" },
      ],
      maxSelections: 1,
      disclosed: true,
      closesAt: new Date(world.bot.clock.now().getTime() + 3 * 3_600_000),
    };
    await world.bot.app.bot.deliver([
      roomMessage(room, { blocks: [paragraph("Lunch")], poll, key: "poll:7" }),
    ]);
    const sent = await fake.waitFor((r) => r.method === "POST" && bodyOf(r).poll !== undefined);
    expect(bodyOf(sent).poll).toEqual({
      question: { text: "Pizza or pasta?" },
      answers: [{ poll_media: { text: "Pizza" } }, { poll_media: { text: "Pasta" } }],
      duration: 3,
      allow_multiselect: false,
      layout_type: 1,
    });
    const row = await world.bot.app.db.sentMessage.findFirstOrThrow({ where: { key: "poll:7" } });

    const vote = (t: string, messageId = row.messageId) =>
      fake.dispatch(t, {
        user_id: bob.id,
        channel_id: fake.channelId,
        message_id: messageId,
        guild_id: fake.guildId,
        answer_id: 2,
      });
    const count = world.invocations.length;
    // A vote in a poll the bot did not post is none of its business.
    vote("MESSAGE_POLL_VOTE_ADD", "123456789012345678");
    vote("MESSAGE_POLL_VOTE_ADD");
    vote("MESSAGE_POLL_VOTE_REMOVE");
    await expect.poll(() => world.invocations.length, { timeout: 5000 }).toBe(count + 2);
    const subject = { feature: "poll", id: 7 };
    expect(world.invocations.slice(count).map((i) => i.input)).toEqual([
      { kind: "poll-vote", poll: subject, change: { kind: "add", answer: "2" } },
      { kind: "poll-vote", poll: subject, change: { kind: "remove", answer: "2" } },
    ]);
    expect(world.invocations.at(-1)?.member).toBe(`discord:${bob.id}`);

    await world.bot.app.bot.deliver([
      roomMessage(room, { blocks: [paragraph("Lunch")], poll: { ...poll, ended: true }, key: "poll:7" }),
    ]);
    await fake.waitFor((r) => r.path === `/channels/${fake.channelId}/polls/${row.messageId}/expire`);
  });

  it("reconnects after the gateway drops the connection and keeps answering", async () => {
    const { fake } = world;
    const sessions = fake.identifies + fake.resumes;
    const connections = fake.connections;
    fake.dropConnections();
    await fake.waitForSessions(sessions + 1);
    expect(fake.connections).toBe(connections + 1);
    const token = fake.slash("settings", timezone("Europe/Berlin"), { user: ann, locale: "en-US" });
    const { message } = await answerTo(token);
    expect(message.content).toContain("Europe/Berlin");
  });
});
