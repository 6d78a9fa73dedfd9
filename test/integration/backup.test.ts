import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { backupSqlite, defaultBackupFile, fileStamp, pruneBackups } from "../../src/ops/backup.ts";
import { waitFor } from "../support/wait.ts";

const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "teambot-backup-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], env: Record<string, string>, input?: string): Promise<Run> & { child: ChildProcess; output(): string } {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, LOG_LEVEL: "silent", ...env }, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  if (input !== undefined) child.stdin?.end(input);
  const done = new Promise<Run>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return Object.assign(done, { child, output: () => stdout });
}

/** Members whose "settings timezone" the bot confirmed, in `output` (the console transcript). */
function acknowledged(output: string): Map<string, string> {
  const answered = new Map<string, string>();
  let current = "";
  for (const line of output.split("\n")) {
    const as = /You are now (m\d+)\./.exec(line);
    if (as?.[1]) current = as[1];
    const done = /Your time zone is now \*(.+?)\*/.exec(line);
    if (done?.[1] && current) answered.set(current, done[1]);
  }
  return answered;
}

function storedZones(file: string): Map<string, string> {
  const db = new DatabaseSync(file, { readOnly: true });
  const rows = db.prepare(`SELECT ref, "timeZone" FROM "Member" WHERE "timeZone" IS NOT NULL`).all();
  db.close();
  return new Map(rows.map((r) => [String(r.ref).replace("console:@", ""), String(r.timeZone)]));
}

const zones = ["Europe/Berlin", "Asia/Kabul", "Europe/Istanbul", "Africa/Asmara", "Asia/Damascus", "Europe/Kyiv"];

describe("backups", () => {
  it("are written 0600 under a temporary name, never over an existing file, and old ones are pruned", async () => {
    const folder = path.join(dir, "unit");
    const source = path.join(folder, "teambot.db");
    const db = await openDatabase(`file:${source}`);
    await db.team.create({ data: { ref: "console:main" } });
    await db.$disconnect();
    // A new database and its folder are private to the bot's user from the start.
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    expect(statSync(source).mode & 0o777).toBe(0o600);
    const target = path.join(folder, "copies", "one.db");
    const result = await backupSqlite(source, target);
    expect(result).toMatchObject({ file: target, migrations: readdirSync(path.join(root, "prisma", "migrations")).filter((n) => !n.endsWith(".toml")).length });
    expect(statSync(target).mode & 0o777).toBe(0o600);
    expect(readdirSync(path.dirname(target))).toEqual(["one.db"]); // one file: no -wal, no leftovers
    await expect(backupSqlite(source, target)).rejects.toThrow(/exists already/);
    await expect(backupSqlite(path.join(folder, "missing.db"), path.join(folder, "x.db"))).rejects.toThrow(/no database at/);
    expect(readdirSync(folder)).not.toContain("missing.db");

    const at = new Date("2027-03-28T01:30:00Z");
    expect(fileStamp(at)).toBe("20270328-013000");
    expect(defaultBackupFile(source, at)).toBe(path.join(folder, "backups", "teambot-20270328-013000.db"));
    mkdirSync(path.join(folder, "backups"));
    const names = ["teambot-20270101-000000.db", "teambot-20270102-000000.db", "teambot-20270103-000000.db", "teambot-before-x-20270101-000000.db", "mine.db"];
    for (const name of names) writeFileSync(path.join(folder, "backups", name), "");
    expect(pruneBackups(source, 2).map((f) => path.basename(f))).toEqual(["teambot-20270101-000000.db"]);
    expect(readdirSync(path.join(folder, "backups")).sort()).toEqual(names.slice(1).sort());
  });

  it("npm run backup copies the database consistently while the bot writes; npm run restore brings every acknowledged command back", async () => {
    const live = path.join(dir, "live", "teambot.db");
    const env = { DATABASE_URL: `file:${live}`, DEFAULT_LANGUAGE: "en" };
    const bot = run(process.execPath, ["src/main.ts"], env);
    await waitFor(() => bot.output().includes("Teambot"), 30_000);
    let sent = 0;
    const writer = setInterval(() => {
      bot.child.stdin?.write(`:as m${sent}\nsettings timezone ${zones[sent % zones.length]}\n`);
      sent++;
    }, 30);
    try {
      await waitFor(() => acknowledged(bot.output()).size >= 20, 60_000);
      // Acknowledged before the backup began: these must all be in it.
      const before = acknowledged(bot.output());
      const file = path.join(dir, "copies", "during-writes.db");
      const backup = await run("npm", ["run", "--silent", "backup", "--", file], env);
      expect(backup.stderr).toBe("");
      expect(backup.code).toBe(0);
      expect(backup.stdout).toMatch(/^Backup written: .*during-writes\.db \(.* MiB, integrity ok, \d+ migrations\)/);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const sentDuringBackup = sent;
      await waitFor(() => acknowledged(bot.output()).size > before.size + 10, 60_000);
      clearInterval(writer);

      // The bot is still running: a restore over its database is refused.
      const refused = await run(process.execPath, ["src/ops/restore-main.ts", file], env);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/is in use: stop the bot first/);

      bot.child.stdin?.end();
      expect((await bot).code).toBe(0);
      const all = acknowledged(bot.output());
      expect(sentDuringBackup).toBeGreaterThan(before.size);

      // Restore into a fresh folder, as on a new server.
      const fresh = path.join(dir, "fresh", "teambot.db");
      const freshEnv = { DATABASE_URL: `file:${fresh}`, DEFAULT_LANGUAGE: "en" };
      const restore = await run("npm", ["run", "--silent", "restore", "--", file], freshEnv);
      expect(restore.stderr).toBe("");
      expect(restore.stdout).toContain(`Restored ${file} to ${fresh}`);
      expect(statSync(fresh).mode & 0o777).toBe(0o600);
      const check = new DatabaseSync(fresh, { readOnly: true });
      expect(check.prepare("PRAGMA integrity_check").all()).toEqual([{ integrity_check: "ok" }]);
      check.close();
      const restored = storedZones(fresh);
      for (const [member, zone] of before) expect(restored.get(member), member).toBe(zone);
      // One consistent moment: whatever else the copy holds was acknowledged too.
      for (const [member, zone] of restored) expect(all.get(member), member).toBe(zone);

      // The bot starts on the restored database and knows its members.
      const [member, zone] = [...before][0] ?? ["", ""];
      const again = await run(process.execPath, ["src/main.ts"], freshEnv, `:as ${member}\nsettings\n`);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain(`Time zone: ${zone}`);
    } finally {
      clearInterval(writer);
      bot.child.kill("SIGKILL");
    }
  }, 120_000);
});
