import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ApplicationFlags, GatewayIntentBits, PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../../src/config.ts";
import { openDatabase } from "../../../src/db/client.ts";
import { type Check, hasProblems } from "../../../src/ops/checks.ts";
import { requiredPermissions } from "../../../src/ops/doctor-discord.ts";
import { runDoctor } from "../../../src/ops/doctor.ts";
import { FakeDiscord } from "../discord/fake-discord.ts";
import { FakeHomeserver } from "../matrix/fake-homeserver.ts";

const ANN = "@ann:fake.test";
const dir = mkdtempSync(path.join(tmpdir(), "teambot-doctor-"));
const dataDir = path.join(dir, "data");
const databaseUrl = `file:${path.join(dataDir, "teambot.db")}`;
const discord = new FakeDiscord();
const matrix = new FakeHomeserver();
let teamRoom = "";
let otherRoom = "";

beforeAll(async () => {
  await discord.start();
  await matrix.start();
  teamRoom = matrix.createRoom({ name: "Welcome team", creator: ANN });
  matrix.invite(teamRoom, ANN);
  matrix.join(teamRoom, matrix.botUserId);
  otherRoom = matrix.createRoom({ name: "Coffee", creator: ANN });
  matrix.invite(otherRoom, ANN);
  matrix.join(otherRoom, matrix.botUserId);
  // A database with a team on each platform, private to its owner as in production.
  const db = await openDatabase(databaseUrl);
  await db.team.create({ data: { ref: `discord:${discord.guildId}/${discord.channelId}` } });
  await db.team.create({ data: { ref: `matrix:${teamRoom}` } });
  await db.$disconnect();
  chmodSync(dataDir, 0o700);
  chmodSync(path.join(dataDir, "teambot.db"), 0o600);
});

afterAll(async () => {
  await discord.close();
  await matrix.stop();
  rmSync(dir, { recursive: true, force: true });
});

function env(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_GUILD_ID: discord.guildId,
    MATRIX_HOMESERVER_URL: matrix.url,
    MATRIX_ACCESS_TOKEN: matrix.accessToken,
    MATRIX_STORE_KEY: "doctor-test-store-key-0123456789abcdef",
    ...overrides,
  };
}

async function doctor(
  overrides: Record<string, string> = {},
  intents?: readonly GatewayIntentBits[],
): Promise<Check[]> {
  return runDoctor({
    config: loadConfig(env(overrides)),
    discordApi: discord.api,
    ...(intents ? { discordIntents: intents } : {}),
  });
}

function line(checks: Check[], topic: string): Check | undefined {
  return checks.find((c) => c.topic === topic);
}

function problems(checks: Check[]): string[] {
  return checks.filter((c) => c.status === "fail").map((c) => `${c.topic}: ${c.text}`);
}

describe("npm run doctor against the fake Discord and homeserver", () => {
  it("reports every check ok for a healthy setup", async () => {
    const checks = await doctor();
    expect(problems(checks)).toEqual([]);
    expect(hasProblems(checks)).toBe(false);
    expect(line(checks, "database")?.text).toMatch(/all \d+ migrations applied/);
    expect(line(checks, "database writes")?.status).toBe("ok");
    expect(line(checks, "permissions")?.status).toBe("ok");
    expect(line(checks, "discord token")?.text).toContain(`the bot is Teambot (${discord.applicationId})`);
    expect(line(checks, "discord application")?.status).toBe("ok");
    expect(line(checks, "discord intents")?.text).toBe("Guilds, GuildMessagePolls, DirectMessagePolls (none privileged)");
    expect(line(checks, "discord permissions")?.status).toBe("ok");
    expect(line(checks, "discord channels")?.text).toContain("all 1 team channels");
    expect(line(checks, "matrix token")?.text).toContain(matrix.botUserId);
    expect(line(checks, "matrix rooms")?.text).toBe("reads and may post in all 2 rooms");
    // The doctor changed nothing: its write check was rolled back.
    const db = await openDatabase(databaseUrl, { migrate: false });
    expect(await db.$queryRawUnsafe(`SELECT id FROM "_prisma_migrations" WHERE id = 'doctor-write-check'`)).toEqual([]);
    await db.$disconnect();
  });

  it("says what to do about wrong tokens", async () => {
    const checks = await doctor({ DISCORD_TOKEN: "not-the-token", MATRIX_ACCESS_TOKEN: "expired" });
    expect(line(checks, "discord token")).toMatchObject({ status: "fail", text: expect.stringMatching(/refused DISCORD_TOKEN \(401\): reset the token/) });
    expect(line(checks, "matrix token")).toMatchObject({
      status: "fail",
      text: expect.stringMatching(/refused the bot's token \(401 M_UNKNOWN_TOKEN .*\): log in again/),
    });
    expect(checks.some((c) => c.topic.startsWith("discord ") && c.topic !== "discord token")).toBe(false);
    expect(hasProblems(checks)).toBe(true);
  });

  it("names a privileged intent the application has not turned on", async () => {
    const needsMembers = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMembers];
    const missing = await doctor({}, needsMembers);
    expect(line(missing, "discord intents")).toMatchObject({
      status: "fail",
      text: expect.stringMatching(/^turn on Server Members Intent on the Developer Portal's Bot page/),
    });
    discord.applicationFlags = ApplicationFlags.GatewayGuildMembersLimited;
    try {
      expect(line(await doctor({}, needsMembers), "discord intents")?.status).toBe("ok");
    } finally {
      discord.applicationFlags = 0;
    }
  });

  it("names missing permissions, a wrong application id and a channel the bot cannot see", async () => {
    discord.botPermissions = String(requiredPermissions & ~PermissionFlagsBits.SendPolls & ~PermissionFlagsBits.EmbedLinks);
    discord.refusing.add(discord.channelId);
    try {
      const checks = await doctor({ DISCORD_APPLICATION_ID: "100000000000000999" });
      expect(line(checks, "discord permissions")?.text).toMatch(/in Migration team \(\d+\) it lacks Embed Links, Send Polls: give its role/);
      expect(line(checks, "discord application")?.text).toContain(`set it to ${discord.applicationId}`);
      expect(line(checks, "discord channel")?.text).toMatch(/cannot see channel \d+ in Migration team, where a team works: allow it View Channel/);
    } finally {
      discord.botPermissions = String(requiredPermissions);
      discord.refusing.delete(discord.channelId);
    }
  });

  it("names the rooms the bot cannot read or post in, and encrypted ones as unknown", async () => {
    const gone = matrix.createRoom({ name: "Old team", creator: ANN });
    matrix.invite(gone, ANN);
    matrix.join(gone, matrix.botUserId);
    matrix.emit(gone, ANN, "m.room.member", { membership: "leave" }, matrix.botUserId); // kicked
    const quiet = matrix.createRoom({ name: "Announcements", creator: ANN, powerLevels: {} });
    matrix.emit(quiet, ANN, "m.room.power_levels", { users: { [ANN]: 100 }, events_default: 50 }, "");
    matrix.invite(quiet, ANN);
    matrix.join(quiet, matrix.botUserId);
    const secret = matrix.createRoom({ name: "Casework", creator: ANN, encrypted: true });
    matrix.invite(secret, ANN);
    matrix.join(secret, matrix.botUserId);
    matrix.fail("GET", new RegExp(`/rooms/${otherRoom.replace(/[$.]/g, "\\$&")}/state$`), 403, { errcode: "M_FORBIDDEN", error: "no" });
    const db = await openDatabase(databaseUrl);
    await db.team.create({ data: { ref: `matrix:${gone}` } });
    await db.$disconnect();

    const checks = await doctor();
    const rooms = checks.filter((c) => c.topic === "matrix room").map((c) => c.text);
    expect(rooms).toContainEqual(`the bot cannot read ${gone} (a team's room): it is not a member any more; invite it again`);
    expect(rooms).toContainEqual(expect.stringMatching(new RegExp(`cannot read ${otherRoom.replace(/[$.]/g, "\\$&")} \\(403 M_FORBIDDEN no\\)`)));
    expect(rooms).toContainEqual(`the bot may not post in "Announcements" ${quiet}: it has power level 0, posting needs 50`);
    expect(line(checks, "matrix encryption")).toMatchObject({ status: "unknown", text: expect.stringContaining(`"Casework" ${secret}`) });
    expect(hasProblems(checks)).toBe(true);
  });

  it("logs in with a password as a device of its own and leaves the bot's session alone", async () => {
    const before = matrix.requests.length;
    const checks = await doctor({ MATRIX_ACCESS_TOKEN: "", MATRIX_USER_ID: matrix.botUserId, MATRIX_PASSWORD: matrix.password });
    expect(line(checks, "matrix token")?.text).toContain("(device TEAMBOT-DOCTOR)");
    const calls = matrix.requests.slice(before);
    expect(calls).toContain("POST /_matrix/client/v3/login");
    expect(calls.at(-1)).toBe("POST /_matrix/client/v3/logout");
    // The bot's own token still works.
    const whoami = await fetch(`${matrix.url}/_matrix/client/v3/account/whoami`, { headers: { authorization: `Bearer ${matrix.accessToken}` } });
    expect(whoami.status).toBe(200);
    const wrong = await doctor({ MATRIX_ACCESS_TOKEN: "", MATRIX_USER_ID: matrix.botUserId, MATRIX_PASSWORD: "wrong" });
    expect(line(wrong, "matrix login")?.text).toMatch(/refused MATRIX_USER_ID and MATRIX_PASSWORD \(403 M_FORBIDDEN/);
  });

  it("says when the homeserver cannot be reached", async () => {
    const checks = await doctor({ MATRIX_HOMESERVER_URL: "http://127.0.0.1:9" });
    expect(line(checks, "matrix homeserver")).toMatchObject({
      status: "fail",
      text: expect.stringMatching(/^http:\/\/127\.0\.0\.1:9 is unreachable \(.*\): check MATRIX_HOMESERVER_URL/),
    });
  });
});
