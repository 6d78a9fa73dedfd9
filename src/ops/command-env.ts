import { existsSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "../config.ts";
import { resolveDatabaseUrl } from "../db/client.ts";
import { databaseKind, notSqliteAdvice, wrongUser } from "./backup.ts";

/** The admin commands read the same `.env` in the current folder as `npm start`. */
export function loadDotEnv(): string {
  const envFile = path.join(process.cwd(), ".env");
  if (existsSync(envFile)) process.loadEnvFile(envFile);
  return envFile;
}

/**
 * The SQLite file a backup or restore works on, or why not: exit code 2 for a database that
 * is not a SQLite file (with what to use instead), 1 when run as the wrong user. Only
 * DATABASE_URL is read: other settings may be wrong without stopping a backup.
 */
export function sqliteFileForCommand(command: string): { file: string } | { code: number; message: string } {
  const url = process.env.DATABASE_URL?.trim() || undefined;
  const kind = databaseKind(url ?? "file:");
  if (kind !== "sqlite") return { code: 2, message: notSqliteAdvice(kind) };
  const file = resolveDatabaseUrl(loadConfig({ DATABASE_URL: url }).DATABASE_URL).slice("file:".length);
  const refusal = wrongUser(file, command);
  return refusal ? { code: 1, message: refusal } : { file };
}
