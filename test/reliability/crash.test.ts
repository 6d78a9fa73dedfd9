import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { databaseUrlFor, testDatabase } from "../support/database.ts";
import { waitFor } from "../support/wait.ts";

const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "teambot-crash-"));
const databaseUrl = databaseUrlFor(dir, "crash");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const zones = ["Europe/Berlin", "Asia/Kabul", "Europe/Istanbul", "Africa/Asmara", "Asia/Damascus", "Europe/Kyiv"];

function startBot(): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  // The process that runs the bot itself (as `npm start` execs it), so SIGKILL really kills the bot.
  const child = spawn(process.execPath, ["src/main.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, DEFAULT_LANGUAGE: "en", LOG_LEVEL: "silent" },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, output: () => out, exited };
}

describe("crash safety", () => {
  it("keeps every answered command after SIGKILL at a random moment, intact database, each confirmed reminder delivered once", async () => {
    const bot = startBot();
    await waitFor(() => bot.output().includes("Teambot"), 30_000);
    // Steady load: members set their zone, and every third one sets a reminder that falls
    // due only after the crash (so each must be delivered once by the restarted bot).
    let sent = 0;
    const writer = setInterval(() => {
      const zone = zones[sent % zones.length];
      bot.child.stdin?.write(`:as m${sent}\nsettings timezone ${zone}\n`);
      if (sent % 3 === 0) bot.child.stdin?.write(`remind me in 8 seconds R${sent}X\n`);
      sent++;
    }, 15);
    // Under load, and only once the bot has answered a few (a busy machine may start slowly),
    // at a random moment: mid-command, mid-commit or between commands.
    await waitFor(() => (bot.output().match(/time zone is now/g)?.length ?? 0) >= 5, 60_000);
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 1200)));
    bot.child.kill("SIGKILL");
    clearInterval(writer);
    await bot.exited;
    expect(bot.child.signalCode).toBe("SIGKILL");
    expect(() => process.kill(bot.child.pid ?? 0, 0)).toThrow(); // nothing of the bot lives on

    // Which commands were answered? The confirmation follows the "You are now mN." line.
    const answered = new Map<string, string>();
    let current = "";
    for (const line of bot.output().split("\n")) {
      const as = /You are now (m\d+)\./.exec(line);
      if (as?.[1]) current = as[1];
      const done = /Your time zone is now \*(.+?)\*/.exec(line);
      if (done?.[1] && current) answered.set(current, done[1]);
    }
    expect(answered.size).toBeGreaterThan(3);

    const db = await openDatabase(databaseUrl);
    if (testDatabase === "sqlite") {
      const integrity = await db.$queryRawUnsafe<{ integrity_check: string }[]>("PRAGMA integrity_check");
      expect(integrity[0]?.integrity_check).toBe("ok");
    }
    const rows = await db.member.findMany({ select: { ref: true, timeZone: true } });
    const stored = new Map(rows.map((r) => [r.ref.replace("console:@", ""), String(r.timeZone)]));
    for (const [member, zone] of answered) expect(stored.get(member), member).toBe(zone);
    await db.$disconnect();

    // Reminders that were confirmed before the crash.
    const confirmed = [...bot.output().matchAll(/“(R\d+X)”/g)].map((m) => m[1]);
    expect(confirmed.length).toBeGreaterThan(0);

    // The bot starts again on the same file, answers, and delivers every confirmed
    // reminder exactly once when it falls due.
    const again = startBot();
    again.child.stdin?.write(":as m0\nsettings\n");
    await waitFor(() => confirmed.every((r) => again.output().includes(`: ${r}`)), 30_000);
    await new Promise((r) => setTimeout(r, 500));
    again.child.stdin?.end();
    expect(await again.exited).toBe(0);
    expect(again.output()).toContain("Time zone:");
    for (const reminder of confirmed) {
      expect(again.output().split(`: ${reminder}`).length - 1, reminder).toBe(1);
    }
    // None was delivered before the crash, and none that was not confirmed appears twice.
    expect(bot.output()).not.toMatch(/⏰/);
  }, 90_000);
});

