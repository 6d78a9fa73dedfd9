import { DiscordAPIError, type REST, RESTJSONErrorCodes, Routes } from "discord.js";
import { z } from "zod";
import type { DeliveryTarget } from "../../core/adapter.ts";
import { UndeliverableError } from "../../core/errors.ts";
import type { Logger } from "../../core/log.ts";
import type { OutgoingMessage } from "../../core/message.ts";
import type { DmChannels } from "./dm-channels.ts";
import type { Pacer } from "./pacer.ts";
import { isNativePollSize, type MessageBody, type RenderOptions, type Rendered, render } from "./render.ts";
import { channelOf, type Rooms } from "./rooms.ts";
import type { DiscordStore } from "./store.ts";

const messageSchema = z.object({ id: z.string() });
const memberPattern = /^discord:(\d{5,25})$/;

/** Discord's errors carry the request body; logs and records must not (it is people's text). */
export function withoutContent(error: unknown): Error {
  if (error instanceof DiscordAPIError) {
    return new Error(`Discord refused the request: ${error.status} ${String(error.code)} ${error.message}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

export interface OutgoingDeps {
  rest: () => REST;
  /** Paces every post, edit and deletion (and DM openings) below Discord's global limit. */
  pacer: Pacer;
  store: DiscordStore;
  dms: DmChannels;
  rooms: Rooms;
  log: Logger;
  now: () => Date;
  /** How to render for a channel (native polls only where the bot may create them). */
  renderOptions: (channelId: string) => RenderOptions;
  /** Tells a member once that their DMs are closed. */
  tellDmsClosed: (userId: string) => Promise<void>;
}

/**
 * Posting and editing. A message longer than Discord allows goes out in parts; the bot
 * knows it by its last part (which carries the buttons or the poll) and keeps the other
 * parts' ids, so an edit replaces every part. Sends to one member go to their stored DM
 * channel; sends to many run side by side, paced by discord.js's per-route queues and a
 * global limit below Discord's.
 */
export class Outgoing {
  private readonly deps: OutgoingDeps;

  constructor(deps: OutgoingDeps) {
    this.deps = deps;
  }

  /** The REST client, once the pacer lets the next request go. */
  private async rest(): Promise<REST> {
    await this.deps.pacer.wait();
    return this.deps.rest();
  }

  /** `key`: the same for each try of one message; Discord keeps a nonce a few minutes and creates the message once. */
  async send(target: DeliveryTarget, message: OutgoingMessage, key?: string): Promise<string> {
    if ("room" in target) {
      this.deps.rooms.learnRoom(target.room);
      const channelId = channelOf(target.room);
      return this.post(channelId, render(message, this.deps.now(), this.deps.renderOptions(channelId)), key);
    }
    const userId = memberPattern.exec(target.member)?.[1];
    if (!userId) throw new Error(`not a Discord member reference: ${target.member}`);
    const { dms } = this.deps;
    if (dms.closedLately(await dms.state(userId))) {
      throw new UndeliverableError("Discord: the member does not accept direct messages");
    }
    const channelId = await dms.channelFor(userId);
    try {
      return await this.post(channelId, render(message, this.deps.now(), this.deps.renderOptions(channelId)), key);
    } catch (error) {
      if (!(error instanceof DiscordAPIError) || error.code !== RESTJSONErrorCodes.CannotSendMessagesToThisUser) {
        throw withoutContent(error);
      }
      if (await dms.refused(userId)) await this.deps.tellDmsClosed(userId).catch((e: unknown) => {
        this.deps.log.warn({ err: withoutContent(e) }, "discord: could not tell a member their DMs are closed");
      });
      throw new UndeliverableError("Discord: the member does not accept direct messages (50007)");
    }
  }

  /** Posts the parts in order (each with its own nonce); returns the last part's id. */
  private async post(channelId: string, rendered: Rendered, key?: string): Promise<string> {
    const ids: string[] = [];
    for (const [i, body] of rendered.bodies.entries()) {
      const files = i === rendered.bodies.length - 1 ? rendered.files : [];
      const once = key ? { nonce: `${key}.${i}`.slice(-25), enforce_nonce: true } : {};
      ids.push(await this.create(channelId, { ...body, ...once }, files));
    }
    const handle = ids.at(-1) ?? "";
    if (ids.length > 1) await this.deps.store.saveParts(handle, channelId, ids);
    return handle;
  }

  private async create(
    channelId: string,
    body: MessageBody & { nonce?: string; enforce_nonce?: boolean },
    files: Rendered["files"] = [],
  ): Promise<string> {
    try {
      const rest = await this.rest();
      return messageSchema.parse(await rest.post(Routes.channelMessages(channelId), { body, files })).id;
    } catch (error) {
      if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.CannotSendMessagesToThisUser) throw error;
      throw withoutContent(error);
    }
  }

  private async patch(channelId: string, messageId: string, body: MessageBody): Promise<void> {
    const { content, allowed_mentions, components } = body;
    const rest = await this.rest();
    await rest
      .patch(Routes.channelMessage(channelId, messageId), { body: { content, allowed_mentions, components: components ?? [] } })
      .catch((error: unknown) => {
        throw withoutContent(error);
      });
  }

  async edit(room: string, messageId: string, message: OutgoingMessage): Promise<void> {
    const channelId = channelOf(room);
    // A poll Discord shows natively cannot be edited, only ended; one shown as text is edited as text.
    const options = this.deps.renderOptions(channelId);
    if (message.poll && isNativePollSize(message.poll) && options.nativePolls !== false) {
      if (!message.poll.ended) return;
      try {
        await (await this.rest()).post(Routes.expirePoll(channelId, messageId));
      } catch (error) {
        // Already ended (by its duration or an earlier close): the result is still posted below.
        this.deps.log.info({ err: withoutContent(error), room }, "discord poll already ended");
      }
      // The final result (the bot's count, which is the source of truth) as a message of its own.
      if (message.blocks.length > 0) await this.post(channelId, render({ ...message, poll: undefined }, this.deps.now(), options));
      return;
    }
    const bodies = render(message, this.deps.now(), options).bodies;
    const parts = (await this.deps.store.parts(messageId)) ?? [messageId];
    const last = bodies.length - 1;
    if (bodies.length <= parts.length) {
      // Fewer or as many parts: the first ones in place, the last (with the buttons) in the last message.
      const kept = [...parts.slice(0, last), parts.at(-1) ?? messageId];
      for (const [i, body] of bodies.entries()) await this.patch(channelId, kept[i] ?? messageId, body);
      for (const extra of parts.slice(last, -1)) {
        await (await this.rest()).delete(Routes.channelMessage(channelId, extra)).catch((error: unknown) => {
          this.deps.log.warn({ err: withoutContent(error) }, "discord: could not delete a surplus part");
        });
      }
      await this.deps.store.saveParts(messageId, channelId, kept);
      return;
    }
    // More parts than before: every existing one is edited in order, the rest follow as new messages.
    const all = [...parts];
    for (const [i, id] of parts.entries()) {
      const body = bodies[i];
      if (body) await this.patch(channelId, id, { ...body, components: [] });
    }
    for (const body of bodies.slice(parts.length)) all.push(await this.create(channelId, body));
    await this.deps.store.saveParts(messageId, channelId, all);
  }
}
