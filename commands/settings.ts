import { arg } from "../src/core/args.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { heading, list, paragraph, time } from "../src/core/message.ts";
import { languageName as nameOf, languages } from "../src/core/time.ts";
import { defineCommand, type Family, scopeOf } from "./define.ts";
import { teamHours } from "./settings-hours.ts";

const show = defineCommand({
  path: ["settings", "show"],
  readOnly: true,
  noRoomPosts: true,
  isDefault: true,
  category: "general",
  args: {},
  handler(ctx) {
    const { tr, member, team } = ctx;
    const own = (value: string | null, fallback: string) =>
      value ?? tr.t("settings.teamDefault", { value: fallback });
    // "Deutsch (de)", in the reader's language.
    const languageName = (code: string) => tr.t("settings.languageName", { name: nameOf(code, tr.lang), code });
    return ctx.reply([
      heading(tr.t("settings.title")),
      paragraph(tr.t("settings.yours")),
      list([
        tr.tm("settings.language", {
          value: member.language ? languageName(member.language) : own(null, languageName(team.language)),
        }),
        tr.tm("settings.timeZone", { value: own(member.timeZone, team.timeZone) }),
      ]),
      paragraph(tr.t("settings.team")),
      list([
        tr.tm("settings.language", { value: languageName(team.language) }),
        tr.tm("settings.timeZone", { value: team.timeZone }),
      ]),
      { kind: "paragraph", spans: tr.tm("settings.hint", { languages: languages.join("|") }) },
    ]);
  },
});

const languageArg = arg.language().positional();
const zoneArg = arg.timeZone().positional();

const language = defineCommand({
  path: ["settings", "language"],
  noRoomPosts: true,
  category: "general",
  args: { language: languageArg },
  async handler(ctx, args) {
    await ctx.services.directory.setMemberSettings(ctx.actor, { language: args.language });
    // Confirm in the language just chosen.
    const tr = ctx.translator(args.language);
    return {
      ...ctx.reply([{ kind: "paragraph", spans: tr.tm("settings.languageSet") }], { tone: "success" }),
      lang: args.language,
    };
  },
});

const timeZone = defineCommand({
  path: ["settings", "timezone"],
  noRoomPosts: true,
  aliases: [["settings", "tz"]],
  category: "general",
  args: { zone: zoneArg },
  async handler(ctx, { zone }) {
    await ctx.services.directory.setMemberSettings(ctx.actor, { timeZone: zone });
    return {
      ...ctx.reply(
        [
          {
            kind: "paragraph",
            spans: ctx.tr.tm("settings.timeZoneSet", { zone, now: time(ctx.now, "time") }),
          },
        ],
        { tone: "success" },
      ),
      timeZone: zone,
    };
  },
});

const teamLanguage = defineCommand({
  path: ["settings", "team", "language"],
  noRoomPosts: true,
  category: "general",
  args: { language: languageArg },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    await ctx.services.directory.setTeamSettings(scopeOf(ctx), { language: args.language });
    const tr = ctx.translator(args.language);
    return {
      ...ctx.reply([{ kind: "paragraph", spans: tr.tm("settings.teamLanguageSet") }], { tone: "success" }),
      lang: args.language,
    };
  },
});

const teamTimeZone = defineCommand({
  path: ["settings", "team", "timezone"],
  noRoomPosts: true,
  aliases: [["settings", "team", "tz"]],
  category: "general",
  args: { zone: zoneArg },
  guards: [teamRoomOnly],
  async handler(ctx, { zone }) {
    await ctx.services.directory.setTeamSettings(scopeOf(ctx), { timeZone: zone });
    return {
      ...ctx.reply(
        [
          {
            kind: "paragraph",
            spans: ctx.tr.tm("settings.teamTimeZoneSet", { zone, now: time(ctx.now, "time") }),
          },
        ],
        { tone: "success" },
      ),
      timeZone: zone,
    };
  },
});

export const settingsFamily: Family = {
  name: "settings",
  namespace: "settings",
  commands: [show, language, timeZone, teamLanguage, teamTimeZone, teamHours],
};
