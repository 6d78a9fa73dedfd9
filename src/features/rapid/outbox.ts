import type { CommandContext, MemberLocale } from "../../core/command.ts";
import type { Translator } from "../../core/i18n.ts";
import type { Action, Block, OutgoingMessage } from "../../core/message.ts";
import { asLanguage } from "../../core/time.ts";
import type { Team } from "../../generated/prisma/client.ts";
import type { JobContext } from "../../scheduler/port.ts";

/** What a view produces; the outbox adds audience, language and zone. */
export interface Content {
  blocks: Block[];
  actions?: Action[];
  tone?: OutgoingMessage["tone"];
  key?: string;
}

/** Room posts and private messages, the same from a command and from a scheduled job. */
export interface Outbox {
  /** A post to a team's room, in the team's language and zone. */
  room(team: Team, build: (tr: Translator) => Content): OutgoingMessage;
  /** A private message to a member, in their language and zone. */
  member(ref: string, team: Team, build: (locale: MemberLocale) => Content): Promise<OutgoingMessage>;
}

function message(
  audience: OutgoingMessage["audience"],
  lang: OutgoingMessage["lang"],
  timeZone: string,
  content: Content,
): OutgoingMessage {
  return {
    audience,
    lang,
    timeZone,
    tone: content.tone ?? "info",
    blocks: content.blocks,
    actions: content.actions ?? [],
    attachments: [],
    ...(content.key ? { key: content.key } : {}),
  };
}

const teamLanguage = (team: Team) => asLanguage(team.language);

export function commandOutbox(ctx: CommandContext): Outbox {
  return {
    room(team, build) {
      if (team.id === ctx.team.id) {
        let content: Content = { blocks: [] };
        const out = ctx.toTeam((tr) => {
          content = build(tr);
          return content.blocks;
        });
        return message(out.audience, out.lang, out.timeZone, content);
      }
      const lang = teamLanguage(team);
      return message({ kind: "room", room: team.ref }, lang, team.timeZone, build(ctx.translator(lang)));
    },
    async member(ref, team, build) {
      let content: Content = { blocks: [] };
      const out = await ctx.toMember(ref, (locale) => {
        content = build(locale);
        return content.blocks;
      });
      return message({ kind: "member", member: ref, team: team.ref }, out.lang, out.timeZone, content);
    },
  };
}

export function jobOutbox(jctx: JobContext): Outbox {
  return {
    room(team, build) {
      const lang = teamLanguage(team);
      return message({ kind: "room", room: team.ref }, lang, team.timeZone, build(jctx.translator(lang)));
    },
    async member(ref, team, build) {
      const locale = await jctx.localeFor(ref, team);
      // Sent only while the member still belongs to the team (checked when it is sent).
      return message({ kind: "member", member: ref, team: team.ref }, locale.lang, locale.timeZone, build(locale));
    },
  };
}
