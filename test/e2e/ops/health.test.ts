import { spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type HealthSource, startHealthServer } from "../../../src/ops/health.ts";
import { waitFor } from "../../support/wait.ts";
import { startDiscordWorld } from "../discord/setup.ts";
import { FakeHomeserver } from "../matrix/fake-homeserver.ts";
import { ANN, startMatrixBot, tempDir } from "../matrix/matrix-harness.ts";

const root = path.resolve(import.meta.dirname, "../../..");

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!address || typeof address === "string") throw new Error("no port");
  return address.port;
}

async function get(port: number, route = "/healthz", method = "GET"): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`http://127.0.0.1:${port}${route}`, { method });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

describe("the health check", () => {
  it("answers 200 when the database answers and every platform is connected, 503 otherwise", async () => {
    let database = true;
    let discord = true;
    const source: HealthSource = {
      pingDatabase: () => (database ? Promise.resolve() : Promise.reject(new Error("gone"))),
      adapters: () => ({ discord, matrix: true }),
    };
    const server = await startHealthServer(0, source);
    try {
      expect(await get(server.port)).toEqual({
        status: 200,
        body: { status: "ok", database: "ok", adapters: { discord: "connected", matrix: "connected" } },
      });
      discord = false;
      expect(await get(server.port)).toEqual({
        status: 503,
        body: { status: "unhealthy", database: "ok", adapters: { discord: "disconnected", matrix: "connected" } },
      });
      discord = true;
      database = false;
      expect(await get(server.port)).toMatchObject({ status: 503, body: { database: "unreachable" } });
      expect((await get(server.port, "/other")).status).toBe(404);
      expect((await get(server.port, "/healthz", "POST")).status).toBe(405);
      expect((await get(server.port, "/healthz", "HEAD")).status).toBe(503);
    } finally {
      await server.close();
    }
  });

  it("counts a database that does not answer in time as unreachable", async () => {
    const stuck = { pingDatabase: () => new Promise<void>(() => undefined), adapters: () => ({}) };
    const server = await startHealthServer(0, stuck, { databaseTimeoutMs: 100 });
    try {
      expect(await get(server.port)).toMatchObject({ status: 503, body: { database: "unreachable" } });
    } finally {
      await server.close();
    }
  });

  it("says clearly when its port is taken", async () => {
    const first = await startHealthServer(0, { pingDatabase: () => Promise.resolve(), adapters: () => ({}) });
    try {
      await expect(startHealthServer(first.port, { pingDatabase: () => Promise.resolve(), adapters: () => ({}) })).rejects.toThrow(
        /cannot listen on 127\.0\.0\.1:\d+ \(EADDRINUSE\): choose another HEALTH_PORT/,
      );
    } finally {
      await first.close();
    }
  });

  it("sees the Discord gateway drop and come back", async () => {
    const world = await startDiscordWorld();
    try {
      expect(world.discord.connected()).toBe(true);
      const sessions = world.fake.identifies + world.fake.resumes;
      world.fake.dropConnections();
      await waitFor(() => !world.discord.connected(), 5_000);
      await world.fake.waitForSessions(sessions + 1);
      await waitFor(() => world.discord.connected(), 10_000);
    } finally {
      await world.close();
    }
    expect(world.discord.connected()).toBe(false);
  }, 30_000);

  it("sees the Matrix homeserver go away and come back", async () => {
    const fake = new FakeHomeserver();
    await fake.start();
    const temp = tempDir();
    const bot = await startMatrixBot(fake, temp.dir);
    try {
      expect(bot.adapter.connected()).toBe(true);
      await fake.stop();
      await waitFor(() => !bot.adapter.connected(), 10_000);
      await fake.start();
      await waitFor(() => bot.adapter.connected(), 15_000);
    } finally {
      await bot.close();
      await fake.stop();
      temp.remove();
    }
  }, 40_000);

  it("runs beside the bot on HEALTH_PORT, and the checks at start log one summary line", async () => {
    const fake = new FakeHomeserver();
    await fake.start();
    const room = fake.createRoom({ name: "Team", creator: ANN });
    fake.invite(room, ANN);
    const temp = tempDir();
    const port = await freePort();
    const child = spawn(process.execPath, ["src/main.ts"], {
      cwd: root,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: `file:${path.join(temp.dir, "bot.db")}`,
        HEALTH_PORT: String(port),
        LOG_LEVEL: "info",
        MATRIX_HOMESERVER_URL: fake.url,
        MATRIX_USER_ID: fake.botUserId,
        MATRIX_PASSWORD: fake.password,
        MATRIX_STORE_PATH: path.join(temp.dir, "matrix-session.bin"),
        MATRIX_STORE_KEY: "health-test-store-key-0123456789abcdef",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => {
      stderr += d.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    try {
      await waitFor(() => stderr.includes("checks at start:"), 30_000);
      const summaries = stderr.split("\n").filter((l) => l.includes("checks at start:"));
      expect(summaries).toHaveLength(1);
      const summary = JSON.parse(summaries[0] ?? "{}") as { level: number; msg: string; notes: string[] };
      expect(summary).toMatchObject({ level: 30, msg: expect.stringMatching(/^checks at start: \d+ ok, 0 problems$/), notes: [] });
      // The checks used the bot's own session: one login, no second device.
      expect(fake.requests.filter((r) => r === "POST /_matrix/client/v3/login")).toHaveLength(1);
      expect(fake.requests).toContain("GET /_matrix/client/v3/joined_rooms");
      expect(await get(port)).toEqual({ status: 200, body: { status: "ok", database: "ok", adapters: { matrix: "connected" } } });
      await fake.stop();
      await waitFor(async () => (await get(port)).status === 503, 15_000);
      expect(await get(port)).toEqual({ status: 503, body: { status: "unhealthy", database: "ok", adapters: { matrix: "disconnected" } } });
    } finally {
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      await fake.stop();
      temp.remove();
    }
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  }, 60_000);
});
