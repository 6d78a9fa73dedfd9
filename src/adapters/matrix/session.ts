import { createHash, hkdfSync } from "node:crypto";
import { serialize } from "node:v8";
import type { Logger } from "../../core/log.ts";
import { dumpDatabases, freshIndexedDb, restoreDatabases, writeCount } from "./crypto-store.ts";
import type { Session, SessionFile } from "./session-file.ts";

/**
 * Keeps the session file in step with the crypto store in memory. The rule that keeps
 * keys and server in agreement: nothing encrypted leaves the process, and no sync
 * position is acknowledged, before the store that produced it is on disk (`fetchFn`
 * saves before every write request and before every /sync with `since`).
 */
export class SessionKeeper {
  private factory: ReturnType<typeof freshIndexedDb> | undefined;
  private lastHash = "";
  /** The IndexedDB's write count when the last copy was taken. */
  private copiedAt = -1;
  private chain: Promise<void> = Promise.resolve();
  private closed = false;
  readonly file: SessionFile;
  session: Session;
  private readonly log: Logger;

  constructor(file: SessionFile, session: Session, log: Logger) {
    this.file = file;
    this.session = session;
    this.log = log;
  }

  /** The 32-byte key the Rust crypto encrypts its store with, derived from MATRIX_STORE_KEY. */
  static storageKey(secret: string): Uint8Array {
    return new Uint8Array(hkdfSync("sha256", secret, "teambot-matrix", "rust crypto store", 32));
  }

  /** Makes a fresh IndexedDB the process's one and loads the saved crypto store into it. */
  async openCryptoStore(): Promise<boolean> {
    this.factory = freshIndexedDb();
    const dumped = this.session.crypto;
    if (!dumped || dumped.length === 0) return false;
    await restoreDatabases(this.factory, dumped);
    this.lastHash = hash(dumped);
    this.copiedAt = writeCount();
    return true;
  }

  /** Writes the session (and the crypto store, when it changed) to the file; one write at a time. */
  save(): Promise<void> {
    const run = this.chain.then(async () => {
      if (this.closed) return;
      const factory = this.factory;
      if (factory) {
        // Nothing written since the last copy: nothing to save (most requests).
        const count = writeCount();
        if (count === this.copiedAt) return;
        const dumped = await dumpDatabases(factory);
        const digest = hash(dumped);
        if (digest !== this.lastHash) {
          this.session = { ...this.session, crypto: dumped };
          await this.file.save(this.session);
          this.lastHash = digest;
        }
        this.copiedAt = count;
      } else {
        await this.file.save(this.session);
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** The last save, then no more (the client is stopped; its store may be torn down). */
  async close(): Promise<void> {
    await this.save().catch((error: unknown) =>
      this.log.error({ err: error }, "matrix: session not saved at shutdown"),
    );
    this.closed = true;
  }

  /** A fetch that saves the store first when the request writes or acknowledges a sync. */
  fetchFn(): typeof globalThis.fetch {
    return async (input, init) => {
      const method = (init?.method ?? "GET").toUpperCase();
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      const acknowledges = /\/sync\?/.test(url) && /[?&]since=/.test(url);
      if (method !== "GET" || acknowledges) await this.save();
      return globalThis.fetch(input, init);
    };
  }
}

function hash(dumped: unknown): string {
  return createHash("sha256").update(serialize(dumped)).digest("hex");
}
