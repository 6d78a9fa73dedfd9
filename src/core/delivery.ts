import type { Db } from "../db/client.ts";
import { asJson } from "../db/json.ts";
import { type Adapter, platformOf } from "./adapter.ts";
import type { Logger } from "./log.ts";
import { type MessageSubject, type OutgoingMessage, subjectOf } from "./message.ts";

/**
 * Sends messages to rooms or members through the adapter their reference belongs to, and
 * remembers keyed room messages so a later message with the key edits them in place.
 */
export class Delivery {
  private readonly db: Db;
  private readonly log: Logger;
  private readonly adapterFor: (name: string) => Adapter | undefined;
  private readonly mayReceive: MayReceive;

  constructor(
    db: Db,
    log: Logger,
    adapterFor: (name: string) => Adapter | undefined,
    mayReceive: MayReceive = () => Promise.resolve(true),
  ) {
    this.db = db;
    this.log = log;
    this.adapterFor = adapterFor;
    this.mayReceive = mayReceive;
  }

  /**
   * Sends each message; failures are logged and recorded, never thrown (the caller's work is
   * done). In order per conversation; conversations side by side (an alert to many members),
   * a few at a time.
   */
  async deliver(messages: readonly OutgoingMessage[]): Promise<void> {
    const queues = new Map<string, OutgoingMessage[]>();
    for (const message of messages) {
      const target = deliveryTarget(message);
      queues.set(target, [...(queues.get(target) ?? []), message]);
    }
    const waiting = [...queues.values()];
    const worker = async (): Promise<void> => {
      for (let queue = waiting.shift(); queue; queue = waiting.shift()) {
        for (const message of queue) {
          try {
            await this.deliverOne(message);
          } catch (error) {
            await this.recordFailure(message, error);
          }
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(deliveryConcurrency, waiting.length) }, worker));
  }

  /** Sends one message; throws when the platform refused it (the scheduler retries). */
  async deliverOne(message: OutgoingMessage): Promise<void> {
    const audience = message.audience;
    if (audience.kind === "reply" || audience.kind === "ephemeral") {
      throw new Error(`a ${audience.kind} message cannot be delivered outside a command`);
    }
    // A private message about a team is withheld from someone who no longer belongs to it.
    if (!(await this.mayReceive(message))) {
      this.log.info({ team: audience.kind === "member" ? audience.team : undefined }, "withheld: not a member any more");
      return;
    }
    const ref = audience.kind === "room" ? audience.room : audience.member;
    const adapter = this.adapterFor(platformOf(ref));
    if (!adapter) throw new Error(`no adapter for ${platformOf(ref) || ref}`);
    const target = audience.kind === "room" ? { room: audience.room } : { member: audience.member };
    if (message.key && audience.kind === "room" && adapter.edit && adapter.capabilities.editMessages) {
      const earlier = await this.db.sentMessage.findUnique({
        where: { key_conversation: { key: message.key, conversation: audience.room } },
      });
      if (earlier) {
        await adapter.edit(audience.room, earlier.messageId, message);
        return;
      }
    }
    const messageId = await adapter.send(target, message);
    if (message.key && audience.kind === "room") {
      await this.db.sentMessage.upsert({
        where: { key_conversation: { key: message.key, conversation: audience.room } },
        create: { key: message.key, conversation: audience.room, messageId },
        update: { messageId },
      });
    }
  }

  /** What a keyed message the bot sent shows, found by the platform's message id. */
  async sentSubject(conversation: string, messageId: string): Promise<MessageSubject | undefined> {
    const row = await this.db.sentMessage.findFirst({ where: { conversation, messageId } });
    return row ? subjectOf(row.key) : undefined;
  }

  async recordFailure(message: OutgoingMessage, error: unknown): Promise<void> {
    const target = deliveryTarget(message);
    this.log.error({ err: error, target }, "delivery failed");
    try {
      await this.db.failedDelivery.create({
        data: {
          target,
          message: asJson(message),
          error: error instanceof Error ? error.message : String(error),
        },
      });
    } catch (dbError) {
      this.log.error({ err: dbError, target }, "could not record failed delivery");
    }
  }
}

/** Whether a message may still go to its audience (the membership check before private deliveries). */
export type MayReceive = (message: OutgoingMessage) => Promise<boolean>;

/** Conversations delivered to at the same time by one `deliver` call. */
const deliveryConcurrency = 16;

/** The room or member a message goes to ("reply"/"ephemeral" for answers). */
function deliveryTarget(message: OutgoingMessage): string {
  const audience = message.audience;
  return audience.kind === "room" ? audience.room : audience.kind === "member" ? audience.member : audience.kind;
}
