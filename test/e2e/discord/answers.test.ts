import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DiscordAdapter } from "../../../src/adapters/discord/discord-adapter.ts";
import { createLogger } from "../../../src/core/log.ts";
import type { InteractOptions } from "./fake-discord.ts";
import { ann, bob, bodyOf, type DiscordWorld, startDiscordWorld, violations } from "./setup.ts";

/** Private answers stay private, labels stay whole, help speaks Discord, commands sync once. */
let world: DiscordWorld;
beforeAll(async () => {
  world = await startDiscordWorld();
});
afterAll(async () => {
  expect(violations(world.fake)).toEqual([]);
  await world?.close();
});

function slash(command: string, sub: string, values: Record<string, string | boolean>, as: InteractOptions): string {
  const options = Object.entries(values).map(([name, value]) => ({ name, type: typeof value === "boolean" ? 5 : 3, value }));
  return world.fake.slash(command, sub === "" ? options : [{ name: sub, type: 1, options }], { locale: "en-US", ...as });
}

/** Everything the interaction showed: nothing may be visible to others. */
async function privately(token: string) {
  const answer = await world.answered(token);
  expect(answer.messages.length).toBeGreaterThan(0);
  expect(answer.messages.map((m) => m.ephemeral)).toEqual(answer.messages.map(() => true));
  return answer;
}

describe("private answers", () => {
  it("/remind me answers only the invoker", async () => {
    const answer = await privately(slash("remind", "me", { when: "in 2 hours", text: "call the Jobcenter" }, { user: ann }));
    expect(answer.message.content).toContain("call the Jobcenter");
  });

  it("/remind member refuses someone who is not known in the team, and names them without a ping", async () => {
    const answer = await privately(
      slash("remind", "member", { member: bob.id, when: "tomorrow 9:00", text: "bring the keys" }, { user: ann }),
    );
    expect(answer.message.content).toContain("as a member of this team");
    expect(await world.bot.app.db.reminder.count({ where: { text: "bring the keys" } })).toBe(0);
  });

  it("/remind member answers privately and pings nobody now", async () => {
    await world.answered(slash("remind", "list", {}, { user: bob }));
    const pings = world.fake.pings.length;
    const answer = await privately(
      slash("remind", "member", { member: bob.id, when: "tomorrow 9:00", text: "bring the keys" }, { user: ann }),
    );
    expect(answer.message.content).toContain("bring the keys");
    expect(world.fake.pings.slice(pings).flatMap((p) => p.pings.users)).toEqual([]);
  });

  it("/remind me repeats the instant it understood, with the relative time once", async () => {
    const answer = await privately(slash("remind", "me", { when: "tomorrow 9:00", text: "sign the lease" }, { user: ann }));
    expect(answer.message.content).toMatch(/for you: <t:\d+:F> \(<t:\d+:R>\)\./);
    expect(answer.message.content.match(/:R>/g)).toHaveLength(1);
  });

  it("asks which time an ambiguous phrase means, with buttons that run the command with it spelled out", async () => {
    const answer = await privately(slash("remind", "me", { when: "halb 8", text: "pick up the files" }, { user: ann }));
    expect(answer.message.content).toContain("“halb 8” can mean more than one time. Which one do you mean?");
    const buttons = ((answer.message.components ?? []) as { components: { custom_id: string; label: string }[] }[])
      .flatMap((row) => row.components);
    // Pinned at Wednesday 25 November 2026, 10:00 in Berlin: 19:30 today or 07:30 tomorrow.
    expect(buttons.map((b) => b.custom_id)).toEqual([
      'tb0:remind me "2026-11-25 19:30" "pick up the files"',
      'tb1:remind me "2026-11-26 07:30" "pick up the files"',
    ]);
    expect(buttons.map((b) => b.label)).toEqual([
      expect.stringContaining("25 Nov 2026, 19:30"),
      expect.stringContaining("26 Nov 2026, 07:30"),
    ]);
    const pressed = await world.answered(
      world.fake.press(buttons[1]?.custom_id ?? "", world.fake.message(world.fake.channelId, answer.message), {
        user: ann,
        locale: "en-US",
      }),
    );
    expect(pressed.message.content).toMatch(/Reminder \*\*#\d+\*\* for you: <t:\d+:F>/);
    const reminder = await world.bot.app.db.reminder.findFirstOrThrow({ where: { text: "pick up the files" } });
    expect(reminder.dueAt.toISOString()).toBe("2026-11-26T06:30:00.000Z");
  });

  it("/remind list answers privately", async () => {
    const answer = await privately(slash("remind", "list", {}, { user: ann }));
    expect(answer.message.content).toContain("call the Jobcenter");
  });

  it("/remind team still tells the room", async () => {
    const answer = await world.answered(slash("remind", "team", { when: "friday 14:00", text: "send the report" }, { user: ann }));
    expect(answer.message.flags).toBeUndefined();
  });
});

describe("what Discord shows", () => {
  it("cuts a button label on a character boundary, never inside an emoji", async () => {
    // "1. " and 76 letters: a cut at 80 UTF-16 units would fall inside the emoji.
    const option = `${"a".repeat(76)}😀 and more`;
    const token = slash("poll", "create", { question: "Emoji?", options: `"${option}" b` }, { user: ann });
    await world.answered(token);
    const post = await world.fake.waitFor((r) => r.method === "POST" && r.status === 200 && String(bodyOf(r).content).includes("Emoji?"));
    const labels = ((bodyOf(post).components ?? []) as { components: { label: string }[] }[])
      .flatMap((row) => row.components.map((b) => b.label));
    const first = labels[0] ?? "";
    expect(first.length).toBeLessThanOrEqual(80);
    expect(first.endsWith("…")).toBe(true);
    expect(first).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it("answers a member whose Discord is Ukrainian in Ukrainian until they choose, then in their choice", async () => {
    const carla = { id: "400000000000000006", username: "carla", globalName: "Карла" };
    const answer = await world.answered(slash("settings", "show", {}, { user: carla, locale: "uk" }));
    expect(answer.message.content).toContain("Налаштування");
    await world.answered(slash("settings", "language", { language: "ar" }, { user: carla, locale: "uk" }));
    const arabic = await world.answered(slash("poll", "vote", { "poll-id": "99", options: "1" }, { user: carla, locale: "uk" }));
    expect(arabic.message.content).toBe("❌ لا يوجد استطلاع \u2066#99\u2069 في هذا الفريق.");
  });

  it("explains on Discord that commands are picked after /, not typed with !", async () => {
    const answer = await world.answered(slash("help", "", {}, { user: ann }));
    expect(answer.message.content).toContain("Type / and pick one of Teambot's commands");
    expect(answer.message.content).not.toContain("with / or !");
  });
});

describe("command registration", () => {
  it("compares with Discord's list read ?with_localizations=true and does not upload again at a restart", async () => {
    const gets = world.fake.requests.filter((r) => r.method === "GET" && r.path.endsWith("/commands"));
    expect(gets.every((r) => r.query === "?with_localizations=true")).toBe(true);
    const puts = world.fake.requests.filter((r) => r.method === "PUT").length;
    const again = await world.startAnotherAdapter();
    await again.stop();
    expect(world.fake.requests.filter((r) => r.method === "PUT")).toHaveLength(puts);
  });

  it("registers global commands for servers and the bot's DM only (no user install), once", async () => {
    const make = () =>
      new DiscordAdapter({
        token: world.fake.token,
        applicationId: world.fake.applicationId,
        db: world.bot.app.db,
        api: world.fake.api,
        log: createLogger("silent"),
      });
    const port = {
      registry: world.bot.app.bot.registry,
      i18n: world.bot.app.bot.i18n,
      clock: world.bot.app.bot.clock,
      handle: () => Promise.resolve({ kind: "not-command" as const }),
      deliver: () => Promise.resolve(),
      sentKey: () => Promise.resolve(undefined),
    };
    const global = `/applications/${world.fake.applicationId}/commands`;
    for (let i = 0; i < 2; i++) {
      const adapter = make();
      await adapter.start(port);
      await adapter.stop();
    }
    const puts = world.fake.requests.filter((r) => r.method === "PUT" && r.path === global);
    expect(puts).toHaveLength(1);
    for (const c of (puts[0]?.body ?? []) as { contexts: number[]; integration_types: number[] }[]) {
      expect(c.contexts).toEqual([0, 1]);
      expect(c.integration_types).toEqual([0]);
    }
  });
});
