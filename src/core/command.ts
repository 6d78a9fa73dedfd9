import type { Logger } from "pino";
import type { DbOrTx } from "../db/client.ts";
import type { Member, Team } from "../generated/prisma/client.ts";
import type { AdapterCapabilities } from "./adapter.ts";
import type { ArgShape, ArgValues, RawValue } from "./args.ts";
import type { UserError } from "./errors.ts";
import type { Translator } from "./i18n.ts";
import type { Block, MessageSubject, OutgoingMessage } from "./message.ts";
import type { Registry } from "./registry.ts";
import type { Language } from "./time.ts";

export type Category = "general" | "polls" | "meetings" | "tasks" | "reminders" | "rapid";
/** Help order: the team's most urgent work first. */
export const categories: readonly Category[] = ["general", "rapid", "tasks", "polls", "meetings", "reminders"];

/** A command with typed values: what a slash command, a button press or a native poll vote runs. */
export interface CommandCall {
  path: readonly string[];
  /** Values by argument key; the core validates them like typed words. */
  values: Record<string, RawValue>;
}

/** How a member changed their vote in a native poll (Discord reports one answer, Matrix the whole choice). */
export type PollVoteChange =
  | { kind: "add"; answer: string }
  | { kind: "remove"; answer: string }
  | { kind: "set"; answers: readonly string[] };

export type InvocationInput =
  /** A line a member typed. */
  | { kind: "text"; text: string; requirePrefix: boolean }
  /** A command with typed values (slash commands, buttons and numbered choices). */
  | ({ kind: "structured" } & CommandCall)
  /** A vote in a native poll the bot posted: which message, and how the vote changed. */
  | { kind: "poll-vote"; poll: MessageSubject; change: PollVoteChange };

/** One command as it reaches the core, from any platform. */
export interface Invocation {
  /** Adapter name: "console", "discord", "matrix". */
  platform: string;
  /** Conversation reference, e.g. "discord:<guild>/<channel>", "matrix:!room:server", "console:main". */
  room: string;
  roomName?: string;
  /** A direct conversation between one member and the bot. */
  isDirect: boolean;
  /** Member reference, e.g. "discord:123", "matrix:@ann:example.org", "console:ann". */
  member: string;
  memberName: string;
  /** The platform's locale for this member ("de", "en-US"), used until they choose a language. */
  locale?: string;
  /** Platform-derived coordinator status (Discord permissions, Matrix power level, console switch). */
  isCoordinator: boolean;
  input: InvocationInput;
  /**
   * Claims the platform event this invocation comes from, on `handle` (the command's own
   * transaction, so the claim commits with what the command changed): false when it was
   * handled before, and the command is not run again. Platforms that may deliver an event
   * twice (Matrix after a restart) set it.
   */
  claim?: (handle: DbOrTx) => Promise<boolean>;
}

export interface MemberLocale {
  tr: Translator;
  lang: Language;
  timeZone: string;
}

/** Who acts: the member and whether they coordinate the team they act in. */
export interface Actor {
  member: Member;
  isCoordinator: boolean;
}

/**
 * What a handler gets: who speaks where and when, how to answer, and the feature services
 * `S` the app built (the core never looks into them).
 */
export interface CommandContext<S = unknown> {
  readonly invocation: Invocation;
  readonly services: S;
  readonly log: Logger;
  /** All commands, for help. */
  readonly registry: Registry;
  readonly team: Team;
  readonly member: Member;
  readonly actor: Actor;
  readonly lang: Language;
  readonly timeZone: string;
  readonly tr: Translator;
  readonly isCoordinator: boolean;
  readonly now: Date;
  /** What the invoking platform can show (native polls and their limits, buttons). */
  readonly capabilities: AdapterCapabilities | undefined;
  /** A translator for another language (e.g. to confirm a language change in the new language). */
  translator(lang: Language): Translator;
  /** An answer to the invoker in the invoking room. */
  reply(blocks: Block[], extra?: Partial<OutgoingMessage>): OutgoingMessage;
  /** An answer only the invoker sees. */
  ephemeral(blocks: Block[], extra?: Partial<OutgoingMessage>): OutgoingMessage;
  /** A post to the team room in the team's language (announcements, editable status posts). */
  toTeam(build: (tr: Translator) => Block[], extra?: Partial<OutgoingMessage>): OutgoingMessage;
  /** A private message to a member, translated in their language and zone. */
  toMember(
    member: string,
    build: (locale: MemberLocale) => Block[],
    extra?: Partial<OutgoingMessage>,
  ): Promise<OutgoingMessage>;
}

export type Reply = OutgoingMessage | OutgoingMessage[] | undefined;

/**
 * A named, reusable precondition about where a command may be used (not who may use it:
 * permissions are rules of the feature's use case). Returns the error to show, or nothing.
 */
export interface Guard {
  name: string;
  check(ctx: CommandContext): UserError | undefined;
}

export interface CommandSpec<A extends ArgShape, S = unknown> {
  /**
   * ["poll", "create"]: family, optional group, command; each word [a-z0-9-], up to 32
   * characters. Its name, description and examples in every language are texts under
   * `<family>.commands.<path>`; the German names are also typed aliases ("umfrage neu").
   */
  path: readonly string[];
  /** More ways to type the same path, e.g. ["settings", "tz"]. */
  aliases?: readonly (readonly string[])[];
  category: Category;
  args: A;
  guards?: readonly Guard[];
  /** Runs when its family is typed with no (known) subcommand: "settings" -> "settings show". */
  isDefault?: boolean;
  /** May take longer than about two seconds (Discord defers the reply). */
  slow?: boolean;
  /** Only answers the invoker, never posts in the room: usable where the bot may not write. */
  noRoomPosts?: boolean;
  /** Only reads: runs without a transaction of its own (commands that change something run in one). */
  readOnly?: boolean;
  handler(ctx: CommandContext<S>, args: ArgValues<A>): Promise<Reply> | Reply;
}

/** A command with its argument types erased, as the registry keeps it. */
export interface AnyCommand<S = unknown> {
  path: readonly string[];
  aliases?: readonly (readonly string[])[];
  category: Category;
  args: ArgShape;
  guards?: readonly Guard[];
  isDefault?: boolean;
  slow?: boolean;
  noRoomPosts?: boolean;
  readOnly?: boolean;
  handler(ctx: CommandContext<S>, args: Record<string, unknown>): Promise<Reply> | Reply;
}

/**
 * A command as the registry keeps it. The core validates values against `spec.args` before
 * the handler runs, so the erased record holds exactly what ArgValues<A> describes.
 */
export function defineCommand<A extends ArgShape, S = unknown>(spec: CommandSpec<A, S>): AnyCommand<S> {
  return spec;
}

/** Where the votes of a family's native polls go: the command a vote stands for. */
export interface NativePollVotes {
  /** The feature of the subjects these polls are posted under (`MessageSubject.feature`). */
  feature: string;
  call(id: number, change: PollVoteChange): CommandCall;
}

/**
 * A command family module. Its texts are the message file `locales/<lang>/<namespace>.json`:
 * `family` (name and description), `groups`, `args` and `commands` (see ArgMeta, CommandSpec).
 */
export interface CommandFamily<S = unknown> {
  name: string;
  namespace: string;
  commands: readonly AnyCommand<S>[];
  /** The family posts native polls: how their votes become commands. */
  nativePollVotes?: NativePollVotes;
}
