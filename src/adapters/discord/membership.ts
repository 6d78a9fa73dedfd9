import { type Client, DiscordAPIError, PermissionFlagsBits, RESTJSONErrorCodes } from "discord.js";
import type { MemberStatus } from "../../core/adapter.ts";

const roomParts = /^discord:(\d{1,25})\/(\d{1,25})(?:\/\d{1,25})?$/;
const coordinatorPermissions = [PermissionFlagsBits.ManageGuild, PermissionFlagsBits.ManageChannels];

/**
 * Discord's word on a member of a room now: asked of Discord (the member, fresh, over REST;
 * the Server Members intent stays off, so removals arrive no other way), then the channel's
 * View Channel permission for them from the cached roles and overwrites (kept current by
 * the gateway). A thread is judged by its channel. Undefined when Discord cannot tell.
 */
export async function discordMemberStatus(
  client: Client | undefined,
  room: string,
  member: string,
): Promise<MemberStatus | undefined> {
  const parts = roomParts.exec(room);
  const userId = /^discord:(\d{1,25})$/.exec(member)?.[1];
  const guild = parts?.[1] ? client?.guilds.cache.get(parts[1]) : undefined;
  if (!parts?.[2] || !userId || !guild) return undefined;
  let found;
  try {
    found = await guild.members.fetch({ user: userId, force: true });
  } catch (error) {
    if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownMember) {
      return { present: false, how: "removed" };
    }
    return undefined;
  }
  const channel = guild.channels.cache.get(parts[2]);
  if (!channel || channel.isThread()) return { present: true, coordinator: found.permissions.any(coordinatorPermissions) };
  const permissions = channel.permissionsFor(found);
  if (!permissions.has(PermissionFlagsBits.ViewChannel)) return { present: false, how: "lostAccess" };
  return { present: true, coordinator: permissions.any(coordinatorPermissions) };
}
