import {
  type AutocompleteInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  InteractionResponseType,
  MessageFlags,
  type MessageComponentInteraction,
  PermissionFlagsBits,
  type REST,
  Routes,
} from "discord.js";
import type { BotPort, DispatchResult } from "../../core/adapter.ts";
import { pickLanguage } from "../../core/bot.ts";
import type { AnyCommand, Invocation } from "../../core/command.ts";
import { actionInput } from "../../core/interaction.ts";
import type { Logger } from "../../core/log.ts";
import { type OutgoingMessage, paragraph } from "../../core/message.ts";
import { optionName, tokenize } from "../../core/parse.ts";
import type { Language } from "../../core/time.ts";
import { decodeAction } from "./actions.ts";
import { suggestions } from "./commands.ts";
import type { DmChannels } from "./dm-channels.ts";
import { defaultI18n } from "../../core/catalog.ts";
import { flattenOptions, optionTreeSchema, valuesFor } from "./options.ts";
import { withoutContent } from "./outgoing.ts";
import { type MessageBody, type RenderOptions, render } from "./render.ts";
import { isThreadRoom, postPermissions, type RawInteraction, type Rooms } from "./rooms.ts";

const coordinatorPermissions = [PermissionFlagsBits.ManageGuild, PermissionFlagsBits.ManageChannels];

export interface InteractionDeps {
  bot: () => BotPort | undefined;
  rest: () => REST;
  rooms: Rooms;
  dms: DmChannels;
  log: Logger;
  now: () => Date;
  renderOptions: (channelId: string) => RenderOptions;
  /** The bot's permissions in a channel, as the latest interaction there reported them. */
  notePermissions: (channelId: string, permissions: bigint) => void;
  onAnswered: (token: string) => void;
  /** How long after an interaction its token may carry a private note (Discord: 15 minutes). */
  noteWindowMs: () => number;
}

type Answerable = ChatInputCommandInteraction | MessageComponentInteraction;

const privately = (lang: Language, text: string): OutgoingMessage => ({
  audience: { kind: "ephemeral" },
  lang,
  timeZone: "UTC",
  tone: "warning",
  blocks: [paragraph(text)],
  actions: [],
  attachments: [],
});

/**
 * Answers slash commands and button presses. Every one is acknowledged first (a private
 * "thinking…"), before anything touches the database: a command waiting on a database lock
 * can no longer miss Discord's 3-second deadline. Where the bot may not post (the
 * interaction's `app_permissions`), a command that would post is refused before it runs.
 */
export class InteractionAnswers {
  private readonly raw = new Map<string, RawInteraction>();
  /** Each member's latest finished interaction: its token can carry a private note for a while. */
  private readonly live = new Map<string, { applicationId: string; token: string; at: number }>();

  private readonly deps: InteractionDeps;

  constructor(deps: InteractionDeps) {
    this.deps = deps;
  }

  /** The raw payload, kept until discord.js hands over the interaction (it drops uncached channels). */
  remember(raw: RawInteraction): void {
    this.raw.set(raw.id, raw);
    // Interactions discord.js never hands over (kinds it drops) must not pile up.
    if (this.raw.size > 1000) this.raw.delete(this.raw.keys().next().value ?? "");
    if (raw.channel) this.deps.rooms.learn(raw.channel);
  }

  async handle(interaction: Interaction): Promise<void> {
    try {
      await this.answer(interaction);
    } finally {
      if ("token" in interaction) this.deps.onAnswered(interaction.token);
    }
  }

  private async answer(interaction: Interaction): Promise<void> {
    const raw = this.raw.get(interaction.id);
    this.raw.delete(interaction.id);
    const bot = this.deps.bot();
    if (!bot) return;
    if (interaction.isAutocomplete()) return this.autocomplete(bot, interaction);
    if (!interaction.isChatInputCommand() && !interaction.isMessageComponent()) return;
    const lang = pickLanguage(undefined, interaction.locale, "en");
    const tr = defaultI18n().translator(lang);
    let input: Invocation["input"];
    let command: AnyCommand | undefined;
    if (interaction.isChatInputCommand()) {
      const { path, leaves } = flattenOptions(interaction.commandName, optionTreeSchema.parse(interaction.options.data));
      command = bot.registry.get(path);
      input = { kind: "structured", path, values: command ? valuesFor(command, leaves) : {} };
    } else {
      const line = interaction.isButton() ? decodeAction(interaction.customId) : undefined;
      if (!line) return this.answerNow(interaction, privately(lang, tr.t("discord.unknownButton")));
      command = resolve(bot, line);
      input = actionInput(bot.registry, line);
    }
    const invocation: Invocation = { ...this.invocationBase(interaction, raw), input };
    const refusal = this.cannotPost(interaction, raw, invocation.room, command, lang);
    if (refusal) return this.answerNow(interaction, refusal);
    try {
      await this.deps.rest().post(Routes.interactionCallback(interaction.id, interaction.token), {
        body: { type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } },
        auth: false,
      });
    } catch (error) {
      // Not acknowledged: Discord tells the member it failed, so running it anyway would make a duplicate.
      this.deps.log.error({ err: withoutContent(error), interaction: interaction.id }, "discord: could not acknowledge");
      return;
    }
    const result = await bot.handle(invocation);
    await this.respond(interaction, result);
    this.live.set(interaction.user.id, { applicationId: interaction.applicationId, token: interaction.token, at: Date.now() });
    if (interaction.inGuild()) this.deps.dms.preOpen(interaction.user.id);
    else if (interaction.channelId) await this.deps.dms.learn(interaction.user.id, interaction.channelId);
  }

  /** Sends a private note to a member on their latest interaction, if it is recent; false if none is. */
  async notePrivately(userId: string, message: OutgoingMessage): Promise<boolean> {
    const live = this.live.get(userId);
    if (!live || Date.now() - live.at > this.deps.noteWindowMs()) return false;
    const body = render(message, this.deps.now()).bodies[0];
    if (!body) return false;
    await this.deps.rest().post(Routes.webhook(live.applicationId, live.token), {
      body: { ...body, flags: MessageFlags.Ephemeral },
      auth: false,
    });
    return true;
  }

  private invocationBase(interaction: Answerable, raw: RawInteraction | undefined): Omit<Invocation, "input"> {
    const channelId = interaction.channelId;
    const member = interaction.member;
    const nick = member && "nick" in member && typeof member.nick === "string" ? member.nick : undefined;
    const roomName = raw?.channel?.name;
    return {
      platform: "discord",
      room: this.deps.rooms.roomRef(interaction.guildId, channelId),
      ...(roomName ? { roomName } : {}),
      isDirect: !interaction.guildId,
      member: `discord:${interaction.user.id}`,
      memberName: nick ?? interaction.user.displayName,
      locale: interaction.locale,
      isCoordinator: interaction.memberPermissions?.any(coordinatorPermissions) ?? false,
    };
  }

  /** The refusal to show when the command would post where the bot may not; undefined to go on. */
  private cannotPost(
    interaction: Answerable,
    raw: RawInteraction | undefined,
    room: string,
    command: AnyCommand | undefined,
    lang: Language,
  ): OutgoingMessage | undefined {
    if (!interaction.inGuild() || raw?.app_permissions === undefined || !interaction.channelId) return undefined;
    const has = BigInt(raw.app_permissions);
    this.deps.notePermissions(interaction.channelId, has);
    const thread = isThreadRoom(room);
    const needed = postPermissions(thread);
    if ((has & needed) === needed || command?.noRoomPosts) return undefined;
    const tr = defaultI18n().translator(lang);
    if (raw.channel?.type === 12 && (has & PermissionFlagsBits.ViewChannel) === 0n) {
      return privately(lang, tr.t("discord.privateThread"));
    }
    const missing = [
      ...((has & PermissionFlagsBits.ViewChannel) === 0n ? ["viewChannel"] : []),
      ...((has & (needed & ~PermissionFlagsBits.ViewChannel)) === 0n ? [thread ? "sendMessagesInThreads" : "sendMessages"] : []),
    ].map((key) => tr.t(`discord.permission.${key}`));
    return privately(lang, tr.t("discord.cannotPost", { missing: tr.list(missing) }));
  }

  /** Answers at once (no database involved), privately. */
  private async answerNow(interaction: Answerable, message: OutgoingMessage): Promise<void> {
    const body = render(message, this.deps.now()).bodies[0];
    await this.deps.rest().post(Routes.interactionCallback(interaction.id, interaction.token), {
      body: { type: InteractionResponseType.ChannelMessageWithSource, data: { ...body, flags: MessageFlags.Ephemeral } },
      auth: false,
    });
  }

  /** Replaces the private "thinking…" with the answers: private ones in place, public ones as follow-ups. */
  private async respond(interaction: Answerable, result: DispatchResult): Promise<void> {
    const rest = this.deps.rest();
    const original = Routes.webhookMessage(interaction.applicationId, interaction.token);
    const webhook = Routes.webhook(interaction.applicationId, interaction.token);
    let originalUsed = false;
    const messages = result.kind === "not-command" ? [] : result.messages;
    for (const message of messages) {
      const ephemeral = result.kind !== "ok" || message.audience.kind === "ephemeral";
      const rendered = render(message, this.deps.now(), this.deps.renderOptions(interaction.channelId));
      for (const [i, part] of rendered.bodies.entries()) {
        const files = i === rendered.bodies.length - 1 ? rendered.files : [];
        if (!originalUsed) {
          originalUsed = true;
          if (ephemeral) {
            await rest.patch(original, { body: part, files, auth: false });
            continue;
          }
          await rest.delete(original, { auth: false });
        }
        const body: MessageBody = ephemeral ? { ...part, flags: MessageFlags.Ephemeral } : part;
        await rest.post(webhook, { body, files, auth: false });
      }
    }
    // Nothing for the invoker (the room got its post): take the "thinking…" away.
    if (!originalUsed) await rest.delete(original, { auth: false });
  }

  private async autocomplete(bot: BotPort, interaction: AutocompleteInteraction): Promise<void> {
    const path = [
      interaction.commandName,
      interaction.options.getSubcommandGroup(false),
      interaction.options.getSubcommand(false),
    ].filter((w): w is string => Boolean(w));
    const command = bot.registry.get(path);
    const focused = interaction.options.getFocused(true);
    const spec = Object.entries(command?.args ?? {}).find(([key]) => optionName(key) === focused.name)?.[1];
    const choices = spec ? suggestions(spec.meta, focused.value) : [];
    await this.deps.rest().post(Routes.interactionCallback(interaction.id, interaction.token), {
      body: { type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } },
      auth: false,
    });
  }
}

/** The command a button's line runs, if any (for its declaration's flags). */
function resolve(bot: BotPort, line: string): AnyCommand | undefined {
  try {
    return bot.registry.resolve(tokenize(line))?.command;
  } catch {
    return undefined;
  }
}
