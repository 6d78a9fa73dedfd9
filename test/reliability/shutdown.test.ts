import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { DatabaseSync } from "node:sqlite";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { waitFor } from "../support/wait.ts";

const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "teambot-shutdown-"));
const dbFile = path.join(dir, "bot.db");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("graceful shutdown under load", () => {
  it("SIGTERM to `npm start` while commands stream in: exit 0, every answered request was posted", async () => {
    const child = spawn("npm", ["start", "--silent"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: `file:${dbFile}`, LOG_LEVEL: "info", DEFAULT_LANGUAGE: "en" },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
    await waitFor(() => out.includes("Teambot"), 30_000);

    // Urgent requests as fast as a pipe takes them: each is committed, then posted to the room.
    let sent = 0;
    const writer = setInterval(() => {
      for (let i = 0; i < 5; i++) child.stdin.write(`rr Need an interpreter R${++sent}X --urgent\n`);
    }, 10);
    await waitFor(() => (out.match(/is posted/g)?.length ?? 0) >= 20, 30_000);
    child.kill("SIGTERM");
    clearInterval(writer);
    const code = await exited;

    expect(code).toBe(0);
    expect(err).toContain('"reason":"SIGTERM","msg":"shutting down"');
    const pid = Number(/"pid":(\d+)/.exec(err)?.[1]);
    expect(() => process.kill(pid, 0)).toThrow(); // the bot process itself is gone

    // Every request the requester was told about is in the database and was posted to the room.
    const confirmed = [...out.matchAll(/Request \*#(\d+)\* is posted/g)].map((m) => Number(m[1]));
    expect(confirmed.length).toBeGreaterThanOrEqual(20);
    const posted = new Set([...out.matchAll(/\[#main\] .*URGENT request #(\d+)\*/g)].map((m) => Number(m[1])));
    for (const n of confirmed) expect(posted.has(n), `request #${n} posted`).toBe(true);
    const db = new DatabaseSync(dbFile);
    const stored = new Set(db.prepare(`SELECT "number" FROM "RrRequest"`).all().map((r) => Number(r.number)));
    db.close();
    for (const n of confirmed) expect(stored.has(n), `request #${n} stored`).toBe(true);
  }, 90_000);
});
