import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PrismaClient } from "../generated/prisma/client.ts";
import { migrate } from "./migrate.ts";
import { SqliteAdapterFactory, SqliteConnection, sqliteMigrationTarget } from "./sqlite.ts";

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
 * Transactions queue behind each other on the one connection (and, with several processes,
 * behind the others' locks): a burst of a thousand votes must wait its turn rather than fail.
 */
const transactionOptions = { maxWait: 60_000, timeout: 60_000 };

/** Opens the database and brings its schema up to date before anything reads it. */
export async function openDatabase(url: string): Promise<Db> {
  const resolved = resolveDatabaseUrl(url);
  if (!resolved.startsWith("file:")) throw new Error(`not a database URL this bot can open: ${url}`);
  const file = resolved.slice("file:".length);
  if (file !== ":memory:") mkdirSync(path.dirname(file), { recursive: true });
  const connection = await SqliteConnection.open(file);
  try {
    await migrate(sqliteMigrationTarget(connection));
  } catch (error) {
    connection.close();
    throw error;
  }
  return new PrismaClient({ adapter: new SqliteAdapterFactory(connection), transactionOptions });
}
