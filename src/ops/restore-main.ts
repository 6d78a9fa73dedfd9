import path from "node:path";
import { loadDotEnv, sqliteFileForCommand } from "./command-env.ts";
import { knownMigrations } from "./doctor-local.ts";
import { restoreSqlite } from "./restore.ts";

const usage = `Usage: npm run restore -- <backup file>
  Puts a backup in place of the SQLite database (DATABASE_URL). Stop the bot first.
  The database it replaces is kept in the backups folder.`;

/** `npm run restore -- <file>`: exit 0 when restored, 1 on an error, 2 on wrong use. */
function main(): number {
  loadDotEnv();
  const args = process.argv.slice(2);
  if (args.length !== 1 || args[0]?.startsWith("-")) {
    process.stderr.write(`${usage}\n`);
    return args[0] === "--help" || args[0] === "-h" ? 0 : 2;
  }
  const database = sqliteFileForCommand("npm run restore -- <file>");
  if ("code" in database) {
    process.stderr.write(`Nothing restored: ${database.message}\n`);
    return database.code;
  }
  const target = database.file;
  const backup = path.resolve(args[0] ?? "");
  const result = restoreSqlite(backup, target, knownMigrations(), new Date());
  process.stdout.write(`Restored ${backup} to ${target} (${result.migrations} migrations).\n`);
  if (result.replaced) process.stdout.write(`The database it replaced is kept as ${result.replaced}.\n`);
  process.stdout.write("Check it with npm run doctor, then start the bot (systemctl start teambot).\n");
  return 0;
}

try {
  process.exit(main());
} catch (error) {
  process.stderr.write(`Nothing restored: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
