import { afterEach, describe, expect, it } from "vitest";
import { LeaderOnly, type LeadershipFor } from "../../src/adapters/leader-only.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";
import { echoJob, FlakyAdapter } from "../support/test-jobs.ts";

/** A stand-in for the database lock: `leading` says whether this process holds it. */
function leadership(leading: boolean): LeadershipFor {
  return (_name, onChange) => ({ start: () => onChange(leading), stop: async () => {}, nudge: async () => {} });
}

describe("jobs for a platform another process is connected to", () => {
  const bots: TestBot[] = [];
  afterEach(async () => {
    for (const bot of bots.splice(0).reverse()) await bot.close();
  });

  it("are handed over to the leading process, which delivers them once; the job ran once, no attempt lost", async () => {
    const now = new Date("2026-11-25T09:00:00Z");
    const leaderPlatform = new FlakyAdapter(0);
    const handedOver: string[] = [];
    const follower = await startTestBot({}, { now, scheduler: { owner: "follower", onHandOver: (p) => handedOver.push(p) } });
    bots.push(follower);
    const leader = await startTestBot({}, { dir: follower.dir, keepFiles: true, now, scheduler: { owner: "leader", leads: () => ["flaky"] } });
    bots.push(leader);
    const followerGate = new LeaderOnly(() => new FlakyAdapter(0), leadership(false));
    follower.app.bot.addAdapter(followerGate);
    await followerGate.start(follower.app.bot);
    const leaderGate = new LeaderOnly(() => leaderPlatform, leadership(true));
    leader.app.bot.addAdapter(leaderGate);
    await leaderGate.start(leader.app.bot);
    const [followerEcho, leaderEcho] = [echoJob(), echoJob()];
    follower.scheduler.register(followerEcho.handler);
    leader.scheduler.register(leaderEcho.handler);

    await follower.scheduler.schedule({ kind: "test.echo", dueAt: now, payload: { text: "hi", room: "flaky:r1" } });
    expect(await follower.scheduler.runDue(now)).toMatchObject({ ran: 1, delivered: 0, retried: 0, failed: 0 });
    expect(handedOver).toEqual(["flaky"]);
    // The follower does not take it back; the leader delivers what the follower's run produced.
    expect(await follower.scheduler.runDue(now)).toMatchObject({ ran: 0 });
    expect(await leader.scheduler.runDue(now)).toMatchObject({ ran: 1, delivered: 1 });
    expect(leaderPlatform.sent.map((m) => m.blocks)).toHaveLength(1);
    expect(followerEcho.runs).toHaveLength(1);
    expect(leaderEcho.runs).toHaveLength(0);
    const job = await leader.app.db.job.findFirstOrThrow();
    expect(job).toMatchObject({ status: "done", attempts: 1 });
  });
});
