import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Client,
  createClient,
  type InStatement,
  type ResultSet,
  type Transaction,
} from "@libsql/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { PrismaClient } from "../generated/prisma/client.ts";
import { migrate } from "./migrate.ts";

export type Db = PrismaClient;
/** The client handed to a `$transaction` callback. */
export type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** Makes a relative file URL absolute against the project root, so `npm start` works from any folder. */
export function resolveDatabaseUrl(url: string): string {
  if (!url.startsWith("file:")) return url;
  const file = url.slice("file:".length);
  return `file:${path.isAbsolute(file) ? file : path.resolve(projectRoot, file)}`;
}

/**
 * Hands Prisma the connection we migrated and configured. (A `:memory:` database does not
 * work with Prisma's interactive transactions over libsql, which open a second
 * connection; tests use temporary files instead.)
 */
class SharedClientLibSQL extends PrismaLibSQL {
  constructor(private readonly shared: Client) {
    super({ url: "file::memory:" });
  }
  override createClient(): Client {
    return withSameConnectionTransactions(this.shared);
  }
}

/**
 * libsql opens a NEW connection for every transaction (and keeps the old one open), which
 * loses the connection's pragmas (busy_timeout) and costs milliseconds per transaction.
 * Prisma's libsql adapter already serializes all statements of one client with a mutex,
 * so transactions can run on the shared connection: BEGIN IMMEDIATE takes the write lock
 * up front, so other processes on the same file wait (busy_timeout) instead of failing
 * on a read-to-write upgrade.
 */
function withSameConnectionTransactions(client: Client): Client {
  const transaction = async (): Promise<Transaction> => {
    await client.execute("BEGIN IMMEDIATE");
    let open = true;
    const end = async (sql: "COMMIT" | "ROLLBACK"): Promise<void> => {
      if (!open) return;
      open = false;
      await client.execute(sql);
    };
    return {
      execute: (stmt: InStatement): Promise<ResultSet> => client.execute(stmt),
      async batch(stmts: InStatement[]): Promise<ResultSet[]> {
        const results: ResultSet[] = [];
        for (const stmt of stmts) results.push(await client.execute(stmt));
        return results;
      },
      executeMultiple: (sql: string) => client.executeMultiple(sql),
      commit: () => end("COMMIT"),
      rollback: () => end("ROLLBACK"),
      close: () => {
        if (open) void end("ROLLBACK").catch(() => undefined);
      },
      get closed() {
        return !open;
      },
    };
  };
  return new Proxy(client, {
    get(target, prop, receiver) {
      if (prop === "transaction") return transaction;
      const value: unknown = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/** Opens the database and brings its schema up to date before anything reads it. */
export async function openDatabase(url: string): Promise<Db> {
  const resolved = resolveDatabaseUrl(url);
  if (resolved.startsWith("file:")) {
    mkdirSync(path.dirname(resolved.slice("file:".length)), { recursive: true });
  }
  const client = createClient({ url: resolved });
  try {
    if (resolved.startsWith("file:")) {
      // Several bot processes may share one SQLite file: wait for locks instead of failing.
      await client.execute("PRAGMA busy_timeout = 10000");
      await client.execute("PRAGMA journal_mode = WAL");
    }
    await client.execute("PRAGMA foreign_keys = ON");
    await migrate(client);
  } catch (error) {
    client.close();
    throw error;
  }
  return new PrismaClient({ adapter: new SharedClientLibSQL(client) });
}
