import type { MatrixClient, RoomMember } from "matrix-js-sdk";
import type { DbOrTx } from "../../db/client.ts";
import type { BotPort } from "../../core/adapter.ts";
import type { Invocation, InvocationInput } from "../../core/command.ts";
import { actionInput } from "../../core/interaction.ts";
import type { Logger } from "../../core/log.ts";
import type { OutgoingMessage } from "../../core/message.ts";
import { choicesOf, type ReplyTo } from "./content.ts";
import { fetchClearEvent } from "./encryption.ts";
import { choiceNumber, isCommandText, type RawEvent, readMessage, readReaction } from "./incoming.ts";
import { defaultI18n } from "../../core/catalog.ts";
import type { MatrixOutbound } from "./outbound.ts";
import { parsePollEnd, parsePollResponse, pollEndTypes, pollResponseTypes } from "./poll.ts";
import type { MatrixStore } from "./store.ts";

export interface InboundContext {
  client: MatrixClient;
  bot: BotPort;
  out: MatrixOutbound;
  store: MatrixStore;
  log: Logger;
  /** The bot's own user id. */
  me: string;
  coordinatorPowerLevel: number;
  stopped: () => boolean;
}

/**
 * What members do in a room, turned into invocations of the core: `!`/`/` commands,
 * numbered choices (a reply with the number, or a keycap reaction), native poll votes.
 * Every event is claimed in the database before it runs, so none runs twice.
 */
export class MatrixInbound {
  private readonly client: MatrixClient;
  private readonly bot: BotPort;
  private readonly out: MatrixOutbound;
  private readonly store: MatrixStore;
  private readonly log: Logger;
  private readonly me: string;
  private readonly coordinatorPowerLevel: number;
  private readonly stopped: () => boolean;
  /** Rooms whose joined members are recorded as team members in this run. */
  private readonly noted = new Set<string>();

  constructor(ctx: InboundContext) {
    this.client = ctx.client;
    this.bot = ctx.bot;
    this.out = ctx.out;
    this.store = ctx.store;
    this.log = ctx.log;
    this.me = ctx.me;
    this.coordinatorPowerLevel = ctx.coordinatorPowerLevel;
    this.stopped = ctx.stopped;
  }

  /** Handles one timeline event (live or caught up); each room's events come in order. */
  async handle(roomId: string, event: RawEvent): Promise<void> {
    if (this.stopped()) return;
    if (event.sender === this.me) {
      const start = pollEndTypes.includes(event.type) ? parsePollEnd(event.content) : undefined;
      if (start && !this.out.endedPolls.has(start)) this.out.endedPolls.set(start, event.origin_server_ts);
      return;
    }
    if (event.type === "m.room.message") {
      const message = readMessage(event.content);
      if (!message) return;
      const reply: ReplyTo = {
        eventId: event.event_id,
        ...(message.thread ? { thread: message.thread } : {}),
      };
      if (isCommandText(message.text)) {
        await this.runClaimed(roomId, event, { kind: "text", text: message.text, requirePrefix: true }, reply);
        return;
      }
      const n = message.replyTo ? choiceNumber(message.text) : undefined;
      if (n !== undefined && message.replyTo) await this.runChoice(roomId, event, message.replyTo, n, reply);
    } else if (event.type === "m.reaction") {
      const reaction = readReaction(event.content);
      if (reaction) {
        await this.runChoice(roomId, event, reaction.eventId, reaction.choice, { eventId: reaction.eventId });
      }
    } else if (pollResponseTypes.includes(event.type)) {
      await this.onPollResponse(roomId, event);
    }
  }

  /** A numbered choice: the command offered at that number in the bot's message, run as this member. */
  private async runChoice(
    roomId: string,
    event: RawEvent,
    target: string,
    n: number,
    replyTo: ReplyTo,
  ): Promise<void> {
    const choices = await this.choicesIn(roomId, target);
    const command = choices[n - 1];
    if (!command) return;
    await this.runClaimed(roomId, event, actionInput(this.bot.registry, command), replyTo);
  }

  private async choicesIn(roomId: string, eventId: string): Promise<string[]> {
    const event = await fetchClearEvent(this.client, roomId, eventId);
    return event?.sender === this.me ? choicesOf(event.content) : [];
  }

  private async onPollResponse(roomId: string, event: RawEvent): Promise<void> {
    const response = parsePollResponse(event.content);
    if (!response) return;
    const ended = this.out.endedPolls.get(response.startEventId);
    if (ended !== undefined && event.origin_server_ts >= ended) return;
    const poll = await this.bot.sentKey(`matrix:${roomId}`, response.startEventId);
    if (!poll) return;
    // A response carries the member's whole choice; what it means is the poll's feature's business.
    const input: InvocationInput = { kind: "poll-vote", poll, change: { kind: "set", answers: response.answers } };
    const result = await this.runClaimed(roomId, event, input, undefined, true);
    // The platform shows the vote; only a refusal is worth telling, and privately.
    if (result && result.length > 0) {
      for (const message of result) {
        await this.out
          .sendMessage(await this.out.directRoom(`matrix:${event.sender}`), message)
          .catch((error: unknown) => this.log.warn({ err: error }, "matrix: vote refusal not delivered"));
      }
    }
  }

  /**
   * The room's joined members count as its team's members (so a task can be assigned to
   * someone who never typed a command): recorded before the room's first command in this
   * run, and as members join afterwards.
   */
  async noteMembers(roomId: string, only?: string): Promise<void> {
    if (only === undefined ? this.noted.has(roomId) : !this.noted.has(roomId)) return;
    this.noted.add(roomId);
    const room = this.client.getRoom(roomId);
    if (!room || !this.bot.noteMembers || (await this.store.isDirectRoom(roomId))) return;
    const members = room
      .getJoinedMembers()
      .filter((m) => m.userId !== this.me && (only === undefined || m.userId === only))
      .map((m) => ({
        member: `matrix:${m.userId}`,
        memberName: m.name,
        isCoordinator: m.powerLevel >= this.coordinatorPowerLevel,
      }));
    await this.bot.noteMembers(`matrix:${roomId}`, room.name || undefined, members);
  }

  private invocation(
    roomId: string,
    event: RawEvent,
    input: InvocationInput,
    isDirect: boolean,
  ): Invocation {
    const room = this.client.getRoom(roomId);
    const member: RoomMember | null | undefined = room?.getMember(event.sender);
    return {
      platform: "matrix",
      room: `matrix:${roomId}`,
      ...(room?.name ? { roomName: room.name } : {}),
      isDirect,
      member: `matrix:${event.sender}`,
      memberName: member?.name ?? event.sender,
      isCoordinator: (member?.powerLevel ?? 0) >= this.coordinatorPowerLevel,
      input,
    };
  }

  /**
   * Runs the command as the sender (claiming the event with it: never handled twice) and answers.
   * With `votesOnly`, successful answers are dropped and refusals returned to the caller.
   */
  private async runClaimed(
    roomId: string,
    event: RawEvent,
    input: InvocationInput,
    replyTo: ReplyTo | undefined,
    votesOnly = false,
  ): Promise<OutgoingMessage[] | undefined> {
    const { bot, store } = this;
    if (this.stopped()) return undefined;
    const isDirect = await store.isDirectRoom(roomId);
    if (!isDirect) await this.noteMembers(roomId);
    // Claimed in the command's own transaction: a command that did not finish runs when the event comes again.
    const invocation = { ...this.invocation(roomId, event, input, isDirect), claim: (handle: DbOrTx) => store.claim(event.event_id, handle) };
    if (isDirect) {
      // A direct room is no team of its own: answer in the language of the member's team.
      const locale = await store.teamLanguageOf(`matrix:${event.sender}`);
      if (locale) invocation.locale = locale;
    }
    const result = await bot.handle(invocation);
    if (result.kind === "not-command") return undefined;
    if (votesOnly) return result.kind === "ok" ? [] : result.messages;
    for (const message of result.messages) {
      // A user error concerns the invoker only: privately, like an ephemeral answer.
      const privately = result.kind === "user-error" || message.audience.kind === "ephemeral";
      await this.answer(roomId, event.sender, message, replyTo, isDirect, privately).catch((error: unknown) =>
        this.log.error({ err: error, roomId }, "matrix: answer not sent"),
      );
    }
    return undefined;
  }

  /**
   * Answers in the room as a reply notice. Private answers (ephemeral ones, user errors)
   * go to the member's direct-message room, and the command gets a ✉️ reaction so they
   * know where to look; when that fails, a user error is shown as a reply after all
   * (it holds nothing private), an ephemeral answer is replaced by a note.
   */
  private async answer(
    roomId: string,
    sender: string,
    message: OutgoingMessage,
    replyTo: ReplyTo | undefined,
    isDirect: boolean,
    privately: boolean,
  ): Promise<void> {
    const out = this.out;
    if (!privately || isDirect) {
      await out.sendMessage(roomId, message, replyTo, true);
      return;
    }
    try {
      await out.sendMessage(await out.directRoom(`matrix:${sender}`), message);
    } catch (error) {
      this.log.warn({ err: error }, "matrix: private answer not delivered");
      const tr = defaultI18n().translator(message.lang);
      const shown =
        message.audience.kind === "ephemeral"
          ? {
              ...message,
              tone: "warning" as const,
              blocks: [{ kind: "paragraph" as const, spans: tr.tm("matrix.privateFailed") }],
              actions: [],
            }
          : message;
      await out.sendMessage(roomId, shown, replyTo, true);
      return;
    }
    if (replyTo) {
      await out
        .react(roomId, replyTo.eventId, "✉️")
        .catch((error: unknown) => this.log.warn({ err: error, roomId }, "matrix: ✉️ reaction not sent"));
    }
  }
}
