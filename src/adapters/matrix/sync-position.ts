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

  /**
   * Saves a position once `handled` settles (the events queued up to it were handled), never
   * before: a stop or a crash in between leaves the position before them, and the catch-up
   * after the restart brings them again (their claims keep those that did run from running
   * twice). `valid` says at that moment whether they really ran (not dropped by a stop).
   */
  saveWhenHandled(token: string, handled: Promise<void>, valid: () => boolean): void {
    void handled.then(() => {
      if (valid()) this.save(token);
    });
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
