import { defaultI18n } from "./catalog.ts";
import type { AnyCommand, CommandCall, CommandFamily, PollVoteChange } from "./command.ts";
import { UserError } from "./errors.ts";
import type { I18n, Translator } from "./i18n.ts";
import type { MessageSubject } from "./message.ts";
import { optionName, type Token } from "./parse.ts";
import { intlLocale, isLanguage, type Language } from "./time.ts";

const wordPattern = /^[a-z0-9-]{1,32}$/;
/** Languages whose command names may also be typed (English is the path itself). */
const typedLanguages: readonly Language[] = ["de"];

/** A name and a description, as a command, group or argument shows them. */
export interface Described {
  name: string;
  description: string;
}

/** Every command of the families the bot offers; `S` is the services their handlers get. */
export class Registry<S = unknown> {
  readonly families: readonly CommandFamily<S>[];
  readonly commands: readonly AnyCommand<S>[];
  readonly i18n: I18n;
  /** "poll create" -> command, for paths and aliases. */
  private readonly byPath = new Map<string, AnyCommand<S>>();
  /** Every way to type each command: its path, its aliases and its German names. */
  private readonly paths = new Map<AnyCommand<S>, string[][]>();
  /** Every word that starts a command path. */
  private readonly heads = new Set<string>();

  constructor(families: readonly CommandFamily<S>[], i18n: I18n = defaultI18n()) {
    this.families = families;
    this.commands = families.flatMap((f) => f.commands);
    this.i18n = i18n;
    for (const command of this.commands) {
      const typed = [command.path, ...(command.aliases ?? [])].map((p) => [...p]);
      for (const alias of this.translatedPaths(command)) {
        if (!typed.some((p) => p.join(" ") === alias.join(" "))) typed.push(alias);
      }
      this.paths.set(command, typed);
      for (const path of typed) {
        if (path.length < 1 || path.length > 3 || !path.every((w) => wordPattern.test(w))) {
          throw new Error(`command path "${path.join(" ")}" must be 1-3 words of [a-z0-9-]`);
        }
        const key = path.join(" ");
        if (this.byPath.has(key)) throw new Error(`command path "${key}" is declared twice`);
        this.byPath.set(key, command);
        this.heads.add(path[0] ?? "");
      }
    }
  }

  /** The names a command has in the typed languages, as paths ("umfrage neu"). */
  private translatedPaths(command: AnyCommand<S>): string[][] {
    const out: string[][] = [];
    for (const lang of typedLanguages) {
      const words = command.path.map((word, i) => {
        const key =
          i === 0
            ? this.headKey(word)
            : i === command.path.length - 1
              ? this.commandKey(command)
              : this.groupKey(command.path[0] ?? "", word);
        const name = key ? this.i18n.entry(lang, `${key}.name`) : undefined;
        return typeof name === "string" ? name.toLowerCase() : word;
      });
      if (words.join(" ") !== command.path.join(" ") && words.every((w) => wordPattern.test(w))) out.push(words);
    }
    return out;
  }

  get(path: readonly string[]): AnyCommand<S> | undefined {
    return this.byPath.get(path.join(" "));
  }

  /** The family a command belongs to. */
  familyOf(command: AnyCommand<S>): CommandFamily<S> | undefined {
    return this.families.find((f) => f.commands.includes(command));
  }

  /** Where a command's texts are: `<namespace>.commands.<path>`. */
  commandKey(command: AnyCommand<S>): string {
    return `${this.familyOf(command)?.namespace ?? ""}.commands.${command.path.join(" ")}`;
  }

  /** Where an argument's texts are: under its command, else shared by its family. */
  argKey(command: AnyCommand<S>, key: string): string {
    const own = `${this.commandKey(command)}.options.${key}`;
    return this.i18n.has(`${own}.description`) ? own : `${this.familyOf(command)?.namespace ?? ""}.args.${key}`;
  }

  /** Where the texts of a command word are: the family named like it. */
  headKey(head: string): string | undefined {
    const family = this.families.find((f) => f.name === head);
    return family ? `${family.namespace}.family` : undefined;
  }

  /** Where the texts of a group ("settings team") are: in the head's family. */
  groupKey(head: string, group: string): string | undefined {
    const family = this.families.find((f) => f.name === head);
    return family ? `${family.namespace}.groups.${group}` : undefined;
  }

  described(key: string | undefined, fallback: string, tr: Translator): Described {
    if (!key || !this.i18n.has(`${key}.description`)) return { name: fallback, description: fallback };
    return { name: tr.t(`${key}.name`), description: tr.t(`${key}.description`) };
  }

  /** A command's name (its last word), description and examples in the translator's language. */
  commandText(command: AnyCommand<S>, tr: Translator): Described & { examples: string[] } {
    const key = this.commandKey(command);
    return { ...this.described(key, command.path.join(" "), tr), examples: tr.lines(`${key}.examples`) };
  }

  argText(command: AnyCommand<S>, key: string, tr: Translator): Described {
    return this.described(this.argKey(command, key), optionName(key), tr);
  }

  /**
   * How a choice of an argument is shown (Discord's choice names); the value itself is what is
   * typed. A language is shown in its own name, as language pickers do: "українська (uk)".
   */
  choiceLabel(command: AnyCommand<S>, key: string, value: string, tr: Translator): string {
    if (command.args[key]?.meta.kind === "language" && isLanguage(value)) {
      const own = new Intl.DisplayNames([intlLocale(value)], { type: "language" }).of(value) ?? value;
      return `${own.charAt(0).toLocaleUpperCase(intlLocale(value))}${own.slice(1)} (${value})`;
    }
    const label = `${this.argKey(command, key)}.choices.${value}`;
    return this.i18n.has(label) ? tr.t(label) : value;
  }

  /** The command words typed in any language the registry knows, mapped to the command's own path words. */
  canonicalPrefix(words: readonly string[]): string[] | undefined {
    for (const command of this.commands) {
      for (const path of this.paths.get(command) ?? []) {
        if (words.length <= path.length && words.every((w, i) => path[i] === w)) return command.path.slice(0, words.length);
      }
    }
    return undefined;
  }

  /** The command a vote in a native poll stands for, if a family posts polls under that subject. */
  pollVoteCall(poll: MessageSubject, change: PollVoteChange): CommandCall | undefined {
    const family = this.families.find((f) => f.nativePollVotes?.feature === poll.feature);
    return family?.nativePollVotes?.call(poll.id, change);
  }

  isCommandWord(word: string): boolean {
    return this.heads.has(word.toLowerCase());
  }

  /** Subcommands directly under a path prefix, for "unknown subcommand" hints. */
  childrenOf(prefix: readonly string[]): AnyCommand<S>[] {
    return this.commands.filter(
      (c) => c.path.length > prefix.length && prefix.every((w, i) => c.path[i] === w),
    );
  }

  /**
   * Finds the command a line starts with: the longest matching path, else the family's
   * default command. Returns undefined when the first word is no command at all.
   */
  resolve(tokens: Token[]): { command: AnyCommand<S>; rest: Token[] } | undefined {
    const words = tokens.map((t) => (t.quoted ? "\u0000" : t.value.toLowerCase()));
    const first = words[0];
    if (first === undefined || !this.heads.has(first)) return undefined;
    for (let n = Math.min(3, words.length); n >= 1; n--) {
      const command = this.byPath.get(words.slice(0, n).join(" "));
      if (command) return { command, rest: tokens.slice(n) };
    }
    // A family word (or family + group) without a known subcommand.
    for (let n = Math.min(2, words.length); n >= 1; n--) {
      const prefix = words.slice(0, n);
      const children = this.commands.filter((c) =>
        (this.paths.get(c) ?? []).some((p) => p.length > n && prefix.every((w, i) => p[i] === w)),
      );
      if (children.length === 0) continue;
      const fallback = children.find((c) => c.isDefault && c.path.length === n + 1);
      const takesWords = fallback && Object.values(fallback.args).some((a) => a.meta.positional);
      // "settings" -> "settings show"; but "settings colour" is a typo, not words for "show".
      if (fallback && (takesWords || tokens.length === n))
        return { command: fallback, rest: tokens.slice(n) };
      const typed = tokens[n]?.value;
      throw new UserError(typed ? "core.errors.unknownSubcommand" : "core.errors.missingSubcommand", {
        command: prefix.join(" "),
        typed: typed ?? "",
        known: children
          .filter((c) => c.path.length === n + 1)
          .map((c) => c.path[n])
          .join(", "),
      });
    }
    return undefined;
  }

  /** How to type a command: `poll create <question> <option…> [--multi <number>]`, placeholders in the reader's language. */
  usage(command: AnyCommand<S>, tr: Translator): string {
    const parts = [...command.path];
    for (const [key, spec] of Object.entries(command.args)) {
      const name = this.argText(command, key, tr).name;
      const placeholder =
        spec.meta.choices && spec.meta.choices.length <= 6 ? spec.meta.choices.join("|") : name;
      if (spec.meta.positional) {
        const word = `<${placeholder}${spec.meta.variadic ? "…" : ""}>`;
        parts.push(spec.meta.required ? word : `[${word}]`);
      } else if (spec.meta.kind === "boolean") {
        parts.push(`[--${optionName(key)}]`);
      } else {
        const word = `--${optionName(key)} <${placeholder}>`;
        parts.push(spec.meta.required ? word : `[${word}]`);
      }
    }
    return parts.join(" ");
  }

  /** How an argument is named in an error: `<question>` (in the reader's language) or `--closes`. */
  argLabel(command: AnyCommand<S>, key: string, tr: Translator): string {
    const spec = command.args[key];
    return spec?.meta.positional ? `<${this.argText(command, key, tr).name}>` : `--${optionName(key)}`;
  }
}
