import { ApplicationFlags, GatewayIntentBits, PermissionFlagsBits, PermissionsBitField } from "discord.js";
import { z } from "zod";
import { discordIntents } from "../adapters/discord/discord-adapter.ts";
import { bodyOf, type Check, describeAnswer, fail, ok, request, warn } from "./checks.ts";

/** What the bot needs in a team's channel (the README's invite link asks for exactly these). */
export const requiredPermissions =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.SendPolls;

/** Privileged intents and the application flags that show them enabled (either one). */
const privileged = new Map<GatewayIntentBits, { flags: number; name: string }>([
  [GatewayIntentBits.GuildMembers, { flags: ApplicationFlags.GatewayGuildMembers | ApplicationFlags.GatewayGuildMembersLimited, name: "Server Members Intent" }],
  [GatewayIntentBits.GuildPresences, { flags: ApplicationFlags.GatewayPresence | ApplicationFlags.GatewayPresenceLimited, name: "Presence Intent" }],
  [GatewayIntentBits.MessageContent, { flags: ApplicationFlags.GatewayMessageContent | ApplicationFlags.GatewayMessageContentLimited, name: "Message Content Intent" }],
]);

export interface DiscordCheckOptions {
  token: string;
  applicationId: string;
  guildId?: string | undefined;
  /** REST base (tests point it at a fake Discord). */
  api?: string | undefined;
  /** The intents the adapter asks for. */
  intents?: readonly GatewayIntentBits[];
  /** Team rooms from the database: "discord:<guild>/<channel>[/<thread>]". */
  teamRooms: readonly string[];
  signal?: AbortSignal | undefined;
}

const userSchema = z.object({ id: z.string(), username: z.string(), bot: z.boolean().optional() });
const applicationSchema = z.object({ id: z.string(), name: z.string(), flags: z.number().optional() });
const guildSchema = z.object({ id: z.string(), name: z.string(), permissions: z.string().regex(/^\d+$/) });
const overwriteSchema = z.object({ id: z.string(), type: z.number(), allow: z.string(), deny: z.string() });
const channelSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  permission_overwrites: z.array(overwriteSchema).optional(),
});
const memberSchema = z.object({ roles: z.array(z.string()) });
const roomPattern = /^discord:(\d{5,25})\/(\d{5,25})(?:\/\d{5,25})?$/;
/** Enough for every team of a city; beyond that, a sample. */
const maxChannels = 50;

/** "Send Polls, Embed Links" */
function permissionNames(bits: bigint): string {
  return new PermissionsBitField(bits)
    .toArray()
    .map((name) => name.replace(/([a-z])([A-Z])/g, "$1 $2"))
    .join(", ");
}

export function inviteUrl(applicationId: string): string {
  return `https://discord.com/oauth2/authorize?client_id=${applicationId}&scope=bot%20applications.commands&permissions=${requiredPermissions}`;
}

/** Discord's permission rules for one channel: base, then @everyone, role and member overwrites. */
export function channelPermissions(
  base: bigint,
  overwrites: readonly z.infer<typeof overwriteSchema>[],
  ids: { guild: string; bot: string; roles: readonly string[] },
): bigint {
  if (base & PermissionFlagsBits.Administrator) return PermissionsBitField.All;
  const apply = (perms: bigint, o: { allow: string; deny: string }) => (perms & ~BigInt(o.deny)) | BigInt(o.allow);
  let perms = base;
  const everyone = overwrites.find((o) => o.id === ids.guild);
  if (everyone) perms = apply(perms, everyone);
  let allow = 0n;
  let deny = 0n;
  for (const o of overwrites) {
    if (o.type !== 0 || !ids.roles.includes(o.id)) continue;
    allow |= BigInt(o.allow);
    deny |= BigInt(o.deny);
  }
  perms = (perms & ~deny) | allow;
  const member = overwrites.find((o) => o.type === 1 && o.id === ids.bot);
  return member ? apply(perms, member) : perms;
}

/** The token, the bot's account and application, its intents, and its permissions in servers and team channels. */
export async function checkDiscord(options: DiscordCheckOptions): Promise<Check[]> {
  const api = `${(options.api ?? "https://discord.com/api").replace(/\/+$/, "")}/v10`;
  const get = (route: string) =>
    request(`${api}${route}`, { headers: { authorization: `Bot ${options.token}` }, signal: options.signal });
  const checks: Check[] = [];

  const me = await get("/users/@me");
  const user = bodyOf(me, userSchema);
  if (me.status === "unreachable") return [fail("discord", `Discord is ${describeAnswer(me)}: check this server's internet access`)];
  if (me.status === 401) {
    return [fail("discord token", "Discord refused DISCORD_TOKEN (401): reset the token on the Developer Portal's Bot page and set it again")];
  }
  if (!user) return [fail("discord token", `unexpected answer from Discord: ${describeAnswer(me)}`)];
  if (!user.bot) return [fail("discord token", `DISCORD_TOKEN belongs to ${user.username}, who is not a bot: use the token from the Bot page`)];
  checks.push(ok("discord token", `works: the bot is ${user.username} (${user.id})`));

  const application = bodyOf(await get("/applications/@me"), applicationSchema);
  if (!application) checks.push(warn("discord application", "Discord did not show the bot's application"));
  else if (application.id !== options.applicationId) {
    checks.push(
      fail("discord application", `the token belongs to application ${application.id}, but DISCORD_APPLICATION_ID is ${options.applicationId}: set it to ${application.id}`),
    );
  } else checks.push(ok("discord application", `${application.name} (${application.id})`));

  const intents = options.intents ?? discordIntents;
  const missing = intents.flatMap((intent) => {
    const needs = privileged.get(intent);
    return needs && ((application?.flags ?? 0) & needs.flags) === 0 ? [needs.name] : [];
  });
  const intentNames = intents.map((i) => GatewayIntentBits[i]).join(", ");
  if (missing.length > 0) {
    checks.push(fail("discord intents", `turn on ${missing.join(" and ")} on the Developer Portal's Bot page (the bot asks for ${intentNames})`));
  } else {
    const none = intents.some((i) => privileged.has(i)) ? "" : " (none privileged)";
    checks.push(ok("discord intents", `${intentNames}${none}`));
  }

  const invite = inviteUrl(application?.id ?? options.applicationId);
  const guilds = bodyOf(await get("/users/@me/guilds"), z.array(guildSchema));
  if (!guilds) {
    checks.push(warn("discord servers", "Discord did not list the bot's servers"));
    return checks;
  }
  if (guilds.length === 0) {
    checks.push(warn("discord servers", `the bot is in no server yet: invite it with ${invite}`));
  } else if (options.guildId && !guilds.some((g) => g.id === options.guildId)) {
    checks.push(fail("discord servers", `the bot is not in server ${options.guildId} (DISCORD_GUILD_ID): invite it with ${invite}`));
  }
  const short: string[] = [];
  for (const guild of guilds) {
    const base = BigInt(guild.permissions);
    const lacking = base & PermissionFlagsBits.Administrator ? 0n : requiredPermissions & ~base;
    if (lacking) short.push(`in ${guild.name} (${guild.id}) it lacks ${permissionNames(lacking)}`);
  }
  for (const text of short) {
    checks.push(fail("discord permissions", `${text}: give its role these permissions or invite it again with ${invite}`));
  }
  if (short.length === 0 && guilds.length > 0) {
    checks.push(ok("discord permissions", `all it needs in ${guilds.length === 1 ? "its server" : `all ${guilds.length} servers`}`));
  }
  checks.push(...(await checkTeamChannels(options, get, user.id, guilds)));
  return checks;
}

/** Each team's channel: can the bot see it, and may it do there what it needs? */
async function checkTeamChannels(
  options: DiscordCheckOptions,
  get: (route: string) => ReturnType<typeof request>,
  botId: string,
  guilds: readonly z.infer<typeof guildSchema>[],
): Promise<Check[]> {
  const checks: Check[] = [];
  const channels = new Map<string, string>();
  for (const ref of options.teamRooms) {
    const match = roomPattern.exec(ref);
    if (match?.[1] && match[2]) channels.set(match[2], match[1]);
  }
  const roles = new Map<string, string[]>();
  let checked = 0;
  for (const [channelId, guildId] of [...channels].slice(0, maxChannels)) {
    const guild = guilds.find((g) => g.id === guildId);
    if (!guild) {
      checks.push(fail("discord channel", `a team uses channel ${channelId} in server ${guildId}, which the bot is not in: invite it again`));
      continue;
    }
    const answer = await get(`/channels/${channelId}`);
    const channel = bodyOf(answer, channelSchema);
    if (answer.status === 403) {
      checks.push(fail("discord channel", `the bot cannot see channel ${channelId} in ${guild.name}, where a team works: allow it View Channel there`));
      continue;
    }
    if (answer.status === 404) {
      checks.push(warn("discord channel", `channel ${channelId} in ${guild.name}, where a team worked, no longer exists`));
      continue;
    }
    if (!channel) {
      checks.push(warn("discord channel", `channel ${channelId}: ${describeAnswer(answer)}`));
      continue;
    }
    if (!roles.has(guildId)) roles.set(guildId, bodyOf(await get(`/guilds/${guildId}/members/${botId}`), memberSchema)?.roles ?? []);
    const perms = channelPermissions(BigInt(guild.permissions), channel.permission_overwrites ?? [], {
      guild: guildId,
      bot: botId,
      roles: roles.get(guildId) ?? [],
    });
    const lacking = requiredPermissions & ~perms;
    if (lacking) {
      checks.push(fail("discord channel", `in #${channel.name ?? channelId} (${guild.name}) the bot lacks ${permissionNames(lacking)}: allow them in the channel's permissions`));
    }
    checked++;
  }
  const sample = channels.size > maxChannels ? ` (the first ${maxChannels} of ${channels.size})` : "";
  if (checked > 0 && checks.length === 0) checks.push(ok("discord channels", `the bot may do what it needs in all ${checked} team channels${sample}`));
  return checks;
}
