import {
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
  RESTEvents,
  Routes,
  Status,
} from "discord.js";
import { z } from "zod";
import type { Adapter, BotPort, DeliveryTarget, DispatchResult } from "../../core/adapter.ts";
import { pickLanguage } from "../../core/bot.ts";
import { optionName } from "../../core/parse.ts";
import type { Invocation } from "../../core/command.ts";
import type { Logger } from "../../core/log.ts";
import { type OutgoingMessage, paragraph } from "../../core/message.ts";
import { decodeAction } from "./actions.ts";
import { deriveCommands, suggestions } from "./commands.ts";
import { flattenOptions, optionTreeSchema, valuesFor } from "./options.ts";
import { isNativePollSize, type MessageBody, maxContent, type Rendered, render } from "./render.ts";
import { sameCommands } from "./sync.ts";
import { handleVote, voteSchema } from "./votes.ts";

export interface DiscordOptions {
  token: string;
  applicationId: string;
  /** Registers the commands in this guild only (instant) instead of globally. */
  guildId?: string | undefined;
  log: Logger;
  /** REST base URL (tests point it at a fake Discord on loopback). */
  api?: string;
  /** Defer an interaction's answer when the command has not answered by then. */
  deferAfterMs?: number;
}

const messageSchema = z.object({ id: z.string(), channel_id: z.string() });
const channelSchema = z.object({ id: z.string() });
const roomPattern = /^discord:([^/]+)\/(\d{1,25})(?:\/(\d{1,25}))?$/;
const memberPattern = /^discord:(\d{5,25})$/;
const emptyMessage: OutgoingMessage = {
  audience: { kind: "ephemeral" },
  lang: "en",
  timeZone: "UTC",
  tone: "success",
  blocks: [],
  actions: [],
  attachments: [],
};
const coordinatorPermissions = [PermissionFlagsBits.ManageGuild, PermissionFlagsBits.ManageChannels];
/** The gateway intents the bot asks for (the doctor checks that privileged ones are enabled). */
export const discordIntents: readonly GatewayIntentBits[] = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessagePolls,
  GatewayIntentBits.DirectMessagePolls,
];

/** Discord's errors carry the request body; logs must not (it is people's text). */
function withoutContent(error: unknown): Error {
  if (error instanceof DiscordAPIError) {
    return new Error(`Discord refused the request: ${error.status} ${String(error.code)} ${error.message}`);
  }
  return error instanceof Error ? error : new Error(String(error));
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
    nativePolls: true,
    editMessages: true,
    maxMessageLength: maxContent,
  };
  deferAfterMs: number;
  private client: Client | undefined;
  private bot: BotPort | undefined;
  private readonly dmChannels = new Map<string, string>();
  private votes: Promise<void> = Promise.resolve();

  private readonly options: DiscordOptions;

  constructor(options: DiscordOptions) {
    this.options = options;
    this.deferAfterMs = options.deferAfterMs ?? 2000;
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

  async start(bot: BotPort): Promise<void> {
    this.bot = bot;
    const client = new Client({
      intents: [...discordIntents],
      ...(this.options.api ? { rest: { api: this.options.api } } : {}),
    });
    this.client = client;
    client.on(Events.InteractionCreate, (interaction) => {
      void this.onInteraction(interaction).catch((error: unknown) =>
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
      // A wrong token or an unreachable Discord: stop the client's retries and say why.
      await client.destroy();
      this.client = undefined;
      throw withoutContent(error);
    }
    try {
      await this.syncCommands();
    } catch (error) {
      this.log.error({ err: error }, "discord command registration failed; existing commands stay");
    }
  }

  connected(): boolean {
    const client = this.client;
    return Boolean(client?.isReady() && client.ws.shards.every((shard) => shard.status === Status.Ready));
  }

  async stop(): Promise<void> {
    await this.client?.destroy();
    this.client = undefined;
  }

  /** Registers the derived commands in bulk, only when Discord's differ. Returns whether it wrote. */
  async syncCommands(): Promise<boolean> {
    if (!this.bot) throw new Error("discord adapter not started");
    const { commands, skipped } = deriveCommands(this.bot.registry);
    if (skipped.length > 0) this.log.warn({ skipped }, "commands without a Discord slash command");
    const { applicationId, guildId } = this.options;
    const route = guildId
      ? Routes.applicationGuildCommands(applicationId, guildId)
      : Routes.applicationCommands(applicationId);
    const remote: unknown = await this.rest().get(route);
    if (sameCommands(commands, remote)) {
      this.log.info({ count: commands.length }, "discord commands up to date");
      return false;
    }
    await this.rest().put(route, { body: commands });
    this.log.info({ count: commands.length, guild: guildId ?? "global" }, "discord commands registered");
    return true;
  }

  parseMention(token: string): string | undefined {
    const id = /^<@!?(\d{5,25})>$/.exec(token)?.[1] ?? /^(?:discord:)?(\d{15,25})$/.exec(token)?.[1];
    return id ? `discord:${id}` : undefined;
  }

  /** The room reference of a channel; threads carry their parent channel. */
  roomRef(guildId: string | null | undefined, channelId: string): string {
    if (!guildId) return `discord:@me/${channelId}`;
    const channel = this.client?.channels.cache.get(channelId);
    const parent = channel?.isThread() ? channel.parentId : null;
    return parent ? `discord:${guildId}/${parent}/${channelId}` : `discord:${guildId}/${channelId}`;
  }

  // ---- outgoing ----

  async send(target: DeliveryTarget, message: OutgoingMessage): Promise<string> {
    const channelId = "room" in target ? this.channelOf(target.room) : await this.dmChannel(target.member);
    return this.post(channelId, render(message, this.now()));
  }

  private async post(channelId: string, rendered: Rendered): Promise<string> {
    let last = "";
    for (const [i, body] of rendered.bodies.entries()) {
      const files = i === rendered.bodies.length - 1 ? rendered.files : [];
      const answer = await this.rest()
        .post(Routes.channelMessages(channelId), { body, files })
        .catch((error: unknown) => {
          throw withoutContent(error);
        });
      last = messageSchema.parse(answer).id;
    }
    return last;
  }

  async edit(room: string, messageId: string, message: OutgoingMessage): Promise<void> {
    const channelId = this.channelOf(room);
    // A poll Discord shows natively cannot be edited, only ended; one shown as text is edited as text.
    if (message.poll && isNativePollSize(message.poll)) {
      if (!message.poll.ended) return;
      try {
        await this.rest().post(Routes.expirePoll(channelId, messageId));
      } catch (error) {
        // Already ended (by its duration or an earlier close): the result is still posted below.
        this.log.info({ err: withoutContent(error), room }, "discord poll already ended");
      }
      // The final result (the bot's count, which is the source of truth) as a message of its own.
      if (message.blocks.length > 0) await this.post(channelId, render({ ...message, poll: undefined }, this.now()));
      return;
    }
    const rendered = render(message, this.now());
    const first = rendered.bodies[0];
    if (!first) return;
    const body: MessageBody = { ...first, components: rendered.bodies.at(-1)?.components ?? [] };
    if (rendered.bodies.length > 1) body.content = `${first.content.slice(0, maxContent - 1)}…`;
    await this.rest()
      .patch(Routes.channelMessage(channelId, messageId), { body })
      .catch((error: unknown) => {
        throw withoutContent(error);
      });
  }

  private channelOf(room: string): string {
    const match = roomPattern.exec(room);
    if (!match) throw new Error(`not a Discord room reference: ${room}`);
    return match[3] ?? match[2] ?? "";
  }

  private async dmChannel(member: string): Promise<string> {
    const userId = memberPattern.exec(member)?.[1];
    if (!userId) throw new Error(`not a Discord member reference: ${member}`);
    const known = this.dmChannels.get(userId);
    if (known) return known;
    const channel = channelSchema.parse(
      await this.rest().post(Routes.userChannels(), { body: { recipient_id: userId } }),
    );
    this.dmChannels.set(userId, channel.id);
    return channel.id;
  }

  // ---- incoming ----

  /** Votes are handled one after another, in the order Discord sent them (remove 1, add 2 = a change). */
  private onRaw(packet: unknown): void {
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

  /** Sends a private message outside any interaction (vote errors). */
  async sendPrivately(member: string, messages: OutgoingMessage[]): Promise<void> {
    for (const message of messages) await this.send({ member }, message);
  }

  private invocationBase(interaction: Interaction): Omit<Invocation, "input"> {
    const channelId = interaction.channelId ?? "";
    const channel = interaction.channel;
    const member = interaction.member;
    const nick = member && "nick" in member && typeof member.nick === "string" ? member.nick : undefined;
    return {
      platform: "discord",
      room: this.roomRef(interaction.guildId, channelId),
      ...(channel && "name" in channel && typeof channel.name === "string" ? { roomName: channel.name } : {}),
      isDirect: !interaction.guildId,
      member: `discord:${interaction.user.id}`,
      memberName: nick ?? interaction.user.displayName,
      locale: interaction.locale,
      isCoordinator: interaction.memberPermissions?.any(coordinatorPermissions) ?? false,
    };
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    if (!this.bot) return;
    if (interaction.isAutocomplete()) return this.autocomplete(interaction);
    let input: Invocation["input"];
    let slow = false;
    if (interaction.isChatInputCommand()) {
      const { path, leaves } = flattenOptions(
        interaction.commandName,
        optionTreeSchema.parse(interaction.options.data),
      );
      const command = this.bot.registry.get(path);
      slow = command?.slow ?? false;
      input = { kind: "structured", path, values: command ? valuesFor(command, leaves) : {} };
    } else if (interaction.isButton()) {
      const line = decodeAction(interaction.customId);
      if (!line) return;
      input = { kind: "text", text: line, requirePrefix: false };
    } else return;
    await this.answer(interaction, { ...this.invocationBase(interaction), input }, slow);
  }

  private async autocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const path = [
      interaction.commandName,
      interaction.options.getSubcommandGroup(false),
      interaction.options.getSubcommand(false),
    ].filter((w): w is string => Boolean(w));
    const command = this.bot?.registry.get(path);
    const focused = interaction.options.getFocused(true);
    const spec = Object.entries(command?.args ?? {}).find(([key]) => optionName(key) === focused.name)?.[1];
    const choices = spec ? suggestions(spec.meta, String(focused.value)) : [];
    await this.rest().post(Routes.interactionCallback(interaction.id, interaction.token), {
      body: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } },
    });
  }

  /** Runs the invocation and answers in time: defers when it is slow or takes longer than `deferAfterMs`. */
  private async answer(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    invocation: Invocation,
    slow: boolean,
  ): Promise<void> {
    const bot = this.bot;
    if (!bot) return;
    const work = bot.handle(invocation);
    let deferred: boolean;
    if (slow || this.deferAfterMs <= 0) deferred = true;
    else {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<"late">((resolve) => {
        timer = setTimeout(() => resolve("late"), this.deferAfterMs);
      });
      deferred = (await Promise.race([work.then(() => "done" as const), late])) === "late";
      clearTimeout(timer);
    }
    if (deferred) {
      // Deferred privately: errors and "Done." stay private; a public answer replaces it below.
      await this.rest().post(Routes.interactionCallback(interaction.id, interaction.token), {
        body: {
          type: InteractionResponseType.DeferredChannelMessageWithSource,
          data: { flags: MessageFlags.Ephemeral },
        },
      });
    }
    const result = await work;
    await this.respond(interaction, result, deferred);
  }

  private async respond(
    interaction: ChatInputCommandInteraction | ButtonInteraction,
    result: DispatchResult,
    deferred: boolean,
  ): Promise<void> {
    if (result.kind === "not-command") {
      if (deferred)
        await this.rest().delete(Routes.webhookMessage(interaction.applicationId, interaction.token));
      return;
    }
    const rest = this.rest();
    const webhook = Routes.webhook(interaction.applicationId, interaction.token);
    const original = Routes.webhookMessage(interaction.applicationId, interaction.token);
    let answered = false;
    for (const message of result.messages) {
      const ephemeral = result.kind !== "ok" || message.audience.kind === "ephemeral";
      const rendered = render(message, this.now());
      for (const [i, part] of rendered.bodies.entries()) {
        const files = i === rendered.bodies.length - 1 ? rendered.files : [];
        const body: MessageBody = ephemeral ? { ...part, flags: MessageFlags.Ephemeral } : part;
        if (!answered && !deferred) {
          await rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
            body: { type: InteractionResponseType.ChannelMessageWithSource, data: body },
            files,
          });
        } else if (!answered && ephemeral) {
          await rest.patch(original, { body, files });
        } else {
          if (!answered) await rest.delete(original);
          await rest.post(webhook, { body, files });
        }
        answered = true;
      }
    }
    if (answered) return;
    // Only room messages (already delivered): acknowledge without a message of our own.
    if (deferred) await rest.delete(original);
    else if (interaction.isButton()) {
      await rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
        body: { type: InteractionResponseType.DeferredMessageUpdate },
      });
    } else {
      const tr = this.bot?.i18n.translator(pickLanguage(undefined, interaction.locale, "en"));
      const done = render({ ...emptyMessage, blocks: [paragraph(tr?.t("core.done") ?? "Done.")] }, this.now());
      await rest.post(Routes.interactionCallback(interaction.id, interaction.token), {
        body: {
          type: InteractionResponseType.ChannelMessageWithSource,
          data: { ...done.bodies[0], flags: MessageFlags.Ephemeral },
        },
      });
    }
  }
}
