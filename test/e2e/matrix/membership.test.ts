import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeHomeserver } from "./fake-homeserver.ts";
import { ANN, BOB, joinedRoom, type MatrixBot, nthPrivateMessage, privateMessages, startMatrixBot, tempDir } from "./matrix-harness.ts";

const CARLA = "@carla:fake.test";

/** Polls an async check until it holds, or fails after `ms`. */
async function until(check: () => Promise<boolean>, what: string, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
const DAVE = "@dave:fake.test";

/**
 * Matrix leave, kick and ban end the membership of the room's team (kept as a dated fact),
 * and nothing private about the team reaches the person afterwards.
 */
describe("Matrix: memberships follow the room", () => {
  let fake: FakeHomeserver;
  let temp: ReturnType<typeof tempDir>;
  let bot: MatrixBot;
  let room: string;

  beforeEach(async () => {
    fake = new FakeHomeserver();
    for (const [id, name] of [[ANN, "Ann"], [BOB, "Bob"], [CARLA, "Carla"], [DAVE, "Dave"]] as const) fake.setProfile(id, name);
    await fake.start();
    temp = tempDir();
    bot = await startMatrixBot(fake, temp.dir);
    room = await joinedRoom(fake);
    fake.join(room, CARLA);
    fake.join(room, DAVE);
  });
  afterEach(async () => {
    await bot.close();
    await fake.stop();
    temp.remove();
  });

  const link = (userId: string) =>
    bot.app.db.teamMember.findFirst({ where: { team: { ref: `matrix:${room}` }, member: { ref: `matrix:${userId}` } } });

  async function responder(userId: string): Promise<void> {
    const before = fake.sentByBot(room).length;
    fake.say(room, userId, "!rr skills add dari");
    fake.say(room, userId, "!rr available on");
    await fake.waitFor(() => fake.sentByBot(room).length >= before + 2 || undefined, 8000, "both answers");
    await bot.app.bot.idle();
  }

  it("leave, kick and ban end the membership; the next request reaches only who is still there", async () => {
    for (const who of [BOB, CARLA, DAVE]) await responder(who);
    const privateBefore = (userId: string) => privateMessages(fake, userId).length;
    const [bob0, carla0] = [privateBefore(BOB), privateBefore(CARLA)];

    fake.emit(room, BOB, "m.room.member", { membership: "leave" }, BOB);
    fake.emit(room, ANN, "m.room.member", { membership: "leave", reason: "moved" }, CARLA);
    await until(async () => Boolean((await link(CARLA))?.leftHow), "carla's end");
    await until(async () => Boolean((await link(BOB))?.leftHow), "bob's end");
    expect((await link(BOB))?.leftHow).toBe("left");
    expect((await link(CARLA))?.leftHow).toBe("kicked");
    expect((await link(BOB))?.leftAt).toEqual(bot.clock.now());

    fake.say(room, ANN, "!rr Family Haddad needs a Dari interpreter --skill dari");
    const alert = await nthPrivateMessage(fake, DAVE, privateBefore(DAVE));
    expect(String(alert.content.body)).toContain("Haddad");
    await bot.app.bot.idle();
    expect(privateMessages(fake, BOB)).toHaveLength(bob0);
    expect(privateMessages(fake, CARLA)).toHaveLength(carla0);

    // A ban ends Dave's membership too; a reminder set for him before is withheld.
    fake.say(room, ANN, `!remind ${DAVE} in 5 minutes bring the file`);
    await until(async () => (await bot.app.db.reminder.count()) === 1, "the reminder");
    fake.emit(room, ANN, "m.room.member", { membership: "ban" }, DAVE);
    await until(async () => (await link(DAVE))?.leftHow === "banned", "dave's ban");
    const dave = privateMessages(fake, DAVE).length;
    await bot.advanceTo(new Date(bot.clock.now().getTime() + 6 * 60_000));
    await bot.app.bot.idle();
    expect(privateMessages(fake, DAVE)).toHaveLength(dave);
  });
});
