import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ConsoleAdapter } from "../../src/adapters/console/console-adapter.ts";
import { type App, createApp } from "../../src/app.ts";
import { type Config, loadConfig } from "../../src/config.ts";
import type { DispatchResult } from "../../src/core/adapter.ts";
import { type Clock, ManualClock } from "../../src/core/clock.ts";
import { createLogger } from "../../src/core/log.ts";
import type { MeetingsPort } from "../../src/features/meetings/port.ts";
import { DurableScheduler, type SchedulerOptions } from "../../src/scheduler/durable-scheduler.ts";
import { databaseUrlFor, dropDatabaseFor } from "./database.ts";

/**
 * The instant a test bot starts at unless a test pins another: Wednesday 25 November 2026,
 * 10:00 in Berlin (winter time). Tests compute what they expect from the instant they pin.
 */
export const defaultTestNow = new Date("2026-11-25T09:00:00Z");

/** The bot's clock as a test moves it. */
export interface TestClock extends Clock {
  set(at: Date | string): void;
  advance(ms: number): Date;
}

export interface TestBot {
  app: App;
  /** The bot's clock: pinned at start; `set` and `advance` move it (jobs do not run by themselves). */
  clock: TestClock;
  console: ConsoleAdapter;
  dir: string;
  databaseUrl: string;
  /**
   * Says a line as a member in a room (defaults: the last ones used, initially "ann" in
   * "main") and returns what the console printed in answer, deliveries included.
   */
  say(line: string, as?: { member?: string; room?: string; coordinator?: boolean }): Promise<string>;
  /** The raw dispatch result of the last line. */
  last: DispatchResult | undefined;
  /** The durable scheduler (`scheduler.pending(key)` shows what features planned). */
  scheduler: DurableScheduler;
  /**
   * Lets time pass until `at` as if the bot ran all along (each job at its own time) and
   * returns what the console printed meanwhile.
   */
  runDueJobs(at: Date): Promise<string>;
  /** Everything printed since start. */
  transcript(): string;
  close(): Promise<void>;
}

/** Boots the whole bot on a fresh test database (see database.ts) with the console adapter in queue mode. */
export async function startTestBot(
  env: Record<string, string> = {},
  options: {
    dir?: string;
    keepFiles?: boolean;
    /** Start the scheduler's timer (real-time tests); otherwise jobs run only through `runDueJobs`. */
    startScheduler?: boolean;
    scheduler?: SchedulerOptions;
    /** The instant the bot starts at (default `defaultTestNow`). */
    now?: Date | string;
    /**
     * The clock moves on with real time from `now` (default: only with `startScheduler`,
     * whose timer needs time to pass); otherwise it stands still until the test moves it.
     */
    realTime?: boolean;
    /** Another clock (tests under `vi.useFakeTimers` pass one that reads the faked Date); `now` is ignored. */
    clock?: TestClock;
    /** A stand-in for the meetings feature where meeting-date polls plan their meetings. */
    meetings?: MeetingsPort;
  } = {},
): Promise<TestBot> {
  const dir = options.dir ?? mkdtempSync(path.join(tmpdir(), "teambot-test-"));
  const databaseUrl = databaseUrlFor(dir);
  const config: Config = loadConfig({ DATABASE_URL: databaseUrl, ...env });
  let scheduler: DurableScheduler | undefined;
  const clock: TestClock =
    options.clock ?? new ManualClock(options.now ?? defaultTestNow, options.realTime ?? options.startScheduler ?? false);
  const app = await createApp(config, createLogger(process.env.TEST_LOG_LEVEL ?? "silent"), {
    clock,
    scheduler: (b) => {
      scheduler = new DurableScheduler(b, options.scheduler);
      return scheduler;
    },
    ...(options.meetings ? { meetings: options.meetings } : {}),
  });
  const durable = scheduler;
  if (!durable) throw new Error("scheduler not created");
  const consoleAdapter = new ConsoleAdapter({
    member: "ann",
    room: "main",
    lang: config.DEFAULT_LANGUAGE,
    attachmentDir: path.join(dir, "attachments"),
  });
  app.bot.addAdapter(consoleAdapter);
  await app.bot.start();
  if (options.startScheduler) app.startScheduler();
  const bot: TestBot = {
    app,
    clock,
    console: consoleAdapter,
    dir,
    databaseUrl,
    last: undefined,
    scheduler: durable,
    async runDueJobs(at) {
      const before = consoleAdapter.transcript.length;
      // Each job runs with the clock at its own time, as if the bot had run all along.
      await durable.advanceTo(at, (step) => clock.set(step));
      if (at.getTime() > clock.now().getTime()) clock.set(at);
      await app.bot.idle();
      return consoleAdapter.transcript.slice(before).join("\n");
    },
    async say(line, as = {}) {
      if (as.member) consoleAdapter.member = as.member;
      if (as.room) consoleAdapter.room = as.room;
      if (as.coordinator !== undefined) consoleAdapter.coordinator = as.coordinator;
      const before = consoleAdapter.transcript.length;
      bot.last = await consoleAdapter.say(line);
      await app.bot.idle();
      return consoleAdapter.transcript.slice(before).join("\n");
    },
    transcript: () => consoleAdapter.transcript.join("\n"),
    async close() {
      await app.close();
      if (!options.keepFiles) {
        await dropDatabaseFor(dir);
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
  return bot;
}
