import { DiscordAdapter } from "../../../src/adapters/discord/discord-adapter.ts";
import type { BotPort, DispatchResult } from "../../../src/core/adapter.ts";
import type { Invocation } from "../../../src/core/command.ts";
import { createLogger } from "../../../src/core/log.ts";
import { startTestBot, type TestBot } from "../../support/harness.ts";
import { FakeDiscord, type FakeUser, type RecordedRequest } from "./fake-discord.ts";
import type { InteractionMessage } from "./fake-interactions.ts";

/** What an interaction shows once answered: its first message as a flat view, and all of them. */
export interface Answered {
  /** The first visible message: its body, with `flags: 64` when only the invoker sees it. */
  message: { content: string; flags?: number } & Record<string, unknown>;
  messages: InteractionMessage[];
}

export interface DiscordWorld {
  fake: FakeDiscord;
  bot: TestBot;
  discord: DiscordAdapter;
  /** Every invocation the adapter handed to the bot, and what the bot answered (same order). */
  invocations: Invocation[];
  results: DispatchResult[];
  /** Waits until the adapter has answered the interaction completely, and returns what Discord shows. */
  answered(token: string, timeoutMs?: number): Promise<Answered>;
  /** Starts a second adapter against the same bot and fake, as a restart would (stop it yourself). */
  startAnotherAdapter(token?: string): Promise<DiscordAdapter>;
  close(): Promise<void>;
}

export const ann: FakeUser = { id: "400000000000000004", username: "ann", globalName: "Ann" };
export const bob: FakeUser = { id: "400000000000000005", username: "bob", globalName: "Bob" };
/** Manage Guild (0x20) and Manage Channels (0x10), as coordinators have them. */
export const coordinatorPermissions = String(0x20 | 0x10);

/** The whole bot (real core, temp SQLite) with the real discord.js client against a fake Discord. */
export async function startDiscordWorld(options: { fake?: FakeDiscord } = {}): Promise<DiscordWorld> {
  const fake = options.fake ?? new FakeDiscord();
  await fake.start();
  const bot = await startTestBot();
  const invocations: Invocation[] = [];
  const results: DispatchResult[] = [];
  const core = bot.app.bot;
  const done = new Set<string>();
  const waiting = new Map<string, () => void>();
  // The adapter's view of the bot, recording what it hands over.
  const port: BotPort = {
    registry: core.registry,
    i18n: core.i18n,
    clock: core.clock,
    handle: async (invocation) => {
      invocations.push(invocation);
      const result = await core.handle(invocation);
      results.push(result);
      return result;
    },
    deliver: (messages) => core.deliver(messages),
    sentKey: (conversation, messageId) => core.sentKey(conversation, messageId),
  };
  const make = (token = fake.token): DiscordAdapter =>
    new DiscordAdapter({
      token,
      applicationId: fake.applicationId,
      guildId: fake.guildId,
      db: bot.app.db,
      api: fake.api,
      log: createLogger(process.env.TEST_LOG_LEVEL ?? "silent"),
      onAnswered: (t) => {
        done.add(t);
        waiting.get(t)?.();
      },
    });
  const discord = make();
  core.addAdapter(discord);
  await discord.start(port);
  return {
    fake,
    bot,
    discord,
    invocations,
    results,
    async answered(token, timeoutMs = 8000) {
      if (!done.has(token)) {
        await new Promise<void>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`interaction ${token} was not answered`)), timeoutMs);
          waiting.set(token, () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      const messages = fake.answersTo(token);
      const first = messages[0];
      const message = first
        ? { ...first.body, content: first.content, ...(first.ephemeral ? { flags: 64 } : { flags: undefined }) }
        : { content: "" };
      return { message, messages };
    },
    async startAnotherAdapter(token) {
      const another = make(token);
      await another.start(port);
      return another;
    },
    async close() {
      await bot.close();
      await discord.stop();
      await fake.close();
    },
  };
}

/** The interaction response requests for one token, in order. */
export function responsesFor(fake: FakeDiscord, token: string): RecordedRequest[] {
  return fake.requests.filter((r) => r.path.includes(`/${token}`));
}

export function bodyOf(r: RecordedRequest): Record<string, unknown> {
  return (r.body ?? {}) as Record<string, unknown>;
}

/** Refusals a test did not provoke: rule violations, rate limits and failed interactions. */
export function violations(fake: FakeDiscord, expected: (r: RecordedRequest) => boolean = () => false): string[] {
  return fake
    .refusals()
    .filter((r) => !expected(r))
    .map((r) => `${r.method} ${r.path} -> ${r.status} ${String(r.code)} ${r.error ?? ""}`);
}
