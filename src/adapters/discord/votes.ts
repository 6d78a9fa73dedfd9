import { type Client, PermissionFlagsBits } from "discord.js";
import { z } from "zod";
import type { BotPort } from "../../core/adapter.ts";
import type { PollVoteChange } from "../../core/command.ts";
import type { OutgoingMessage } from "../../core/message.ts";

/** A native poll vote as the gateway sends it (MESSAGE_POLL_VOTE_ADD / _REMOVE). */
export const voteSchema = z.object({
  t: z.enum(["MESSAGE_POLL_VOTE_ADD", "MESSAGE_POLL_VOTE_REMOVE"]),
  d: z.object({
    user_id: z.string(),
    channel_id: z.string(),
    message_id: z.string(),
    guild_id: z.string().optional(),
    answer_id: z.number().int().positive(),
  }),
});
export type Vote = z.infer<typeof voteSchema>;

interface VoteContext {
  bot: BotPort;
  client: Client;
  adapter: {
    rooms: { resolve(guildId: string | undefined, channelId: string): Promise<string> };
    sendPrivately(member: string, messages: OutgoingMessage[]): Promise<void>;
  };
}

/** How the vote changed the member's choice (answer ids are "1".."N" in order, as the poll was sent). */
export function voteChange(vote: Vote): PollVoteChange {
  const answer = String(vote.d.answer_id);
  return vote.t === "MESSAGE_POLL_VOTE_ADD" ? { kind: "add", answer } : { kind: "remove", answer };
}

/** Who voted: their display name and coordinator status, as far as Discord tells us. */
async function voter(client: Client, guildId: string | undefined, userId: string) {
  try {
    const guild = guildId ? client.guilds.cache.get(guildId) : undefined;
    if (guild) {
      const member = await guild.members.fetch(userId);
      return {
        name: member.displayName,
        isCoordinator: member.permissions.any([
          PermissionFlagsBits.ManageGuild,
          PermissionFlagsBits.ManageChannels,
        ]),
      };
    }
  } catch {
    // Fall back to the user below.
  }
  try {
    const user = await client.users.fetch(userId);
    return { name: user.displayName, isCoordinator: false };
  } catch {
    return { name: userId, isCoordinator: false };
  }
}

/**
 * Hands a native vote to the core as the voter: which poll message, and how the vote changed.
 * The platform already shows the vote, so success stays silent; a refusal (poll closed, too
 * many answers) goes to them privately.
 */
export async function handleVote(vote: Vote, ctx: VoteContext): Promise<void> {
  // A thread that is not cached (archived, private) is looked up, so its votes find its poll.
  const room = await ctx.adapter.rooms.resolve(vote.d.guild_id, vote.d.channel_id);
  const poll = await ctx.bot.sentKey(room, vote.d.message_id);
  if (!poll) return;
  const who = await voter(ctx.client, vote.d.guild_id, vote.d.user_id);
  const member = `discord:${vote.d.user_id}`;
  const result = await ctx.bot.handle({
    platform: "discord",
    room,
    isDirect: !vote.d.guild_id,
    member,
    memberName: who.name,
    isCoordinator: who.isCoordinator,
    input: { kind: "poll-vote", poll, change: voteChange(vote) },
  });
  if (result.kind === "user-error" || result.kind === "internal-error") {
    await ctx.adapter.sendPrivately(member, result.messages);
  }
}
