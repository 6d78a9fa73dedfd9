import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FakeHomeserver } from "./fake-homeserver.ts";
import {
  ANN,
  BOB,
  joinedRoom,
  type MatrixBot,
  nthBotMessage,
  pause,
  replyTarget,
  startMatrixBot,
  tempDir,
} from "./matrix-harness.ts";

describe("Matrix adapter against a fake homeserver", () => {
  let fake: FakeHomeserver;
  let temp: ReturnType<typeof tempDir>;
  let bot: MatrixBot | undefined;

  beforeEach(async () => {
    fake = new FakeHomeserver();
    await fake.start();
    temp = tempDir();
  });
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
    await fake.stop();
    temp.remove();
  });

  it("joins on invite, greets, and answers a command as an HTML reply", async () => {
    bot = await startMatrixBot(fake, temp.dir);
    const room = await joinedRoom(fake);
    const greeting = fake.sentByBot(room)[0];
    expect(greeting?.content.body).toContain("!help");
    expect(greeting?.content.format).toBe("org.matrix.custom.html");

    const command = fake.say(room, ANN, "!help");
    const reply = await nthBotMessage(fake, room, 1);
    expect(replyTarget(reply)).toBe(command);
    expect(reply.content.msgtype).toBe("m.text");
    expect(reply.content.format).toBe("org.matrix.custom.html");
    expect(reply.content.formatted_body).toContain("<h3>Teambot-Befehle</h3>");
    expect(reply.content.formatted_body).toContain("<code>settings timezone</code>");
    expect(reply.content.body).toContain("TEAMBOT-BEFEHLE");
    expect(reply.content["m.mentions"]).toEqual({ user_ids: [] });
    expect(fake.unknown.filter((r) => !r.includes("msc4143"))).toEqual([]);
  });
});
