import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { MatrixAdapter, type MatrixAdapterOptions } from "../../../src/adapters/matrix/matrix-adapter.ts";
import { type App, createApp } from "../../../src/app.ts";
import { loadConfig } from "../../../src/config.ts";
import { ManualClock } from "../../../src/core/clock.ts";
import { createLogger } from "../../../src/core/log.ts";
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
  const clock = new ManualClock(now);
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
    homeserverUrl: fake.url,
    accessToken: fake.accessToken,
    inviteAllow: [],
    coordinatorPowerLevel: 50,
    language: "de",
    db: app.db,
    log,
    pollTimeoutMs: 200,
    retry: { attempts: 5, baseDelayMs: 50, maxDelayMs: 2000 },
    ...overrides,
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

export function replyTarget(event: FakeEvent): string | undefined {
  const relates = event.content["m.relates_to"] as { "m.in_reply_to"?: { event_id?: string } } | undefined;
  return relates?.["m.in_reply_to"]?.event_id;
}

export const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
