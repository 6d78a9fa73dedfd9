import type { DbOrTx } from "../db/client.ts";
import type { Member, Team } from "../generated/prisma/client.ts";
import type { AdapterCapabilities, MembershipEnd } from "./adapter.ts";
import type { CommandContext, Invocation, MemberLocale } from "./command.ts";
import type { Translator } from "./i18n.ts";
import type { Logger } from "./log.ts";
import type { Block, OutgoingMessage } from "./message.ts";
import type { Registry } from "./registry.ts";
import { asLanguage, type Language } from "./time.ts";

/** A new team's language and zone. */
export interface Defaults {
  language: Language;
  timeZone: string;
}

/** Who an invocation comes from, as the directory needs it. */
export type Speaker = Pick<Invocation, "room" | "roomName" | "member" | "memberName" | "isCoordinator">;

/**
 * Where teams and members come from (the directory feature implements it): the core asks
 * for the rows behind an invocation and never reads them itself.
 */
/**
 * The rows behind an invocation as read, without writing. `ensure`, when set, creates or
 * refreshes them (first contact, a new name, "last seen"): the core runs it first in the
 * command's own unit of work, so a first command commits once. Until then a new team or
 * member is a stand-in with id 0 and the defaults.
 */
export interface LookedUp {
  team: Team;
  member: Member;
  ensure?: (handle: DbOrTx) => Promise<{ team: Team; member: Member }>;
}

export interface ContextResolver {
  /** The team and member of an invocation, created on first contact; records that the member was seen. */
  resolve(who: Speaker, now: Date): Promise<{ team: Team; member: Member }>;
  /** The same read only, the writes left to `ensure` (see LookedUp). */
  lookup?(who: Speaker, now: Date): Promise<LookedUp>;
  /** A known member (their own language and zone), or null; read on `handle` inside a transaction. */
  member(ref: string, handle?: DbOrTx): Promise<Member | null>;
  /** Members a platform reports in a conversation, linked to its team if they are not yet (nothing else changes). */
  addMembers?(who: readonly Speaker[], now: Date): Promise<void>;
  /** The platform says a member is no longer in a room: the membership ends (kept as a dated fact). */
  memberLeft?(room: string, member: string, how: MembershipEnd): Promise<void>;
}

/** What building a handler's context needs from the bot. */
export interface ContextSource<S> {
  services: S;
  log: Logger;
  registry: Registry;
  now: Date;
  capabilities: AdapterCapabilities | undefined;
  translator(lang: Language): Translator;
  localeFor(memberRef: string, team: Team): Promise<MemberLocale>;
}

function message(
  audience: OutgoingMessage["audience"],
  blocks: Block[],
  lang: Language,
  timeZone: string,
): OutgoingMessage {
  return { audience, lang, timeZone, tone: "info", blocks, actions: [], attachments: [] };
}

/** A handler's view of one invocation: who speaks where and when, and how to answer. */
export function commandContext<S>(
  source: ContextSource<S>,
  invocation: Invocation,
  rows: { team: Team; member: Member },
  lang: Language,
  timeZone: string,
): CommandContext<S> {
  const { team, member } = rows;
  const tr = source.translator(lang);
  return {
    invocation,
    services: source.services,
    log: source.log,
    registry: source.registry,
    team,
    member,
    actor: { member, isCoordinator: invocation.isCoordinator },
    lang,
    timeZone,
    tr,
    isCoordinator: invocation.isCoordinator,
    now: source.now,
    capabilities: source.capabilities,
    translator: (l) => source.translator(l),
    reply: (blocks, extra) => ({ ...message({ kind: "reply" }, blocks, lang, timeZone), ...extra }),
    ephemeral: (blocks, extra) => ({ ...message({ kind: "ephemeral" }, blocks, lang, timeZone), ...extra }),
    toTeam: (build, extra) => {
      const teamLang = asLanguage(team.language);
      const blocks = build(source.translator(teamLang));
      return { ...message({ kind: "room", room: team.ref }, blocks, teamLang, team.timeZone), ...extra };
    },
    toMember: async (ref, build, extra) => {
      const locale = await source.localeFor(ref, team);
      const blocks = build(locale);
      // About this team: delivered only while the member still belongs to it (not from a direct conversation).
      const audience = invocation.isDirect ? { kind: "member" as const, member: ref } : { kind: "member" as const, member: ref, team: team.ref };
      return { ...message(audience, blocks, locale.lang, locale.timeZone), ...extra };
    },
  };
}
