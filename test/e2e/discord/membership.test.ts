import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FakeUser, RecordedRequest } from "./fake-discord.ts";
import { ann, bob, bodyOf, type DiscordWorld, startDiscordWorld, violations } from "./setup.ts";

/**
 * Discord does not tell a bot without the Server Members intent that someone left: before
 * anything private about a team goes out, the bot asks Discord whether the person is still
 * in the server and still sees the team's channel, and ends the membership otherwise.
 */
const dan: FakeUser = { id: "400000000000000009", username: "dan", globalName: "Dan" };
const eve: FakeUser = { id: "400000000000000010", username: "eve", globalName: "Eve" };
const dm = { bob: "310000000000000005", dan: "310000000000000009", eve: "310000000000000010" };

let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld();
  world.fake.dmChannels.set(bob.id, dm.bob);
  world.fake.dmChannels.set(dan.id, dm.dan);
  world.fake.dmChannels.set(eve.id, dm.eve);
});
afterAll(async () => {
  // Asking about someone who left is answered "Unknown Member": expected here.
  expect(violations(world.fake, (r) => r.path === `/guilds/${world.fake.guildId}/members/${bob.id}`)).toEqual([]);
  await world?.close();
});

const db = () => world.bot.app.db;
const teamRoom = () => `discord:${world.fake.guildId}/${world.fake.channelId}`;
const link = (user: FakeUser) =>
  db().teamMember.findFirstOrThrow({ where: { team: { ref: teamRoom() }, member: { ref: `discord:${user.id}` } } });
const content = (r: RecordedRequest) => String((bodyOf(r) as { content?: unknown }).content ?? "");
const sentTo = (from: number, channel: string) =>
  world.fake.requests.slice(from).filter((r) => r.method === "POST" && r.path === `/channels/${channel}/messages`);

function slash(
  command: string,
  sub: string,
  values: Record<string, string | number>,
  user: FakeUser,
  as: { permissions?: string; direct?: boolean } = {},
): string {
  const options = Object.entries(values).map(([name, value]) => ({ name, type: typeof value === "number" ? 4 : 3, value }));
  return world.fake.slash(command, [{ name: sub, type: 1, options }], { locale: "en-US", user, ...as });
}

describe("memberships on Discord", () => {
  it("ends the membership of who left the server or lost the channel, and sends them nothing", async () => {
    for (const user of [ann, bob, dan, eve]) await world.answered(slash("task", "list", {}, user));
    world.fake.guild.departed.add(bob.id);
    world.fake.denyView(world.fake.channelId, dan.id);
    // Memberships confirmed minutes ago are not asked about again: later, they are.
    world.bot.clock.advance(11 * 60_000);

    const from = world.fake.requests.length;
    const mentions = [bob, dan, eve].map((u) => `<@${u.id}>`).join(" ");
    await world.answered(slash("task", "add", { title: "Accompany the Haddad family", assignees: mentions }, ann));
    await world.bot.app.bot.idle();
    await expect.poll(() => sentTo(from, dm.eve).length, { timeout: 5000 }).toBe(1);
    expect(content(sentTo(from, dm.eve)[0] as RecordedRequest)).toContain("Haddad");
    expect(sentTo(from, dm.bob)).toEqual([]);
    expect(sentTo(from, dm.dan)).toEqual([]);
    expect(await link(bob)).toMatchObject({ leftHow: "removed" });
    expect(await link(dan)).toMatchObject({ leftHow: "lostAccess" });
    expect((await link(eve)).leftAt).toBeNull();
  });

  it("asks Discord whether someone still coordinates before rights are used from a DM", async () => {
    const cora: FakeUser = { id: "400000000000000006", username: "cora", globalName: "Cora" };
    const coordinator = String(0x20 | 0x10);
    await world.answered(slash("task", "list", {}, cora, { permissions: coordinator }));
    await world.answered(slash("rr", "ask", { text: "Beds for a family tonight" }, ann));
    await world.answered(slash("rr", "ask", { text: "A driver on Saturday" }, ann));
    const team = teamRoom();
    const first = await world.answered(slash("rr", "cancel", { id: 1, team }, cora, { direct: true }));
    expect(first.message.content).toContain("#1");
    expect(first.message.content).not.toContain("Only the person who asked");
    // Her role is taken away: the next cancel from the DM is refused, whatever was stored.
    world.fake.guild.coordinators.delete(cora.id);
    const second = await world.answered(slash("rr", "cancel", { id: 2, team }, cora, { direct: true }));
    expect(second.message.content).toContain("Only the person who asked");
    expect((await db().rrRequest.findFirstOrThrow({ where: { text: "A driver on Saturday" } })).status).toBe("open");
  });
});
