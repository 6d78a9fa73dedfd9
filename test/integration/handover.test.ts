import { afterEach, describe, expect, it } from "vitest";
import { LeaderOnly, type LeadershipFor } from "../../src/adapters/leader-only.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";
import { echoJob, FlakyAdapter } from "../support/test-jobs.ts";

/** A stand-in for the database lock: `leading` says whether this process holds it; nudges are counted. */
function leadership(leading: boolean, nudges: string[] = []): LeadershipFor {
  return (name, onChange) => ({
    start: () => onChange(leading),
    stop: async () => {},
    nudge: async () => {
      nudges.push(name);
    },
  });
}

describe("messages for a platform another process is connected to", () => {
  const bots: TestBot[] = [];
  afterEach(async () => {
    for (const bot of bots.splice(0).reverse()) await bot.close();
  });

  it("are left to the leading process, which is nudged and sends them once; the job ran once", async () => {
    const now = new Date("2026-11-25T09:00:00Z");
    const leaderPlatform = new FlakyAdapter(0);
    const followerPlatform = new FlakyAdapter(0);
    const nudges: string[] = [];
    const follower = await startTestBot({}, { now, scheduler: { owner: "follower" } });
    bots.push(follower);
    const leader = await startTestBot({}, { dir: follower.dir, keepFiles: true, now, scheduler: { owner: "leader" } });
    bots.push(leader);
    const followerGate = new LeaderOnly(() => followerPlatform, leadership(false, nudges));
    follower.app.bot.addAdapter(followerGate);
    await followerGate.start(follower.app.bot);
    const leaderGate = new LeaderOnly(() => leaderPlatform, leadership(true));
    leader.app.bot.addAdapter(leaderGate);
    await leaderGate.start(leader.app.bot);
    const [followerEcho, leaderEcho] = [echoJob(), echoJob()];
    follower.scheduler.register(followerEcho.handler);
    leader.scheduler.register(leaderEcho.handler);

    // The follower runs the job (any process may): its message waits in the outbox for the leader.
    await follower.scheduler.schedule({ kind: "test.echo", dueAt: now, payload: { text: "hi", room: "flaky:r1" } });
    expect(await follower.scheduler.runDue(now)).toMatchObject({ ran: 1, delivered: 0, retried: 0, failed: 0 });
    expect(nudges).toContain("flaky");
    expect(followerPlatform.attempts).toBe(0);
    expect(await leader.scheduler.runDue(now)).toMatchObject({ ran: 0, delivered: 1 });
    expect(leaderPlatform.sent).toHaveLength(1);
    expect(followerEcho.runs).toHaveLength(1);
    expect(leaderEcho.runs).toHaveLength(0);
    expect(await leader.app.db.job.findFirstOrThrow()).toMatchObject({ status: "done", attempts: 1 });
    expect(await leader.app.db.outboxEntry.findFirstOrThrow()).toMatchObject({ status: "sent", attempts: 1 });
  });
});
