import { describe, expect, it } from "vitest";
import { families } from "../../commands/index.ts";
import { settingsFamily } from "../../commands/settings.ts";
import { decodeAction, encodeAction } from "../../src/adapters/discord/actions.ts";
import { parseDiscordMention } from "../../src/adapters/discord/discord-adapter.ts";
import {
  deriveCommands,
  optionsFor,
  suggestions,
  uniqueLocalizations,
} from "../../src/adapters/discord/commands.ts";
import { flattenOptions, splitList, valuesFor } from "../../src/adapters/discord/options.ts";
import { sameCommands } from "../../src/adapters/discord/sync.ts";
import { arg } from "../../src/core/args.ts";
import { type CommandFamily, defineCommand } from "../../src/core/command.ts";
import { loadCatalog } from "../../src/core/catalog.ts";
import { I18n } from "../../src/core/i18n.ts";
import { Registry } from "../../src/core/registry.ts";

const noop = () => undefined;

const meetingCreate = defineCommand({
  path: ["meeting", "create"],
  category: "meetings",
  args: {
    title: arg.string({ max: 200 }).positional(),
    slots: arg.when().many(1, 8).positional(),
    closesAt: arg.when().optional(),
    host: arg.member().optional(),
    limit: arg.integer({ min: 1, max: 50 }).default(10),
    anonymous: arg.flag(),
    kind: arg.choice(["online", "onsite"]).optional(),
  },
  handler: noop,
});
const meetingVote = defineCommand({
  path: ["meeting", "vote"],
  category: "meetings",
  args: {
    id: arg.integer().positional(),
    answer: arg.choice(["yes", "maybe", "no"]).positional(),
    note: arg.string().rest(),
  },
  handler: noop,
});
// A second family sharing the head word "settings".
const reminderSettings = defineCommand({
  path: ["settings", "meeting", "reminder"],
  category: "meetings",
  args: { before: arg.duration().positional() },
  handler: noop,
});
const ping = defineCommand({ path: ["ping"], category: "general", args: {}, handler: noop });
// "poll" alone clashes with "poll create": the 1-word command stays text-only.
const pollAlone = defineCommand({ path: ["poll"], category: "polls", args: {}, handler: noop });
const pollCreate = defineCommand({
  path: ["poll", "create"],
  category: "polls",
  args: { answers: arg.string().many(2, 10).positional() },
  handler: noop,
});

const family = (name: string, commands: CommandFamily["commands"]): CommandFamily => ({
  name,
  namespace: `x${name}`,
  commands,
});
/** Texts of the test families beside the real ones (settings). */
const texts = (lang: "en" | "de", t: string) => ({ name: "-", description: t });
const arg_ = (name: string, description: string) => ({ name, description });
const testTexts = (lang: "en" | "de") => ({
  xmeeting: {
    family: { name: "meeting", description: `meeting ${lang}` },
    args: {
      title: arg_("title", lang === "en" ? "English text" : "Deutscher Text"),
      slots: arg_("slots", "x"),
      closesAt: arg_("closes-at", "x"),
      host: arg_("host", "x"),
      limit: arg_("limit", "x"),
      anonymous: arg_("anonymous", "x"),
      kind: { ...arg_("kind", "x"), choices: { online: "online", onsite: lang === "en" ? "onsite" : "vor Ort" } },
      id: arg_("id", "x"),
      answer: arg_("answer", "x"),
      note: arg_("note", "x"),
      before: arg_("before", "x"),
    },
    commands: {
      "meeting create": { name: lang === "en" ? "create" : "anlegen", description: lang === "en" ? "Create a meeting poll" : "Terminumfrage anlegen" },
      "meeting vote": { name: "vote", description: "x" },
      "settings meeting reminder": {
        name: "reminder",
        description: lang === "en" ? "When to remind before meetings" : "Wann vor Terminen erinnern",
      },
    },
  },
  xping: { family: texts(lang, "ping"), commands: { ping: { name: "ping", description: "English text" } } },
  xpoll: {
    family: { name: "poll", description: "poll" },
    args: { answers: arg_("answers", "x") },
    commands: { poll: { name: "poll", description: "x" }, "poll create": { name: "create", description: "x" } },
  },
});
const catalog = loadCatalog();
const i18n = new I18n({
  en: { ...catalog.en, ...testTexts("en") },
  de: { ...catalog.de, ...testTexts("de") },
});
const registry = new Registry(
  [
    settingsFamily,
    family("meeting", [meetingCreate, meetingVote, reminderSettings]),
    family("ping", [ping]),
    family("poll", [pollAlone, pollCreate]),
  ],
  i18n,
);

describe("application commands derived from the registry", () => {
  const { commands, skipped } = deriveCommands(registry);
  const byName = (name: string) => commands.find((c) => c.name === name);

  it("groups every command by its head word, across families", () => {
    expect(commands.map((c) => c.name)).toEqual(["settings", "meeting", "ping", "poll"]);
    const settings = byName("settings");
    expect(settings?.description).toBe("Settings");
    expect(settings?.options?.map((o) => `${o.name}:${o.type}`)).toEqual([
      "show:1",
      "language:1",
      "timezone:1",
      "team:2",
      "meeting:2",
    ]);
    const group = settings?.options?.find((o) => o.name === "meeting");
    expect(group).toMatchObject({
      description: "meeting",
      options: [
        {
          name: "reminder",
          type: 1,
          description: "When to remind before meetings",
          description_localizations: { de: "Wann vor Terminen erinnern" },
          options: [{ name: "before", type: 3, required: true }],
        },
      ],
    });
  });

  it("keeps a one-word command with subcommands beside it as text only", () => {
    expect(skipped).toEqual(["poll"]);
    expect(byName("poll")?.options?.map((o) => o.name)).toEqual(["create"]);
    expect(byName("ping")).toMatchObject({ name: "ping", description: "English text", options: [] });
  });

  it("maps argument kinds to option types, required first, with limits and localizations", () => {
    const options = optionsFor(registry, meetingCreate);
    expect(options.map((o) => [o.name, o.type, o.required])).toEqual([
      ["title", 3, true],
      ["slots", 3, true],
      ["closes-at", 3, false],
      ["host", 6, false],
      ["limit", 4, false],
      ["anonymous", 5, false],
      ["kind", 3, false],
    ]);
    expect(options[0]).toMatchObject({
      min_length: 1,
      max_length: 200,
      description_localizations: { de: "Deutscher Text" },
    });
    expect(options.find((o) => o.name === "limit")).toMatchObject({ min_value: 1, max_value: 50 });
    expect(options.find((o) => o.name === "kind")).toMatchObject({
      choices: [
        { name: "online", value: "online" },
        { name: "onsite", value: "onsite", name_localizations: { de: "vor Ort" } },
      ],
    });
    expect(byName("meeting")?.options?.[0]).toMatchObject({
      name: "create",
      name_localizations: { de: "anlegen" },
    });
  });

  it("offers autocomplete where the declaration has values", () => {
    const zone = byName("settings")?.options?.find((o) => o.name === "timezone");
    expect(zone).toMatchObject({ options: [{ name: "zone", autocomplete: true }] });
    const [, spec] = Object.entries(meetingVote.args)[1] ?? [];
    expect(spec && suggestions(spec.meta, "ma")).toEqual([{ name: "maybe", value: "maybe" }]);
  });

  it("drops a translated name that would clash on its level", () => {
    const clashing = uniqueLocalizations([
      { name: "list", name_localizations: { de: "zeigen" } },
      { name: "show", name_localizations: { de: "zeigen" } },
      { name: "zeigen" },
    ]);
    expect(clashing).toEqual([{ name: "list" }, { name: "show" }, { name: "zeigen" }]);
    expect(uniqueLocalizations([{ name: "a", name_localizations: { de: "b" } }])).toEqual([
      { name: "a", name_localizations: { de: "b" } },
    ]);
  });

  it("compares with Discord's answer, ignoring ids and defaults Discord adds", () => {
    const remote = commands.map((c, i) => ({
      ...c,
      id: String(i),
      version: "1",
      application_id: "1",
      default_member_permissions: null,
      name_localizations: c.name_localizations ?? null,
      options: c.options?.map((o) => ({
        ...o,
        description_localizations: o.description_localizations ?? null,
      })),
    }));
    expect(sameCommands(commands, remote.reverse())).toBe(true);
    expect(sameCommands(commands, remote.slice(1))).toBe(false);
    expect(sameCommands(commands, [{ ...remote[0], description: "other" }, ...remote.slice(1)])).toBe(false);
    expect(sameCommands(commands, { message: "nope" })).toBe(false);
  });
});

describe("the bot's own commands on Discord", () => {
  const real = deriveCommands(new Registry(families));

  it("carry every translated name Discord accepts, in German, Ukrainian, Russian and Turkish", () => {
    expect(real.untranslated).toEqual([]);
    expect(real.skipped).toEqual([]);
    const poll = real.commands.find((c) => c.name === "poll");
    expect(poll?.name_localizations).toEqual({ de: "umfrage", uk: "опитування", ru: "опрос", tr: "anket" });
    const create = poll?.options?.find((o) => o.name === "create");
    expect(create?.name_localizations).toEqual({ de: "neu", uk: "створити", ru: "создать", tr: "oluştur" });
    expect(create?.description_localizations).toMatchObject({ tr: "Bu ekipte bir anket başlatın" });
  });
});

describe("interaction options to invocation values", () => {
  it("finds the path through subcommand groups and maps values to argument keys", () => {
    const { path, leaves } = flattenOptions("settings", [
      {
        name: "meeting",
        type: 2,
        options: [{ name: "reminder", type: 1, options: [{ name: "before", type: 3, value: "2h" }] }],
      },
    ]);
    expect(path).toEqual(["settings", "meeting", "reminder"]);
    expect(valuesFor(reminderSettings, leaves)).toEqual({ before: "2h" });
  });

  it("turns users into mentions and lists into words", () => {
    const values = valuesFor(meetingCreate, [
      { name: "title", type: 3, value: "Team meeting" },
      { name: "slots", type: 3, value: "Monday 10:00; Tuesday 11:00" },
      { name: "host", type: 6, value: "123456789012345678" },
      { name: "anonymous", type: 5, value: true },
      { name: "closes-at", type: 3, value: "friday" },
    ]);
    expect(values).toEqual({
      title: "Team meeting",
      slots: ["Monday 10:00", "Tuesday 11:00"],
      host: "<@123456789012345678>",
      anonymous: true,
      closesAt: "friday",
    });
    expect(valuesFor(meetingVote, [{ name: "note", type: 3, value: "all fine" }])).toEqual({
      note: "all fine",
    });
  });

  it("splits a list on semicolons, else like a command line with quotes", () => {
    expect(splitList('Pizza "Pasta al forno" Salad')).toEqual(["Pizza", "Pasta al forno", "Salad"]);
    expect(splitList("a b; c ;;")).toEqual(["a b", "c"]);
    expect(splitList('poll "create')).toEqual(["poll", '"create']);
  });
});

describe("button custom ids", () => {
  it("carry the command line and stay within 100 characters", () => {
    expect(encodeAction(0, "task take 12")).toBe("tb0:task take 12");
    expect(decodeAction("tb0:task take 12")).toBe("task take 12");
    expect(encodeAction(3, "x".repeat(97))).toBeUndefined();
    expect(encodeAction(3, "x".repeat(96))).toHaveLength(100);
    expect(decodeAction("other:thing")).toBeUndefined();
  });
});

describe("Discord mentions typed in text", () => {
  const adapter = { parseMention: parseDiscordMention };
  it("accepts <@id>, <@!id>, discord:<id> and a bare id", () => {
    expect(adapter.parseMention("<@123456789012345678>")).toBe("discord:123456789012345678");
    expect(adapter.parseMention("<@!123456789012345678>")).toBe("discord:123456789012345678");
    expect(adapter.parseMention("discord:123456789012345678")).toBe("discord:123456789012345678");
    expect(adapter.parseMention("123456789012345678")).toBe("discord:123456789012345678");
    expect(adapter.parseMention("@ann")).toBeUndefined();
    expect(adapter.parseMention("<@&123456789012345678>")).toBeUndefined();
  });
});
