import pg from "pg";
import { connectionConfig, lockKeySql } from "./postgres.ts";

/** The part of the bot's logger leadership writes to (pino's shape). */
interface Log {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface LeadershipOptions {
  /** The PostgreSQL URL the bot uses (its `?schema=` scopes the lock). */
  url: string;
  /** What is led, e.g. "matrix": one leader per name. */
  name: string;
  log: Log;
  /** How often a follower tries to take over, and the leader checks its connection. */
  retryMs?: number;
  /** Called when this process starts or stops leading (awaited before the next check). */
  onChange: (leading: boolean) => Promise<void>;
  /** Called on the leader when another process asks it to look for work (`nudge`). */
  onNudge?: () => void;
}

/**
 * One process at a time leads a platform connection (the Matrix sync, the Discord gateway):
 * the one holding a PostgreSQL advisory lock on a connection of its own. When it dies,
 * PostgreSQL ends its session and frees the lock, and a follower takes over at its next
 * try (`retryMs`, default 5 s). A leader whose connection fails steps down at once;
 * keepalives let the server notice a leader's vanished machine in about 20 s.
 */
export class Leadership {
  private client: pg.Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<void> = Promise.resolve();
  private stopped = false;
  leading = false;

  private readonly options: LeadershipOptions;
  private readonly channel: string;

  constructor(options: LeadershipOptions) {
    this.options = options;
    this.channel = `teambot_${connectionConfig(options.url).schema ?? "public"}_${options.name}`;
  }

  /** Tries once now (so a single process leads from its start), then keeps trying. */
  async start(): Promise<void> {
    await this.check();
    this.schedule();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.checking;
    if (this.leading) await this.step(false);
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  /** Asks the leader (whichever process it is) to look for work now. */
  async nudge(): Promise<void> {
    const client = await this.connection().catch(() => undefined);
    await client?.query("SELECT pg_notify($1, '')", [this.channel]).catch(() => undefined);
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.checking = this.check().finally(() => this.schedule());
    }, this.options.retryMs ?? 5_000);
    this.timer.unref();
  }

  private async check(): Promise<void> {
    try {
      const client = await this.connection();
      if (this.leading) {
        await client.query("SELECT 1");
        return;
      }
      const { rows } = await client.query<{ won: boolean }>(
        `SELECT pg_try_advisory_lock(${lockKeySql(this.options.name)}) AS won`,
      );
      if (rows[0]?.won) {
        await client.query(`LISTEN ${this.channel}`);
        // A process that cannot connect the platform lets another one try.
        if (!(await this.step(true))) {
          this.leading = false;
          this.options.log.info({ name: this.options.name, pid: process.pid }, "no longer leading");
          await client.query(`UNLISTEN ${this.channel}; SELECT pg_advisory_unlock(${lockKeySql(this.options.name)})`);
        }
      }
    } catch (error) {
      this.options.log.warn({ err: error, name: this.options.name }, "leadership check failed");
      this.drop();
      if (this.leading) await this.step(false);
    }
  }

  /** Tells the process; false when it failed. */
  private async step(leading: boolean): Promise<boolean> {
    this.leading = leading;
    this.options.log.info({ name: this.options.name, pid: process.pid }, leading ? "leading" : "no longer leading");
    try {
      await this.options.onChange(leading);
      return true;
    } catch (error) {
      this.options.log.error({ err: error, name: this.options.name }, leading ? "could not take the lead" : "could not step down");
      return false;
    }
  }

  private async connection(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ ...connectionConfig(this.options.url).config, keepAlive: true, query_timeout: 5_000 });
    client.on("error", () => {
      this.drop();
      if (this.leading && !this.stopped) void this.step(false);
    });
    client.on("notification", () => {
      if (this.leading) this.options.onNudge?.();
    });
    this.client = client;
    try {
      await client.connect();
      // The server drops a vanished leader's session (and its lock) after 10 + 3 × 3 s.
      await client.query("SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 3; SET tcp_keepalives_count = 3");
    } catch (error) {
      this.drop();
      throw error;
    }
    return client;
  }

  /** Forgets a broken connection; its lock, if any, goes with its session. */
  private drop(): void {
    const client = this.client;
    this.client = undefined;
    void client?.end().catch(() => undefined);
  }
}
