import "fake-indexeddb/auto";
import { IDBFactory as FakeFactory } from "fake-indexeddb";

/**
 * Node has no IndexedDB, and matrix-js-sdk's Rust crypto keeps its store only there
 * (matrix-js-sdk#4769). fake-indexeddb provides one in memory; these helpers copy it to
 * plain data (for the session file) and back. The types are the small part of the
 * IndexedDB API used here.
 */
type KeyPath = string | string[] | null;

interface Request<T> {
  result: T;
  error: unknown;
  onsuccess: (() => void) | null;
  onerror: (() => void) | null;
}
interface OpenRequest extends Request<Database> {
  onupgradeneeded: (() => void) | null;
  transaction: Transaction | null;
}
interface Index {
  name: string;
  keyPath: KeyPath;
  unique: boolean;
  multiEntry: boolean;
}
interface ObjectStore {
  keyPath: KeyPath;
  autoIncrement: boolean;
  indexNames: ArrayLike<string>;
  index(name: string): Index;
  getAll(): Request<unknown[]>;
  getAllKeys(): Request<unknown[]>;
  put(value: unknown, key?: unknown): Request<unknown>;
  createIndex(name: string, keyPath: string | string[], options: { unique: boolean; multiEntry: boolean }): Index;
}
interface Transaction {
  objectStore(name: string): ObjectStore;
  oncomplete: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  error: unknown;
}
interface Database {
  version: number;
  objectStoreNames: ArrayLike<string>;
  transaction(names: string[], mode: "readonly" | "readwrite"): Transaction;
  createObjectStore(name: string, options: { keyPath: KeyPath; autoIncrement: boolean }): ObjectStore;
  close(): void;
}
interface Factory {
  open(name: string, version?: number): OpenRequest;
  databases(): Promise<{ name?: string; version?: number }[]>;
}

export interface DumpedStore {
  name: string;
  keyPath: KeyPath;
  autoIncrement: boolean;
  indexes: { name: string; keyPath: string | string[]; unique: boolean; multiEntry: boolean }[];
  keys: unknown[];
  values: unknown[];
}

export interface DumpedDatabase {
  name: string;
  version: number;
  stores: DumpedStore[];
}

let writes = 0;

/** Counts each call of a writing method of an IndexedDB class (as set up by fake-indexeddb/auto). */
function countWrites(className: string, methods: readonly string[]): void {
  const ctor: unknown = Reflect.get(globalThis, className);
  if (typeof ctor !== "function") return;
  const proto: unknown = ctor.prototype;
  if (typeof proto !== "object" || proto === null) return;
  for (const name of methods) {
    const original: unknown = Reflect.get(proto, name);
    if (typeof original !== "function") continue;
    Reflect.set(proto, name, function (this: unknown, ...args: unknown[]): unknown {
      writes++;
      const result: unknown = Reflect.apply(original, this, args);
      return result;
    });
  }
}
countWrites("IDBObjectStore", ["put", "add", "delete", "clear", "createIndex", "deleteIndex"]);
countWrites("IDBCursor", ["update", "delete"]);
countWrites("IDBDatabase", ["createObjectStore", "deleteObjectStore"]);

/** How many writes the IndexedDB took so far: a copy is due only when this grew. */
export function writeCount(): number {
  return writes;
}

/**
 * A fresh, empty IndexedDB made the process's `indexedDB` (what the Rust crypto opens).
 * One per start: a stopped client's open connections stay with the old one.
 */
export function freshIndexedDb(): Factory {
  // fake-indexeddb types its classes with the DOM's, which this project does not load.
  const Factory = FakeFactory as unknown as new () => Factory;
  const factory = new Factory();
  Object.defineProperty(globalThis, "indexedDB", {
    value: factory,
    configurable: true,
    writable: true,
    enumerable: false,
  });
  return factory;
}

function done<T>(request: Request<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(toError(request.error));
  });
}

function finished(tx: Transaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(toError(tx.error));
    tx.onabort = () => reject(toError(tx.error ?? new Error("transaction aborted")));
  });
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** Every database of the factory with its stores, indexes and records, each read in one transaction. */
export async function dumpDatabases(factory: Factory): Promise<DumpedDatabase[]> {
  const result: DumpedDatabase[] = [];
  for (const info of await factory.databases()) {
    if (!info.name) continue;
    const db = await done(factory.open(info.name));
    try {
      const names = Array.from(db.objectStoreNames);
      const stores: DumpedStore[] = [];
      if (names.length > 0) {
        const tx = db.transaction(names, "readonly");
        const reads = names.map(async (name) => {
          const store = tx.objectStore(name);
          const [keys, values] = await Promise.all([done(store.getAllKeys()), done(store.getAll())]);
          const indexes = Array.from(store.indexNames).map((n) => {
            const index = store.index(n);
            return {
              name: index.name,
              keyPath: index.keyPath ?? "",
              unique: index.unique,
              multiEntry: index.multiEntry,
            };
          });
          stores.push({ name, keyPath: store.keyPath, autoIncrement: store.autoIncrement, indexes, keys, values });
        });
        await Promise.all([...reads, finished(tx)]);
      }
      result.push({ name: info.name, version: db.version, stores });
    } finally {
      db.close();
    }
  }
  return result;
}

/** Recreates dumped databases (in an empty factory), each in its upgrade transaction. */
export async function restoreDatabases(factory: Factory, dumped: readonly DumpedDatabase[]): Promise<void> {
  for (const dump of dumped) {
    const request = factory.open(dump.name, dump.version);
    request.onupgradeneeded = () => {
      const db = request.result;
      for (const s of dump.stores) {
        const store = db.createObjectStore(s.name, { keyPath: s.keyPath, autoIncrement: s.autoIncrement });
        for (const i of s.indexes) store.createIndex(i.name, i.keyPath, { unique: i.unique, multiEntry: i.multiEntry });
        s.values.forEach((value, n) => {
          if (s.keyPath === null) store.put(value, s.keys[n]);
          else store.put(value);
        });
      }
    };
    const db = await done(request);
    db.close();
  }
}
