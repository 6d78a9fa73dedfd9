/**
 * The fake's guild: a category with the team channel, threads in it (one the gateway
 * announces, one archived and one private that never reach discord.js's cache), the bot's
 * permissions per channel, and DM channels with their owners' privacy settings.
 */
export const permission = {
  viewChannel: 1n << 10n,
  sendMessages: 1n << 11n,
  embedLinks: 1n << 14n,
  attachFiles: 1n << 15n,
  readMessageHistory: 1n << 16n,
  mentionEveryone: 1n << 17n,
  useExternalEmojis: 1n << 18n,
  sendMessagesInThreads: 1n << 38n,
  sendPolls: 1n << 49n,
};

/** What a well set-up bot has in a channel (the README's list plus Discord's defaults). */
export const botDefaultPermissions =
  permission.viewChannel |
  permission.sendMessages |
  permission.embedLinks |
  permission.attachFiles |
  permission.readMessageHistory |
  permission.sendMessagesInThreads |
  permission.sendPolls;

export const channelType = { text: 0, dm: 1, category: 4, publicThread: 11, privateThread: 12 } as const;

export interface FakeChannel {
  id: string;
  type: number;
  name: string;
  /** A channel's category, or a thread's channel. */
  parentId: string | null;
  archived?: boolean;
  /** Private threads: whether the bot was added. */
  botIsMember?: boolean;
  /** Announced in GUILD_CREATE (so discord.js caches it). */
  announced: boolean;
}

export class FakeGuild {
  readonly channels = new Map<string, FakeChannel>();
  /** The bot's permissions where they differ from `botDefaultPermissions` (threads follow their channel). */
  readonly botPermissions = new Map<string, bigint>();
  /** Channels the bot may not even see (a moderator took View Channel away). */
  readonly hidden = new Set<string>();
  /** Users no longer in the server (left or removed): GET member answers Unknown Member. */
  readonly departed = new Set<string>();
  /** Per channel, users a member overwrite denies View Channel. */
  readonly deniedView = new Map<string, Set<string>>();
  /** Users with the server's "Coordination" role (their interactions carry its permissions). */
  readonly coordinators = new Set<string>();
  /** The "Coordination" role: Manage Server and Manage Channels. */
  readonly coordinationRole = { id: "500000000000000001", permissions: String(0x20 | 0x10) };

  readonly id: string;

  constructor(id: string) {
    this.id = id;
  }

  add(channel: FakeChannel): FakeChannel {
    this.channels.set(channel.id, channel);
    return channel;
  }

  isThread(channel: FakeChannel): boolean {
    return channel.type === channelType.publicThread || channel.type === channelType.privateThread;
  }

  /** The bot's permissions in a channel, as `app_permissions` reports them. */
  permissionsIn(channelId: string): bigint {
    const channel = this.channels.get(channelId);
    if (!channel || this.hidden.has(channelId)) return 0n;
    if (this.isThread(channel)) {
      const parent = this.permissionsIn(channel.parentId ?? "");
      // A private thread is invisible to a bot nobody added (it has no Manage Threads).
      if (channel.type === channelType.privateThread && !channel.botIsMember) return parent & ~permission.viewChannel;
      return parent;
    }
    return this.botPermissions.get(channelId) ?? botDefaultPermissions;
  }

  /** Why the bot may not post this message here: [status, code, message], or undefined. */
  refusal(channelId: string, needs: { poll: boolean; files: boolean }): [number, number, string] | undefined {
    const channel = this.channels.get(channelId);
    if (!channel) return [404, 10003, "Unknown Channel"];
    const has = this.permissionsIn(channelId);
    const missing = (flag: bigint): boolean => (has & flag) === 0n;
    if (missing(permission.viewChannel)) return [403, 50001, "Missing Access"];
    const send = this.isThread(channel) ? permission.sendMessagesInThreads : permission.sendMessages;
    if (missing(send)) return [403, 50013, "Missing Permissions"];
    if (needs.poll && missing(permission.sendPolls)) return [403, 50013, "Missing Permissions"];
    if (needs.files && missing(permission.attachFiles)) return [403, 50013, "Missing Permissions"];
    return undefined;
  }

  /** The partial channel an interaction carries (threads with their parent and metadata). */
  partial(channelId: string, iso: string): Record<string, unknown> {
    const channel = this.channels.get(channelId);
    if (!channel) return { id: channelId, type: channelType.text, guild_id: this.id };
    return {
      id: channel.id,
      type: channel.type,
      name: channel.name,
      guild_id: this.id,
      parent_id: channel.parentId,
      flags: 0,
      ...(this.isThread(channel)
        ? {
            thread_metadata: {
              archived: channel.archived ?? false,
              auto_archive_duration: 1440,
              archive_timestamp: iso,
              locked: false,
            },
          }
        : {}),
    };
  }

  /** A channel as GUILD_CREATE and CHANNEL_UPDATE carry it, with its member overwrites. */
  full(c: FakeChannel, iso: string): Record<string, unknown> {
    const denied = [...(this.deniedView.get(c.id) ?? [])].map((id) => ({
      id,
      type: 1,
      allow: "0",
      deny: String(permission.viewChannel),
    }));
    return {
      ...this.partial(c.id, iso),
      position: 0,
      permission_overwrites: denied,
      ...(this.isThread(c) ? { owner_id: "999999999999999999", message_count: 0, member_count: 1 } : {}),
    };
  }

  /** GUILD_CREATE's channels and threads: only what the bot can see and has joined. */
  announced(iso: string): { channels: Record<string, unknown>[]; threads: Record<string, unknown>[] } {
    const visible = [...this.channels.values()].filter((c) => c.announced);
    const full = (c: FakeChannel) => this.full(c, iso);
    return {
      channels: visible.filter((c) => !this.isThread(c)).map(full),
      threads: visible.filter((c) => this.isThread(c)).map(full),
    };
  }

  /** The GUILD_CREATE event's data. */
  create(iso: string): Record<string, unknown> {
    const { channels, threads } = this.announced(iso);
    const everyone = { id: this.id, name: "@everyone", permissions: "3072", position: 0, color: 0 };
    return {
      id: this.id,
      name: "Migration team",
      icon: null,
      owner_id: "999999999999999999",
      afk_timeout: 300,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      roles: [everyone, { ...this.coordinationRole, name: "Coordination", position: 1, color: 0 }].map((role) => ({
        ...role,
        hoist: false,
        managed: false,
        mentionable: false,
        flags: 0,
      })),
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: 0,
      system_channel_flags: 0,
      premium_tier: 0,
      preferred_locale: "de",
      nsfw_level: 0,
      premium_progress_bar_enabled: false,
      joined_at: iso,
      large: false,
      unavailable: false,
      member_count: 3,
      voice_states: [],
      members: [],
      channels,
      threads,
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
    };
  }
}
