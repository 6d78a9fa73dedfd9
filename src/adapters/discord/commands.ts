import {
  type APIApplicationCommandBasicOption,
  type APIApplicationCommandSubcommandGroupOption,
  type APIApplicationCommandSubcommandOption,
  ApplicationCommandOptionType,
  ApplicationCommandType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { ArgMeta, Localized } from "../../core/args.ts";
import type { AnyCommand } from "../../core/command.ts";
import { optionName } from "../../core/parse.ts";
import type { Registry } from "../../core/registry.ts";
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
}

export function deriveCommands(registry: Registry): Derived {
  const skipped: string[] = [];
  const heads = new Map<string, AnyCommand[]>();
  for (const command of registry.commands) {
    const head = command.path[0] ?? "";
    heads.set(head, [...(heads.get(head) ?? []), command]);
  }
  const commands: SlashCommand[] = [];
  for (const [head, members] of heads) {
    const description = headDescription(registry, head, members);
    const single = members.length === 1 && members[0]?.path.length === 1 ? members[0] : undefined;
    if (single) {
      commands.push({
        type: ApplicationCommandType.ChatInput,
        name: head,
        ...localizedName(single.names, head),
        ...describe(single.description),
        options: optionsFor(single),
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
      const sub: APIApplicationCommandSubcommandOption = {
        type: ApplicationCommandOptionType.Subcommand,
        name: command.path.at(-1) ?? "",
        ...localizedName(command.names, command.path.at(-1) ?? ""),
        ...describe(command.description),
        options: optionsFor(command),
      };
      if (command.path.length === 2) {
        if (options.some((o) => o.name === sub.name)) skipped.push(command.path.join(" "));
        else options.push(sub);
        continue;
      }
      const groupName = command.path[1] ?? "";
      let group = groups.get(groupName);
      if (!group) {
        group = {
          type: ApplicationCommandOptionType.SubcommandGroup,
          name: groupName,
          ...describe(groupDescription(registry, command, groupName)),
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
      if (g.type === ApplicationCommandOptionType.SubcommandGroup) g.options = uniqueLocalizations(g.options ?? []);
    }
    if (kept.length === 0) continue;
    commands.push({
      type: ApplicationCommandType.ChatInput,
      name: head,
      ...describe(description),
      options: uniqueLocalizations(kept.slice(0, maxOptions)),
    });
  }
  return { commands, skipped };
}

function headDescription(registry: Registry, head: string, members: AnyCommand[]): Localized {
  const own = registry.families.find((f) => f.name === head);
  if (own) return own.description;
  const first = members[0];
  const family = registry.families.find((f) => first && f.commands.includes(first));
  return family?.description ?? { en: head, de: head };
}

/** "Settings: team": the description of the family the group's first command belongs to. */
function groupDescription(registry: Registry, command: AnyCommand, group: string): Localized {
  const family = registry.families.find((f) => f.commands.includes(command));
  const base = family?.description ?? { en: command.path[0] ?? "", de: command.path[0] ?? "" };
  return { en: `${base.en}: ${group}`, de: `${base.de}: ${group}` };
}

function describe(description: Localized): {
  description: string;
  description_localizations?: { de: string };
} {
  const en = truncate(description.en || "-", maxDescription);
  const de = truncate(description.de || en, maxDescription);
  return de === en ? { description: en } : { description: en, description_localizations: { de } };
}

/** A German name when it differs from the default one (Discord drops identical localizations). */
function localizedName(
  names: Partial<Localized> | undefined,
  name: string,
): { name_localizations?: { de: string } } {
  const de = names?.de?.toLowerCase();
  return de && de !== name && namePattern.test(de) ? { name_localizations: { de } } : {};
}

/**
 * Names must be unique on each level in every language: a German name that another option
 * already uses (as its name or German name) is dropped, so registration never fails on it.
 */
export function uniqueLocalizations<T extends { name: string; name_localizations?: { de?: string | null } | null }>(
  options: T[],
): T[] {
  const taken = new Set(options.map((o) => o.name));
  return options.map((o) => {
    const de = o.name_localizations?.de;
    if (!de || de === o.name) return o;
    if (taken.has(de)) {
      const { name_localizations: _dropped, ...rest } = o;
      return rest as T;
    }
    taken.add(de);
    return o;
  });
}

/** How a variadic argument's single string option is written (documented in its description). */
export function isListOption(meta: ArgMeta): boolean {
  return meta.variadic && !meta.rest;
}

/** The options of one command, required ones first (Discord insists). */
export function optionsFor(command: AnyCommand): APIApplicationCommandBasicOption[] {
  const options = Object.entries(command.args).map(([key, spec]) => option(key, spec.meta));
  const required = options.filter((o) => o.required);
  const optional = options.filter((o) => !o.required);
  return uniqueLocalizations([...required, ...optional].slice(0, maxOptions));
}

function option(key: string, meta: ArgMeta): APIApplicationCommandBasicOption {
  const base = {
    name: optionName(key),
    ...localizedName(meta.names, optionName(key)),
    ...describe(meta.description),
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
          choices: choices.map((c) => ({ name: truncate(c, 100), value: c })),
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
