/**
 * The bot's one source of "now". Core, features, scheduler and renderers read it, so a
 * test can pin the bot to any instant (a winter day, a summer night, a DST change) and
 * move it forward.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock for tests and benchmarks: it starts at a chosen instant and either stands still
 * until it is set or advanced, or (`running`) moves on with real time from there, which
 * real-time scheduler tests need.
 */
export class ManualClock implements Clock {
  private base: number;
  private readonly startedAt = performance.now();

  private readonly running: boolean;

  constructor(start: Date | string, running = false) {
    this.running = running;
    this.base = instant(start);
  }

  now(): Date {
    return new Date(this.base + (this.running ? performance.now() - this.startedAt : 0));
  }

  /** Moves the clock to `at` (forward or back). */
  set(at: Date | string): void {
    this.base += instant(at) - this.now().getTime();
  }

  advance(ms: number): Date {
    this.base += ms;
    return this.now();
  }
}

function instant(at: Date | string): number {
  const ms = new Date(at).getTime();
  if (Number.isNaN(ms)) throw new Error(`not an instant: ${String(at)}`);
  return ms;
}
