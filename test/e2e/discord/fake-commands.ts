import { isRecord, type Problem } from "./fake-http.ts";

/**
 * Discord's rules for application commands (bulk overwrite), from the documentation:
 * names match `^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$` in lower case, descriptions
 * 1-100, at most 25 options and 25 choices, required options first, subcommands and groups
 * nested as documented, localization keys from Discord's locale list with values under the
 * same rules, localized option names unique on their level, at most 8,000 characters of
 * names, descriptions and values per command (longest localization counted), 100 commands,
 * `contexts` with BOT_DM only on global commands.
 */
export const discordLocales = new Set([
  "id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu", "nl", "no", "pl",
  "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru", "uk", "hi", "th", "zh-CN", "ja", "zh-TW", "ko",
]);
const namePattern = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
const subcommand = 1;
const group = 2;
const basicTypes = new Set([3, 4, 5, 6, 7, 8, 9, 10, 11]);
const valueTypes = new Set([3, 4, 10]);

type Dict = Record<string, string>;

function localizations(problems: Problem[], path: string, value: unknown, check: (v: unknown, p: string) => void): Dict {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) {
    problems.push({ path, message: "Must be a dictionary of locales." });
    return {};
  }
  for (const [locale, text] of Object.entries(value)) {
    if (!discordLocales.has(locale)) problems.push({ path: `${path}.${locale}`, message: `Invalid locale "${locale}".` });
    check(text, `${path}.${locale}`);
  }
  return value as Dict;
}

function checkName(problems: Problem[], path: string, name: unknown): void {
  if (typeof name !== "string" || !namePattern.test(name)) {
    problems.push({ path, message: "Command and option names must match the naming rules (1-32 characters)." });
  } else if (name !== name.toLowerCase()) {
    problems.push({ path, message: "Command and option names must be lower case." });
  }
}

function checkDescription(problems: Problem[], path: string, description: unknown): void {
  if (typeof description !== "string" || description.length < 1 || description.length > 100) {
    problems.push({ path, message: "Descriptions must be 1-100 characters long." });
  }
}

/** The longest of a field and its localizations: what counts toward the 8,000-character size. */
function longest(value: unknown, dict: Dict): number {
  return Math.max(typeof value === "string" ? value.length : 0, ...Object.values(dict).map((v) => String(v).length));
}

/** Checks one option list (one level); returns the characters it adds to the command's size. */
function checkOptions(problems: Problem[], path: string, options: unknown, level: "command" | "group" | "subcommand"): number {
  if (options === undefined || options === null) return 0;
  if (!Array.isArray(options)) {
    problems.push({ path, message: "Must be an array." });
    return 0;
  }
  if (options.length > 25) problems.push({ path, message: "Must be 25 or fewer in length." });
  let size = 0;
  let optionalSeen = false;
  const defaults = new Set<string>();
  const byLocale = new Map<string, Set<string>>();
  const kinds = new Set<string>();
  const localized: { path: string; value: string; own: string }[] = [];
  options.forEach((option: unknown, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(option)) {
      problems.push({ path: at, message: "Must be an option object." });
      return;
    }
    const type = option.type;
    checkName(problems, `${at}.name`, option.name);
    checkDescription(problems, `${at}.description`, option.description);
    const names = localizations(problems, `${at}.name_localizations`, option.name_localizations, (v, p) => checkName(problems, p, v));
    const descriptions = localizations(problems, `${at}.description_localizations`, option.description_localizations, (v, p) =>
      checkDescription(problems, p, v),
    );
    size += longest(option.name, names) + longest(option.description, descriptions);
    const name = String(option.name);
    if (defaults.has(name)) problems.push({ path: `${at}.name`, message: "Option names must be unique." });
    defaults.add(name);
    for (const [locale, value] of Object.entries(names)) {
      const taken = byLocale.get(locale) ?? new Set<string>();
      if (taken.has(value)) problems.push({ path: `${at}.name_localizations.${locale}`, message: "Localized option names must be unique." });
      taken.add(value);
      byLocale.set(locale, taken);
      localized.push({ path: `${at}.name_localizations.${locale}`, value, own: name });
    }
    if (type === subcommand || type === group) {
      kinds.add("sub");
      if (level === "subcommand" || (level === "group" && type === group)) {
        problems.push({ path: `${at}.type`, message: "Subcommands and groups cannot be nested like this." });
      }
      if (option.required !== undefined && option.required !== false) {
        problems.push({ path: `${at}.required`, message: "Subcommands cannot be required." });
      }
      size += checkOptions(problems, `${at}.options`, option.options, type === group ? "group" : "subcommand");
      if (type === group && (!Array.isArray(option.options) || option.options.length === 0)) {
        problems.push({ path: `${at}.options`, message: "A group needs subcommands." });
      }
      return;
    }
    kinds.add("basic");
    if (typeof type !== "number" || !basicTypes.has(type)) {
      problems.push({ path: `${at}.type`, message: "Unknown option type." });
      return;
    }
    if (level === "group") problems.push({ path: `${at}.type`, message: "Groups contain only subcommands." });
    if (option.required === true && optionalSeen) {
      problems.push({ path: `${at}.required`, message: "Required options must be placed before non-required options." });
    }
    if (option.required !== true) optionalSeen = true;
    size += checkChoices(problems, at, option);
    if (option.autocomplete === true && (!valueTypes.has(type) || Array.isArray(option.choices))) {
      problems.push({ path: `${at}.autocomplete`, message: "Autocomplete needs a string or number option without choices." });
    }
    for (const key of ["min_length", "max_length"] as const) {
      const v = option[key];
      if (v === undefined || v === null) continue;
      if (type !== 3) problems.push({ path: `${at}.${key}`, message: "Only string options have lengths." });
      else if (typeof v !== "number" || v < (key === "min_length" ? 0 : 1) || v > 6000) {
        problems.push({ path: `${at}.${key}`, message: "Lengths are between 0 and 6000." });
      }
    }
    if ((option.min_value !== undefined || option.max_value !== undefined) && type !== 4 && type !== 10) {
      problems.push({ path: at, message: "Only number options have min_value and max_value." });
    }
  });
  if (kinds.size > 1) problems.push({ path, message: "Subcommands cannot be mixed with other options." });
  for (const l of localized) {
    if (l.value !== l.own && defaults.has(l.value)) {
      problems.push({ path: l.path, message: "A localized option name may not be another option's name." });
    }
  }
  return size;
}

function checkChoices(problems: Problem[], at: string, option: Record<string, unknown>): number {
  const choices = option.choices;
  if (choices === undefined || choices === null) return 0;
  if (!Array.isArray(choices) || !valueTypes.has(Number(option.type))) {
    problems.push({ path: `${at}.choices`, message: "Choices are for string and number options." });
    return 0;
  }
  if (choices.length > 25) problems.push({ path: `${at}.choices`, message: "Must be 25 or fewer in length." });
  let size = 0;
  choices.forEach((choice: unknown, j) => {
    const cp = `${at}.choices[${j}]`;
    if (!isRecord(choice)) return;
    const nameOk = typeof choice.name === "string" && choice.name.length >= 1 && choice.name.length <= 100;
    if (!nameOk) problems.push({ path: `${cp}.name`, message: "Choice names are 1-100 characters." });
    const names = localizations(problems, `${cp}.name_localizations`, choice.name_localizations, () => undefined);
    if (typeof choice.value === "string" && choice.value.length > 100) {
      problems.push({ path: `${cp}.value`, message: "Choice values are up to 100 characters." });
    }
    size += longest(choice.name, names) + String(choice.value).length;
  });
  return size;
}

/** Checks a bulk overwrite; `global` commands may set BOT_DM and the installation contexts. */
export function checkCommands(body: unknown, global: boolean): Problem[] {
  const problems: Problem[] = [];
  if (!Array.isArray(body)) return [{ path: "", message: "Must be an array of commands." }];
  if (body.length > 100) problems.push({ path: "", message: "At most 100 chat input commands." });
  const names = new Set<string>();
  body.forEach((command: unknown, i) => {
    const at = `[${i}]`;
    if (!isRecord(command)) {
      problems.push({ path: at, message: "Must be a command object." });
      return;
    }
    if ((command.type ?? 1) !== 1) problems.push({ path: `${at}.type`, message: "This fake knows chat input commands only." });
    checkName(problems, `${at}.name`, command.name);
    checkDescription(problems, `${at}.description`, command.description);
    const localizedNames = localizations(problems, `${at}.name_localizations`, command.name_localizations, (v, p) => checkName(problems, p, v));
    const descriptions = localizations(problems, `${at}.description_localizations`, command.description_localizations, (v, p) =>
      checkDescription(problems, p, v),
    );
    if (names.has(String(command.name))) problems.push({ path: `${at}.name`, message: "Command names must be unique." });
    names.add(String(command.name));
    const size =
      longest(command.name, localizedNames) +
      longest(command.description, descriptions) +
      checkOptions(problems, `${at}.options`, command.options, "command");
    if (size > 8000) problems.push({ path: at, message: `Command is ${size} characters; the limit is 8000.` });
    const contexts = command.contexts;
    if (contexts !== undefined && contexts !== null) {
      if (!Array.isArray(contexts) || contexts.some((c) => c !== 0 && c !== 1 && c !== 2)) {
        problems.push({ path: `${at}.contexts`, message: "Unknown interaction context." });
      } else if (!global && contexts.some((c) => c !== 0)) {
        problems.push({ path: `${at}.contexts`, message: "Guild commands don't support the BOT_DM context." });
      }
    }
    const types = command.integration_types;
    if (types !== undefined && types !== null && (!Array.isArray(types) || types.some((t) => t !== 0 && t !== 1))) {
      problems.push({ path: `${at}.integration_types`, message: "Unknown installation context." });
    }
  });
  return problems;
}

/** A command as Discord stores it: localizations equal to the default are dropped, defaults filled. */
export function stored(command: Record<string, unknown>, extra: Record<string, unknown>, global: boolean): Record<string, unknown> {
  const clean = (value: unknown, base: unknown): Dict | null => {
    if (!isRecord(value)) return null;
    const kept = Object.fromEntries(Object.entries(value).filter(([, v]) => v !== base));
    return Object.keys(kept).length > 0 ? (kept as Dict) : null;
  };
  const option = (o: Record<string, unknown>): Record<string, unknown> => ({
    ...o,
    name_localizations: clean(o.name_localizations, o.name),
    description_localizations: clean(o.description_localizations, o.description),
    ...(Array.isArray(o.options) ? { options: o.options.filter(isRecord).map(option) } : {}),
    ...(Array.isArray(o.choices)
      ? { choices: o.choices.filter(isRecord).map((c) => ({ ...c, name_localizations: clean(c.name_localizations, c.name) })) }
      : {}),
  });
  return {
    type: 1,
    default_member_permissions: null,
    nsfw: false,
    ...(global
      ? { dm_permission: true, contexts: command.contexts ?? null, integration_types: command.integration_types ?? [0] }
      : {}),
    ...option(command),
    ...extra,
  };
}

/**
 * What a GET of the command list answers: with `with_localizations=true` the full
 * dictionaries; without it only `name_localized`/`description_localized` for the
 * requester's locale (X-Discord-Locale), as the documentation says.
 */
export function listed(command: Record<string, unknown>, withLocalizations: boolean, locale: string | undefined): Record<string, unknown> {
  if (withLocalizations) return command;
  const { name_localizations: names, description_localizations: descriptions, options, choices, ...rest } = command;
  const pick = (dict: unknown): string | undefined =>
    locale && isRecord(dict) && typeof dict[locale] === "string" ? dict[locale] : undefined;
  const name = pick(names);
  const description = pick(descriptions);
  return {
    ...rest,
    ...(name ? { name_localized: name } : {}),
    ...(description ? { description_localized: description } : {}),
    ...(Array.isArray(options) ? { options: options.filter(isRecord).map((o) => listed(o, false, locale)) } : {}),
    ...(Array.isArray(choices) ? { choices: choices.filter(isRecord).map((c) => listed(c, false, locale)) } : {}),
  };
}
