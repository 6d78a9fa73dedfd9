import { type ChildProcess, spawn } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { projectRoot } from "../../../src/db/client.ts";
import { FakeHomeserver } from "./fake-homeserver.ts";
import { ANN, nthBotMessage, replyTarget, tempDir } from "./matrix-harness.ts";

describe("npm start with Matrix credentials", () => {
  let child: ChildProcess | undefined;
  const fake = new FakeHomeserver();
  const temp = tempDir();

  afterEach(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await fake.stop();
    temp.remove();
  });

  it("starts the Matrix adapter from the environment, answers, and stops on SIGTERM", async () => {
    await fake.start();
    const room = fake.createRoom({ name: "Team", creator: ANN });
    fake.invite(room, ANN);
    let stderr = "";
    child = spawn(process.execPath, ["src/main.ts"], {
      cwd: projectRoot,
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: `file:${path.join(temp.dir, "main.db")}`,
        LOG_LEVEL: "warn",
        MATRIX_HOMESERVER_URL: fake.url,
        MATRIX_USER_ID: fake.botUserId,
        MATRIX_PASSWORD: fake.password,
        MATRIX_STORE_PATH: path.join(temp.dir, "session.bin"),
        MATRIX_STORE_KEY: "a-store-key-for-this-test-only-0123456789",
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    await fake.waitFor(() => fake.membership(room, fake.botUserId) === "join", 15_000, "the bot to join");
    const command = fake.say(room, ANN, "!settings");
    const reply = await nthBotMessage(fake, room, 1);
    expect(replyTarget(reply)).toBe(command);
    const exited = new Promise<number | null>((resolve) => child?.once("exit", (code) => resolve(code)));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(stderr).not.toContain('"level":50');
    // The session (token, device, keys) is kept for the next start: private to the bot's user.
    expect(statSync(path.join(temp.dir, "session.bin")).mode & 0o777).toBe(0o600);
    expect(stderr).not.toContain("a-store-key-for-this-test-only");
  }, 30_000);
});
