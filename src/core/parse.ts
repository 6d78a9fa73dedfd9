import type { ParseContext, RawValue, WordTaker } from "./args.ts";
import type { AnyCommand } from "./command.ts";
import { ChoiceError, UserError } from "./errors.ts";

export const maxInputLength = 4000;

export interface Token {
  value: string;
  /** Quoted tokens are always values, never options or command words. */
  quoted: boolean;
}

const quotePairs: Record<string, string> = {
  '"': '"',
  "'": "'",
  "„": "“",
  "“": "”",
  "”": "”",
  "«": "»",
  "»": "«",
  "‚": "‘",
};

/** Removes control characters (keeping line breaks and tabs as spaces) and bidi overrides. */
export function normalizeInput(input: string): string {
  return input
    .replace(/[\t\n\r\v\f]/g, " ")
    .replace(/[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu, "")
    .replace(/[\u2013\u2014](?=\S)/g, "--") // phones turn "--" into a dash
    .trim();
}

/**
 * Splits a command line into words. A quote opens a quoted value only at the start of a
 * word or right after "=" (so "don't" stays one word); inside, a backslash escapes the
 * closing quote.
 */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i] ?? "")) i++;
    if (i >= line.length) break;
    let value = "";
    let quoted = false;
    while (i < line.length && !/\s/.test(line[i] ?? "")) {
      const ch = line[i] ?? "";
      const close = quotePairs[ch];
      if (close && (value === "" || value.endsWith("="))) {
        const start = i;
        i++;
        let found = false;
        while (i < line.length) {
          const c = line[i] ?? "";
          if (c === "\\" && (line[i + 1] === close || line[i + 1] === "\\")) {
            value += line[i + 1] ?? "";
            i += 2;
            continue;
          }
          if (c === close) {
            found = true;
            i++;
            break;
          }
          value += c;
          i++;
        }
        if (!found) throw new UserError("core.errors.unclosedQuote", { quote: ch, position: start + 1 });
        quoted = true;
        continue;
      }
      value += ch;
      i++;
    }
    tokens.push({ value, quoted });
  }
  return tokens;
}

const kebab = (name: string): string => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The option's spelling on the command line: key "closesAt" is typed "--closes-at". */
export const optionName = kebab;

/** Runs a word taker; a question it asks learns which tokens its phrase was. */
function takeWords(take: WordTaker, words: string[], pc: ParseContext, at: number[]): number {
  try {
    return take(words, pc);
  } catch (error) {
    if (error instanceof ChoiceError && error.words !== undefined) error.tokenIndices = at.slice(0, error.words);
    throw error;
  }
}

/**
 * Assigns words to a command's arguments: positional in order, options by name, anywhere.
 * Arguments with a word taker take the words it counts (without a parse context: the rest).
 */
export function bindArguments(command: AnyCommand, tokens: Token[], pc?: ParseContext): Record<string, RawValue> {
  const raw: Record<string, RawValue> = {};
  const entries = Object.entries(command.args);
  const positional = entries.filter(([, a]) => a.meta.positional);
  const options = new Map(
    entries.filter(([, a]) => !a.meta.positional).map(([k, a]) => [kebab(k), [k, a] as const]),
  );
  const loose: Token[] = [];
  /** Where each loose word is among the tokens (options may come between them). */
  const looseAt: number[] = [];

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token) continue;
    if (!token.quoted && /^--[\p{L}]/u.test(token.value)) {
      const eq = token.value.indexOf("=");
      const name = (eq === -1 ? token.value.slice(2) : token.value.slice(2, eq)).toLowerCase();
      const option = options.get(name);
      if (!option) {
        const known = [...options.keys()].map((o) => `--${o}`).join(", ");
        throw new UserError(known ? "core.errors.unknownOption" : "core.errors.noOptions", {
          option: `--${name}`,
          known,
        });
      }
      const [key, spec] = option;
      let value: string | true;
      if (eq !== -1) value = token.value.slice(eq + 1);
      else if (spec.meta.kind === "boolean") value = true;
      else {
        const next = tokens[i + 1];
        if (!next || (!next.quoted && next.value.startsWith("--"))) {
          if (spec.meta.bareValue === undefined) {
            throw new UserError("core.errors.optionNeedsValue", { option: `--${name}` });
          }
          value = spec.meta.bareValue;
        } else {
          value = next.value;
          i++;
        }
      }
      if (spec.meta.variadic) {
        const previous = raw[key];
        raw[key] = [...(Array.isArray(previous) ? previous : []), String(value)];
      } else if (raw[key] !== undefined) {
        throw new UserError("core.errors.optionTwice", { option: `--${name}` });
      } else {
        raw[key] = value;
      }
      continue;
    }
    loose.push(token);
    looseAt.push(i);
  }

  let next = 0;
  for (const [key, spec] of positional) {
    const take = spec.meta.take;
    if (take) {
      const words = loose.slice(next).map((t) => t.value);
      const n = words.length === 0 ? 0 : Math.min(pc ? takeWords(take, words, pc, looseAt.slice(next)) : words.length, words.length);
      if (n > 0) raw[key] = words.slice(0, n).join(" ");
      next += n;
    } else if (spec.meta.variadic) {
      const words = loose.slice(next).map((t) => t.value);
      if (words.length > 0) raw[key] = words;
      next = loose.length;
    } else if (next < loose.length) {
      raw[key] = loose[next]?.value;
      next++;
    }
  }
  if (next < loose.length) {
    throw new UserError("core.errors.tooManyArguments", {
      extra: loose
        .slice(next)
        .map((t) => t.value)
        .join(" ")
        .slice(0, 80),
    });
  }
  return raw;
}
