import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { databaseUrlFor, testDatabase } from "../support/database.ts";

const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "teambot-start-"));
const databaseUrl = databaseUrlFor(dir, "bot");
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command in the project like a newcomer would, feeding `input` on stdin. */
function run(
  command: string,
  args: string[],
  input: string | undefined,
  env: Record<string, string> = {},
): Promise<Run> & { child: ReturnType<typeof spawn> } {
  const child = spawn(command, args, {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: "info", ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  if (input !== undefined) child.stdin.end(input);
  const done = new Promise<Run>((resolve) => child.on("close", (code) => resolve({ code, stdout, stderr })));
  return Object.assign(done, { child });
}

describe("npm start", () => {
  it("answers piped commands on the console, exits 0 and keeps the settings in the database file", async () => {
    const first = await run(
      "npm",
      ["start", "--silent"],
      "help\nsettings timezone Europe/Berlin\nsettings language en\nsettings\n",
    );
    expect(first.code).toBe(0);
    expect(first.stdout).toContain("Teambot läuft in der Konsole");
    expect(first.stdout).toContain("TEAMBOT-BEFEHLE");
    expect(first.stdout).toContain("Deine Zeitzone ist jetzt *Europe/Berlin*");
    expect(first.stdout).toContain("Time zone: Europe/Berlin");
    if (testDatabase === "sqlite") expect(statSync(databaseUrl.slice("file:".length)).size).toBeGreaterThan(0);

    const second = await run("npm", ["start", "--silent"], "settings\n");
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Time zone: Europe/Berlin");
    expect(second.stdout).toContain("Language: English (en)");

    const db = await openDatabase(databaseUrl);
    const member = await db.member.findUnique({ where: { ref: "console:@me" } });
    expect(member).toMatchObject({ timeZone: "Europe/Berlin", language: "en" });
    await db.$disconnect();
  }, 60_000);

  it("stops with one line per wrong variable and exit code 1", async () => {
    const result = await run("npm", ["start", "--silent"], "", {
      DEFAULT_LANGUAGE: "fr",
      DEFAULT_TIMEZONE: "Nowhere/City",
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^ {2}DEFAULT_LANGUAGE: /m);
    expect(result.stderr).toMatch(/^ {2}DEFAULT_TIMEZONE: /m);
  }, 60_000);

  it("shuts down cleanly when npm start gets SIGTERM: the bot itself stops, with exit code 0", async () => {
    // The signal goes to the process the user started (npm); npm execs the bot, so the bot gets it.
    const started = run("npm", ["start", "--silent"], undefined);
    // Wait for the greeting, send a command, then SIGTERM right away.
    await new Promise<void>((resolve) => {
      started.child.stdout?.on("data", (d: Buffer) => {
        if (d.toString().includes("Teambot")) resolve();
      });
    });
    let out = "";
    const confirmed = new Promise<void>((resolve) => {
      started.child.stdout?.on("data", (d: Buffer) => {
        out += d.toString();
        if (out.includes("Asia/Kabul")) resolve();
      });
    });
    started.child.stdin?.write("settings timezone Asia/Kabul\n");
    await confirmed;
    started.child.kill("SIGTERM");
    const result = await started;
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('"reason":"SIGTERM","msg":"shutting down"');
    // The bot logged its own process id; that process is gone (not orphaned).
    const pid = Number(/"pid":(\d+)/.exec(result.stderr)?.[1]);
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).toThrow();
    const db = await openDatabase(databaseUrl);
    expect((await db.member.findUnique({ where: { ref: "console:@me" } }))?.timeZone).toBe("Asia/Kabul");
    await db.$disconnect();
  }, 60_000);
});
