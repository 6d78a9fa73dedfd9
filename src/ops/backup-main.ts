import path from "node:path";
import { parseArgs } from "node:util";
import { backupSqlite, defaultBackupFile, pruneBackups } from "./backup.ts";
import { loadDotEnv, sqliteFileForCommand } from "./command-env.ts";

const usage = `Usage: npm run backup [file] [-- --keep N]
  A consistent copy of the SQLite database, safe while the bot runs (mode 0600).
  file      where to write it (default: backups/teambot-<date>-<time>.db next to the database)
  --keep N  afterwards keep only the newest N of the default-named backups`;

/** `npm run backup [file] [-- --keep N]`: exit 0 with the file written, 1 on an error, 2 on wrong use. */
async function main(): Promise<number> {
  loadDotEnv();
  let args: ReturnType<typeof parse>;
  try {
    args = parse(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${usage}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const database = sqliteFileForCommand("npm run backup");
  if ("code" in database) {
    process.stderr.write(`Backup not made: ${database.message}\n`);
    return database.code;
  }
  const source = database.file;
  const target = args.file ? path.resolve(args.file) : defaultBackupFile(source, new Date());
  const result = await backupSqlite(source, target);
  process.stdout.write(
    `Backup written: ${result.file} (${(result.bytes / 1024 / 1024).toFixed(1)} MiB, integrity ok, ${result.migrations} migrations)\n`,
  );
  if (args.keep !== undefined) {
    for (const removed of pruneBackups(source, args.keep)) process.stdout.write(`Removed old backup: ${removed}\n`);
  }
  return 0;
}

function parse(argv: string[]): { file?: string; keep?: number; help: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { keep: { type: "string" }, help: { type: "boolean", short: "h" } },
  });
  if (positionals.length > 1) throw new Error("give at most one file");
  if (values.keep !== undefined && !/^[1-9]\d{0,5}$/.test(values.keep)) throw new Error("--keep needs a number of at least 1");
  const keep = values.keep === undefined ? undefined : Number(values.keep);
  return { file: positionals[0], keep, help: values.help ?? false };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`Backup failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
