import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandGroupOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { ArgMeta } from "../../core/args.ts";
import type { AnyCommand } from "../../core/command.ts";
import type { Translator } from "../../core/i18n.ts";
import { optionName } from "../../core/parse.ts";
import type { Registry } from "../../core/registry.ts";
import { languages } from "../../core/time.ts";
import { truncate } from "./text.ts";

/**
 * Application commands derived from the registry, one declaration for every platform:
 * commands are grouped by their first path word ("settings"), 2-word paths become
 * subcommands, 3-word paths subcommand groups. Arguments become typed options.
 *
 * Variadic (`.many()`) arguments become ONE string option: the words are split like a
 * command line (quotes group words), or on ";" when the text contains one
 * ("Monday 10:00; Tuesday 11:00"). `.rest()` arguments are one string option.
 */
export type SlashCommand = RESTPostAPIChatInputApplicationCommandsJSONBody;

/** Discord's limits for application commands. */
const maxDescription = 100;
const maxOptions = 25;
const maxChoices = 25;
const maxStringLength = 6000;
const namePattern = /^[-_\p{L}\p{N}]{1,32}$/u;

export interface Derived {
  commands: SlashCommand[];
  /** Commands that cannot be slash commands (path clashes); they stay usable as text. */
  skipped: string[];
  /** Translated names Discord would refuse (not a valid name, or taken on their level): they stay English there. */
  untranslated: string[];
}

/** Discord's locales for the languages Teambot speaks (Discord has none for Arabic or Farsi). */
const discordLocaleOf: Readonly<Record<string, string>> = { de: "de", uk: "uk", ru: "ru", tr: "tr" };
const localized = languages.filter((l) => l in discordLocaleOf);

type Localizations = Partial<Record<string, string>>;
/** A text in every language: the translator's text for a language. */
type TextOf = (tr: Translator) => string;

export function deriveCommands(registry: Registry): Derived {
  const texts = new Texts(registry);
  const skipped: string[] = [];
  const heads = new Map<string, AnyCommand[]>();
  for (const command of registry.commands) {
    const head = command.path[0] ?? "";
    heads.set(head, [...(heads.get(head) ?? []), command]);
  }
  const commands: SlashCommand[] = [];
  for (const [head, members] of heads) {
    const headText = (tr: Translator) => registry.described(registry.headKey(head), head, tr);
    const single = members.length === 1 && members[0]?.path.length === 1 ? members[0] : undefined;
    if (single) {
      commands.push({
        type: ApplicationCommandType.ChatInput,
        name: head,
        ...texts.name((tr) => headText(tr).name, head),
        ...texts.describe((tr) => registry.commandText(single, tr).description),
        options: optionsFor(registry, single, texts),
      });
      continue;
    }
    const options: (APIApplicationCommandSubcommandOption | APIApplicationCommandSubcommandGroupOption)[] =
      [];
    const groups = new Map<string, APIApplicationCommandSubcommandGroupOption>();
    for (const command of members) {
      if (command.path.length === 1) {
        skipped.push(command.path.join(" "));
        continue;
      }
      const last = command.path.at(-1) ?? "";
      const sub: APIApplicationCommandSubcommandOption = {
        type: ApplicationCommandOptionType.Subcommand,
        name: last,
        ...texts.name((tr) => registry.commandText(command, tr).name, last),
        ...texts.describe((tr) => registry.commandText(command, tr).description),
        options: optionsFor(registry, command, texts),
      };
      if (command.path.length === 2) {
        if (options.some((o) => o.name === sub.name)) skipped.push(command.path.join(" "));
        else options.push(sub);
        continue;
      }
      const groupName = command.path[1] ?? "";
      let group = groups.get(groupName);
      if (!group) {
        const groupText = (tr: Translator) => registry.described(registry.groupKey(head, groupName), groupName, tr);
        group = {
          type: ApplicationCommandOptionType.SubcommandGroup,
          name: groupName,
          ...texts.name((tr) => groupText(tr).name, groupName),
          ...texts.describe((tr) => groupText(tr).description),
          options: [],
        };
        groups.set(groupName, group);
        options.push(group);
      }
      group.options?.push(sub);
    }
    // A subcommand and a group may not share a name: the group wins.
    const kept = options.filter((o) => {
      const clash =
        o.type === ApplicationCommandOptionType.Subcommand &&
        options.some((g) => g.type === ApplicationCommandOptionType.SubcommandGroup && g.name === o.name);
      if (clash) skipped.push(`${head} ${o.name}`);
      return !clash;
    });
    if (kept.length > maxOptions) skipped.push(...kept.slice(maxOptions).map((o) => `${head} ${o.name}`));
    for (const g of kept) {
      if (g.type === ApplicationCommandOptionType.SubcommandGroup && (g.options?.length ?? 0) > maxOptions) {
        skipped.push(...(g.options ?? []).slice(maxOptions).map((o) => `${head} ${g.name} ${o.name}`));
        g.options = g.options?.slice(0, maxOptions);
      }
      if (g.type === ApplicationCommandOptionType.SubcommandGroup)
        g.options = uniqueLocalizations(g.options ?? [], texts.untranslated);
    }
    if (kept.length === 0) continue;
    commands.push({
      type: ApplicationCommandType.ChatInput,
      name: head,
      ...texts.name((tr) => headText(tr).name, head),
      ...texts.describe((tr) => headText(tr).description),
      options: uniqueLocalizations(kept.slice(0, maxOptions), texts.untranslated),
    });
  }
  return { commands: uniqueLocalizations(commands, texts.untranslated), skipped, untranslated: texts.untranslated };
}

/** Names and descriptions in English with their translations for Discord's locales. */
class Texts {
  readonly untranslated: string[] = [];
  private readonly en: Translator;
  private readonly others: { locale: string; tr: Translator }[];

  constructor(registry: Registry) {
    this.en = registry.i18n.translator("en");
    this.others = localized.map((lang) => ({ locale: discordLocaleOf[lang] ?? lang, tr: registry.i18n.translator(lang) }));
  }

  /** Translations that differ from the English text (Discord drops identical ones). */
  private localizations(textOf: TextOf, en: string, shape: (text: string) => string | undefined): Localizations {
    const out: Localizations = {};
    for (const { locale, tr } of this.others) {
      const text = shape(textOf(tr));
      if (text !== undefined && text !== en) out[locale] = text;
    }
    return out;
  }

  describe(textOf: TextOf): { description: string; description_localizations?: Localizations } {
    const en = truncate(textOf(this.en) || "-", maxDescription);
    const others = this.localizations(textOf, en, (t) => (t ? truncate(t, maxDescription) : undefined));
    return Object.keys(others).length > 0 ? { description: en, description_localizations: others } : { description: en };
  }

  /** Names as Discord allows them: lowercase letters, digits, - and _. */
  name(textOf: TextOf, name: string): { name_localizations?: Localizations } {
    const others = this.localizations(textOf, name, (t) => {
      const lower = t.toLocaleLowerCase();
      if (namePattern.test(lower)) return lower;
      this.untranslated.push(`${name}: "${t}"`);
      return undefined;
    });
    return Object.keys(others).length > 0 ? { name_localizations: others } : {};
  }

  /** A choice's label and its translations. */
  choice(textOf: TextOf): { name: string; name_localizations?: Localizations } {
    const name = truncate(textOf(this.en), 100);
    const others = this.localizations(textOf, name, (t) => truncate(t, 100));
    return Object.keys(others).length > 0 ? { name, name_localizations: others } : { name };
  }
}

type Named = { name: string; name_localizations?: Partial<Record<string, string | null>> | null };

/**
 * Names must be unique on each level in every language: a translated name that another option
 * already uses (as its name or its name in that language) is dropped, so registration never fails on it.
 */
export function uniqueLocalizations<T extends Named>(options: T[], dropped: string[] = []): T[] {
  const taken = new Map<string, Set<string>>();
  const takenIn = (locale: string) => {
    let set = taken.get(locale);
    if (!set) {
      set = new Set(options.map((o) => o.name));
      taken.set(locale, set);
    }
    return set;
  };
  return options.map((o) => {
    const names = o.name_localizations;
    if (!names) return o;
    const kept: Localizations = {};
    for (const [locale, name] of Object.entries(names)) {
      if (!name || name === o.name) continue;
      const set = takenIn(locale);
      if (set.has(name)) {
        dropped.push(`${o.name}: "${name}" (${locale}) taken`);
        continue;
      }
      set.add(name);
      kept[locale] = name;
    }
    const { name_localizations: _all, ...rest } = o;
    return Object.keys(kept).length > 0 ? { ...rest, name_localizations: kept } as T : rest as T;
  });
}

/** How a variadic argument's single string option is written (documented in its description). */
export function isListOption(meta: ArgMeta): boolean {
  return meta.variadic && !meta.rest;
}

/** The options of one command, required ones first (Discord insists). */
export function optionsFor(
  registry: Registry,
  command: AnyCommand,
  texts: Texts = new Texts(registry),
): APIApplicationCommandBasicOption[] {
  const options = Object.entries(command.args).map(([key, spec]) => option(registry, texts, command, key, spec.meta));
  const required = options.filter((o) => o.required);
  const optional = options.filter((o) => !o.required);
  return uniqueLocalizations([...required, ...optional].slice(0, maxOptions), texts.untranslated);
}

function option(
  registry: Registry,
  texts: Texts,
  command: AnyCommand,
  key: string,
  meta: ArgMeta,
): APIApplicationCommandBasicOption {
  const base = {
    name: optionName(key),
    ...texts.name((tr) => registry.argText(command, key, tr).name, optionName(key)),
    ...texts.describe((tr) => registry.argText(command, key, tr).description),
    required: meta.required,
  };
  if (isListOption(meta)) {
    return { ...base, type: ApplicationCommandOptionType.String, max_length: maxStringLength };
  }
  switch (meta.kind) {
    case "boolean":
      return { ...base, type: ApplicationCommandOptionType.Boolean };
    case "integer":
      return {
        ...base,
        type: ApplicationCommandOptionType.Integer,
        ...(meta.min !== undefined ? { min_value: meta.min } : {}),
        ...(meta.max !== undefined ? { max_value: meta.max } : {}),
      };
    case "number":
      return {
        ...base,
        type: ApplicationCommandOptionType.Number,
        ...(meta.min !== undefined ? { min_value: meta.min } : {}),
        ...(meta.max !== undefined ? { max_value: meta.max } : {}),
      };
    case "member":
      return { ...base, type: ApplicationCommandOptionType.User };
    default: {
      const lengths =
        meta.kind === "string"
          ? {
              ...(meta.min !== undefined
                ? { min_length: Math.max(0, Math.min(meta.min, maxStringLength)) }
                : {}),
              ...(meta.max !== undefined ? { max_length: Math.min(meta.max, maxStringLength) } : {}),
            }
          : {};
      const choices = meta.choices;
      if (choices && choices.length > 0 && choices.length <= maxChoices) {
        return {
          ...base,
          type: ApplicationCommandOptionType.String,
          choices: choices.map((c) => ({ ...texts.choice((tr) => registry.choiceLabel(command, key, c, tr)), value: c })),
        };
      }
      const autocomplete = Boolean(meta.autocomplete) || Boolean(choices && choices.length > maxChoices);
      return autocomplete
        ? { ...base, type: ApplicationCommandOptionType.String, ...lengths, autocomplete: true }
        : { ...base, type: ApplicationCommandOptionType.String, ...lengths };
    }
  }
}

/**
 * Where global commands may be used: servers and the DM with the bot (GUILD, BOT_DM), for a
 * bot installed to servers only. Without this a user install (if someone switched "User
 * Install" on) would offer them in other people's DMs and servers where the bot is not.
 */
export function forScope(commands: SlashCommand[], global: boolean): SlashCommand[] {
  if (!global) return commands;
  return commands.map((c) => ({ ...c, contexts: [0, 1], integration_types: [0] }));
}

/** Values to offer while typing: the declaration's autocomplete, else its choices, filtered by prefix. */
export function suggestions(meta: ArgMeta, typed: string): { name: string; value: string }[] {
  const lower = typed.trim().toLowerCase();
  const values = meta.autocomplete
    ? meta.autocomplete(typed)
    : (meta.choices ?? []).filter((c) => c.toLowerCase().includes(lower));
  return values.slice(0, maxChoices).map((v) => ({ name: truncate(v, 100), value: truncate(v, 100) }));
}
