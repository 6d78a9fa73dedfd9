import type { AnyCommand, CommandCall, CommandFamily, PollVoteChange } from "./command.ts";
import { UserError } from "./errors.ts";
import type { MessageSubject } from "./message.ts";
import { optionName, type Token } from "./parse.ts";
import type { Language } from "./time.ts";

const wordPattern = /^[a-z0-9-]{1,32}$/;

/** Every command of the families the bot offers; `S` is the services their handlers get. */
export class Registry<S = unknown> {
  readonly families: readonly CommandFamily<S>[];
  readonly commands: readonly AnyCommand<S>[];
  /** "poll create" -> command, for paths and aliases. */
  private readonly byPath = new Map<string, AnyCommand<S>>();
  /** Every word that starts a command path. */
  private readonly heads = new Set<string>();

  constructor(families: readonly CommandFamily<S>[]) {
    this.families = families;
    this.commands = families.flatMap((f) => f.commands);
    for (const command of this.commands) {
      for (const path of [command.path, ...(command.aliases ?? [])]) {
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

  get(path: readonly string[]): AnyCommand<S> | undefined {
    return this.byPath.get(path.join(" "));
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
        [c.path, ...(c.aliases ?? [])].some((p) => p.length > n && prefix.every((w, i) => p[i] === w)),
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
}

/** How to type a command: `poll create <question> <option…> [--multi <number>]`. */
export function usage(command: AnyCommand, lang: Language): string {
  const parts = [...command.path];
  for (const [key, spec] of Object.entries(command.args)) {
    const name = spec.meta.names?.[lang] ?? optionName(key);
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
