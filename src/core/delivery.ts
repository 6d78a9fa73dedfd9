import type { Db } from "../db/client.ts";
import { type Adapter, platformOf } from "./adapter.ts";
import { type MessageSubject, type OutgoingMessage, subjectOf } from "./message.ts";

/**
 * Sends one message through the adapter its reference belongs to, and remembers keyed
 * room messages so a later message with the key edits them in place. Only the outbox
 * calls it (the one way messages leave), so failures are thrown for it to retry.
 */
export class Delivery {
  private readonly db: Db;
  private readonly adapterFor: (name: string) => Adapter | undefined;
  private readonly mayReceive: MayReceive;

  constructor(
    db: Db,
    adapterFor: (name: string) => Adapter | undefined,
    mayReceive: MayReceive = () => Promise.resolve(true),
  ) {
    this.db = db;
    this.adapterFor = adapterFor;
    this.mayReceive = mayReceive;
  }

  /** Sends (or edits) one message; throws when the platform refused it. `key`: see SendOptions. */
  async send(message: OutgoingMessage, key?: string): Promise<void> {
    const audience = message.audience;
    if (audience.kind === "reply" || audience.kind === "ephemeral") {
      throw new Error(`a ${audience.kind} message cannot be delivered outside a command`);
    }
    // A private message about a team is withheld from someone who no longer belongs to it
    // (it counts as handled: it must never go out later either).
    if (!(await this.mayReceive(message))) return;
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
    const messageId = await adapter.send(target, message, key ? { key } : undefined);
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
}

/** Whether a message may still go to its audience (the membership check before private deliveries). */
export type MayReceive = (message: OutgoingMessage) => Promise<boolean>;
