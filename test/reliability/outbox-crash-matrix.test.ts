import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FakeHomeserver } from "../e2e/matrix/fake-homeserver.ts";
import { ANN } from "../e2e/matrix/matrix-harness.ts";
import { waitFor } from "../support/wait.ts";
import { type BotProcess, duplicatesPerConversation, planReminders, startBot } from "./support/burst.ts";

const dir = mkdtempSync(path.join(tmpdir(), "teambot-outbox-crash-matrix-"));
const fake = new FakeHomeserver();
afterAll(async () => {
  await fake.stop();
  rmSync(dir, { recursive: true, force: true });
});

const members = Array.from({ length: 30 }, (_, i) => `@m${i}:fake.test`);

/** Messages the bot sent: to the team room or a member's direct room, with the mark they carry. */
function deliveries(): { to: string; text: string }[] {
  const direct = new Map(fake.createdRooms.map((r) => [r.roomId, (r.body.invite as string[] | undefined)?.[0] ?? ""]));
  const found: { to: string; text: string }[] = [];
  for (const roomId of fake.roomIds()) {
    for (const event of fake.sentByBot(roomId)) {
      if (event.type !== "m.room.message") continue;
      const mark = /\b(R\d+X|C\d+X)\b/.exec(String(event.content.body ?? ""))?.[1];
      const owner = direct.get(roomId);
      if (mark) found.push({ to: owner ? `matrix:${owner}` : `room:${roomId}`, text: mark });
    }
  }
  return found;
}

/** Ann's private answers (rr ask answers privately): the requests she was told are posted. */
function acknowledged(): number[] {
  const annRooms = fake.createdRooms.filter((r) => (r.body.invite as string[] | undefined)?.[0] === ANN).map((r) => r.roomId);
  return annRooms.flatMap((roomId) =>
    fake
      .sentByBot(roomId)
      .map((e) => /Request \W{0,2}#(\d+)\W{0,2} is posted/.exec(String(e.content.body ?? "")))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1])),
  );
}

function startMatrixBot(): BotProcess {
  return startBot(dir, {
    MATRIX_HOMESERVER_URL: fake.url,
    MATRIX_USER_ID: fake.botUserId,
    MATRIX_PASSWORD: fake.password,
    MATRIX_ENCRYPTION: "false",
    MATRIX_STORE_PATH: path.join(dir, "session.bin"),
    MATRIX_STORE_KEY: "a-store-key-for-this-test-only-0123456789",
  });
}

describe("SIGKILL during a burst of 300 due reminders and a stream of commands (fake Matrix homeserver)", () => {
  it("after restart every command and every reminder arrives, each once", async () => {
    await fake.start();
    const room = fake.createRoom({ name: "Team", creator: "@owner:fake.test", members: [ANN, ...members] });
    const now = new Date();
    const reminders = await planReminders(dir, {
      room: `matrix:${room}`,
      members: members.map((m) => `matrix:${m}`),
      count: 300,
      dueAt: new Date(now.getTime() + 12_000),
      now,
    });

    const first = startMatrixBot();
    fake.invite(room, ANN);
    await fake.waitFor(() => fake.membership(room, fake.botUserId) === "join", 30_000, "the bot to join");
    // Two responders, so each urgent request is a room post and two alerts.
    for (const m of members.slice(0, 2)) fake.say(room, m, "!rr available on");
    let asked = 0;
    const stream = setInterval(() => fake.say(room, ANN, `!rr Need help C${++asked}X --urgent`), 300);
    const reminderCount = () => deliveries().filter((d) => d.text.startsWith("R")).length;
    await waitFor(() => acknowledged().length >= 1 && reminderCount() >= 60, 90_000).catch((error: unknown) => {
      const annRoom = fake.createdRooms.find((r) => (r.body.invite as string[] | undefined)?.[0] === ANN)?.roomId;
      console.log(reminderCount(), acknowledged(), annRoom ? fake.sentByBot(annRoom).slice(0, 3).map((e) => e.content.body) : "no room");
      throw error;
    });
    first.child.kill("SIGKILL");
    clearInterval(stream);
    await first.exited;
    expect(first.child.signalCode).toBe("SIGKILL");
    expect(reminderCount()).toBeLessThan(300);
    const said = asked;

    // Every request ann asked for is handled (the ones the crash caught in the queue after the
    // restart, from the saved sync position): a post in the room and two alerts each.
    const expected = new Map(reminders);
    for (let n = 1; n <= said; n++) expected.set(`C${n}X`, `room:${room}`);
    const alerts = (n: number) => deliveries().filter((d) => d.text === `C${n}X` && d.to.startsWith("matrix:")).length;
    const second = startMatrixBot();
    await waitFor(() => {
      const open = duplicatesPerConversation(deliveries(), expected).missing.length;
      return open === 0 && Array.from({ length: said }, (_, i) => alerts(i + 1)).every((n) => n >= 2);
    }, 120_000);
    await new Promise((r) => setTimeout(r, 1_000));
    second.child.kill("SIGTERM");
    expect(await second.exited).toBe(0);

    const result = duplicatesPerConversation(deliveries(), expected);
    expect(result.missing).toEqual([]);
    expect(result.tooOften).toEqual([]);
    expect(result.conversationsWithTwoDuplicates).toEqual([]);
    // The promise is the one above (at most the message in flight, once per conversation).
    // Each try of one message has the same transaction id, so a duplicate is rare: seen once
    // on PostgreSQL on a loaded machine (not yet traced to its cause).
    if (result.duplicates > 0) process.stdout.write(`Matrix crash: ${result.duplicates} message(s) in flight shown twice\n`);
    // Each request ran once: one request row per text.
    const requests = deliveries().filter((d) => d.to === `room:${room}` && d.text.startsWith("C"));
    expect(new Set(requests.map((d) => d.text)).size).toBe(said);
  }, 300_000);
});
