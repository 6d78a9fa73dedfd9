import type { Adapter, AdapterCapabilities, BotPort, DeliveryTarget, DispatchResult } from "../../src/core/adapter.ts";
import { UndeliverableError } from "../../src/core/errors.ts";
import type { OutgoingMessage } from "../../src/core/message.ts";
import { renderText } from "../../src/core/render-text.ts";

/** What the platform did with one send. */
export interface Sent {
  to: string;
  text: string;
}

/**
 * A chat platform "chat:" whose outage a test controls: it refuses sends (`refusing`, or
 * per target with `refuses`), is disconnected (`down`: its `connected()` says so), or a
 * member does not take private messages (`closed`). Members say commands through it, as
 * on any platform; what it showed is in `sent`, in order.
 */
export class OutageAdapter implements Adapter {
  readonly name = "chat";
  readonly capabilities: AdapterCapabilities = {
    buttons: false,
    nativePolls: false,
    editMessages: false,
    maxMessageLength: 10_000,
  };
  readonly sent: Sent[] = [];
  /** Every send that reached the platform, refused or not. */
  attempts = 0;
  refusing = false;
  refuses: (target: string) => boolean = () => false;
  down = false;
  readonly closed = new Set<string>();
  private bot: BotPort | undefined;
  private readonly now: () => Date;

  constructor(now: () => Date) {
    this.now = now;
  }

  async start(bot: BotPort): Promise<void> {
    this.bot = bot;
  }
  async stop(): Promise<void> {}

  connected(): boolean {
    return !this.down;
  }

  async send(target: DeliveryTarget, message: OutgoingMessage): Promise<string> {
    this.attempts++;
    const to = "room" in target ? target.room : target.member;
    if (this.down || this.refusing || this.refuses(to)) throw new Error(`chat refused (${to})`);
    if (this.closed.has(to)) throw new UndeliverableError("chat: the member does not accept private messages");
    this.sent.push({ to, text: renderText(message, this.now()) });
    return String(this.sent.length);
  }

  parseMention(token: string): string | undefined {
    return /^@[a-z]+$/.test(token) ? `chat:${token}` : undefined;
  }

  /** A member says a line in the team room "chat:room" (or privately, `room: "chat:dm-<name>"`). */
  say(member: string, line: string, options: { room?: string; coordinator?: boolean } = {}): Promise<DispatchResult> {
    if (!this.bot) throw new Error("chat adapter not started");
    const room = options.room ?? "chat:room";
    return this.bot.handle({
      platform: "chat",
      room,
      roomName: room.slice("chat:".length),
      isDirect: room.startsWith("chat:dm-"),
      member: `chat:@${member}`,
      memberName: member,
      isCoordinator: options.coordinator ?? false,
      input: { kind: "text", text: line, requirePrefix: false },
    });
  }

  /** What one conversation received, in order. */
  to(conversation: string): string[] {
    return this.sent.filter((s) => s.to === conversation).map((s) => s.text);
  }
}

/** The text of a dispatch result's answers. */
export function answerText(result: DispatchResult, now: Date): string {
  return result.kind === "not-command" ? "" : result.messages.map((m) => renderText(m, now)).join("\n");
}
