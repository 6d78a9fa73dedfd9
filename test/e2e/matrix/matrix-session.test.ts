import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import path from "node:path";
import { encodeRecoveryKey } from "matrix-js-sdk/lib/crypto-api/index.js";
import pino from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Logger } from "../../../src/core/log.ts";
import { FakeHomeserver } from "./fake-homeserver.ts";
import {
  ANN,
  joinedRoom,
  type MatrixBot,
  nthBotMessage,
  privateNote,
  replyTarget,
  startMatrixBot,
  tempDir,
} from "./matrix-harness.ts";

/**
 * The Matrix session across starts and outages, against the fake homeserver: one login and
 * one device, encrypted rooms and direct rooms, and what the log says when the homeserver
 * goes away.
 */
describe("Matrix sessions: one login, encryption, outages", () => {
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

  it("delivers privately in a direct room it creates once (is_direct) and reuses after a restart", async () => {
    bot = await startMatrixBot(fake, temp.dir);
    await bot.app.bot.deliver([privateNote("first")]);
    expect(fake.createdRooms).toHaveLength(1);
    const dm = fake.createdRooms[0];
    expect(dm?.body).toMatchObject({ is_direct: true, invite: [ANN], preset: "trusted_private_chat" });
    fake.join(dm?.roomId ?? "", ANN);
    await bot.app.bot.deliver([privateNote("second")]);
    await bot.close();
    bot = await startMatrixBot(fake, temp.dir);
    await bot.app.bot.deliver([privateNote("third")]);
    expect(fake.createdRooms).toHaveLength(1);
    // Direct rooms are created encrypted; every message in them is encrypted.
    expect(dm?.body).toMatchObject({ initial_state: [{ type: "m.room.encryption" }] });
    expect(fake.events(dm?.roomId ?? "").filter((e) => e.type === "m.room.message")).toEqual([]);
    const bodies = await fake.waitFor(() => {
      const sent = fake.sentByBot(dm?.roomId).map((e) => e.content.body);
      return sent.length === 3 && sent.every((b) => b !== undefined) ? sent : undefined;
    });
    expect(bodies).toEqual(["first", "second", "third"]);
    expect(await bot.app.db.outboxEntry.count({ where: { status: { not: "sent" } } })).toBe(0);
  });

  it("accepts an invite that came while it was offline, and joins encrypted rooms and greets there encrypted", async () => {
    const waiting = fake.createRoom({ creator: ANN, name: "Waiting" });
    fake.invite(waiting, ANN);
    bot = await startMatrixBot(fake, temp.dir);
    await fake.waitFor(
      () => fake.membership(waiting, fake.botUserId) === "join",
      8000,
      "joined the waiting room",
    );
    expect((await nthBotMessage(fake, waiting, 0)).content.body).toContain("!help");

    const secret = fake.createRoom({ creator: ANN, name: "Secret", encrypted: true });
    fake.invite(secret, ANN);
    const greeting = await fake.waitFor(() => fake.sentByBot(secret).find((e) => e.encrypted), 8000, "greeting");
    expect(greeting.content.body).toContain("!help");
    expect(fake.membership(secret, fake.botUserId)).toBe("join");
    // Nothing in clear: the wire event is m.room.encrypted with a megolm ciphertext.
    const wire = fake.events(secret).filter((e) => e.sender === fake.botUserId && e.state_key === undefined);
    expect(wire.map((e) => e.type)).toEqual(["m.room.encrypted"]);
    expect(wire[0]?.content).toMatchObject({ algorithm: "m.megolm.v1.aes-sha2" });
  });

  it("with MATRIX_ENCRYPTION=false leaves encrypted rooms with a notice", async () => {
    bot = await startMatrixBot(fake, temp.dir, { encryption: false });
    const secret = fake.createRoom({ creator: ANN, name: "Secret", encrypted: true });
    fake.invite(secret, ANN);
    await fake.waitFor(
      () => fake.membership(secret, fake.botUserId) === "leave",
      8000,
      "left the encrypted room",
    );
    const notice = fake.sentByBot(secret);
    expect(notice).toHaveLength(1);
    expect(notice[0]?.content).toMatchObject({ msgtype: "m.notice" });
    expect(notice[0]?.content.body).toContain("verschlüsselt");
  });

  it("logs in with user id and password when no access token is set", async () => {
    bot = await startMatrixBot(fake, temp.dir, {
      accessToken: undefined,
      userId: fake.botUserId,
      password: fake.password,
    });
    expect(bot.adapter.userId).toBe(fake.botUserId);
    expect(fake.requests).toContain("POST /_matrix/client/v3/login");
  });

  it("logs in once: later starts reuse the stored token and device; a revoked token means one new login", async () => {
    const withPassword = { accessToken: undefined, userId: fake.botUserId, password: fake.password };
    const logins = () => fake.requests.filter((r) => r.endsWith("/login")).length;
    bot = await startMatrixBot(fake, temp.dir, withPassword);
    const device = bot.adapter.sdkClient?.getDeviceId();
    const room = await joinedRoom(fake);
    await bot.close();
    for (let i = 0; i < 3; i++) {
      bot = await startMatrixBot(fake, temp.dir, withPassword);
      expect(bot.adapter.sdkClient?.getDeviceId()).toBe(device);
      await bot.close();
    }
    expect(logins()).toBe(1);
    // One token for the bot's device on the homeserver, besides the fixture's own.
    expect([...fake.account.tokens.values()].filter((d) => d === device)).toHaveLength(1);
    // The same device still reads and answers (and its keys were kept: no second upload of
    // its device keys, which a homeserver would refuse for a changed key).
    bot = await startMatrixBot(fake, temp.dir, withPassword);
    const id = fake.say(room, ANN, "!help");
    await fake.waitFor(() => fake.sentByBot(room).find((e) => replyTarget(e) === id));
    await bot.close();

    // The operator logged the session out: one new login, a new device, the old one removed.
    fake.account.logout(device ?? "");
    bot = await startMatrixBot(fake, temp.dir, withPassword);
    expect(logins()).toBe(2);
    expect(bot.adapter.sdkClient?.getDeviceId()).not.toBe(device);
    expect(fake.account.deviceNames.has(device ?? "")).toBe(false);
    expect(fake.keys.deviceKeys.get(fake.botUserId)?.has(device ?? "")).toBe(false);
  });

  it("with a recovery key: cross-signs its device and backs its keys up; a new device after a lost store is signed too", async () => {
    const recoveryKey = encodeRecoveryKey(randomBytes(32)) ?? "";
    const withPassword = { accessToken: undefined, userId: fake.botUserId, password: fake.password, recoveryKey };
    bot = await startMatrixBot(fake, temp.dir, withPassword);
    await bot.adapter.trusted;
    const first = bot.adapter.sdkClient?.getDeviceId() ?? "";
    const signedBySelfSigningKey = (device: string) => {
      const cs = fake.keys.crossSigning.get(fake.botUserId);
      const ssk = Object.keys((cs?.self_signing_key as { keys?: object } | undefined)?.keys ?? {})[0] ?? "";
      const keys = fake.keys.deviceKeys.get(fake.botUserId)?.get(device) as { signatures?: Record<string, object> };
      return ssk !== "" && Object.keys(keys?.signatures?.[fake.botUserId] ?? {}).includes(ssk);
    };
    // Cross-signing keys published, the device signed by the self-signing key, the private
    // keys in secret storage (encrypted account data), a key backup created.
    expect(Object.keys(fake.keys.crossSigning.get(fake.botUserId) ?? {}).sort()).toEqual([
      "master_key",
      "self_signing_key",
      "user_signing_key",
    ]);
    expect(signedBySelfSigningKey(first)).toBe(true);
    expect(fake.accountDataOf("m.secret_storage.default_key")).toBeDefined();
    expect(fake.accountDataOf("m.cross_signing.self_signing")).toMatchObject({ encrypted: expect.any(Object) });
    expect(fake.keys.backups).toHaveLength(1);
    await bot.close();

    // The session file is lost: one new login, the keys come from secret storage, no new
    // cross-signing identity (that would need the password step), the old device removed.
    rmSync(path.join(temp.dir, "matrix-session.bin"));
    bot = await startMatrixBot(fake, temp.dir, withPassword);
    await bot.adapter.trusted;
    const second = bot.adapter.sdkClient?.getDeviceId() ?? "";
    expect(second).not.toBe(first);
    expect(signedBySelfSigningKey(second)).toBe(true);
    expect(fake.keys.passwordAuths).toBe(0);
    expect(fake.keys.backups).toHaveLength(1);
    expect([...fake.account.deviceNames.keys()].filter((d) => d !== "FAKEDEVICE")).toEqual([second]);
  });

  it("says when the homeserver is unreachable and when it is back, once per outage", async () => {
    const lines: string[] = [];
    bot = await startMatrixBot(fake, temp.dir, { log: captureLog(lines) });
    const room = await joinedRoom(fake);
    await fake.stop();
    // The SDK goes Reconnecting (a sync failed), then Error (its keep-alive failed too).
    await fake.waitFor(() => lines.find((l) => l.includes("homeserver unreachable")), 15_000);
    await fake.start();
    // Then Catchup (answers again) and Syncing: back.
    await fake.waitFor(() => lines.find((l) => l.includes("homeserver reachable again")), 20_000);
    const id = fake.say(room, ANN, "!settings");
    await fake.waitFor(() => fake.sentByBot(room).find((e) => replyTarget(e) === id));
    expect(lines.filter((l) => l.includes("homeserver unreachable"))).toHaveLength(1);
    expect(lines.filter((l) => l.includes("reachable again"))).toHaveLength(1);
  }, 45_000);
});

/** A logger that keeps each line (JSON) in `lines`. */
function captureLog(lines: string[]): Logger {
  return pino({ level: "info" }, { write: (line: string) => void lines.push(line) });
}
