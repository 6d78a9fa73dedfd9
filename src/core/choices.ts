import type { RawValue } from "./args.ts";
import type { AnyCommand } from "./command.ts";
import type { ChoiceError } from "./errors.ts";
import { type Action, action } from "./message.ts";
import { optionName, type Token } from "./parse.ts";

/** A value as one word of a command line: quoted when the tokenizer would split or unquote it. */
export function quoteWord(value: string): string {
  const plain = value !== "" && !/\s/.test(value) && !/^["'„“”«»‚]/.test(value) && !value.startsWith("--");
  return plain ? value : `"${value.replace(/["\\]/g, "\\$&")}"`;
}

/** How the command was given: typed words after its path, or typed values (slash commands, buttons). */
export type GivenArguments = { tokens: readonly Token[] } | { values: Record<string, RawValue> };

/** Where the typed phrase is: the binder's token indices, else the first run of words that spells it. */
function phraseTokens(error: ChoiceError, tokens: readonly Token[]): number[] | undefined {
  if (error.tokenIndices && error.tokenIndices.length > 0) return error.tokenIndices;
  for (let start = 0; start < tokens.length; start++) {
    let joined = "";
    for (let end = start; end < tokens.length; end++) {
      joined = end === start ? (tokens[end]?.value ?? "") : `${joined} ${tokens[end]?.value ?? ""}`;
      if (joined === error.typed) return Array.from({ length: end - start + 1 }, (_, k) => start + k);
      if (joined.length >= error.typed.length) break;
    }
  }
  return undefined;
}

function fromTokens(command: AnyCommand, tokens: readonly Token[], error: ChoiceError, phrase: string) {
  const at = phraseTokens(error, tokens);
  if (!at) return undefined;
  const words = tokens.flatMap((t, i) => {
    if (i === at[0]) return [quoteWord(phrase)];
    if (at.includes(i)) return [];
    return [t.quoted ? quoteWord(t.value) : t.value];
  });
  return [...command.path, ...words].join(" ");
}

function fromValues(command: AnyCommand, values: Record<string, RawValue>, error: ChoiceError, phrase: string) {
  const key = Object.keys(values).find((k) => {
    const v = values[k];
    return v === error.typed || (Array.isArray(v) && v.includes(error.typed));
  });
  if (key === undefined) return undefined;
  const changed = { ...values };
  const old = values[key];
  changed[key] = Array.isArray(old) ? old.map((v) => (v === error.typed ? phrase : v)) : phrase;
  const words: string[] = [...command.path];
  const options: string[] = [];
  for (const [name, spec] of Object.entries(command.args)) {
    const value = changed[name];
    if (value === undefined || value === false) continue;
    const list = (Array.isArray(value) ? value : [value]).map((v) => quoteWord(String(v)));
    if (spec.meta.positional) words.push(...list);
    else if (value === true) options.push(`--${optionName(name)}`);
    else for (const v of list) options.push(`--${optionName(name)}`, v);
  }
  return [...words, ...options].join(" ");
}

/**
 * The choices of an ambiguous phrase as actions: each runs the command again with the
 * unambiguous phrase in place of the typed words (buttons, or numbered choices).
 */
export function choiceActions(error: ChoiceError, command: AnyCommand, given: GivenArguments): Action[] {
  return error.choices.flatMap((choice) => {
    const line =
      "tokens" in given
        ? fromTokens(command, given.tokens, error, choice.phrase)
        : fromValues(command, given.values, error, choice.phrase);
    return line ? [action(choice.label, line, "primary")] : [];
  });
}
