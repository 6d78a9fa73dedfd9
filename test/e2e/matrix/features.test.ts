import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type FakeEvent, FakeHomeserver } from "./fake-homeserver.ts";
import {
  ANN,
  BOB,
  joinedRoom,
  type MatrixBot,
  nthPrivateMessage,
  privateMessages,
  replyTarget,
  startMatrixBot,
  tempDir,
} from "./matrix-harness.ts";

/**
 * The features that came after the Matrix adapter (polls, meeting-date polls, tasks, rapid
 * response, reminders), end to end: the whole bot on the real matrix-js-sdk client against
 * the fake homeserver, asserting on the events the homeserver got and on database rows.
 */

const CARLA = "@carla:fake.test";
const MINUTE = 60_000;

/** Polls an async check until it yields something, or fails after `ms`. */
async function until<T>(find: () => Promise<T | undefined>, what: string, ms = 8000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = await find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const body = (e: FakeEvent | undefined): string => String(e?.content.body ?? "");
const choices = (e: FakeEvent): string[] => {
  const raw = e.content["org.teambot.choices"];
  return Array.isArray(raw) ? raw.map(String) : [];
};
const relation = (e: FakeEvent): Record<string, unknown> | undefined =>
  e.content["m.relates_to"] as Record<string, unknown> | undefined;
const newContent = (e: FakeEvent): Record<string, unknown> | undefined =>
  e.content["m.new_content"] as Record<string, unknown> | undefined;

describe("Matrix end to end: polls, date polls, tasks, rapid response, reminders", () => {
  let fake: FakeHomeserver;
  let temp: ReturnType<typeof tempDir>;
  let bot: MatrixBot;
  let room: string;

  beforeEach(async () => {
    fake = new FakeHomeserver();
    fake.setProfile(ANN, "Ann");
    fake.setProfile(BOB, "Bob");
    fake.setProfile(CARLA, "Carla");
    await fake.start();
    temp = tempDir();
    bot = await startMatrixBot(fake, temp.dir);
    room = await joinedRoom(fake);
    fake.join(room, CARLA);
  });
  afterEach(async () => {
    await bot.close();
    await fake.stop();
    temp.remove();
  });

  /** Sends a command and waits for the bot's reply to it in the room. */
  async function command(sender: string, text: string, extra: Record<string, unknown> = {}): Promise<FakeEvent> {
    const id = fake.say(room, sender, text, extra);
    return fake.waitFor(
      () => fake.sentByBot(room).find((e) => replyTarget(e) === id || relation(e)?.event_id === id),
      8000,
      `the answer to ${text}`,
    );
  }

  /** The direct rooms the bot created for one user. */
  const directRoomsOf = (userId: string) =>
    fake.createdRooms.filter((r) => JSON.stringify(r.body.invite) === JSON.stringify([userId]));

  const botMessages = (roomId = room) => fake.sentByBot(roomId).filter((e) => e.type === "m.room.message");

  it("polls: an MSC3381 start, responses from three members (latest wins), an end, late responses ignored", async () => {
    fake.say(room, ANN, '!poll create "Lunch on Friday?" Pizza Soup Salad --multi 2');
    const start = await fake.waitFor(
      () => fake.sentByBot(room).find((e) => e.type === "org.matrix.msc3381.poll.start"),
      8000,
      "the poll start event",
    );
    expect(start.content["org.matrix.msc3381.poll.start"]).toMatchObject({
      question: { "org.matrix.msc1767.text": "Lunch on Friday?" },
      kind: "org.matrix.msc3381.poll.disclosed",
      max_selections: 2,
      answers: [
        { id: "1", "org.matrix.msc1767.text": "Pizza" },
        { id: "2", "org.matrix.msc1767.text": "Soup" },
        { id: "3", "org.matrix.msc1767.text": "Salad" },
      ],
    });
    // The description goes out just before the poll.
    const intro = fake.sentByBot(room).at(-2);
    expect(body(intro)).toContain("LUNCH ON FRIDAY?");
    // Members vote in the native poll only: no second list of the answers, no button talk,
    // no vote command, and no numbered choices (a reply "2" meant for Soup must not withdraw).
    expect(intro && choices(intro)).toEqual([]);
    expect(body(intro)).not.toMatch(/1\. Pizza|Knöpf|button|poll vote/i);
    expect(body(intro)).toContain("!poll results 1");
    expect(body(intro)).toContain("!poll retract 1");
    // The post is recorded under its key once the send returns: votes find their poll by it.
    await bot.app.bot.idle();
    const poll = await bot.app.db.poll.findFirstOrThrow();
    expect(poll).toMatchObject({ question: "Lunch on Friday?", native: true, maxSelections: 2 });

    const roomMessagesBefore = botMessages().length;
    const ref = { "m.relates_to": { rel_type: "m.reference", event_id: start.event_id } };
    const unstable = (answers: string[]) => ({ ...ref, "org.matrix.msc3381.poll.response": { answers } });
    fake.emit(room, BOB, "org.matrix.msc3381.poll.response", unstable(["1", "2"]));
    fake.emit(room, ANN, "m.poll.response", { ...ref, "m.selections": ["2"] });
    // Stable, as matrix-js-sdk sends it.
    fake.emit(room, CARLA, "m.poll.response", { ...ref, "m.poll.response": { answers: ["3"] } });
    // Bob changes his mind: his whole selection is now Salad.
    fake.emit(room, BOB, "org.matrix.msc3381.poll.response", unstable(["3"]));

    const ballot = async () => {
      const votes = await bot.app.db.pollVote.findMany({ include: { member: true, option: true } });
      return votes.map((v) => `${v.member.ref} ${v.option.position}`).sort();
    };
    const expected = [`matrix:${ANN} 2`, `matrix:${BOB} 3`, `matrix:${CARLA} 3`];
    expect(
      await until(async () => {
        const now = await ballot();
        return JSON.stringify(now) === JSON.stringify(expected) ? now : undefined;
      }, "the three votes with Bob's change"),
    ).toEqual(expected);
    // The platform shows the votes itself: the bot says nothing in the room.
    expect(botMessages()).toHaveLength(roomMessagesBefore);

    fake.say(room, ANN, "!poll close 1");
    const end = await fake.waitFor(
      () => fake.sentByBot(room).find((e) => e.type === "org.matrix.msc3381.poll.end"),
      8000,
      "the poll end event",
    );
    expect(relation(end)).toEqual({ rel_type: "m.reference", event_id: start.event_id });
    // The description turns into the final result, edited in place.
    const result = await fake.waitFor(
      () => fake.sentByBot(room).find((e) => relation(e)?.rel_type === "m.replace"),
      8000,
      "the result",
    );
    expect(relation(result)).toEqual({ rel_type: "m.replace", event_id: intro?.event_id });
    const final = String(newContent(result)?.body);
    expect(final).toContain("ENDERGEBNIS");
    expect(final).toMatch(/Salad.*2 Stimmen \(67\s%\)/);
    expect(final).toMatch(/Soup.*1 Stimme \(33\s%\)/);
    expect((await bot.app.db.poll.findFirstOrThrow()).closedAt).not.toBeNull();

    // A response after the end is not counted (and not refused privately either).
    const dmsBefore = fake.createdRooms.length;
    fake.emit(room, CARLA, "org.matrix.msc3381.poll.response", unstable(["1"]));
    // Events of a room are handled in order: once this is answered, the response was seen.
    const results = await command(BOB, "!poll results 1");
    expect(body(results)).toMatch(/Salad.*2 Stimmen/);
    expect(await ballot()).toEqual(expected);
    expect(fake.createdRooms).toHaveLength(dmsBefore);
  });

  it("polls: hidden ones are undisclosed MSC3381 polls; anonymous ones take ballots privately, the room sees counts", async () => {
    fake.say(room, ANN, '!poll create "Rate the training" Good OK Bad --hidden');
    const start = await fake.waitFor(
      () => fake.sentByBot(room).find((e) => e.type === "org.matrix.msc3381.poll.start"),
      8000,
      "the hidden poll",
    );
    expect(start.content["org.matrix.msc3381.poll.start"]).toMatchObject({
      kind: "org.matrix.msc3381.poll.undisclosed",
      max_selections: 1,
    });
    // MSC3381 responses are room events everyone can read: no native poll for an anonymous one,
    // and no votes in the room at all: each member gets a private ballot; the room sees counts.
    fake.say(room, ANN, '!poll create "Anything to report?" Yes No --anonymous');
    const post = await fake.waitFor(
      () => botMessages().find((e) => choices(e).includes("poll results 2")),
      8000,
      "the anonymous poll",
    );
    expect(choices(post)).toEqual(["poll results 2"]);
    await bot.app.bot.idle();
    expect(fake.sentByBot(room).filter((e) => e.type === "org.matrix.msc3381.poll.start")).toEqual([start]);
    expect(await bot.app.db.poll.findMany({ select: { id: true, native: true, privateBallots: true }, orderBy: { id: "asc" } })).toEqual([
      { id: 1, native: true, privateBallots: false },
      { id: 2, native: false, privateBallots: true },
    ]);
    const ballot = await until(
      async () => privateMessages(fake, BOB).find((e) => choices(e).includes(`poll vote 2 2 --team matrix:${room}`)),
      "Bob's ballot",
    );
    // A vote in the room would show everyone who voted what: refused, nothing counted.
    fake.say(room, BOB, "!poll vote 2 1");
    const refusal = await until(
      async () => privateMessages(fake, BOB).find((e) => body(e).includes("anonym")),
      "the refusal",
    );
    expect(body(refusal)).toContain("#2");
    expect(await bot.app.db.pollVote.count()).toBe(0);
    // The numbered reply in the direct room counts.
    const dm = ballot.room_id;
    fake.say(dm, BOB, "2", { "m.relates_to": { "m.in_reply_to": { event_id: ballot.event_id } } });
    const vote = await until(() => bot.app.db.pollVote.findFirst({ include: { option: true } }).then((v) => v ?? undefined), "Bob's vote");
    expect(vote.option.label).toBe("No");
    const results = await command(ANN, "!poll results 2");
    expect(body(results)).toContain("1");
    expect(body(results)).not.toContain("Bob");
  });

  it("meeting-date polls: post, answers by command and by numbered reply, the table as an HTML reply", async () => {
    fake.say(room, ANN, '!meeting poll "Team meeting" "2027-03-01 18:00" "2027-03-02 18:00"');
    const post = await fake.waitFor(
      () => botMessages().find((e) => choices(e).includes("meeting vote 1 1 yes")),
      8000,
      "the date poll",
    );
    expect(String(post.content.formatted_body)).toContain("Team meeting");
    expect(fake.sentByBot(room).some((e) => e.type === "org.matrix.msc3381.poll.start")).toBe(false);

    await command(BOB, "!meeting vote 1 1 yes");
    // Carla answers slot 2 by replying to the post with the number of its "no" choice.
    const n = choices(post).indexOf("meeting vote 1 2 no") + 1;
    expect(n).toBeGreaterThan(0);
    fake.say(room, CARLA, String(n), { "m.relates_to": { "m.in_reply_to": { event_id: post.event_id } } });
    await command(ANN, "!meeting vote 1 all maybe");

    const answers = async () => {
      const votes = await bot.app.db.pollVote.findMany({ include: { member: true, option: true } });
      return votes.map((v) => `${v.member.ref} ${v.option.position} ${v.answer}`).sort();
    };
    const expected = [
      `matrix:${ANN} 1 maybe`,
      `matrix:${ANN} 2 maybe`,
      `matrix:${BOB} 1 yes`,
      `matrix:${CARLA} 2 no`,
    ];
    await until(async () => {
      const now = await answers();
      return JSON.stringify(now) === JSON.stringify(expected) ? now : undefined;
    }, "four answers");

    const table = await command(BOB, "!meeting availability 1");
    expect(table.content.format).toBe("org.matrix.custom.html");
    const html = String(table.content.formatted_body);
    expect(html).toContain("Team meeting");
    expect(html).toContain("Bob");
    expect(html).toContain("Carla");
    expect(table.content["m.mentions"]).toEqual({ user_ids: [] });
  });

  it("tasks: a pill becomes the assignee, who gets a DM in one direct room; the reply pills exactly them", async () => {
    const add = () =>
      fake.say(room, ANN, '!task add "Accompany the Haddad family" Bob --due "2027-01-05 09:00"', {
        format: "org.matrix.custom.html",
        formatted_body:
          '!task add "Accompany the Haddad family" <a href="https://matrix.to/#/@bob:fake.test">Bob</a> --due "2027-01-05 09:00"',
      });
    // Someone who is not in the room is no team member: refused (privately, to Ann).
    fake.say(room, ANN, '!task add "Call the school" @zed:fake.test');
    const refused = await nthPrivateMessage(fake, ANN, 0);
    expect(body(refused)).toContain("@zed:fake.test kenne ich in diesem Team noch nicht");
    expect(await bot.app.db.task.count()).toBe(0);

    // Bob is in the room: a team member, although he never wrote a command.
    const before = fake.sentByBot(room).length;
    add();
    const announced = await fake.waitFor(
      () => fake.sentByBot(room).slice(before).find((e) => body(e).includes("Accompany the Haddad family")),
      8000,
      "the task in the room",
    );
    expect(announced.content["m.mentions"]).toEqual({ user_ids: [BOB] });
    expect(String(announced.content.formatted_body)).toContain(
      '<a href="https://matrix.to/#/@bob:fake.test">',
    );
    expect(String(announced.content.formatted_body)).not.toContain("@ann:fake.test");

    const task = await bot.app.db.task.findFirstOrThrow({ include: { assignees: { include: { member: true } } } });
    expect(task.assignees.map((a) => a.member.ref)).toEqual([`matrix:${BOB}`]);
    expect(task.dueAt?.toISOString()).toBe("2027-01-05T08:00:00.000Z"); // 9:00 Berlin time

    const dm = await fake.waitFor(() => directRoomsOf(BOB)[0], 8000, "Bob's direct room");
    expect(dm.body).toMatchObject({ is_direct: true, preset: "trusted_private_chat" });
    const first = await nthPrivateMessage(fake, BOB, 0);
    expect(body(first)).toContain("Accompany the Haddad family");
    // The hints name commands as they are typed in a Matrix room.
    expect(body(first)).toContain("*!task start 1*");
    expect(body(first)).not.toMatch(/[^!]task done 1/);

    // Named by full user id this time; the direct room is reused.
    fake.say(room, ANN, '!task add "Translate the Jobcenter letter" @bob:fake.test');
    await fake.waitFor(
      () => botMessages(dm.roomId).find((e) => body(e).includes("Translate the Jobcenter letter")),
      8000,
      "the second DM",
    );
    expect(directRoomsOf(BOB)).toHaveLength(1);
    expect(await bot.app.db.taskAssignee.count({ where: { member: { ref: `matrix:${BOB}` } } })).toBe(2);
  });

  it("rapid response: the request escalates through the scheduler, a reaction claims it, the post is edited in place", async () => {
    // Ann (power 50) is a coordinator once she has used the bot in the team.
    await command(ANN, "!rr settings");
    const t0 = bot.clock.now().getTime();
    fake.say(room, BOB, "!rr Dari interpreter at the Jobcenter --urgent");
    const post = await fake.waitFor(
      () => botMessages().find((e) => choices(e).includes("rr claim 1")),
      8000,
      "the request",
    );
    expect(body(post)).toContain("Dari interpreter at the Jobcenter");
    await bot.app.bot.idle(); // the post is recorded under its key ("rr:1") for later edits
    const request = await bot.app.db.rrRequest.findFirstOrThrow();
    expect(request).toMatchObject({ number: 1, urgent: true, escalations: 0 });

    // Ten minutes without a claim: the room is alerted, coordinators are told privately.
    await bot.advanceTo(new Date(t0 + 11 * MINUTE));
    const alert = await fake.waitFor(
      () => botMessages().find((e) => body(e).includes("Alarm 1 von 3")),
      8000,
      "the escalation in the room",
    );
    // "The whole team" is named: every member of the room (joined members count) but the requester.
    const named = (alert.content["m.mentions"] as { user_ids: string[] }).user_ids;
    expect([...named].sort()).toEqual([ANN, CARLA, "@owner:fake.test"].sort());
    const annDm = await fake.waitFor(() => directRoomsOf(ANN)[0], 8000, "Ann's direct room");
    const told = await fake.waitFor(
      () => botMessages(annDm.roomId).find((e) => body(e).includes("nicht übernommen")),
      8000,
      "the coordinator's DM",
    );
    expect(body(told)).toContain("#1");
    for (const other of [...directRoomsOf(BOB), ...directRoomsOf(CARLA)]) {
      expect(botMessages(other.roomId).some((e) => body(e).includes("nicht übernommen"))).toBe(false);
    }
    expect((await bot.app.db.rrRequest.findFirstOrThrow()).escalations).toBe(1);

    // Carla claims it with the keycap of "rr claim 1" on the request.
    const n = choices(post).indexOf("rr claim 1") + 1;
    fake.emit(room, CARLA, "m.reaction", {
      "m.relates_to": { rel_type: "m.annotation", event_id: post.event_id, key: `${n}\uFE0F\u20E3` },
    });
    const claims = await until(async () => {
      const rows = await bot.app.db.rrClaim.findMany({ include: { member: true } });
      return rows.length > 0 ? rows : undefined;
    }, "the claim");
    expect(claims.map((c) => c.member.ref)).toEqual([`matrix:${CARLA}`]);
    // Re-sent under its key by the escalation and by the claim: edits of the one post.
    const edits = () =>
      fake.sentByBot(room).filter((e) => relation(e)?.rel_type === "m.replace");
    expect(edits().length).toBeGreaterThan(0);
    expect(
      botMessages().filter((e) => body(e).includes("DRINGENDE Anfrage #1") && relation(e) === undefined),
    ).toEqual([post]);
    const edit = await fake.waitFor(
      () =>
        fake
          .sentByBot(room)
          .find(
            (e) =>
              relation(e)?.rel_type === "m.replace" &&
              relation(e)?.event_id === post.event_id &&
              String(newContent(e)?.body).includes("Carla"),
          ),
      8000,
      "the request edited with the claim",
    );
    expect(String(newContent(edit)?.body)).toContain("Dari interpreter at the Jobcenter");

    // The claim stops the escalation: no further alerts.
    const alerts = () => botMessages().filter((e) => body(e).includes("Alarm ")).length;
    const alertsBefore = alerts();
    await bot.advanceTo(new Date(t0 + 60 * MINUTE));
    expect(alerts()).toBe(alertsBefore);
    expect((await bot.app.db.rrRequest.findFirstOrThrow()).escalations).toBe(1);
  });

  it("reminders: an ambiguous time is asked with numbered choices, and a numbered reply runs the one meant", async () => {
    // Pinned at Wednesday 25 November 2026, 10:00 in Berlin: "halb 8" is 19:30 today or 07:30 tomorrow.
    const asked = await command(ANN, "!remind team halb 8 Akten holen");
    expect(body(asked)).toContain("„halb 8“ kann mehr als eine Zeit bedeuten");
    expect(choices(asked)).toEqual([
      'remind team "25.11.2026 19:30" Akten holen',
      'remind team "26.11.2026 07:30" Akten holen',
    ]);
    expect(await bot.app.db.reminder.count()).toBe(0);
    fake.say(room, ANN, "2", { "m.relates_to": { "m.in_reply_to": { event_id: asked.event_id } } });
    const reminder = await until(() => bot.app.db.reminder.findFirst().then((r) => r ?? undefined), "the reminder");
    expect(reminder).toMatchObject({ text: "Akten holen", targetKind: "team" });
    expect(reminder.dueAt.toISOString()).toBe("2026-11-26T06:30:00.000Z");
  });

  it("reminders: 'remind me in 1 minute' arrives in the member's direct room when the scheduler runs it", async () => {
    const t0 = bot.clock.now().getTime();
    await command(BOB, "!remind me in 1 minute call the housing office");
    const reminder = await bot.app.db.reminder.findFirstOrThrow();
    expect(reminder.dueAt.getTime()).toBe(t0 + MINUTE);

    await bot.advanceTo(new Date(t0 + 2 * MINUTE));
    const dm = await fake.waitFor(() => directRoomsOf(BOB)[0], 8000, "Bob's direct room");
    // The reminder itself (not the acknowledgement) carries its choices: done, snooze.
    const isReminder = (e: FakeEvent) =>
      body(e).includes("call the housing office") && choices(e).some((c) => c.startsWith("remind snooze"));
    const delivered = await fake.waitFor(
      () => botMessages(dm.roomId).find(isReminder),
      8000,
      "the reminder",
    );
    expect(delivered.content["m.mentions"]).toEqual({ user_ids: [] });
    expect(botMessages().some(isReminder)).toBe(false);
    expect((await bot.app.db.reminder.findFirstOrThrow()).status).toBe("delivered");

    // Once only.
    await bot.advanceTo(new Date(t0 + 60 * MINUTE));
    expect(botMessages(dm.roomId).filter(isReminder)).toHaveLength(1);
  });
});
