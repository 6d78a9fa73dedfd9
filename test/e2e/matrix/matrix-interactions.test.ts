import { systemClock } from "../../../src/core/clock.ts";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MatrixAdapter } from "../../../src/adapters/matrix/matrix-adapter.ts";
import { createI18n } from "../../../src/app.ts";
import type { BotPort, DispatchResult } from "../../../src/core/adapter.ts";
import type { Invocation } from "../../../src/core/command.ts";
import { createLogger } from "../../../src/core/log.ts";
import { action, type MessageSubject, mention, type OutgoingMessage, paragraph } from "../../../src/core/message.ts";
import { Registry } from "../../../src/core/registry.ts";
import { type Db, openDatabase } from "../../../src/db/client.ts";
import { FakeHomeserver } from "./fake-homeserver.ts";
import {
  ANN,
  BOB,
  joinedRoom,
  nthPrivateMessage,
  pause,
  replyTarget,
  revealOwnEcho,
  storeOptions,
  tempDir,
} from "./matrix-harness.ts";

/**
 * The adapter with the real SDK against the fake homeserver, and a stand-in for the bot
 * core that records invocations: for what no foundation command exercises yet (native
 * poll votes, choices, ephemeral answers).
 */
class StubBot implements BotPort {
  readonly registry = new Registry([]);
  readonly i18n = createI18n();
  readonly clock = systemClock;
  readonly invocations: Invocation[] = [];
  readonly keys = new Map<string, MessageSubject>();
  answer: (invocation: Invocation) => DispatchResult = () => ({ kind: "ok", messages: [] });

  async handle(invocation: Invocation): Promise<DispatchResult> {
    this.invocations.push(invocation);
    return this.answer(invocation);
  }
  async deliver(): Promise<void> {}
  async sentKey(conversation: string, messageId: string): Promise<MessageSubject | undefined> {
    return this.keys.get(`${conversation}|${messageId}`);
  }
  texts(): string[] {
    return this.invocations.map((i) => (i.input.kind === "text" ? i.input.text : ""));
  }
  /** Native poll votes as handed over: the poll's subject and the member's whole new choice. */
  votes(): string[] {
    return this.invocations.map((i) =>
      i.input.kind === "poll-vote" && i.input.change.kind === "set"
        ? `${i.input.poll.feature}:${i.input.poll.id} [${i.input.change.answers.join(" ")}]`
        : "",
    );
  }
}

function message(
  audience: OutgoingMessage["audience"],
  extra: Partial<OutgoingMessage> = {},
): OutgoingMessage {
  return {
    audience,
    lang: "en",
    timeZone: "UTC",
    tone: "info",
    blocks: [paragraph("Hello")],
    actions: [],
    attachments: [],
    ...extra,
  };
}

describe("Matrix interactions: native polls, numbered choices, private answers", () => {
  let fake: FakeHomeserver;
  let temp: ReturnType<typeof tempDir>;
  let db: Db;
  let stub: StubBot;
  let adapter: MatrixAdapter;
  let room: string;

  beforeEach(async () => {
    fake = new FakeHomeserver();
    await fake.start();
    temp = tempDir();
    db = await openDatabase(`file:${path.join(temp.dir, "test.db")}`);
    stub = new StubBot();
    adapter = await startAdapter();
    room = await joinedRoom(fake);
  });
  afterEach(async () => {
    await adapter.stop();
    await db.$disconnect();
    await fake.stop();
    temp.remove();
  });

  async function startAdapter(catchUpMaxAgeMs?: number): Promise<MatrixAdapter> {
    const started = new MatrixAdapter({
      homeserverUrl: fake.url,
      accessToken: fake.accessToken,
      inviteAllow: [],
      coordinatorPowerLevel: 50,
      language: "en",
      db,
      log: createLogger("silent"),
      pollTimeoutMs: 200,
      retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 500 },
      ...storeOptions(temp.dir),
      ...(catchUpMaxAgeMs !== undefined ? { catchUpMaxAgeMs } : {}),
    });
    await started.start(stub);
    await started.ready;
    revealOwnEcho(started, fake);
    return started;
  }

  const roomRef = () => `matrix:${room}`;
  const poll = {
    pollId: "7",
    question: "Lunch @room?",
    answers: [
      { id: "1", text: "Pizza" },
      { id: "2", text: "Soup" },
      { id: "3", text: "Salad" },
    ],
    maxSelections: 2,
    disclosed: true,
  };

  async function sendPoll(): Promise<string> {
    const id = await adapter.send({ room: roomRef() }, message({ kind: "room", room: roomRef() }, { poll }));
    stub.keys.set(`${roomRef()}|${id}`, { feature: "poll", id: 7 });
    return id;
  }

  it("sends an MSC3381 poll with the unstable names and a text fallback", async () => {
    const id = await sendPoll();
    const start = fake.events(room).find((e) => e.event_id === id);
    expect(start?.type).toBe("org.matrix.msc3381.poll.start");
    expect(start?.content["org.matrix.msc3381.poll.start"]).toMatchObject({
      kind: "org.matrix.msc3381.poll.disclosed",
      max_selections: 2,
      answers: [
        { id: "1", "org.matrix.msc1767.text": "Pizza" },
        { id: "2", "org.matrix.msc1767.text": "Soup" },
        { id: "3", "org.matrix.msc1767.text": "Salad" },
      ],
    });
    const fallback = String(start?.content["org.matrix.msc1767.text"]);
    expect(fallback).toContain("1. Pizza");
    expect(fallback).not.toMatch(/@room/);
    // The blocks went out first, as an ordinary message.
    expect(fake.sentByBot(room).at(-2)?.content.body).toBe("Hello");
  });

  it("hands each member's latest response to the core as their whole choice, silently", async () => {
    const start = await sendPoll();
    const relates = { "m.relates_to": { rel_type: "m.reference", event_id: start } };
    const before = fake.sentByBot(room).length;
    fake.emit(room, BOB, "org.matrix.msc3381.poll.response", {
      ...relates,
      "org.matrix.msc3381.poll.response": { answers: ["2"] },
    });
    fake.emit(room, ANN, "m.poll.response", { ...relates, "m.selections": ["1", "3", "3", "<b>"] });
    fake.emit(room, BOB, "org.matrix.msc3381.poll.response", {
      ...relates,
      "org.matrix.msc3381.poll.response": { answers: [] },
    });
    fake.emit(room, BOB, "org.matrix.msc3381.poll.response", {
      "m.relates_to": { rel_type: "m.reference", event_id: "$unknown" },
      "org.matrix.msc3381.poll.response": { answers: ["1"] },
    });
    await fake.waitFor(() => stub.invocations.length >= 3 || undefined, 8000, "three votes");
    await pause(300);
    expect(stub.votes()).toEqual(["poll:7 [2]", "poll:7 [1 3]", "poll:7 []"]);
    expect(stub.invocations.map((i) => [i.member, i.input.kind === "text" && i.input.requirePrefix])).toEqual(
      [
        [`matrix:${BOB}`, false],
        [`matrix:${ANN}`, false],
        [`matrix:${BOB}`, false],
      ],
    );
    expect(fake.sentByBot(room)).toHaveLength(before);
  });

  it("counts votes cast while it was offline once after the restart, in order", async () => {
    const start = await sendPoll();
    await adapter.stop();
    const relates = { "m.relates_to": { rel_type: "m.reference", event_id: start } };
    fake.emit(room, BOB, "m.poll.response", { ...relates, "m.selections": ["1"] });
    fake.emit(room, ANN, "m.poll.response", { ...relates, "m.selections": ["3"] });
    fake.emit(room, BOB, "m.poll.response", { ...relates, "m.selections": ["2", "3"] });
    adapter = await startAdapter();
    await fake.waitFor(() => stub.invocations[2], 8000, "three votes");
    await adapter.stop();
    adapter = await startAdapter();
    await pause(300);
    expect(stub.votes()).toEqual(["poll:7 [1]", "poll:7 [3]", "poll:7 [2 3]"]);
  });

  it("skips what is older than the catch-up window", async () => {
    await adapter.stop();
    fake.say(room, BOB, "!settings");
    await pause(20);
    adapter = await startAdapter(10);
    fake.say(room, BOB, "!help");
    await fake.waitFor(() => stub.invocations[0], 8000, "the fresh command");
    await pause(300);
    expect(stub.texts()).toEqual(["!help"]);
  });

  it("tells a member privately when their vote was refused", async () => {
    const start = await sendPoll();
    stub.answer = (inv) => ({
      kind: "user-error",
      messages: [message({ kind: "reply" }, { tone: "error", blocks: [paragraph(`refused ${inv.member}`)] })],
    });
    fake.emit(room, BOB, "m.poll.response", {
      "m.relates_to": { rel_type: "m.reference", event_id: start },
      "m.selections": ["1", "2", "3"],
    });
    const dm = await fake.waitFor(() => fake.createdRooms[0], 8000, "a direct room");
    const note = await fake.waitFor(() => fake.sentByBot(dm.roomId).find((e) => e.encrypted), 8000, "the refusal");
    expect(note.content.body).toContain(`refused matrix:${BOB}`);
    expect(fake.sentByBot(room).filter((e) => String(e.content.body).includes("refused"))).toHaveLength(0);
  });

  it("ends the poll with an MSC3381 end event, shows the result, ignores responses after it", async () => {
    const start = await sendPoll();
    await adapter.edit(
      roomRef(),
      start,
      message(
        { kind: "room", room: roomRef() },
        { poll: { ...poll, ended: true }, blocks: [paragraph("Pizza won")] },
      ),
    );
    const end = fake.sentByBot(room).find((e) => e.type === "org.matrix.msc3381.poll.end");
    expect(end?.content["m.relates_to"]).toEqual({ rel_type: "m.reference", event_id: start });
    // The text posted with the poll (and its choices) becomes the result.
    const intro = fake
      .sentByBot(room)
      .filter((e) => e.type === "m.room.message" && e.content.body === "Hello")[0];
    const results = fake.sentByBot(room).at(-1);
    expect(results?.content["m.relates_to"]).toEqual({ rel_type: "m.replace", event_id: intro?.event_id });
    expect(results?.content["m.new_content"]).toMatchObject({ body: "Pizza won" });
    fake.emit(room, BOB, "m.poll.response", {
      "m.relates_to": { rel_type: "m.reference", event_id: start },
      "m.selections": ["1"],
    });
    await pause(500);
    expect(stub.invocations).toHaveLength(0);
  });

  it("edits a keyed message with m.replace", async () => {
    const id = await adapter.send({ room: roomRef() }, message({ kind: "room", room: roomRef() }));
    await adapter.edit(
      roomRef(),
      id,
      message({ kind: "room", room: roomRef() }, { blocks: [paragraph("Claimed")] }),
    );
    const edit = fake.sentByBot(room).at(-1);
    expect(edit?.content["m.relates_to"]).toEqual({ rel_type: "m.replace", event_id: id });
    expect(edit?.content["m.new_content"]).toMatchObject({ body: "Claimed", msgtype: "m.text" });
    expect(edit?.content.body).toBe("* Claimed");
    expect(edit?.content["m.mentions"]).toEqual({});
  });

  it("runs a numbered choice when a member replies with its number or reacts with its keycap", async () => {
    const offer = await adapter.send(
      { room: roomRef() },
      message(
        { kind: "room", room: roomRef() },
        { actions: [action("Take it", "task take 4"), action("Done", "task done 4", "success")] },
      ),
    );
    const offered = fake.events(room).find((e) => e.event_id === offer);
    expect(offered?.content.body).toContain("1. Take it – !task take 4");
    expect(offered?.content.formatted_body).toContain("<ol><li>Take it – <code>!task take 4</code></li>");
    stub.answer = () => ({
      kind: "ok",
      messages: [message({ kind: "reply" }, { blocks: [paragraph("Yours now")] })],
    });
    const answer = fake.say(room, BOB, "> <@teambot:fake.test> Hello\n\n2", {
      "m.relates_to": { "m.in_reply_to": { event_id: offer } },
    });
    const reply = await fake.waitFor(
      () => fake.sentByBot(room).find((e) => replyTarget(e) === answer),
      8000,
      "reply",
    );
    expect(reply.content.body).toBe("Yours now");
    fake.emit(room, ANN, "m.reaction", {
      "m.relates_to": { rel_type: "m.annotation", event_id: offer, key: "1️⃣" },
    });
    // A number that answers no message of the bot is just chatter.
    fake.say(room, ANN, "1");
    await fake.waitFor(() => stub.invocations[1], 8000, "the reaction's choice");
    await pause(300);
    expect(stub.texts()).toEqual(["task done 4", "task take 4"]);
    expect(stub.invocations.map((i) => i.member)).toEqual([`matrix:${BOB}`, `matrix:${ANN}`]);
  });

  it("answers ephemeral messages in a direct room and marks the command with ✉️", async () => {
    stub.answer = () => ({
      kind: "ok",
      messages: [message({ kind: "ephemeral" }, { blocks: [paragraph("Only for you")] })],
    });
    const command = fake.say(room, BOB, "!my tasks");
    const reaction = await fake.waitFor(
      () => fake.sentByBot(room).find((e) => e.type === "m.reaction"),
      8000,
      "the reaction",
    );
    expect(reaction.content["m.relates_to"]).toEqual({
      rel_type: "m.annotation",
      event_id: command,
      key: "✉️",
    });
    const dm = fake.createdRooms[0];
    expect(dm?.body).toMatchObject({ is_direct: true, invite: [BOB] });
    expect((await nthPrivateMessage(fake, BOB, 0)).content.body).toBe("Only for you");
    expect(fake.sentByBot(room).some((e) => e.content.body === "Only for you")).toBe(false);
    expect(stub.invocations[0]).toMatchObject({ isDirect: false, isCoordinator: false, memberName: "bob" });
  });

  it("takes its own ✉️ that is already there (400 M_DUPLICATE_ANNOTATION) as done, not as a failed DM", async () => {
    const offer = await adapter.send(
      { room: roomRef() },
      message({ kind: "room", room: roomRef() }, { actions: [action("My tasks", "task mine")] }),
    );
    stub.answer = () => ({
      kind: "ok",
      messages: [message({ kind: "ephemeral" }, { blocks: [paragraph("Only for you")] })],
    });
    const keycap = { "m.relates_to": { rel_type: "m.annotation", event_id: offer, key: "1️⃣" } };
    fake.emit(room, ANN, "m.reaction", keycap);
    await nthPrivateMessage(fake, ANN, 0);
    fake.emit(room, BOB, "m.reaction", keycap);
    expect((await nthPrivateMessage(fake, BOB, 0)).content.body).toBe("Only for you");
    await fake.waitFor(() => fake.requests.filter((r) => r.includes("/send/m.reaction/")).length >= 2 || undefined);
    await pause(300);
    // One ✉️ on the offer (the second was refused as a duplicate), and no "could not DM you".
    const reactions = fake.sentByBot(room).filter((e) => e.type === "m.reaction");
    expect(reactions.map((e) => e.content["m.relates_to"])).toEqual([
      { rel_type: "m.annotation", event_id: offer, key: "✉️" },
    ]);
    // The greeting and the offer, nothing else.
    expect(fake.sentByBot(room).filter((e) => e.type === "m.room.message")).toHaveLength(2);
    expect(fake.sentByBot(room).some((e) => String(e.content.body).includes("direct message"))).toBe(false);
  });

  it("treats a room it was invited to as direct chat as isDirect, and answers there", async () => {
    const direct = fake.createRoom({ creator: BOB });
    fake.invite(direct, BOB, fake.botUserId, true);
    await fake.waitFor(() => fake.sentByBot(direct)[0], 8000, "greeting in the direct room");
    stub.answer = () => ({
      kind: "ok",
      messages: [message({ kind: "ephemeral" }, { blocks: [paragraph("Here")] })],
    });
    const command = fake.say(direct, BOB, "!settings");
    const reply = await fake.waitFor(
      () => fake.sentByBot(direct).find((e) => replyTarget(e) === command),
      8000,
      "reply",
    );
    expect(reply.content.body).toBe("Here");
    expect(stub.invocations[0]?.isDirect).toBe(true);
    // Listed under bob in the bot's m.direct, as clients do for a direct chat.
    expect(await fake.waitFor(() => fake.accountDataOf("m.direct"))).toEqual({ [BOB]: [direct] });
    // Private deliveries to bob reuse the room he opened.
    await adapter.send({ member: `matrix:${BOB}` }, message({ kind: "member", member: `matrix:${BOB}` }));
    expect(fake.createdRooms).toHaveLength(0);
  });

  it("uploads attachments and sends them as files", async () => {
    await adapter.send(
      { room: roomRef() },
      message(
        { kind: "room", room: roomRef() },
        {
          attachments: [
            { filename: "meeting.ics", contentType: "text/calendar", content: "BEGIN:VCALENDAR" },
          ],
        },
      ),
    );
    const file = fake.sentByBot(room).at(-1);
    expect(file?.content).toMatchObject({
      msgtype: "m.file",
      body: "meeting.ics",
      info: { mimetype: "text/calendar" },
    });
    expect(String(file?.content.url)).toMatch(/^mxc:\/\/fake\.test\//);
  });

  it("refuses to start with a wrong access token", async () => {
    const wrong = new MatrixAdapter({
      homeserverUrl: fake.url,
      accessToken: "wrong",
      inviteAllow: [],
      coordinatorPowerLevel: 50,
      language: "en",
      db,
      log: createLogger("silent"),
      ...storeOptions(temp.dir),
    });
    await expect(wrong.start(stub)).rejects.toThrow(/Unknown access token/);
    await wrong.stop();
  });

  it("renders mentions as pills and notifies exactly the mentioned members", async () => {
    await adapter.send(
      { room: roomRef() },
      message(
        { kind: "room", room: roomRef() },
        { blocks: [paragraph(mention(`matrix:${ANN}`, "Ann"), " and @room")] },
      ),
    );
    const sent = fake.sentByBot(room).at(-1);
    expect(sent?.content.formatted_body).toBe(
      '<p><a href="https://matrix.to/#/@ann:fake.test">Ann</a> and @\u2060room</p>',
    );
    expect(sent?.content["m.mentions"]).toEqual({ user_ids: [ANN] });
  });

  it("reads pills in commands as user ids", async () => {
    fake.say(room, BOB, "!task assign 3 Ann Smith", {
      format: "org.matrix.custom.html",
      formatted_body: '!task assign 3 <a href="https://matrix.to/#/@ann:fake.test">Ann Smith</a>',
    });
    await fake.waitFor(() => stub.invocations[0], 8000, "the command");
    expect(stub.texts()).toEqual(["!task assign 3 @ann:fake.test"]);
    expect(adapter.parseMention("@ann:fake.test")).toBe(`matrix:${ANN}`);
  });

  it("puts a pill's user id at the pill only, not where its name also stands in the text", async () => {
    // As Element sends it: a member "ben" picked as a pill after a title that contains "ben".
    fake.say(room, ANN, '!task add "Call Ruben about housing" ben', {
      format: "org.matrix.custom.html",
      formatted_body: '!task add &quot;Call Ruben about housing&quot; <a href="https://matrix.to/#/@ben:fake.test">ben</a>',
    });
    await fake.waitFor(() => stub.invocations[0], 8000, "the command");
    expect(stub.texts()).toEqual(['!task add "Call Ruben about housing" @ben:fake.test']);
  });

  it("resolves @name to the one member of its rooms with that user name", async () => {
    expect(adapter.parseMention("@bob")).toBe(`matrix:${BOB}`);
    expect(adapter.parseMention("Ann")).toBe(`matrix:${ANN}`);
    expect(adapter.parseMention("@nobody")).toBeUndefined();
    expect(adapter.parseMention("@teambot")).toBeUndefined();
    const other = fake.createRoom({ creator: "@bob:other.test", name: "Other" });
    fake.invite(other, "@bob:other.test");
    await fake.waitFor(() => fake.sentByBot(other)[0], 8000, "joined the other room");
    await pause(200);
    expect(adapter.parseMention("@bob")).toBeUndefined();
  });
});
