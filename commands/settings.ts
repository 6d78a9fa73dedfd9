import { arg } from "../src/core/args.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { defineLocales } from "../src/core/i18n.ts";
import { heading, list, paragraph, time } from "../src/core/message.ts";
import { defineCommand, type Family, scopeOf } from "./define.ts";
import { teamHours } from "./settings-hours.ts";

const locales = defineLocales(
  "settings",
  {
    title: "Settings",
    yours: "Yours",
    team: "This team",
    language: "Language: {{value}}",
    timeZone: "Time zone: {{value}}",
    teamDefault: "{{value}} (team default)",
    languageSet: "Your language is now **English**.",
    timeZoneSet: "Your time zone is now **{{zone}}**. It is {{now}} there.",
    teamLanguageSet: "The team's language is now **English**. Members who chose their own keep it.",
    teamTimeZoneSet: "The team's time zone is now **{{zone}}**. It is {{now}} there.",
    hint: "Change yours with **settings language de|en** and **settings timezone <zone>**.",
    hours: {
      title: "Parts of the day in this team",
      line: "{{part}}: {{hour}}",
      lineDefault: "{{part}}: {{hour}} (default)",
      hint: "A reminder for a day without a time comes at the morning hour. Coordinators change an hour with e.g. **settings team hours morning 8**.",
      set: "In this team, {{part}} now means {{hour}} (for new dates; planned ones stay).",
      invalid:
        "“{{value}}” is not a part of the day with an hour. Try e.g. **settings team hours morning 8** or **settings team hours evening 18**.",
      early: "early (früh)",
      morning: "morning (morgens)",
      forenoon: "forenoon (vormittags)",
      noon: "noon (mittags)",
      afternoon: "afternoon (nachmittags)",
      evening: "evening, tonight (abends)",
      night: "night (nachts)",
    },
  },
  {
    title: "Einstellungen",
    yours: "Deine",
    team: "Dieses Team",
    language: "Sprache: {{value}}",
    timeZone: "Zeitzone: {{value}}",
    teamDefault: "{{value}} (Vorgabe des Teams)",
    languageSet: "Deine Sprache ist jetzt **Deutsch**.",
    timeZoneSet: "Deine Zeitzone ist jetzt **{{zone}}**. Dort ist es {{now}}.",
    teamLanguageSet: "Die Sprache des Teams ist jetzt **Deutsch**. Wer eine eigene gewählt hat, behält sie.",
    teamTimeZoneSet: "Die Zeitzone des Teams ist jetzt **{{zone}}**. Dort ist es {{now}}.",
    hint: "Ändere deine mit **settings language de|en** und **settings timezone <zone>**.",
    hours: {
      title: "Tageszeiten in diesem Team",
      line: "{{part}}: {{hour}}",
      lineDefault: "{{part}}: {{hour}} (Vorgabe)",
      hint: "Eine Erinnerung für einen Tag ohne Uhrzeit kommt zur Morgenstunde. Die Koordination ändert eine Stunde z. B. mit **settings team hours morgens 8**.",
      set: "In diesem Team heißt {{part}} jetzt {{hour}} (für neue Termine; geplante bleiben).",
      invalid:
        "„{{value}}“ ist keine Tageszeit mit Stunde. Versuche z. B. **settings team hours morgens 8** oder **settings team hours abends 18**.",
      early: "früh (early)",
      morning: "morgens (morning)",
      forenoon: "vormittags (forenoon)",
      noon: "mittags (noon)",
      afternoon: "nachmittags (afternoon)",
      evening: "abends, heute Abend (evening, tonight)",
      night: "nachts (night)",
    },
  },
);

const show = defineCommand({
  path: ["settings", "show"],
  noRoomPosts: true,
  aliases: [["einstellungen", "zeigen"]],
  isDefault: true,
  category: "general",
  description: {
    en: "Show your and the team's settings",
    de: "Deine und die Einstellungen des Teams zeigen",
  },
  args: {},
  handler(ctx) {
    const { tr, member, team } = ctx;
    const own = (value: string | null, fallback: string) =>
      value ?? tr.t("settings.teamDefault", { value: fallback });
    return ctx.reply([
      heading(tr.t("settings.title")),
      paragraph(tr.t("settings.yours")),
      list([
        tr.tm("settings.language", { value: own(member.language, team.language) }),
        tr.tm("settings.timeZone", { value: own(member.timeZone, team.timeZone) }),
      ]),
      paragraph(tr.t("settings.team")),
      list([
        tr.tm("settings.language", { value: team.language }),
        tr.tm("settings.timeZone", { value: team.timeZone }),
      ]),
      { kind: "paragraph", spans: tr.tm("settings.hint") },
    ]);
  },
});

const languageArg = arg.language({ en: "de or en", de: "de oder en" }).positional().names({ de: "sprache" });
const zoneArg = arg
  .timeZone({ en: "An IANA time zone, e.g. Europe/Berlin", de: "Eine IANA-Zeitzone, z. B. Europe/Berlin" })
  .positional()
  .names({ de: "zeitzone" });

const language = defineCommand({
  path: ["settings", "language"],
  noRoomPosts: true,
  aliases: [["einstellungen", "sprache"]],
  names: { de: "sprache" },
  category: "general",
  description: { en: "Choose your language", de: "Deine Sprache wählen" },
  args: { language: languageArg },
  examples: ["settings language en", "settings language de"],
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
  aliases: [
    ["settings", "tz"],
    ["einstellungen", "zeitzone"],
  ],
  names: { de: "zeitzone" },
  category: "general",
  description: { en: "Choose your time zone", de: "Deine Zeitzone wählen" },
  args: { zone: zoneArg },
  examples: ["settings timezone Europe/Berlin", "settings timezone Asia/Kabul"],
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
  aliases: [["einstellungen", "team", "sprache"]],
  names: { de: "sprache" },
  category: "general",
  description: {
    en: "Set the team's language (coordinators)",
    de: "Sprache des Teams festlegen (Koordination)",
  },
  args: { language: languageArg },
  guards: [teamRoomOnly],
  examples: ["settings team language de"],
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
  aliases: [
    ["settings", "team", "tz"],
    ["einstellungen", "team", "zeitzone"],
  ],
  names: { de: "zeitzone" },
  category: "general",
  description: {
    en: "Set the team's time zone (coordinators)",
    de: "Zeitzone des Teams festlegen (Koordination)",
  },
  args: { zone: zoneArg },
  guards: [teamRoomOnly],
  examples: ["settings team timezone Europe/Berlin"],
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
  description: { en: "Settings", de: "Einstellungen" },
  commands: [show, language, timeZone, teamLanguage, teamTimeZone, teamHours],
  locales,
};
