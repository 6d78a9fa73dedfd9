import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Invocation } from "../../src/core/command.ts";
import { startTestBot, type TestBot } from "../support/harness.ts";

/** A command as a console member would send it, straight into the core. */
const said = (member: string, text: string, room = "main"): Invocation => ({
  platform: "console",
  room: `console:${room}`,
  roomName: room,
  isDirect: false,
  member: `console:@${member}`,
  memberName: member,
  isCoordinator: false,
  input: { kind: "text", text, requirePrefix: false },
});

describe("rapid response under concurrent commands", () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await startTestBot();
  });
  afterEach(async () => {
    await bot.close();
  });

  it("gives a request needing 2 people exactly 2 winners among 12 simultaneous claims", async () => {
    await bot.say("rr Two drivers --need 2 --urgent", { member: "ann" });
    const names = Array.from({ length: 12 }, (_, i) => `m${i}`);
    const results = await Promise.all(names.map((n) => bot.app.bot.handle(said(n, "rr claim 1"))));
    await bot.app.bot.idle();
    expect(results.filter((r) => r.kind === "ok")).toHaveLength(2);
    expect(results.filter((r) => r.kind === "user-error")).toHaveLength(10);
    const request = await bot.app.db.rrRequest.findFirstOrThrow({ include: { claims: true } });
    expect(request.claims).toHaveLength(2);
    expect(request.status).toBe("covered");
    // Covered: no escalation comes.
    expect(await bot.runDueJobs(new Date(Date.now() + 3_600_000))).toBe("");
    const events = await bot.app.db.rrEvent.count({ where: { kind: "claimed" } });
    expect(events).toBe(2);
  });

  it("counts one claim when the same member presses twice at once", async () => {
    await bot.say("rr Three helpers --need 3", { member: "ann" });
    const results = await Promise.all([1, 2, 3, 4].map(() => bot.app.bot.handle(said("bob", "rr claim 1"))));
    expect(results.filter((r) => r.kind === "ok")).toHaveLength(1);
    expect(await bot.app.db.rrClaim.count()).toBe(1);
  });

  it("numbers simultaneous requests of one team without gaps or duplicates", async () => {
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => bot.app.bot.handle(said(`m${i}`, `rr Need number ${i}`))),
    );
    expect(results.every((r) => r.kind === "ok")).toBe(true);
    const numbers = (await bot.app.db.rrRequest.findMany()).map((r) => r.number).sort((a, b) => a - b);
    expect(numbers).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it("never loses a claim racing with a resolve", async () => {
    await bot.say("rr Need help --need 3", { member: "ann" });
    const results = await Promise.all([
      bot.app.bot.handle(said("bob", "rr claim 1")),
      bot.app.bot.handle(said("ann", "rr resolve 1")),
      bot.app.bot.handle(said("carla", "rr claim 1")),
    ]);
    expect(results.map((r) => r.kind)).not.toContain("internal-error");
    const request = await bot.app.db.rrRequest.findFirstOrThrow({ include: { claims: true } });
    const claimed = await bot.app.db.rrEvent.count({ where: { kind: "claimed" } });
    // Every successful claim is in the database and in the timeline.
    expect(request.claims).toHaveLength(claimed);
    expect(results.filter((r) => r.kind === "ok")).toHaveLength(1 + claimed);
    expect(request.status).toBe("resolved");
  });
});
