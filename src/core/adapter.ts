import type { Clock } from "./clock.ts";
import type { Invocation } from "./command.ts";
import type { I18n } from "./i18n.ts";
import type { MessageSubject, OutgoingMessage } from "./message.ts";
import type { Registry } from "./registry.ts";

/** What a platform's own polls can show; features decide from it whether a poll can be native. */
export interface NativePollSupport {
  maxAnswers: number;
  maxAnswerLength: number;
  maxQuestionLength: number;
  /** The longest a native poll may stay open, in days (undefined: no limit). */
  maxDays?: number;
  /** The platform ends its poll after `maxDays` by itself (Discord): a poll without a deadline is closed then. */
  endsByItself: boolean;
  /** Any number of answers between one and all may be allowed (Discord knows only one or all). */
  anySelectionCount: boolean;
  /** Results can stay hidden until the poll ends. */
  hiddenResults: boolean;
  /** Who voted what stays secret (where every member can read the votes, anonymous polls are never native). */
  secretVotes: boolean;
  /** Members vote in the native poll itself (no buttons), so polls are native unless they cannot be. */
  preferred: boolean;
}

/**
 * Native polls as every platform with polls can show them (the tightest limits, Discord's):
 * what the console offers, so trying a poll there tells what works everywhere.
 */
export const portableNativePolls: NativePollSupport = {
  maxAnswers: 10,
  maxAnswerLength: 55,
  maxQuestionLength: 300,
  maxDays: 32,
  endsByItself: false,
  anySelectionCount: false,
  hiddenResults: false,
  secretVotes: false,
  preferred: false,
};

export interface AdapterCapabilities {
  buttons: boolean;
  /** The platform's own polls, or false where it has none. */
  nativePolls: NativePollSupport | false;
  editMessages: boolean;
  maxMessageLength: number;
  /** Votes given in a room are seen by everyone there (no private answers): anonymous polls take ballots in direct messages. */
  publicVotes?: boolean;
}

/**
 * `key` is the same for every try of one outbox entry: a platform that deduplicates
 * (Matrix transaction ids, Discord nonces) shows the message once even when a try reached
 * it but the bot did not hear back (a timeout, a crash between the send and its record).
 */
export interface SendOptions {
  key?: string;
}

/** Where an adapter sends a message it did not get as a reply: a room or one member privately. */
export type DeliveryTarget = { room: string } | { member: string };

export type DispatchResult =
  | { kind: "not-command" }
  /** Messages for the invoker: audience "reply" or "ephemeral". Others were handed to delivery. */
  | { kind: "ok"; messages: OutgoingMessage[] }
  | { kind: "user-error"; messages: OutgoingMessage[] }
  | { kind: "internal-error"; errorId: string; messages: OutgoingMessage[] };

/** What an adapter may call on the bot. */
export interface BotPort {
  /** Every command, to derive platform command definitions (Discord application commands). */
  readonly registry: Registry;
  readonly i18n: I18n;
  /** The bot's clock: relative times ("in 2 hours") are rendered against it. */
  readonly clock: Clock;
  handle(invocation: Invocation): Promise<DispatchResult>;
  deliver(messages: OutgoingMessage[]): Promise<void>;
  /** What a message the bot sent in a conversation shows ({feature: "poll", id: 12}), by the platform's message id. */
  sentKey(conversation: string, messageId: string): Promise<MessageSubject | undefined>;
  /**
   * Members the platform says are in a conversation (joined), recorded as its team's
   * members if they are not yet; nothing else changes. Optional for adapters' test doubles.
   */
  noteMembers?(room: string, roomName: string | undefined, members: readonly NotedMember[]): Promise<void>;
  /**
   * The platform says a member is no longer in a room (left, kicked, banned, removed, lost the
   * permission to see it): the membership ends, as a dated fact. Optional for test doubles.
   */
  memberLeft?(room: string, member: string, how: MembershipEnd): Promise<void>;
}

export interface NotedMember {
  member: string;
  memberName: string;
  isCoordinator: boolean;
}

/** How a membership ended, as a platform reports it (the `MembershipEnd` enum of the schema). */
export type MembershipEnd = "left" | "kicked" | "banned" | "removed" | "lostAccess";

/**
 * A platform's word on one member of one room, now: present (and whether they may coordinate
 * it, when the platform can say), or gone and how.
 */
export type MemberStatus = { present: true; coordinator?: boolean } | { present: false; how: MembershipEnd };

/**
 * A chat platform plugged into the bot (not a subclass of it), so several run side by side.
 * References it produces and accepts carry its name as prefix: "<name>:...".
 */
export interface Adapter {
  readonly name: string;
  readonly capabilities: AdapterCapabilities;
  /** Connects and starts passing incoming commands to `bot.handle`. */
  start(bot: BotPort): Promise<void>;
  /**
   * Stops taking new input and hands what it already received to the bot, which still
   * runs it (the first step of a shutdown; the outbox still sends through the adapter).
   */
  stopInput?(): Promise<void>;
  /** Disconnects; in-flight work is awaited by the bot before. */
  stop(): Promise<void>;
  /** Sends a message to a room or privately to a member; returns the platform's message id. */
  send(target: DeliveryTarget, message: OutgoingMessage, options?: SendOptions): Promise<string>;
  /** Replaces a message sent earlier (platforms that can edit). */
  edit?(room: string, messageId: string, message: OutgoingMessage): Promise<void>;
  /** Turns a mention as typed on this platform into a member reference, or undefined. */
  parseMention(token: string): string | undefined;
  /** Whether the connection to the platform is up now (the health check); without it: always. */
  connected?(): boolean;
  /**
   * Asks the platform whether a member is in a room now and may coordinate it (checked before
   * private deliveries and when rights are used from a direct conversation); undefined when
   * the platform cannot tell (unknown room, not connected, an error).
   */
  memberStatus?(room: string, member: string): Promise<MemberStatus | undefined>;
  /**
   * Several processes on one database: another process holds the platform's connection now
   * and sends its messages (src/adapters/leader-only.ts); this one leaves them to it.
   */
  connectedElsewhere?(): boolean;
  /** Asks the process that holds the connection to look for messages to send. */
  nudge?(): Promise<void>;
}

/** The adapter name a reference belongs to: "discord:123" -> "discord". */
export function platformOf(ref: string): string {
  const i = ref.indexOf(":");
  return i === -1 ? "" : ref.slice(0, i);
}
