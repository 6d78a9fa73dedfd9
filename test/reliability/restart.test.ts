import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startTestBot } from "../support/harness.ts";

const dir = mkdtempSync(path.join(tmpdir(), "teambot-due-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const count = (text: string, part: string) => text.split(part).length - 1;

describe("restart with due work", () => {
  it("delivers what fell due while the bot was down once after start, and never again", async () => {
    const start = new Date();
    const first = await startTestBot({ DEFAULT_LANGUAGE: "en" }, { dir, keepFiles: true, scheduler: { now: () => start } });
    await first.say("settings", { member: "bob" });
    await first.say("remind me tomorrow 9:00 REMINDER-ONE", { member: "ann" });
    await first.say('rr "URGENT-ONE interpreter" --urgent', { member: "ann" });
    await first.say('task add "TASK-ONE visit" @bob --due "tomorrow 18:00"', { member: "ann" });
    if (first.app.bot.registry.get(["poll", "create"])) {
      await first.say('poll create "POLL-ONE?" yes no --closes "tomorrow 12:00"', { member: "ann" });
    }
    const pending = await first.app.db.job.count({ where: { status: "pending" } });
    expect(pending).toBeGreaterThanOrEqual(4);
    await first.close();

    // Down for three days; then the bot starts with its scheduler running.
    const later = new Date(start.getTime() + 3 * 86_400_000);
    const second = await startTestBot(
      { DEFAULT_LANGUAGE: "en" },
      { dir, keepFiles: true, startScheduler: true, scheduler: { now: () => later } },
    );
    const deadline = Date.now() + 15_000;
    while ((await second.app.db.job.count({ where: { status: "pending", runAt: { lte: later } } })) > 0) {
      if (Date.now() > deadline) throw new Error("due jobs were not run after start");
      await new Promise((r) => setTimeout(r, 50));
    }
    await second.scheduler.idle();
    await second.app.bot.idle();
    const out = second.transcript();
    if (process.env.SHOW_TRANSCRIPT) console.log(out);
    expect(count(out, "REMINDER-ONE")).toBe(1);
    expect(out).toMatch(/late|Late/);
    // The task's reminders (a day before and at the due time) to bob: each once.
    expect(count(out, "[private → bob]")).toBeGreaterThanOrEqual(1);
    const taskLines = out.split("\n").filter((l) => l.includes("[private → bob]") && l.includes("TASK-ONE"));
    expect(new Set(taskLines).size).toBe(taskLines.length);
    // The escalation that fell due ran once (late); the next round is planned from now,
    // not fired at once for every round missed.
    expect(count(out, "(alert 1 of 3)")).toBe(1);
    expect(out).not.toContain("(alert 2 of 3)");
    if (second.app.bot.registry.get(["poll", "create"])) expect(count(out, "POLL-ONE")).toBeGreaterThanOrEqual(1);
    await second.close();

    // Another restart: nothing is delivered again.
    const third = await startTestBot(
      { DEFAULT_LANGUAGE: "en" },
      { dir, keepFiles: true, startScheduler: true, scheduler: { now: () => later } },
    );
    await new Promise((r) => setTimeout(r, 500));
    await third.scheduler.idle();
    expect(third.transcript()).not.toContain("REMINDER-ONE");
    expect(third.transcript()).not.toContain("TASK-ONE");
    await third.close();
  }, 60_000);
});
