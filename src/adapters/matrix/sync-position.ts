import type { Logger } from "../../core/log.ts";
import type { MatrixStore } from "./store.ts";

/** The last sync position the bot handled, kept in the database for the catch-up after a restart. */
export class SyncPosition {
  saved: string | undefined;
  private pending: string | undefined;
  /** The latest write (stop awaits it). */
  written: Promise<void> = Promise.resolve();
  private readonly store: MatrixStore;
  private readonly log: Logger;

  constructor(store: MatrixStore, log: Logger) {
    this.store = store;
    this.log = log;
  }

  async load(): Promise<string | undefined> {
    this.saved = await this.store.syncToken();
    return this.saved;
  }

  /** Saves the newest position; writes run one at a time and skip what a newer one replaced. */
  save(token: string): void {
    this.pending = token;
    this.written = this.written
      .then(async () => {
        const next = this.pending;
        if (!next || next === this.saved) return;
        await this.store.saveSyncToken(next);
        this.saved = next;
      })
      .catch((error: unknown) => this.log.warn({ err: error }, "matrix: sync position not saved"));
  }
}
