import { parseArgs } from "node:util";
import { openDatabase } from "../db/client.ts";
import { copyDatabase } from "../db/copy.ts";
import { isPostgresUrl } from "../db/postgres.ts";
import { loadDotEnv, sqliteFileForCommand } from "./command-env.ts";
import { backupBeforeMigrating } from "./upgrade.ts";

const usage = `Usage: npm run db:copy -- <postgresql://user:password@host:port/database[?schema=name]>
  Copies the bot's SQLite database (DATABASE_URL, default file:./data/teambot.db) into an
  empty PostgreSQL database, in one transaction. Stop the bot first; afterwards set
  DATABASE_URL to the PostgreSQL URL and start it again. The SQLite file stays as it was.`;

/** Exit 0 when copied, 1 on an error, 2 on wrong use. */
async function main(): Promise<number> {
  loadDotEnv();
  const { values, positionals } = parseArgs({
    args: process.argv.slice(2),
    allowPositionals: true,
    options: { help: { type: "boolean", short: "h" } },
  });
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const target = positionals[0];
  if (positionals.length !== 1 || !target || !isPostgresUrl(target)) {
    process.stderr.write(`${usage}\n`);
    return 2;
  }
  const source = sqliteFileForCommand("npm run db:copy");
  if ("code" in source) {
    process.stderr.write(`Nothing copied: ${source.message}\n`);
    return source.code;
  }
  // Both are brought to this version's schema first (SQLite after a backup).
  const beforeMigrating = (file: string) =>
    backupBeforeMigrating(file, (message, backup) => process.stdout.write(`${message}: ${backup}\n`));
  const from = await openDatabase(`file:${source.file}`, { beforeMigrating });
  const to = await openDatabase(target);
  try {
    const copied = await copyDatabase(from, to, (model, rows) => process.stdout.write(`${model}: ${rows}\n`));
    const total = [...copied.values()].reduce((sum, n) => sum + n, 0);
    process.stdout.write(`Copied ${total} rows from ${source.file}. Now set DATABASE_URL to the PostgreSQL URL.\n`);
    return 0;
  } finally {
    await Promise.all([from.$disconnect(), to.$disconnect()]);
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Nothing copied: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
