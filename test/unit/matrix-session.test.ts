import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { SyncState } from "matrix-js-sdk";
import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import {
  dumpDatabases,
  freshIndexedDb,
  restoreDatabases,
  writeCount,
} from "../../src/adapters/matrix/crypto-store.ts";
import { OutageLog } from "../../src/adapters/matrix/health.ts";
import { SessionKeeper } from "../../src/adapters/matrix/session.ts";
import { SessionFile, SessionKeyError } from "../../src/adapters/matrix/session-file.ts";

const dirs: string[] = [];
function dir(): string {
  const d = mkdtempSync(path.join(tmpdir(), "teambot-session-"));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const session = {
  homeserverUrl: "https://matrix.example.org",
  userId: "@teambot:example.org",
  deviceId: "ABCDEF",
  accessToken: "syt_secret_token_value",
  fromPassword: true,
};

describe("the Matrix session file", () => {
  it("keeps token, device and keys encrypted at rest, readable only by the bot's user", async () => {
    const file = path.join(dir(), "data", "session.bin");
    const crypto = [{ name: "db", version: 3, stores: [] }];
    await new SessionFile(file, "a-long-random-store-key-0123456789abc").save({ ...session, crypto });
    const raw = readFileSync(file);
    expect(raw.includes(Buffer.from("syt_secret_token_value"))).toBe(false);
    expect(raw.includes(Buffer.from("@teambot"))).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Written atomically: no temporary file left beside it.
    expect(readdirSync(path.dirname(file))).toEqual(["session.bin"]);
    expect(await new SessionFile(file, "a-long-random-store-key-0123456789abc").load()).toEqual({
      ...session,
      crypto,
    });
  });

  it("refuses a wrong key or a damaged file with a clear error, and has nothing when there is no file", async () => {
    const file = path.join(dir(), "session.bin");
    expect(await new SessionFile(file, "k".repeat(32)).load()).toBeUndefined();
    await new SessionFile(file, "k".repeat(32)).save(session);
    await expect(new SessionFile(file, "x".repeat(32)).load()).rejects.toThrow(SessionKeyError);
    await expect(new SessionFile(file, "x".repeat(32)).load()).rejects.toThrow(/MATRIX_STORE_KEY does not open/);
  });
});

describe("the crypto store copy", () => {
  it("restores databases, stores, indexes and records (binary values too) as they were", async () => {
    const factory = freshIndexedDb();
    await new Promise<void>((resolve, reject) => {
      const request = (factory as unknown as IdbLike).open("crypto", 2);
      request.onupgradeneeded = () => {
        const db = request.result;
        const store = db.createObjectStore("keys", { keyPath: "id", autoIncrement: false });
        store.createIndex("byRoom", "room", { unique: false, multiEntry: false });
        store.put({ id: "a", room: "!r", key: new Uint8Array([1, 2, 3]) });
        const free = db.createObjectStore("meta", { keyPath: null, autoIncrement: false });
        free.put(new Map([["x", 1]]), "cipher");
      };
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
      request.onerror = () => reject(new Error("open failed"));
    });
    const dumped = await dumpDatabases(factory);
    const copy = freshIndexedDb();
    await restoreDatabases(copy, dumped);
    expect(await dumpDatabases(copy)).toEqual(dumped);
    const keys = dumped[0]?.stores.find((s) => s.name === "keys");
    expect(keys?.indexes).toEqual([{ name: "byRoom", keyPath: "room", unique: false, multiEntry: false }]);
    expect(keys?.values[0]).toEqual({ id: "a", room: "!r", key: new Uint8Array([1, 2, 3]) });
  });
});

describe("keeping the session file in step with the crypto store", () => {
  it("copies the store when it was written to, and only then", async () => {
    const file = new SessionFile(path.join(dir(), "session.bin"), "k".repeat(32));
    let saves = 0;
    const save = file.save.bind(file);
    file.save = (s) => {
      saves++;
      return save(s);
    };
    const keeper = new SessionKeeper(file, session, pino({ level: "silent" }));
    await keeper.openCryptoStore();
    await keeper.save();
    const afterFirst = saves;
    await keeper.save();
    await keeper.save();
    expect(saves).toBe(afterFirst);
    // A write to the store (as the Rust crypto makes them) is copied with the next save.
    const before = writeCount();
    await new Promise<void>((resolve) => {
      const request = (globalThis as unknown as { indexedDB: IdbLike }).indexedDB.open("matrix-sdk-crypto", 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore("core", { keyPath: null, autoIncrement: false }).put("account", "a");
      };
      request.onsuccess = () => {
        request.result.close();
        resolve();
      };
    });
    expect(writeCount()).toBeGreaterThan(before);
    await keeper.save();
    expect(saves).toBe(afterFirst + 1);
    expect((await file.load())?.crypto?.map((d) => d.name)).toEqual(["matrix-sdk-crypto"]);
  });
});

describe("outage logging", () => {
  const capture = () => {
    const lines: string[] = [];
    return { lines, log: pino({ level: "info" }, { write: (l: string) => void lines.push(l) }) };
  };

  it("follows the SDK's real sequence: Reconnecting, Error, Catchup, Syncing is one outage", () => {
    const { lines, log } = capture();
    const outage = new OutageLog(log);
    for (const s of [SyncState.Prepared, SyncState.Syncing, SyncState.Reconnecting, SyncState.Error, SyncState.Error]) {
      outage.onState(s);
    }
    expect(outage.down).toBe(true);
    outage.onState(SyncState.Catchup);
    outage.onState(SyncState.Syncing);
    outage.onState(SyncState.Syncing);
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      "matrix: homeserver unreachable, retrying",
      "matrix: homeserver reachable again",
    ]);
  });

  it("does not warn about a blip (Reconnecting, then Syncing)", () => {
    const { lines, log } = capture();
    const outage = new OutageLog(log);
    for (const s of [SyncState.Syncing, SyncState.Reconnecting, SyncState.Syncing]) outage.onState(s);
    expect(lines).toEqual([]);
  });
});

interface IdbLike {
  open(
    name: string,
    version: number,
  ): {
    result: {
      createObjectStore(
        name: string,
        options: { keyPath: string | null; autoIncrement: boolean },
      ): {
        createIndex(name: string, keyPath: string, options: { unique: boolean; multiEntry: boolean }): unknown;
        put(value: unknown, key?: unknown): unknown;
      };
      close(): void;
    };
    onupgradeneeded: (() => void) | null;
    onsuccess: (() => void) | null;
    onerror: (() => void) | null;
  };
}
