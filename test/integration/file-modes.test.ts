import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { startTestBot } from "../support/harness.ts";

const mode = (file: string) => statSync(file).mode & 0o777;

describe("files at rest are the bot's user's only", () => {
  let root: string | undefined;
  afterEach(() => {
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it("creates data/ 0700 and the database 0600, and tightens ones an older version left open", async () => {
    root = mkdtempSync(path.join(tmpdir(), "teambot-modes-"));
    const fresh = path.join(root, "fresh", "data", "teambot.db");
    const db = await openDatabase(`file:${fresh}`);
    await db.$disconnect();
    expect(mode(path.dirname(fresh))).toBe(0o700);
    expect(mode(fresh)).toBe(0o600);

    const old = path.join(root, "old", "data");
    mkdirSync(old, { recursive: true });
    chmodSync(old, 0o755);
    const file = path.join(old, "teambot.db");
    writeFileSync(file, "");
    chmodSync(file, 0o644);
    const again = await openDatabase(`file:${file}`);
    await again.$disconnect();
    expect(mode(old)).toBe(0o700);
    expect(mode(file)).toBe(0o600);
  });

  it("writes an export file 0600", async () => {
    const bot = await startTestBot();
    try {
      const out = await bot.say("privacy export");
      const file = /📎 (\S+\.json)/.exec(out)?.[1] ?? "";
      expect(mode(path.resolve(file))).toBe(0o600);
    } finally {
      await bot.close();
    }
  });
});
