import { ChannelType, type Client, PermissionFlagsBits, Routes } from "discord.js";
import { z } from "zod";

/**
 * Rooms are "discord:<guild>/<channel>" and, for a thread, "discord:<guild>/<channel>/<thread>",
 * so a thread is its own team. A thread's channel is read from the interaction payload
 * (`channel.parent_id`, present whether or not discord.js has the thread cached: archived
 * threads leave the cache, private ones the bot was not added to never enter it), from
 * rooms the bot sent to, from the cache, and as a last resort asked of Discord.
 */
const roomPattern = /^discord:([^/]+)\/(\d{1,25})(?:\/(\d{1,25}))?$/;
const threadTypes: ReadonlySet<number> = new Set([
  ChannelType.AnnouncementThread,
  ChannelType.PublicThread,
  ChannelType.PrivateThread,
]);

/** The parts of an INTERACTION_CREATE payload discord.js does not keep for uncached channels. */
export const rawInteractionSchema = z.object({
  t: z.literal("INTERACTION_CREATE"),
  d: z.object({
    id: z.string(),
    channel: z
      .object({ id: z.string(), type: z.number().int(), parent_id: z.string().nullish(), name: z.string().optional() })
      .optional(),
    app_permissions: z.string().regex(/^\d+$/).optional(),
  }),
});
export type RawInteraction = z.infer<typeof rawInteractionSchema>["d"];

const fetchedChannelSchema = z.object({ id: z.string(), type: z.number().int(), parent_id: z.string().nullish() });

/** The channel (or thread) id a room posts into. */
export function channelOf(room: string): string {
  const match = roomPattern.exec(room);
  if (!match) throw new Error(`not a Discord room reference: ${room}`);
  return match[3] ?? match[2] ?? "";
}

export function isThreadRoom(room: string): boolean {
  return roomPattern.exec(room)?.[3] !== undefined;
}

/** What the bot must be allowed in a channel to post there. */
export function postPermissions(thread: boolean): bigint {
  return PermissionFlagsBits.ViewChannel | (thread ? PermissionFlagsBits.SendMessagesInThreads : PermissionFlagsBits.SendMessages);
}

export class Rooms {
  /** Channel id -> its parent when it is a thread, null when it is not. */
  private readonly parents = new Map<string, string | null>();

  private readonly client: () => Client | undefined;

  constructor(client: () => Client | undefined) {
    this.client = client;
  }

  /** Remembers what an interaction payload says about its channel. */
  learn(channel: { id: string; type: number; parent_id?: string | null | undefined }): void {
    this.parents.set(channel.id, threadTypes.has(channel.type) ? (channel.parent_id ?? null) : null);
  }

  /** Remembers the thread of a room the bot posts to. */
  learnRoom(room: string): void {
    const match = roomPattern.exec(room);
    if (match?.[3] && match[2]) this.parents.set(match[3], match[2]);
  }

  /** A room reference from what is known now (interactions: their payload was learned first). */
  roomRef(guildId: string | null | undefined, channelId: string): string {
    if (!guildId) return `discord:@me/${channelId}`;
    const parent = this.parents.has(channelId) ? this.parents.get(channelId) : this.cachedParent(channelId);
    return parent ? `discord:${guildId}/${parent}/${channelId}` : `discord:${guildId}/${channelId}`;
  }

  /** A room reference, asking Discord for the channel when nothing else knows it (votes in uncached threads). */
  async resolve(guildId: string | null | undefined, channelId: string): Promise<string> {
    if (guildId && !this.parents.has(channelId) && this.cachedParent(channelId) === undefined) {
      try {
        const rest = this.client()?.rest;
        if (rest) this.learn(fetchedChannelSchema.parse(await rest.get(Routes.channel(channelId))));
      } catch {
        // Unknown or invisible channel: taken as a channel of its own below.
      }
    }
    return this.roomRef(guildId, channelId);
  }

  private cachedParent(channelId: string): string | null | undefined {
    const channel = this.client()?.channels.cache.get(channelId);
    if (!channel) return undefined;
    return channel.isThread() ? channel.parentId : null;
  }
}
