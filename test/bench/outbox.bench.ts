import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { Adapter, AdapterCapabilities, DeliveryTarget } from "../../src/core/adapter.ts";
import { createLogger } from "../../src/core/log.ts";
import { type OutgoingMessage, paragraph } from "../../src/core/message.ts";

export const name = "outbox";

const messages = 2_000;
const members = 200;

/** A platform that takes every message at once: what is measured is the outbox's own cost. */
class CountingAdapter implements Adapter {
  readonly name = "bench";
  readonly capabilities: AdapterCapabilities = { buttons: false, nativePolls: false, editMessages: false, maxMessageLength: 2000 };
  sent = 0;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(_target: DeliveryTarget, _message: OutgoingMessage): Promise<string> {
    this.sent += 1;
    return String(this.sent);
  }
  parseMention(): string | undefined {
    return undefined;
  }
}

function message(n: number, to: string): OutgoingMessage {
  return {
    audience: to.includes("/room") ? { kind: "room", room: to } : { kind: "member", member: to },
    lang: "en",
    timeZone: "UTC",
    tone: "info",
    blocks: [paragraph(`message ${n}`)],
    actions: [],
    attachments: [],
  };
}

const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);

/**
 * Outbox throughput: messages per second from written entries to a platform that takes
 * them at once, to one room (one after another: order per conversation) and to 200 members
 * (side by side), next to the bare database write each message needs (marking it sent,
 * one transaction per message so that a crash can resend at most the one in flight).
 */
export async function run(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(path.join(tmpdir(), "teambot-bench-outbox-"));
  try {
    const app = await createApp(loadConfig({ DATABASE_URL: `file:${path.join(dir, "bench.db")}` }), createLogger("silent"));
    const adapter = new CountingAdapter();
    app.bot.addAdapter(adapter);
    await app.bot.start();
    const outbox = app.scheduler.outbox;

    const timed = async (targets: (n: number) => string): Promise<{ writeMs: number; sendMs: number }> => {
      const before = adapter.sent;
      const writeStart = performance.now();
      const list = Array.from({ length: messages }, (_, n) => message(n, targets(n)));
      await app.db.$transaction((tx) => outbox.add(tx, list, { dueAt: new Date() }));
      const writeMs = performance.now() - writeStart;
      const sendStart = performance.now();
      await outbox.drain(new Date());
      const sendMs = performance.now() - sendStart;
      if (adapter.sent - before !== messages) throw new Error(`sent ${adapter.sent - before} of ${messages}`);
      return { writeMs, sendMs };
    };
    const oneRoom = await timed(() => "bench:g/room");
    const manyMembers = await timed((n) => `bench:m${n % members}`);

    // The bare write: one transaction per message that marks one row.
    const ids = (await app.db.outboxEntry.findMany({ select: { id: true }, take: messages })).map((r) => r.id);
    const bareStart = performance.now();
    for (const id of ids) {
      await app.db.$transaction((tx) => tx.$executeRaw`UPDATE "OutboxEntry" SET "attempts" = "attempts" + 1 WHERE "id" = ${id}`);
    }
    const bareMs = performance.now() - bareStart;
    await app.close();

    const bare = perSecond(ids.length, bareMs);
    return {
      messages,
      writeEntriesMs: Math.round(oneRoom.writeMs),
      oneRoomPerSecond: perSecond(messages, oneRoom.sendMs),
      [`${members}MembersPerSecond`]: perSecond(messages, manyMembers.sendMs),
      bareMarkWritesPerSecond: bare,
      ratioBareToOneRoom: Math.round((bare / perSecond(messages, oneRoom.sendMs)) * 10) / 10,
      [`ratioBareTo${members}Members`]: Math.round((bare / perSecond(messages, manyMembers.sendMs)) * 10) / 10,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
