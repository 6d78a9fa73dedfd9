import type { Adapter, AdapterCapabilities, BotPort, DeliveryTarget, MemberStatus } from "../core/adapter.ts";
import { ConnectedElsewhere } from "../core/errors.ts";
import type { OutgoingMessage } from "../core/message.ts";

/** The leadership of one platform (src/db/leadership.ts); it calls `onChange` when it changes. */
export interface Lead {
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Asks the leading process to look for work. */
  nudge(): Promise<void>;
}
export type LeadershipFor = (platform: string, onChange: (leading: boolean) => Promise<void>) => Lead;

/**
 * A platform adapter that only the leading process runs (several bot processes on one
 * PostgreSQL database must not each sync Matrix or open Discord's gateway). The others
 * keep it on standby: they know its name and mentions, leave the platform's outbox entries
 * to the leader (nudging it), and a send that comes anyway fails with ConnectedElsewhere. A new
 * adapter is made each time this process takes the lead (a stopped one stays stopped).
 */
export class LeaderOnly implements Adapter {
  readonly name: string;
  readonly capabilities: AdapterCapabilities;
  private readonly make: () => Adapter;
  private readonly leadership: LeadershipFor;
  private lead: Lead | undefined;
  private running: Adapter | undefined;
  /** Answers mentions while standing by (it is never started). */
  private readonly idle: Adapter;

  constructor(make: () => Adapter, leadership: LeadershipFor) {
    this.make = make;
    this.leadership = leadership;
    this.idle = make();
    this.name = this.idle.name;
    this.capabilities = this.idle.capabilities;
  }

  get leading(): boolean {
    return this.running !== undefined;
  }

  async start(bot: BotPort): Promise<void> {
    this.lead = this.leadership(this.name, async (leading) => {
      if (leading) {
        const adapter = this.make();
        try {
          await adapter.start(bot);
        } catch (error) {
          await adapter.stop().catch(() => undefined);
          throw error;
        }
        this.running = adapter;
      } else {
        const adapter = this.running;
        this.running = undefined;
        await adapter?.stop();
      }
    });
    await this.lead.start();
  }

  async stop(): Promise<void> {
    await this.lead?.stop();
  }

  /** Asks the leading process to look for work (after this one wrote messages for its platform). */
  nudge(): Promise<void> {
    return this.lead?.nudge() ?? Promise.resolve();
  }

  send(target: DeliveryTarget, message: OutgoingMessage): Promise<string> {
    if (!this.running) return Promise.reject(new ConnectedElsewhere(this.name));
    return this.running.send(target, message);
  }

  async edit(room: string, messageId: string, message: OutgoingMessage): Promise<void> {
    if (!this.running) throw new ConnectedElsewhere(this.name);
    if (!this.running.edit) throw new Error(`${this.name} cannot edit messages`);
    await this.running.edit(room, messageId, message);
  }

  parseMention(token: string): string | undefined {
    return (this.running ?? this.idle).parseMention(token);
  }

  /** Only the leader can ask the platform about a member; a follower cannot tell. */
  async memberStatus(room: string, member: string): Promise<MemberStatus | undefined> {
    return this.running?.memberStatus?.(room, member);
  }

  /** The leader reports its platform connection; a follower is fine standing by. */
  connected(): boolean {
    return this.running?.connected?.() ?? true;
  }

  /** A follower leaves the platform's messages to the leader (the outbox does not send them here). */
  connectedElsewhere(): boolean {
    return this.running === undefined;
  }
}
