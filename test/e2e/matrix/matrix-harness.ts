import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { MatrixEvent, RoomEvent } from "matrix-js-sdk";
import { MatrixAdapter, type MatrixAdapterOptions } from "../../../src/adapters/matrix/matrix-adapter.ts";
import { type App, createApp } from "../../../src/app.ts";
import { loadConfig } from "../../../src/config.ts";
import { ManualClock } from "../../../src/core/clock.ts";
import { createLogger } from "../../../src/core/log.ts";
import type { OutgoingMessage } from "../../../src/core/message.ts";
import { DurableScheduler } from "../../../src/scheduler/durable-scheduler.ts";
import { defaultTestNow } from "../../support/harness.ts";
import type { FakeEvent, FakeHomeserver } from "./fake-homeserver.ts";

export const ANN = "@ann:fake.test";
export const BOB = "@bob:fake.test";

export interface MatrixBot {
  app: App;
  adapter: MatrixAdapter;
  /** The durable scheduler, driven by the test (`advanceTo`), its timer not started. */
  scheduler: DurableScheduler;
  /** The bot's clock, pinned like the console test bot's (the homeserver keeps real time). */
  clock: ManualClock;
  /** Lets time pass to `at`, running each due job at its own time. */
  advanceTo(at: Date): Promise<void>;
  close(): Promise<void>;
}

/**
 * The whole bot (createApp, real core, SQLite file in `dir`) with the Matrix adapter on the
 * real matrix-js-sdk client, talking to the fake homeserver. Resolves after the first sync.
 */
export async function startMatrixBot(
  fake: FakeHomeserver,
  dir: string,
  overrides: Partial<MatrixAdapterOptions> = {},
  now: Date = defaultTestNow,
): Promise<MatrixBot> {
  const bot = await startBotOn(
    {
      homeserverUrl: fake.url,
      accessToken: fake.accessToken,
      pollTimeoutMs: 200,
      retry: { attempts: 5, baseDelayMs: 50, maxDelayMs: 2000 },
      ...overrides,
    },
    dir,
    new ManualClock(now),
  );
  revealOwnEcho(bot.adapter, fake);
  return bot;
}

/**
 * The whole bot with the Matrix adapter on any homeserver (the fake, or a real Synapse),
 * its session file and database in `dir`, on `clock`. Resolves after the first sync.
 */
export async function startBotOn(
  options: Partial<MatrixAdapterOptions> & { homeserverUrl: string },
  dir: string,
  clock: ManualClock,
): Promise<MatrixBot> {
  const config = loadConfig({ DATABASE_URL: `file:${path.join(dir, "test.db")}` });
  const log = createLogger(process.env.TEST_LOG_LEVEL ?? "silent");
  let scheduler: DurableScheduler | undefined;
  const app = await createApp(config, log, {
    clock,
    scheduler: (b) => {
      scheduler = new DurableScheduler(b);
      return scheduler;
    },
  });
  if (!scheduler) throw new Error("scheduler not created");
  const adapter = new MatrixAdapter({
    inviteAllow: [],
    coordinatorPowerLevel: 50,
    language: "de",
    db: app.db,
    log,
    ...storeOptions(dir),
    ...options,
  });
  app.bot.addAdapter(adapter);
  await app.bot.start();
  await adapter.ready;
  const durable = scheduler;
  return {
    app,
    adapter,
    scheduler,
    clock,
    async advanceTo(at) {
      await durable.advanceTo(at, (step) => clock.set(step));
      if (at.getTime() > clock.now().getTime()) clock.set(at);
      await app.bot.idle();
    },
    close: () => app.close(),
  };
}

/**
 * Lets the fake show the bot's encrypted messages in clear: the bot's client decrypts the
 * echo of what it sent (with its own keys, as any member's client would with theirs).
 */
export function revealOwnEcho(adapter: MatrixAdapter, fake: FakeHomeserver): void {
  const client = adapter.sdkClient;
  if (!client) return;
  const reveal = (event: MatrixEvent): void => {
    if (!event.isEncrypted() || event.getSender() !== fake.botUserId) return;
    void client.decryptEventIfNeeded(event).then(() => {
      const id = event.getId();
      if (id && !event.isDecryptionFailure()) fake.reveal(id, event.getType(), event.getContent());
    });
  };
  client.on(RoomEvent.Timeline, reveal);
  // What an earlier run sent and did not see come back.
  for (const event of fake.sentByBot().filter((e) => e.type === "m.room.encrypted")) {
    reveal(new MatrixEvent({ ...event }));
  }
}

/** Where a test bot keeps its Matrix session (token, device, keys) and the key it is encrypted with. */
export function storeOptions(dir: string): { storePath: string; storeKey: string } {
  return { storePath: path.join(dir, "matrix-session.bin"), storeKey: "test-store-key-0123456789abcdef-0123" };
}

export function tempDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), "teambot-matrix-"));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A room with ann (coordinator, power 50) and bob, which the bot has joined on ann's invite. */
export async function joinedRoom(fake: FakeHomeserver, name = "Team"): Promise<string> {
  const room = fake.createRoom({
    name,
    creator: "@owner:fake.test",
    members: [ANN, BOB],
    powerLevels: { [ANN]: 50 },
  });
  fake.invite(room, ANN);
  await fake.waitFor(() => fake.membership(room, fake.botUserId) === "join", 8000, "the bot to join");
  // The greeting is the first thing the bot says in a new room.
  await fake.waitFor(() => fake.sentByBot(room)[0], 8000, "the greeting");
  return room;
}

/** The bot's next message in a room after `count` earlier ones. */
export function nthBotMessage(
  fake: FakeHomeserver,
  room: string,
  n: number,
  type = "m.room.message",
): Promise<FakeEvent> {
  return fake.waitFor(
    () => fake.sentByBot(room).filter((e) => e.type === type)[n],
    8000,
    `bot message #${n + 1}`,
  );
}

/** The bot's messages (decrypted) in the direct room it created for a member, oldest first. */
export function privateMessages(fake: FakeHomeserver, userId: string): FakeEvent[] {
  const dm = fake.createdRooms.find((r) => JSON.stringify(r.body.invite) === JSON.stringify([userId]));
  return dm ? fake.sentByBot(dm.roomId).filter((e) => e.type === "m.room.message" && e.encrypted) : [];
}

/** The bot's `n`th private message to a member (user errors and private answers go there). */
export function nthPrivateMessage(fake: FakeHomeserver, userId: string, n: number): Promise<FakeEvent> {
  return fake.waitFor(() => privateMessages(fake, userId)[n], 8000, `private message #${n + 1} to ${userId}`);
}

export function replyTarget(event: FakeEvent): string | undefined {
  const relates = event.content["m.relates_to"] as { "m.in_reply_to"?: { event_id?: string } } | undefined;
  return relates?.["m.in_reply_to"]?.event_id;
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A private message to Ann, as the core hands it to the adapter for delivery. */
export function privateNote(text: string): OutgoingMessage {
  return {
    audience: { kind: "member", member: `matrix:${ANN}` },
    lang: "en",
    timeZone: "UTC",
    tone: "info",
    blocks: [{ kind: "paragraph", spans: [{ kind: "text", text }] }],
    actions: [],
    attachments: [],
  };
}
