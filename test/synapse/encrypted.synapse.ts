import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import path from "node:path";
import { MatrixEvent } from "matrix-js-sdk";
import { encodeRecoveryKey } from "matrix-js-sdk/lib/crypto-api/index.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ManualClock } from "../../src/core/clock.ts";
import { createLogger } from "../../src/core/log.ts";
import { type MatrixBot, startBotOn, tempDir } from "../e2e/matrix/matrix-harness.ts";
import { defaultTestNow } from "../support/harness.ts";
import { Member } from "./member.ts";
import { Synapse } from "./synapse.ts";

const MINUTE = 60_000;
const skip = Synapse.unavailable();
if (skip) console.log(`Synapse suite skipped: ${skip}`);

/**
 * The bot against a real Synapse, in an encrypted room, through real matrix-js-sdk
 * clients with Rust crypto on both sides: the conversations of the Matrix e2e tests, a
 * restart with the same device, a message sent while the bot was down, and the bot's
 * device cross-signed as other clients see it.
 */
describe.skipIf(skip !== undefined)("Teambot on a real Synapse, encrypted", () => {
  const synapse = new Synapse();
  const temp = tempDir();
  const clock = new ManualClock(defaultTestNow);
  const recoveryKey = encodeRecoveryKey(randomBytes(32)) ?? "";
  const password = "bot-password-1";
  let botId = "";
  let ann: Member;
  let bob: Member;
  let room = "";
  let bot: MatrixBot | undefined;

  async function startBot() {
    const started = await startBotOn(
      {
        homeserverUrl: synapse.url,
        userId: botId,
        password,
        recoveryKey,
        pollTimeoutMs: 2000,
        log: createLogger(process.env.TEST_LOG_LEVEL ?? "warn"),
      },
      temp.dir,
      clock,
    );
    await started.adapter.trusted;
    return started;
  }

  const body = (e: MatrixEvent) => String(e.getContent().body ?? "");
  const replyTo = (e: MatrixEvent) => e.getContent()["m.relates_to"]?.["m.in_reply_to"]?.event_id;

  /** Ann's command and the bot's reply to it, as Ann's client decrypts it. */
  async function ask(text: string): Promise<MatrixEvent> {
    const id = await ann.say(room, text);
    return ann.waitFor(() => ann.eventsFrom(botId, room).find((e) => replyTo(e) === id), `reply to ${text}`);
  }

  beforeAll(async () => {
    await synapse.start();
    console.log(`Synapse ${synapse.version} on ${synapse.url}`);
    botId = synapse.register("teambot", password);
    synapse.register("ann", "ann-password");
    synapse.register("bob", "bob-password");
    ann = await Member.login(synapse.url, "ann", "ann-password");
    bob = await Member.login(synapse.url, "bob", "bob-password");
    bot = await startBot();
  }, 20 * 60_000);

  afterAll(async () => {
    ann?.stop();
    bob?.stop();
    await bot?.close();
    await synapse.stop();
    temp.remove();
  }, 60_000);

  it("joins an encrypted room on invite and greets there, encrypted", async () => {
    room = await ann.createEncryptedRoom("Team", [botId, bob.userId]);
    const greeting = await ann.waitFor(
      () => ann.eventsFrom(botId, room).find((e) => body(e).includes("!help")),
      "the greeting",
    );
    expect(greeting.isEncrypted()).toBe(true);
    expect(greeting.getContent().msgtype).toBe("m.notice");
  });

  it("answers !help in the encrypted room", async () => {
    const reply = await ask("!help");
    expect(reply.isEncrypted()).toBe(true);
    expect(body(reply)).toContain("poll");
  });

  it("runs a native poll: the vote in the poll counts, the results say so", async () => {
    await ann.say(room, '!poll create "Pizza oder Suppe?" Pizza Suppe');
    const start = await ann.waitFor(
      () => ann.eventsFrom(botId, room).find((e) => e.getType() === "org.matrix.msc3381.poll.start"),
      "the poll",
    );
    expect(start.isEncrypted()).toBe(true);
    await ann.vote(room, start.getId() ?? "", ["1"]);
    const results = await ann.waitFor(async () => {
      const reply = await ask("!poll results 1");
      return body(reply).includes("Pizza") && /1\b/.test(body(reply)) ? reply : undefined;
    }, "the vote in the results");
    expect(body(results)).toContain("Pizza");
  });

  it("assigns a task to a room member who never wrote a command; they are told in an encrypted DM", async () => {
    await ann.say(room, `!task add "Anruf bei Ruben wegen Wohnung" ${bob.userId}`);
    const announced = await ann.waitFor(
      () => ann.eventsFrom(botId, room).find((e) => body(e).includes("Anruf bei Ruben wegen Wohnung")),
      "the task in the room",
    );
    expect(announced.getContent()["m.mentions"]).toEqual({ user_ids: [bob.userId] });
    const note = await bob
      .waitFor(() => {
        for (const dm of bob.directRoomsWith(botId)) {
          const found = bob.eventsFrom(botId, dm).find((e) => body(e).includes("Anruf bei Ruben"));
          if (found) return found;
        }
        return undefined;
      }, "Bob's DM")
      .catch((error: unknown) => {
        // What Bob's client saw, for the failure message.
        const seen = bob.client.getRooms().map((r) => ({
          room: r.roomId,
          membership: r.getMyMembership(),
          creator: r.getCreator(),
          events: r.getLiveTimeline().getEvents().map((e) => [e.getType(), e.getSender(), e.isDecryptionFailure(), body(e).slice(0, 300), e.decryptionFailureReason]),
        }));
        throw new Error(`${String(error)}\n${JSON.stringify(seen, null, 1)}`);
      });
    expect(note.isEncrypted()).toBe(true);
  });

  it("posts a rapid-response request", async () => {
    const id = await ann.say(room, "!rr Dari-Dolmetschung beim Jobcenter --urgent");
    const post = await ann.waitFor(
      () => ann.eventsFrom(botId, room).find((e) => body(e).includes("Dari-Dolmetschung") && replyTo(e) !== id),
      "the request",
    );
    expect(post.isEncrypted()).toBe(true);
  });

  it("delivers a team reminder when it falls due", async () => {
    const t0 = clock.now().getTime();
    await ask("!remind team in 1 minute Akten abgeben");
    await bot?.advanceTo(new Date(t0 + 2 * MINUTE));
    const reminder = await ann.waitFor(
      () => ann.eventsFrom(botId, room).find((e) => body(e).includes("Akten abgeben") && !replyTo(e)),
      "the reminder",
    );
    expect(reminder.isEncrypted()).toBe(true);
  });

  it("is one device, cross-signed by its account, as another member's client sees it", async () => {
    const device = bot?.adapter.sdkClient?.getDeviceId() ?? "";
    const crypto = ann.client.getCrypto();
    const devices = await crypto?.getUserDeviceInfo([botId], true);
    expect([...(devices?.get(botId)?.keys() ?? [])]).toEqual([device]);
    const status = await ann.waitFor(async () => {
      await crypto?.getUserDeviceInfo([botId], true);
      const s = await crypto?.getDeviceVerificationStatus(botId, device);
      return s?.signedByOwner ? s : undefined;
    }, "the bot's device signed by its owner");
    expect(status.signedByOwner).toBe(true);
    expect(await crypto?.userHasCrossSigningKeys(botId, true)).toBe(true);
  });

  it("after a restart: the same device and token, a message from while it was down answered, then new ones", async () => {
    const device = bot?.adapter.sdkClient?.getDeviceId();
    await bot?.close();
    bot = undefined;
    const missed = await ann.say(room, "!settings");
    bot = await startBot();
    expect(bot.adapter.sdkClient?.getDeviceId()).toBe(device);
    const late = await ann.waitFor(
      () => ann.eventsFrom(botId, room).find((e) => replyTo(e) === missed),
      "the reply to the missed command",
    );
    expect(late.isEncrypted()).toBe(true);
    const again = await ask("!help");
    expect(body(again)).toContain("poll");
    // One login in all: one Teambot device with one access token on the server (the
    // registration made a device of its own, without a name).
    expect(synapse.sql(`select device_id from devices where user_id = '${botId}' and display_name = 'Teambot'`).trim()).toBe(device);
    expect(synapse.sql(`select count(*) from access_tokens where user_id = '${botId}' and device_id = '${device}'`).trim()).toBe("1");
    expect(existsSync(path.join(temp.dir, "matrix-session.bin"))).toBe(true);
  });

  it("recovers from a lost store: one new device, cross-signed again, old messages read from the key backup", async () => {
    // The room keys reached the server-side backup (uploaded in the background).
    await ann.waitFor(
      () => (Number(synapse.sql(`select count(*) from e2e_room_keys where user_id = '${botId}'`)) > 0 ? true : undefined),
      "room keys in the key backup",
    );
    const oldDevice = bot?.adapter.sdkClient?.getDeviceId() ?? "";
    const old = ann.eventsFrom(ann.userId, room).find((e) => body(e) === "!help");
    await bot?.close();
    bot = undefined;
    rmSync(path.join(temp.dir, "matrix-session.bin"));
    bot = await startBot();
    const client = bot.adapter.sdkClient;
    const device = client?.getDeviceId() ?? "";
    expect(device).not.toBe(oldDevice);
    // Members see one bot device (the old one was removed), signed by the bot's account.
    const crypto = ann.client.getCrypto();
    const seen = await ann.waitFor(async () => {
      const devices = [...((await crypto?.getUserDeviceInfo([botId], true))?.get(botId)?.keys() ?? [])];
      return devices.length === 1 && devices[0] === device ? devices : undefined;
    }, "the new device only");
    expect(seen).toEqual([device]);
    expect((await crypto?.getDeviceVerificationStatus(botId, device))?.signedByOwner).toBe(true);
    // A message from before the loss decrypts with keys restored from the backup.
    const raw = await client?.fetchRoomEvent(room, old?.getId() ?? "");
    const text = await ann.waitFor(async () => {
      const event = new MatrixEvent({ ...raw, room_id: room });
      await client?.decryptEventIfNeeded(event);
      return event.isDecryptionFailure() ? undefined : body(event);
    }, "the old message decrypted");
    expect(text).toBe("!help");
    const again = await ask("!settings");
    expect(again.isEncrypted()).toBe(true);
  });
});
