import { ManualClock } from "../../src/core/clock.ts";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../src/adapters/console/console-adapter.ts";
import type { BotPort, DispatchResult } from "../../src/core/adapter.ts";
import type { Invocation } from "../../src/core/command.ts";
import { Registry } from "../../src/core/registry.ts";
import { pollFamily } from "../../commands/poll.ts";
import { action, type OutgoingMessage, paragraph } from "../../src/core/message.ts";

const dir = mkdtempSync(path.join(tmpdir(), "teambot-console-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base: Omit<OutgoingMessage, "blocks"> = {
  audience: { kind: "reply" },
  lang: "en",
  timeZone: "UTC",
  tone: "info",
  actions: [],
  attachments: [],
};

/** A bot stand-in that records invocations and answers with a message offering two buttons. */
function fakeBot(seen: Invocation[]): BotPort {
  return {
    registry: new Registry([pollFamily]),
    i18n: undefined as never,
    clock: new ManualClock("2027-01-12T09:00:00Z"),
    async handle(invocation): Promise<DispatchResult> {
      seen.push(invocation);
      return {
        kind: "ok",
        messages: [
          {
            ...base,
            blocks: [paragraph("Vote?")],
            actions: [action("Tue", "poll vote 7 1", "primary"), action("Wed", "poll vote 7 2")],
            attachments: [{ filename: "../../meeting.ics", contentType: "text/calendar", content: "BEGIN:VCALENDAR" }],
          },
        ],
      };
    },
    deliver: async () => undefined,
    sentKey: async () => undefined,
  };
}

describe("console adapter", () => {
  it("shows buttons as numbered choices and runs the picked command as the current member, as data", async () => {
    const seen: Invocation[] = [];
    const adapter = new ConsoleAdapter({ member: "ann", room: "main", attachmentDir: dir });
    await adapter.start(fakeBot(seen));
    await adapter.say("poll show 7");
    expect(adapter.transcript.at(-1)).toContain("[1] Tue   [2] Wed");
    await adapter.say(":as bob");
    await adapter.say("2");
    expect(seen.at(-1)).toMatchObject({
      member: "console:@bob",
      room: "console:main",
      input: { kind: "structured", path: ["poll", "vote"], values: { pollId: "7", options: ["2"] } },
    });
    await adapter.say("9");
    expect(adapter.transcript.at(-1)).toContain("No choice 9");
  });

  it("writes attachments inside its folder only, whatever the file name says", async () => {
    const adapter = new ConsoleAdapter({ member: "ann", room: "main", attachmentDir: dir });
    await adapter.start(fakeBot([]));
    await adapter.say("x");
    expect(readFileSync(path.join(dir, "meeting.ics"), "utf8")).toBe("BEGIN:VCALENDAR");
  });

  it("switches rooms, direct conversations and the coordinator role", async () => {
    const seen: Invocation[] = [];
    const adapter = new ConsoleAdapter({ member: "ann", room: "main", attachmentDir: dir });
    await adapter.start(fakeBot(seen));
    await adapter.say(":room planning");
    await adapter.say(":coord on");
    await adapter.say("x");
    expect(seen.at(-1)).toMatchObject({ room: "console:planning", isCoordinator: true, isDirect: false });
    await adapter.say(":dm");
    await adapter.say("x");
    expect(seen.at(-1)).toMatchObject({ room: "console:dm-ann", isDirect: true });
    expect(adapter.parseMention("@carla")).toBe("console:@carla");
    expect(adapter.parseMention("@evil name")).toBeUndefined();
  });
});
