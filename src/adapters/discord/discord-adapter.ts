import { Client, Events, GatewayIntentBits, PermissionFlagsBits, RESTEvents, Routes, Status } from "discord.js";
import type { Adapter, BotPort, DeliveryTarget, MemberStatus, SendOptions } from "../../core/adapter.ts";
import type { Logger } from "../../core/log.ts";
import { mention, type OutgoingMessage, paragraph } from "../../core/message.ts";
import { isLanguage } from "../../core/time.ts";
import type { Db } from "../../db/client.ts";
import { deriveCommands, forScope } from "./commands.ts";
import { DmChannels } from "./dm-channels.ts";
import { discordMemberStatus } from "./membership.ts";
import { InteractionAnswers } from "./interactions.ts";
import { defaultI18n } from "../../core/catalog.ts";
import { Outgoing, withoutContent } from "./outgoing.ts";
import { Pacer } from "./pacer.ts";
import { maxContent, nativePollSupport, type RenderOptions } from "./render.ts";
import { rawInteractionSchema, Rooms } from "./rooms.ts";
import { DiscordStore } from "./store.ts";
import { sameCommands } from "./sync.ts";
import { slashLine } from "./typed.ts";
import { handleVote, voteSchema } from "./votes.ts";

export interface DiscordOptions {
  token: string;
  applicationId: string;
  /** Registers the commands in this guild only (instant) instead of globally. */
  guildId?: string | undefined;
  /** Where DM channels and multi-part posts are kept. */
  db: Db;
  log: Logger;
  /** REST base URL (tests point it at a fake Discord on loopback). */
  api?: string;
  /** Called when an interaction has been answered completely (tests wait for it). */
  onAnswered?: (token: string) => void;
}

/**
 * Requests per second: discord.js's own limit (Discord documents 50 for everything but
 * interaction responses), and the even pace of the bot's posts within it, which leaves room
 * for other requests and for the network's timing (see Pacer).
 */
const globalRequestsPerSecond = 40;
const postsPerSecond = 30;

/** Gateway intents: none of them privileged (Server Members, Presence, Message Content stay off; the doctor checks). */
export const discordIntents: readonly GatewayIntentBits[] = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessagePolls,
  GatewayIntentBits.DirectMessagePolls,
];

/** A member as typed: <@id>, <@!id>, discord:<id> or a bare id. */
export function parseDiscordMention(token: string): string | undefined {
  const id = /^<@!?(\d{5,25})>$/.exec(token)?.[1] ?? /^(?:discord:)?(\d{15,25})$/.exec(token)?.[1];
  return id ? `discord:${id}` : undefined;
}

/**
 * Discord through discord.js 14: slash commands derived from the registry, buttons that
 * carry their command line, native polls whose votes become poll commands, DMs.
 * Rooms are "discord:<guild>/<channel>[/<thread>]" ("@me" for direct messages), members "discord:<id>".
 */
export class DiscordAdapter implements Adapter {
  readonly name = "discord";
  readonly capabilities = {
    buttons: true,
    nativePolls: nativePollSupport,
    editMessages: true,
    maxMessageLength: maxContent,
  };
  /** How long after a member's interaction a private note may still go on its token (valid 15 minutes). */
  noteWindowMs = 14 * 60_000;
  private client: Client | undefined;
  private bot: BotPort | undefined;
  private votes: Promise<void> = Promise.resolve();
  /** The bot's permissions per channel, as the latest interaction there reported them. */
  private readonly permissions = new Map<string, bigint>();
  readonly rooms = new Rooms(() => this.client);
  readonly dms: DmChannels;
  private readonly outgoing: Outgoing;
  private readonly interactions: InteractionAnswers;

  private readonly options: DiscordOptions;

  constructor(options: DiscordOptions) {
    this.options = options;
    const rest = () => this.rest();
    const now = () => this.now();
    const store = new DiscordStore(options.db, options.applicationId);
    const pacer = new Pacer(postsPerSecond);
    this.dms = new DmChannels({ rest, pacer, store, log: options.log, now });
    const renderOptions = (channelId: string) => this.renderOptions(channelId);
    this.interactions = new InteractionAnswers({
      bot: () => this.bot,
      rest,
      rooms: this.rooms,
      dms: this.dms,
      log: options.log,
      now,
      renderOptions,
      notePermissions: (channelId, permissions) => this.permissions.set(channelId, permissions),
      onAnswered: (token) => options.onAnswered?.(token),
      noteWindowMs: () => this.noteWindowMs,
    });
    this.outgoing = new Outgoing({
      rest,
      pacer,
      store,
      dms: this.dms,
      rooms: this.rooms,
      log: options.log,
      now,
      renderOptions,
      tellDmsClosed: (userId) => this.tellDmsClosed(store, userId),
    });
  }

  private get log(): Logger {
    return this.options.log;
  }

  private rest(): Client["rest"] {
    if (!this.client) throw new Error("discord adapter not started");
    return this.client.rest;
  }

  /** The bot's clock once started (renders and poll lengths use it). */
  private now(): Date {
    return this.bot?.clock.now() ?? new Date();
  }

  private renderOptions(channelId: string): RenderOptions {
    const known = this.permissions.get(channelId);
    const registry = this.bot?.registry;
    return {
      // Without Create Polls a poll is posted with answer buttons instead of being refused.
      ...(known !== undefined && (known & PermissionFlagsBits.SendPolls) === 0n ? { nativePolls: false } : {}),
      ...(registry ? { typedAs: (command: string) => slashLine(registry, command) } : {}),
    };
  }

  async start(bot: BotPort): Promise<void> {
    this.bot = bot;
    const client = new Client({
      intents: [...discordIntents],
      rest: { globalRequestsPerSecond, ...(this.options.api ? { api: this.options.api } : {}) },
    });
    this.client = client;
    client.on(Events.InteractionCreate, (interaction) => {
      void this.interactions.handle(interaction).catch((error: unknown) =>
        this.log.error({ err: withoutContent(error), interaction: interaction.id }, "discord interaction failed"),
      );
    });
    client.on(Events.Raw, (packet: unknown) => this.onRaw(packet));
    client.on(Events.Error, (error) => this.log.error({ err: error }, "discord client error"));
    client.on(Events.Warn, (message) => this.log.warn({ message }, "discord warning"));
    client.on(Events.ShardDisconnect, (event, shard) =>
      this.log.warn({ code: event.code, shard }, "discord gateway disconnected"),
    );
    client.on(Events.ShardReconnecting, (shard) => this.log.info({ shard }, "discord gateway reconnecting"));
    client.on(Events.ShardResume, (shard) => this.log.info({ shard }, "discord gateway resumed"));
    client.rest.on(RESTEvents.RateLimited, (info) =>
      this.log.warn({ route: info.route, retryAfter: info.retryAfter }, "discord rate limit"),
    );
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    try {
      await client.login(this.options.token);
      await ready;
    } catch (error) {
      // A wrong token, a privileged intent not enabled, an unreachable Discord: stop retrying and say why.
      await client.destroy();
      this.client = undefined;
      throw withoutContent(error);
    }
    try {
      await this.syncCommands();
    } catch (error) {
      this.log.error({ err: withoutContent(error) }, "discord command registration failed; existing commands stay");
    }
  }

  /** Whether the member is still in the server and sees the room's channel (asked of Discord). */
  memberStatus(room: string, member: string): Promise<MemberStatus | undefined> {
    return discordMemberStatus(this.client, room, member);
  }

  connected(): boolean {
    const client = this.client;
    return Boolean(client?.isReady() && client.ws.shards.every((shard) => shard.status === Status.Ready));
  }

  async stop(): Promise<void> {
    await this.dms.settled();
    await this.votes;
    await this.client?.destroy();
    this.client = undefined;
  }

  /** Registers the derived commands in bulk, only when Discord's differ. Returns whether it wrote. */
  async syncCommands(): Promise<boolean> {
    if (!this.bot) throw new Error("discord adapter not started");
    const { guildId, applicationId } = this.options;
    const derived = deriveCommands(this.bot.registry);
    if (derived.skipped.length > 0) this.log.warn({ skipped: derived.skipped }, "commands without a Discord slash command");
    const commands = forScope(derived.commands, !guildId);
    const route = guildId ? Routes.applicationGuildCommands(applicationId, guildId) : Routes.applicationCommands(applicationId);
    // Without with_localizations Discord leaves the translations out, and they would never match.
    const remote: unknown = await this.rest().get(route, { query: new URLSearchParams({ with_localizations: "true" }) });
    if (sameCommands(commands, remote)) {
      this.log.info({ count: commands.length }, "discord commands up to date");
      return false;
    }
    await this.rest().put(route, { body: commands });
    this.log.info({ count: commands.length, guild: guildId ?? "global" }, "discord commands registered");
    return true;
  }

  parseMention(token: string): string | undefined {
    return parseDiscordMention(token);
  }

  /** The room reference of a channel; threads carry their parent channel. */
  roomRef(guildId: string | null | undefined, channelId: string): string {
    return this.rooms.roomRef(guildId, channelId);
  }

  send(target: DeliveryTarget, message: OutgoingMessage, options?: SendOptions): Promise<string> {
    return this.outgoing.send(target, message, options?.key);
  }

  edit(room: string, messageId: string, message: OutgoingMessage): Promise<void> {
    return this.outgoing.edit(room, messageId, message);
  }

  /** Sends a private message outside any interaction (vote errors). */
  async sendPrivately(member: string, messages: OutgoingMessage[]): Promise<void> {
    for (const message of messages) await this.send({ member }, message);
  }

  /** Tells a member once that they get no DMs: privately on a recent interaction, else in their room. */
  private async tellDmsClosed(store: DiscordStore, userId: string): Promise<void> {
    const where = await store.lastRoom(userId);
    const lang = where && isLanguage(where.language) ? where.language : "en";
    const tr = defaultI18n().translator(lang);
    const note = (withMention: boolean): OutgoingMessage => ({
      audience: where && withMention ? { kind: "room", room: where.room } : { kind: "ephemeral" },
      lang,
      timeZone: "UTC",
      tone: "warning",
      blocks: [
        paragraph(...(withMention ? [mention(`discord:${userId}`, userId), ": "] : []), tr.t("discord.dmsClosed")),
      ],
      actions: [],
      attachments: [],
    });
    if (await this.interactions.notePrivately(userId, note(false))) return;
    if (where) await this.send({ room: where.room }, note(true));
  }

  // ---- incoming ----

  /** Interaction payloads are read raw (uncached threads); votes one after another, as Discord sent them. */
  private onRaw(packet: unknown): void {
    const interaction = rawInteractionSchema.safeParse(packet);
    if (interaction.success) {
      this.interactions.remember(interaction.data.d);
      return;
    }
    const parsed = voteSchema.safeParse(packet);
    if (!parsed.success) return;
    this.votes = this.votes.then(async () => {
      if (!this.bot || !this.client) return;
      try {
        await handleVote(parsed.data, { bot: this.bot, client: this.client, adapter: this });
      } catch (error) {
        this.log.error({ err: withoutContent(error) }, "discord poll vote failed");
      }
    });
  }
}
