import type { Logger } from "pino";
import type { Db } from "../db/client.ts";
import type { Member, Team } from "../generated/prisma/client.ts";
import type { AnyJobHandler } from "../scheduler/port.ts";
import type { ArgShape, ArgValues, Localized, RawValue } from "./args.ts";
import type { UserError } from "./errors.ts";
import type { LocaleBundle, Translator } from "./i18n.ts";
import type { Block, OutgoingMessage } from "./message.ts";
import type { Registry } from "./registry.ts";
import type { Services } from "./services.ts";
import type { Language } from "./time.ts";

export type Category = "general" | "polls" | "meetings" | "tasks" | "reminders" | "rapid";
/** Help order: the team's most urgent work first. */
export const categories: readonly Category[] = ["general", "rapid", "tasks", "polls", "meetings", "reminders"];

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
  input:
    | { kind: "text"; text: string; requirePrefix: boolean }
    | { kind: "structured"; path: readonly string[]; values: Record<string, RawValue> };
}

export interface MemberLocale {
  tr: Translator;
  lang: Language;
  timeZone: string;
}

export interface CommandContext {
  readonly invocation: Invocation;
  readonly db: Db;
  readonly services: Services;
  readonly log: Logger;
  /** All commands, for help. */
  readonly registry: Registry;
  readonly team: Team;
  readonly member: Member;
  readonly lang: Language;
  readonly timeZone: string;
  readonly tr: Translator;
  readonly isCoordinator: boolean;
  readonly now: Date;
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

/** A named, reusable precondition; returns the error to show, or nothing to go on. */
export interface Guard {
  name: string;
  check(ctx: CommandContext): UserError | undefined;
}

export interface CommandSpec<A extends ArgShape> {
  /** ["poll", "create"]: family, optional group, command; each word [a-z0-9-], up to 32 characters. */
  path: readonly string[];
  /** Other ways to type the same path, e.g. ["hilfe"], ["umfrage", "neu"]. */
  aliases?: readonly (readonly string[])[];
  /** Localized names of the last path word, for platforms that show them (Discord). */
  names?: Partial<Localized>;
  category: Category;
  description: Localized;
  args: A;
  /** Command lines that show how it is used (help). */
  examples?: readonly string[];
  guards?: readonly Guard[];
  /** Runs when its family is typed with no (known) subcommand: "settings" -> "settings show". */
  isDefault?: boolean;
  /** May take longer than about two seconds (Discord defers the reply). */
  slow?: boolean;
  /** Only answers the invoker, never posts in the room: usable where the bot may not write. */
  noRoomPosts?: boolean;
  handler(ctx: CommandContext, args: ArgValues<A>): Promise<Reply> | Reply;
}

/** A command with its argument types erased, as the registry keeps it. */
export interface AnyCommand {
  path: readonly string[];
  aliases?: readonly (readonly string[])[];
  names?: Partial<Localized>;
  category: Category;
  description: Localized;
  args: ArgShape;
  examples?: readonly string[];
  guards?: readonly Guard[];
  isDefault?: boolean;
  slow?: boolean;
  noRoomPosts?: boolean;
  handler(ctx: CommandContext, args: Record<string, unknown>): Promise<Reply> | Reply;
}

export function defineCommand<A extends ArgShape>(spec: CommandSpec<A>): AnyCommand {
  return spec as unknown as AnyCommand;
}

/** A command family module: its commands and its translations. */
export interface CommandFamily {
  name: string;
  description: Localized;
  commands: readonly AnyCommand[];
  locales: LocaleBundle;
  /** Scheduled job kinds this feature runs (reminders, deadlines, escalations). */
  jobs?: readonly AnyJobHandler[];
}
