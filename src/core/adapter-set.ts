import type { Adapter, BotPort } from "./adapter.ts";
import type { Logger } from "./log.ts";

/** Waits between attempts to start an adapter whose platform cannot be reached. */
const retryMs = { first: 5_000, max: 5 * 60_000 };

/**
 * The bot's adapters and their lifecycle. One whose platform cannot be reached at start
 * does not stop the others (or the bot): it is tried again with growing pauses, saying so
 * in the log, and the outbox holds its messages meanwhile.
 */
export class AdapterSet {
  private readonly adapters = new Map<string, Adapter>();
  /** Adapters whose start succeeded. */
  private readonly running = new Set<string>();
  private readonly retries = new Map<string, ReturnType<typeof setTimeout>>();
  private stopped = false;
  private readonly log: Logger;

  constructor(log: Logger) {
    this.log = log;
  }

  add(adapter: Adapter): void {
    if (this.adapters.has(adapter.name)) throw new Error(`adapter ${adapter.name} added twice`);
    this.adapters.set(adapter.name, adapter);
  }

  get(name: string): Adapter | undefined {
    return this.adapters.get(name);
  }

  async start(bot: BotPort): Promise<void> {
    for (const adapter of this.adapters.values()) await this.startOne(adapter, bot, 0);
  }

  private async startOne(adapter: Adapter, bot: BotPort, attempt: number): Promise<void> {
    this.retries.delete(adapter.name);
    if (this.stopped) return;
    try {
      await adapter.start(bot);
      this.running.add(adapter.name);
      this.log.info({ adapter: adapter.name, attempt: attempt + 1 }, "adapter started");
    } catch (error) {
      const delay = Math.min(retryMs.first * 2 ** attempt, retryMs.max);
      this.log.error(
        { err: error, adapter: adapter.name, attempt: attempt + 1, retryInSeconds: delay / 1000 },
        "adapter could not start; trying again",
      );
      this.retries.set(adapter.name, setTimeout(() => void this.startOne(adapter, bot, attempt + 1), delay));
    }
  }

  /** Whether messages to a platform can go out now: its adapter is there, not waiting to start again, and connected. */
  up(name: string): boolean {
    const adapter = this.adapters.get(name);
    if (!adapter || this.retries.has(name) || adapter.connectedElsewhere?.()) return false;
    return adapter.connected?.() ?? true;
  }

  /** Another process holds the platform's connection and sends its messages. */
  elsewhere(name: string): boolean {
    return this.adapters.get(name)?.connectedElsewhere?.() ?? false;
  }

  /** Asks the process holding a platform's connection to look for messages to send. */
  nudge(name: string): void {
    void this.adapters
      .get(name)
      ?.nudge?.()
      .catch((error: unknown) => this.log.warn({ err: error, adapter: name }, "could not nudge the process holding the platform"));
  }

  /** Each running adapter stops taking input and hands over what it already received. */
  async stopInput(): Promise<void> {
    for (const adapter of this.adapters.values()) {
      if (!adapter.stopInput || !this.running.has(adapter.name)) continue;
      await adapter.stopInput().catch((error: unknown) =>
        this.log.warn({ err: error, adapter: adapter.name }, "adapter did not hand over its input cleanly"),
      );
    }
  }

  /** Stops trying to start adapters and stops the running ones. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.retries.values()) clearTimeout(timer);
    this.retries.clear();
    for (const adapter of this.adapters.values()) {
      if (!this.running.has(adapter.name)) continue;
      try {
        await adapter.stop();
      } catch (error) {
        this.log.warn({ err: error, adapter: adapter.name }, "adapter did not stop cleanly");
      }
    }
    this.running.clear();
  }
}
