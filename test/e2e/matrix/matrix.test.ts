import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startTestBot } from "../../support/harness.ts";
import { FakeHomeserver } from "./fake-homeserver.ts";
import {
  ANN,
  nthPrivateMessage,
  BOB,
  joinedRoom,
  type MatrixBot,
  nthBotMessage,
  privateNote,
  pause,
  replyTarget,
  startMatrixBot,
  tempDir,
} from "./matrix-harness.ts";

describe("Matrix adapter against a fake homeserver", () => {
  let fake: FakeHomeserver;
  let temp: ReturnType<typeof tempDir>;
  let bot: MatrixBot | undefined;

  beforeEach(async () => {
    fake = new FakeHomeserver();
    await fake.start();
    temp = tempDir();
  });
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
    await fake.stop();
    temp.remove();
  });

  it("joins on invite, greets, and answers a command as an HTML reply", async () => {
    bot = await startMatrixBot(fake, temp.dir);
    const room = await joinedRoom(fake);
    const greeting = fake.sentByBot(room)[0];
    expect(greeting?.content.body).toContain("!help");
    expect(greeting?.content.format).toBe("org.matrix.custom.html");

    const command = fake.say(room, ANN, "!help");
    const reply = await nthBotMessage(fake, room, 1);
    expect(replyTarget(reply)).toBe(command);
    // Answers are notices (the bot convention: no unread notification for everyone).
    expect(reply.content.msgtype).toBe("m.notice");
    expect(greeting?.content.msgtype).toBe("m.notice");
    expect(reply.content.format).toBe("org.matrix.custom.html");
    expect(reply.content.formatted_body).toContain("<h3>Teambot-Befehle</h3>");
    // Commands are shown as a Matrix member types them.
    expect(reply.content.formatted_body).toContain("<code>!settings timezone</code>");
    expect(reply.content.body).toContain("TEAMBOT-BEFEHLE");
    expect(reply.content["m.mentions"]).toEqual({ user_ids: [] });
    expect(fake.unknown.filter((r) => !r.includes("msc4143"))).toEqual([]);
  });

  it("answers every foundation command as the console does", async () => {
    const lines = [
      "help",
      "help settings timezone",
      "hilfe settings",
      "settings",
      "settings language en",
      "settings timezone europe/vienna",
      "settings",
      "settings team language en",
      "settings team timezone UTC",
      "settings timezone Mars/Olympus",
      "dance",
      'help "unclosed',
    ];
    const consoleBot = await startTestBot();
    const expected: string[] = [];
    try {
      for (const line of lines)
        expected.push(await consoleBot.say(line, { member: "ann", coordinator: true }));
    } finally {
      await consoleBot.close();
    }
    bot = await startMatrixBot(fake, temp.dir);
    const room = await joinedRoom(fake);
    // Command lines in the answers carry the "!" a Matrix member types; the rest is the same.
    const withoutBang = (text: string) => text.replace(/(^|[\s„“"'(`*])!(?=\p{L})/gu, "$1");
    let inRoom = 0;
    let privately = 0;
    for (const [i, line] of lines.entries()) {
      const id = fake.say(room, ANN, `!${line}`);
      // User errors go to the member privately; the command gets a ✉️.
      const isError = /✖/.test(expected[i] ?? "");
      const reply = isError
        ? await nthPrivateMessage(fake, ANN, privately++)
        : await nthBotMessage(fake, room, ++inRoom);
      if (!isError) expect(replyTarget(reply), line).toBe(id);
      expect(expected[i], line).toMatch(/\S/);
      expect(withoutBang(String(reply.content.body)), line).toBe(expected[i]);
    }
  });

  it("runs a task's choice for the member who replies with its number, and mentions by pill", async () => {
    bot = await startMatrixBot(fake, temp.dir);
    const room = await joinedRoom(fake);
    fake.say(room, ANN, '!task add "Translate the flyer"');
    const offer = await fake.waitFor(
      () => fake.sentByBot(room).find((e) => JSON.stringify(e.content["org.teambot.choices"] ?? []).includes("task take 1")),
      8000,
      "the task with its choices",
    );
    const choices = offer.content["org.teambot.choices"] as string[];
    fake.say(room, BOB, String(choices.indexOf("task take 1") + 1), {
      "m.relates_to": { "m.in_reply_to": { event_id: offer.event_id } },
    });
    // The task feature announces the take to the team room.
    await fake.waitFor(
      () => fake.sentByBot(room).find((e) => String(e.content.body).startsWith("bob übernimmt")),
      8000,
      "the take",
    );
    const assignees = await bot.app.db.taskAssignee.findMany({ include: { member: true } });
    expect(assignees.map((a) => a.member.ref)).toEqual([`matrix:${BOB}`]);

    const before = fake.sentByBot(room).length;
    fake.say(room, ANN, "!task add \"Call the school\" Bob", {
      format: "org.matrix.custom.html",
      formatted_body: '!task add "Call the school" <a href="https://matrix.to/#/@bob:fake.test">Bob</a>',
    });
    const announced = await fake.waitFor(
      () => fake.sentByBot(room).slice(before).find((e) => String(e.content.body).includes("Call the school")),
      8000,
      "the second task",
    );
    expect(announced.content["m.mentions"]).toEqual({ user_ids: [BOB] });
    expect(announced.content.formatted_body).toContain('<a href="https://matrix.to/#/@bob:fake.test">');
  });

  it("answers a user error to the member only, localized, and marks the command with ✉️", async () => {
    bot = await startMatrixBot(fake, temp.dir);
    const room = await joinedRoom(fake);
    const command = fake.say(room, BOB, "/settings timezone Mars/Olympus");
    const reply = await nthPrivateMessage(fake, BOB, 0);
    expect(reply.content.body).toContain("✖");
    expect(reply.content.body).toContain("„Mars/Olympus“ ist keine Zeitzone");
    expect(reply.content.formatted_body).toContain("<code>!settings timezone &lt;zeitzone&gt;</code>");
    const mark = await fake.waitFor(() => fake.sentByBot(room).find((e) => e.type === "m.reaction"));
    expect(mark.content["m.relates_to"]).toEqual({ rel_type: "m.annotation", event_id: command, key: "✉️" });
    // Nothing about it in the room but the reaction.
    expect(fake.sentByBot(room).filter((e) => e.type === "m.room.message")).toHaveLength(1);
  });

  it("answers a command in a direct room in the language of the member's team", async () => {
    bot = await startMatrixBot(fake, temp.dir);
    const room = await joinedRoom(fake);
    fake.say(room, ANN, "!settings team language en");
    await nthBotMessage(fake, room, 1);
    const dm = fake.createRoom({ creator: BOB });
    fake.invite(dm, BOB, fake.botUserId, true);
    await fake.waitFor(() => fake.sentByBot(dm)[0], 8000, "the greeting in the direct room");
    fake.say(room, BOB, "!settings");
    await nthBotMessage(fake, room, 2);
    const id = fake.say(dm, BOB, "!settings");
    const reply = await fake.waitFor(() => fake.sentByBot(dm).find((e) => replyTarget(e) === id));
    expect(reply.content.body).toContain("SETTINGS");
  });

  it("answers a command written in a thread inside that thread", async () => {
    bot = await startMatrixBot(fake, temp.dir);
    const room = await joinedRoom(fake);
    const root = fake.say(room, ANN, "Planning the fair");
    const command = fake.say(room, BOB, "!settings", {
      "m.relates_to": {
        rel_type: "m.thread",
        event_id: root,
        is_falling_back: true,
        "m.in_reply_to": { event_id: root },
      },
    });
    const reply = await nthBotMessage(fake, room, 1);
    expect(reply.content["m.relates_to"]).toEqual({
      rel_type: "m.thread",
      event_id: root,
      is_falling_back: false,
      "m.in_reply_to": { event_id: command },
    });
  });

  it("never lets user text mention @room or inject markup", async () => {
    bot = await startMatrixBot(fake, temp.dir);
    const room = await joinedRoom(fake);
    fake.say(room, BOB, '!help "@room <b>hi</b> @ROOM"');
    const reply = await nthPrivateMessage(fake, BOB, 0);
    const body = String(reply.content.body);
    const html = String(reply.content.formatted_body);
    expect(body).toContain("„@\u2060room <b>hi</b> @\u2060room“");
    expect(body).not.toMatch(/@room/i);
    expect(html).not.toMatch(/@room/i);
    expect(html).toContain("&lt;b&gt;hi&lt;/b&gt;");
    expect(html).not.toContain("<b>");
    expect(reply.content["m.mentions"]).toEqual({ user_ids: [] });
  });

  it("ignores its own messages, notices, edits and plain chatter", async () => {
    bot = await startMatrixBot(fake, temp.dir);
    const room = await joinedRoom(fake);
    fake.emit(room, fake.botUserId, "m.room.message", { msgtype: "m.text", body: "!help" });
    fake.say(room, BOB, "!help", { msgtype: "m.notice" });
    fake.say(room, BOB, "* !help", {
      "m.new_content": { msgtype: "m.text", body: "!help" },
      "m.relates_to": { rel_type: "m.replace", event_id: "$x" },
    });
    fake.say(room, BOB, "hello everyone, no command here");
    const last = fake.say(room, BOB, "!settings");
    // Messages from the bot's account: the greeting, the "!help" above, then the one answer.
    const reply = await nthBotMessage(fake, room, 2);
    expect(replyTarget(reply)).toBe(last);
    await pause(300);
    expect(fake.sentByBot(room)).toHaveLength(3);
  });

  it("takes coordinator status from the room's power levels", async () => {
    bot = await startMatrixBot(fake, temp.dir);
    const room = await joinedRoom(fake);
    fake.say(room, BOB, "!settings team language en");
    expect((await nthPrivateMessage(fake, BOB, 0)).content.body).toContain("Das dürfen nur Koordinator");
    fake.say(room, ANN, "!settings team language en");
    expect((await nthBotMessage(fake, room, 1)).content.body).not.toContain("Das dürfen nur Koordinator");
    const team = await bot.app.db.team.findUnique({ where: { ref: `matrix:${room}` } });
    expect(team?.language).toBe("en");
    expect(team?.name).toBe("Team");
  });

  it("ignores what the first sync replays: old commands do not run again on start", async () => {
    const room = fake.createRoom({ name: "Old", creator: ANN, members: [fake.botUserId] });
    fake.initialTimelineLimit = 5;
    fake.say(room, ANN, "!help");
    fake.say(room, ANN, "!settings");
    bot = await startMatrixBot(fake, temp.dir);
    const fresh = fake.say(room, ANN, "!settings");
    const reply = await nthBotMessage(fake, room, 0);
    expect(replyTarget(reply)).toBe(fresh);
    await pause(300);
    expect(fake.sentByBot(room)).toHaveLength(1);
  });

  it("handles a command sent while it was stopped once after the restart, never twice", async () => {
    bot = await startMatrixBot(fake, temp.dir);
    const room = await joinedRoom(fake);
    await bot.close();
    bot = undefined;
    const missed = fake.say(room, BOB, "!settings");
    bot = await startMatrixBot(fake, temp.dir);
    const reply = await nthBotMessage(fake, room, 1);
    expect(replyTarget(reply)).toBe(missed);
    await bot.close();
    bot = undefined;
    bot = await startMatrixBot(fake, temp.dir);
    const next = fake.say(room, BOB, "!help");
    expect(replyTarget(await nthBotMessage(fake, room, 2))).toBe(next);
    await pause(300);
    expect(fake.sentByBot(room).filter((e) => replyTarget(e) === missed)).toHaveLength(1);
  });

  it("delivers a reminder that falls due privately, in a direct room", async () => {
    bot = await startMatrixBot(fake, temp.dir);
    const room = await joinedRoom(fake);
    fake.say(room, BOB, "!remind me in 2h call the office");
    // A private reminder is confirmed privately: in the direct room, not in the team's.
    const dm = await fake.waitFor(() => fake.createdRooms[0], 8000, "the direct room");
    expect(dm.body).toMatchObject({ is_direct: true, invite: [BOB] });
    const confirmed = await nthPrivateMessage(fake, BOB, 0);
    expect(confirmed.content.body).toContain("call the office");
    await bot.advanceTo(new Date(bot.clock.now().getTime() + 3 * 60 * 60 * 1000));
    const reminder = await nthPrivateMessage(fake, BOB, 1);
    expect(reminder.content.body).toContain("call the office");
  });

  it("waits out 429 M_LIMIT_EXCEEDED with retry_after_ms and sends once", async () => {
    bot = await startMatrixBot(fake, temp.dir);
    const room = await joinedRoom(fake);
    const sendsBefore = fake.requests.filter((r) => r.startsWith("PUT") && r.includes("/send/")).length;
    fake.fail(
      "PUT",
      /\/send\//,
      429,
      { errcode: "M_LIMIT_EXCEEDED", error: "Too many requests", retry_after_ms: 300 },
      2,
    );
    const started = Date.now();
    const command = fake.say(room, BOB, "!settings");
    const reply = await nthBotMessage(fake, room, 1);
    expect(replyTarget(reply)).toBe(command);
    expect(Date.now() - started).toBeGreaterThanOrEqual(550);
    const sends =
      fake.requests.filter((r) => r.startsWith("PUT") && r.includes("/send/")).length - sendsBefore;
    expect(sends).toBe(3);
    expect(fake.sentByBot(room)).toHaveLength(2);
  });

  it("keeps a delivery the homeserver refuses in the outbox, to try again, instead of losing it", async () => {
    bot = await startMatrixBot(fake, temp.dir);
    const room = await joinedRoom(fake);
    fake.fail("PUT", /\/send\//, 403, { errcode: "M_FORBIDDEN", error: "You are not allowed" }, 1);
    await bot.app.bot.deliver([
      { ...privateNote("to the room"), audience: { kind: "room", room: `matrix:${room}` } },
    ]);
    const waiting = await bot.app.db.outboxEntry.findMany({ where: { status: "pending" } });
    expect(waiting.map((e) => [e.conversation, e.attempts])).toEqual([[`matrix:${room}`, 1]]);
  });

  it("keeps working when the homeserver restarts", async () => {
    bot = await startMatrixBot(fake, temp.dir);
    const room = await joinedRoom(fake);
    await fake.stop();
    await pause(400);
    await fake.start();
    const command = fake.say(room, BOB, "!settings");
    const reply = await fake.waitFor(
      () => fake.sentByBot(room).find((e) => replyTarget(e) === command),
      15_000,
      "reply after restart",
    );
    expect(reply.content.body).toContain("EINSTELLUNGEN");
  });

  it("declines invites from outside MATRIX_INVITE_ALLOW and accepts allowed ones", async () => {
    bot = await startMatrixBot(fake, temp.dir, { inviteAllow: ["@ann:fake.test", "example.org"] });
    const bad = fake.createRoom({ creator: BOB, name: "Spam" });
    fake.invite(bad, BOB);
    const good = fake.createRoom({ creator: "@zoe:example.org", name: "Partner" });
    fake.invite(good, "@zoe:example.org");
    await fake.waitFor(() => fake.membership(bad, fake.botUserId) === "leave", 8000, "declined invite");
    await fake.waitFor(() => fake.membership(good, fake.botUserId) === "join", 8000, "accepted invite");
    expect(fake.sentByBot(bad)).toHaveLength(0);
  });

  it("joins again when invited again after a kick, and greets once per invite", async () => {
    bot = await startMatrixBot(fake, temp.dir);
    const room = await joinedRoom(fake);
    fake.emit(room, ANN, "m.room.member", { membership: "leave" }, fake.botUserId);
    await pause(300);
    fake.invite(room, ANN);
    await nthBotMessage(fake, room, 1);
    expect(fake.membership(room, fake.botUserId)).toBe("join");
    await pause(300);
    expect(fake.sentByBot(room).map((e) => String(e.content.body).slice(0, 5))).toEqual(["Hallo", "Hallo"]);
  });

});
