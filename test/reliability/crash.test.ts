import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createClient } from "@libsql/client";
import { afterAll, describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const tsx = path.join(root, "node_modules", ".bin", "tsx");
const dir = mkdtempSync(path.join(tmpdir(), "teambot-crash-"));
const dbFile = path.join(dir, "crash.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const zones = ["Europe/Berlin", "Asia/Kabul", "Europe/Istanbul", "Africa/Asmara", "Asia/Damascus", "Europe/Kyiv"];

function startBot(): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(tsx, ["src/main.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `file:${dbFile}`, DEFAULT_LANGUAGE: "en", LOG_LEVEL: "silent" },
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
  it("keeps every answered command after SIGKILL at a random moment, with an intact database", async () => {
    const bot = startBot();
    await waitFor(() => bot.output().includes("Teambot"), 30_000);
    // Steady load: members set their zone one after another.
    let sent = 0;
    const writer = setInterval(() => {
      const zone = zones[sent % zones.length];
      bot.child.stdin?.write(`:as m${sent}\nsettings timezone ${zone}\n`);
      sent++;
    }, 15);
    await new Promise((r) => setTimeout(r, 600 + Math.floor(Math.random() * 1200)));
    bot.child.kill("SIGKILL");
    clearInterval(writer);
    await bot.exited;

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

    const client = createClient({ url: `file:${dbFile}` });
    const integrity = await client.execute("PRAGMA integrity_check");
    expect(integrity.rows[0]?.integrity_check).toBe("ok");
    const rows = await client.execute(`SELECT ref, "timeZone" FROM "Member"`);
    const stored = new Map(rows.rows.map((r) => [String(r.ref).replace("console:@", ""), String(r.timeZone)]));
    for (const [member, zone] of answered) expect(stored.get(member), member).toBe(zone);
    client.close();

    // And the bot starts again on the same file and answers.
    const again = startBot();
    again.child.stdin?.end(":as m0\nsettings\n");
    expect(await again.exited).toBe(0);
    expect(again.output()).toContain("Time zone:");
  }, 90_000);
});

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 50));
  }
}
