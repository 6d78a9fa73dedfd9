import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterAll, describe, expect, it } from "vitest";
import { dropDatabaseFor, testDatabase } from "../support/database.ts";
import { sendConcurrency } from "../../src/scheduler/outbox.ts";
import { waitFor } from "../support/wait.ts";
import { duplicatesPerConversation, planReminders, startBot } from "./support/burst.ts";

const dir = mkdtempSync(path.join(tmpdir(), "teambot-outbox-crash-"));
afterAll(async () => {
  await dropDatabaseFor(dir);
  rmSync(dir, { recursive: true, force: true });
});

const members = Array.from({ length: 30 }, (_, i) => `console:@m${i}`);

/** What the console printed to rooms and members, message by message (first lines carry the marks). */
function deliveries(out: string): { to: string; text: string }[] {
  const found: { to: string; text: string }[] = [];
  for (const line of out.split("\n")) {
    const reminder = /^\[private → (m\d+)\] ⏰ Reminder \*#\d+\*(?: from @m0)?: (R\d+X)/.exec(line);
    if (reminder?.[1] && reminder[2]) found.push({ to: `console:@${reminder[1]}`, text: reminder[2] });
    const alert = /^\[private → (m\d+)\] .*URGENT: help needed\* in team \(request #(\d+)\)/.exec(line);
    if (alert?.[1] && alert[2]) found.push({ to: `console:@${alert[1]}`, text: `request ${alert[2]}` });
    const post = /^\[#team\] .*URGENT request #(\d+)\*/.exec(line);
    if (post?.[1]) found.push({ to: "console:team", text: `request ${post[1]}` });
  }
  return found;
}

describe("SIGKILL during a burst of 300 due reminders and a stream of commands (console)", () => {
  it("after restart every acknowledged command's messages and every reminder arrive, at most one per conversation twice", async () => {
    const now = new Date();
    // Due a few seconds after the bot is up, so requests stream in before and during the burst.
    const dueAt = new Date(now.getTime() + 9_000);
    const reminders = await planReminders(dir, { room: "console:team", members, count: 300, dueAt, now });

    const first = startBot(dir, { CONSOLE_ROOM: "team", CONSOLE_MEMBER: "m0" });
    // A line written as the process is killed fails with EPIPE: expected here.
    first.child.stdin?.on("error", () => undefined);
    await waitFor(() => first.out().includes("Teambot"), 30_000);
    // Two responders, so each urgent request is a room post and two alerts.
    first.child.stdin?.write(":as m0\nrr available on\n:as m1\nrr available on\n:as ann\n");
    let asked = 0;
    const stream = setInterval(() => first.child.stdin?.write(`rr Need help C${++asked}X --urgent\n`), 40);
    // Killed in the middle of the burst: some reminders and requests are out, most reminders are not.
    const count = (pattern: RegExp) => first.out().match(pattern)?.length ?? 0;
    await waitFor(() => count(/is posted/g) >= 1 && count(/⏰ Reminder/g) >= 60, 60_000);
    first.child.kill("SIGKILL");
    clearInterval(stream);
    await first.exited;
    expect(first.child.signalCode).toBe("SIGKILL");
    const before = deliveries(first.out()).filter((d) => d.text.startsWith("R")).length;
    expect(before).toBeLessThan(300);

    if (testDatabase === "sqlite") {
      const db = new DatabaseSync(path.join(dir, "test.db"));
      expect(db.prepare("PRAGMA integrity_check").get()?.integrity_check).toBe("ok");
      db.close();
    }

    // Acknowledged: the requester was told the request is posted.
    const acknowledged = [...first.out().matchAll(/Request \*#(\d+)\* is posted/g)].map((m) => Number(m[1]));
    expect(acknowledged.length).toBeGreaterThan(0);
    const expected = new Map(reminders);
    for (const n of acknowledged) {
      expected.set(`request ${n}`, "console:team");
    }

    const second = startBot(dir, { CONSOLE_ROOM: "team", CONSOLE_MEMBER: "m0" });
    const all = () => [...deliveries(first.out()), ...deliveries(second.out())];
    const alerts = (n: number) => all().filter((d) => d.text === `request ${n}` && d.to !== "console:team").length;
    await waitFor(
      () => duplicatesPerConversation(all(), expected).missing.length === 0 && acknowledged.every((n) => alerts(n) >= 2),
      60_000,
    ).catch((error: unknown) => {
      console.log(duplicatesPerConversation(all(), expected).missing, acknowledged.map((n) => [n, alerts(n)]));
      console.log(second.out().slice(-3000), second.err().slice(-3000));
      throw error;
    });
    await new Promise((r) => setTimeout(r, 500));
    second.child.stdin?.end();
    expect(await second.exited).toBe(0);

    const result = duplicatesPerConversation(all(), expected);
    expect(result.missing).toEqual([]);
    expect(result.tooOften).toEqual([]);
    expect(result.conversationsWithTwoDuplicates).toEqual([]);
    // For the record: how many were in flight when the process died.
    expect(result.duplicates).toBeLessThanOrEqual(sendConcurrency);
  }, 180_000);
});
