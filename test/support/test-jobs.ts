import { z } from "zod";
import type { Adapter, AdapterCapabilities, DeliveryTarget } from "../../src/core/adapter.ts";
import { type OutgoingMessage, paragraph, time } from "../../src/core/message.ts";
import { renderText } from "../../src/core/render-text.ts";
import { defineJob } from "../../src/scheduler/port.ts";

/** What the "test.echo" job saw each time it ran. */
export interface EchoRun {
  jobId: number;
  text: string;
  dueAt: Date;
  late: boolean;
}

/**
 * A job kind for scheduler tests: posts its text to a room (console by default) and
 * records each run, so a test sees exactly what ran, when it was due and whether late.
 */
export function echoJob(runs: EchoRun[] = []) {
  return {
    runs,
    handler: defineJob({
      kind: "test.echo",
      schema: z.object({ text: z.string(), room: z.string().default("console:main") }),
      async run(payload, info): Promise<OutgoingMessage[]> {
        runs.push({ jobId: info.jobId, text: payload.text, dueAt: info.dueAt, late: info.late });
        const blocks = [paragraph(`echo ${payload.text}`)];
        if (info.late) blocks.push(paragraph("late, due ", time(info.dueAt)));
        return [
          {
            audience: { kind: "room", room: payload.room },
            lang: "en",
            timeZone: "UTC",
            tone: "info",
            blocks,
            actions: [],
            attachments: [],
          },
        ];
      },
    }),
  };
}

/** An adapter whose sends fail the first `failures` times ("flaky:<room>" references). */
export class FlakyAdapter implements Adapter {
  readonly name = "flaky";
  readonly capabilities: AdapterCapabilities = {
    buttons: false,
    nativePolls: false,
    editMessages: false,
    maxMessageLength: 2000,
  };
  readonly sent: OutgoingMessage[] = [];
  attempts = 0;
  failures: number;
  constructor(failures: number) {
    this.failures = failures;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(_target: DeliveryTarget, message: OutgoingMessage): Promise<string> {
    this.attempts++;
    if (this.attempts <= this.failures) throw new Error(`platform refused (attempt ${this.attempts})`);
    this.sent.push(message);
    return String(this.sent.length);
  }
  parseMention(): string | undefined {
    return undefined;
  }
}

/** An adapter ("slow:<room>") whose every send takes `delayMs`, as a platform's round trip does. */
export class SlowAdapter implements Adapter {
  readonly name = "slow";
  readonly capabilities: AdapterCapabilities = { buttons: false, nativePolls: false, editMessages: false, maxMessageLength: 2000 };
  sent = 0;
  /** The first line of every message it took, in order. */
  readonly texts: string[] = [];
  readonly delayMs: number;
  constructor(delayMs: number) {
    this.delayMs = delayMs;
  }
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(_target: DeliveryTarget, message: OutgoingMessage): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, this.delayMs));
    this.texts.push(renderText(message, new Date()).split("\n")[0] ?? "");
    this.sent++;
    return String(this.sent);
  }
  parseMention(): string | undefined {
    return undefined;
  }
}
