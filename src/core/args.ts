import { Duration } from "luxon";
import { z } from "zod";
import type { Translator } from "./i18n.ts";
import { canonicalTimeZone, intlLocale, isLanguage, type Language, languages, suggestTimeZones } from "./time.ts";
import type { DayPartHours } from "./when/index.ts";
import { readLength } from "./when/length.ts";
import { type RuleValue, readRuleValue, readWhenValue, type WhenValue } from "./when-args.ts";

/** A date as a member gave it: an instant or a whole day, and the words it was read from. */
export type When = WhenValue;

/** What an argument's parser may know about the invoker. */
export interface ParseContext {
  tr: Translator;
  lang: Language;
  timeZone: string;
  now: Date;
  /** The team's hours for "morgens", "abends", … where it changed them. */
  dayParts?: Partial<DayPartHours>;
  /** Turns a mention token of the invoking platform into a member reference. */
  parseMember(token: string): string | undefined;
}

/** How an argument is typed on platforms with typed options (Discord). */
export type ArgKind =
  | "string"
  | "integer"
  | "number"
  | "boolean"
  | "member"
  | "choice"
  | "timezone"
  | "language"
  | "when"
  | "duration";

/**
 * What an argument is. Its name and description are texts in the message files: under the
 * command (`<family>.commands.<path>.options.<key>`) or, shared by the family's commands,
 * `<family>.args.<key>`; the key in code is the English option name (camelCase -> kebab-case).
 */
export interface ArgMeta {
  kind: ArgKind;
  positional: boolean;
  required: boolean;
  /** Positional: takes all remaining words. Option: may be repeated. */
  variadic: boolean;
  /** The remaining words form ONE value (a sentence), not a list. */
  rest?: boolean;
  minItems?: number;
  maxItems?: number;
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** Values to offer while typing (Discord autocomplete). */
  autocomplete?: (prefix: string) => string[];
  /** An option that may also be typed alone (`--multi` as well as `--multi 3`) takes this value then. */
  bareValue?: string;
  /** Typed as text, a positional argument takes as many of the remaining words as this says. */
  take?: WordTaker;
}

/**
 * Sentence-like commands ("remind me tomorrow 9:00 call the office") are one run of words
 * when typed: a taker says how many of the remaining words its argument takes (0: none),
 * or throws a UserError when they hold no value for it. Platforms with typed options
 * (Discord) give the argument its own option instead.
 */
export type WordTaker = (words: readonly string[], pc: ParseContext) => number;

/** Raw input: a text token, several tokens, a flag's `true`, or a platform's typed value. */
export type RawValue = string | number | boolean | string[] | undefined;

type SchemaFactory<T> = (pc: ParseContext) => z.ZodType<T, RawValue>;

export class Arg<T> {
  readonly meta: ArgMeta;
  readonly schema: SchemaFactory<T>;

  constructor(meta: ArgMeta, schema: SchemaFactory<T>) {
    this.meta = meta;
    this.schema = schema;
  }

  positional(): Arg<T> {
    return new Arg({ ...this.meta, positional: true }, this.schema);
  }
  optional(): Arg<T | undefined> {
    const inner = this.schema;
    return new Arg<T | undefined>({ ...this.meta, required: false }, (pc) => inner(pc).optional());
  }
  default(value: T): Arg<T> {
    const inner = this.schema;
    return new Arg<T>({ ...this.meta, required: false }, (pc) =>
      z.union([z.undefined().transform(() => value), inner(pc)]),
    );
  }
  /** Many values: the rest of the words (positional) or a repeated option. */
  many(minItems: number, maxItems: number): Arg<T[]> {
    const inner = this.schema;
    return new Arg<T[]>({ ...this.meta, variadic: true, minItems, maxItems, required: minItems > 0 }, (pc) =>
      z
        .union([z.array(z.string()), z.string().transform((s) => [s]), z.undefined().transform(() => [])])
        .pipe(
          z
            .array(inner(pc) as z.ZodType<T, string>)
            .min(minItems)
            .max(maxItems),
        ),
    );
  }
  /** Positional, takes all remaining words joined by spaces as one value ("task done 4 all went well"). */
  rest(): Arg<T> {
    const inner = this.schema;
    return new Arg<T>({ ...this.meta, positional: true, variadic: true, rest: true }, (pc) =>
      z
        .union([
          z.array(z.string()).transform((words) => (words.length === 0 ? undefined : words.join(" "))),
          z.string(),
          z.number(),
          z.boolean(),
          z.undefined(),
        ])
        .pipe(inner(pc) as z.ZodType<T, string | number | boolean | undefined>),
    );
  }
  autocomplete(fn: (prefix: string) => string[]): Arg<T> {
    return new Arg({ ...this.meta, autocomplete: fn }, this.schema);
  }
  /** Typed as text, takes the leading words `take` counts (see WordTaker). */
  takes(take: WordTaker): Arg<T> {
    return new Arg({ ...this.meta, positional: true, take }, this.schema);
  }
  /** The option may be typed alone (`--multi`, at the end or before another option): it then gets `value`. */
  bare(value: string): Arg<T> {
    return new Arg({ ...this.meta, bareValue: value }, this.schema);
  }
}

export type ArgShape = Record<string, Arg<unknown>>;
export type ArgValues<A extends ArgShape> = { [K in keyof A]: A[K] extends Arg<infer T> ? T : never };

const meta = (kind: ArgKind, extra: Partial<ArgMeta> = {}): ArgMeta => ({
  kind,
  positional: false,
  required: true,
  variadic: false,
  ...extra,
});

/** Strips the invisible characters that have no place in a value (bidi overrides, zero-width joiners at the ends). */
const cleanText = (s: string): string => s.replace(/[\u202A-\u202E\u2066-\u2069]/g, "").trim();

const truthy = ["true", "yes", "ja", "on", "an", "1"];
const falsy = ["false", "no", "nein", "off", "aus", "0"];

let namesOfLanguages: Map<string, Language> | undefined;

/** A language by its name in English, German or itself ("german", "Deutsch", "українська"), or "farsi"/"dari". */
function languageByName(name: string): Language | undefined {
  if (!namesOfLanguages) {
    const names = new Map<string, Language>();
    for (const lang of languages) {
      for (const reader of ["en", "de", lang] as const) {
        const inLanguage = intlLocale(reader);
        const shown = new Intl.DisplayNames([inLanguage], { type: "language" }).of(lang);
        if (shown) names.set(shown.toLocaleLowerCase(inLanguage), lang);
      }
    }
    for (const [typed, lang] of [["farsi", "fa"], ["dari", "fa"]] as const)
      if (isLanguage(lang)) names.set(typed, lang);
    namesOfLanguages = names;
  }
  return namesOfLanguages.get(name);
}

export const arg = {
  /** Free text; `max` is its length in characters. */
  string(opts: { min?: number; max?: number } = {}): Arg<string> {
    const min = opts.min ?? 1;
    const max = opts.max ?? 500;
    return new Arg(meta("string", { min, max }), () =>
      z
        .union([z.string(), z.number().transform(String)])
        .transform(cleanText)
        .pipe(z.string().min(min).max(max)),
    );
  },
  integer(opts: { min?: number; max?: number } = {}): Arg<number> {
    let bounded = z.number();
    if (opts.min !== undefined) bounded = bounded.min(opts.min);
    if (opts.max !== undefined) bounded = bounded.max(opts.max);
    const range = bounded;
    return new Arg(meta("integer", opts), (pc) =>
      z
        .union([z.number(), z.string()])
        .transform((v, ctx) => {
          const n =
            typeof v === "number" ? v : /^[+-]?\d{1,15}$/.test(v.trim()) ? Number(v.trim()) : Number.NaN;
          if (Number.isInteger(n)) return n;
          ctx.addIssue({ code: "custom", message: pc.tr.t("core.zod.notANumber") });
          return z.NEVER;
        })
        .pipe(range),
    );
  },
  /** A switch: `--anonymous` alone means true; `--anonymous=no` false. */
  flag(): Arg<boolean> {
    return new Arg(meta("boolean", { required: false }), (pc) =>
      z.union([z.boolean(), z.undefined().transform(() => false), z.string()]).transform((v, ctx) => {
        if (typeof v === "boolean") return v;
        const lower = v.toLowerCase();
        if (truthy.includes(lower)) return true;
        if (falsy.includes(lower)) return false;
        ctx.addIssue({ code: "custom", message: pc.tr.t("core.errors.notBoolean") });
        return z.NEVER;
      }),
    );
  },
  choice<const C extends string>(choices: readonly C[]): Arg<C> {
    return new Arg(meta("choice", { choices }), (pc) =>
      z.string().transform((v, ctx) => {
        const found = choices.find((c) => c.toLowerCase() === v.trim().toLowerCase());
        if (found) return found;
        ctx.addIssue({
          code: "custom",
          message: pc.tr.t("core.errors.notAChoice", { value: v, choices: choices.join(", ") }),
        });
        return z.NEVER;
      }),
    );
  },
  /** A member of the platform: a mention on Discord/Matrix, `@name` on the console. Yields a member reference. */
  member(): Arg<string> {
    return new Arg(meta("member"), (pc) =>
      z.string().transform((v, ctx) => {
        const ref = pc.parseMember(v.trim());
        if (ref) return ref;
        ctx.addIssue({ code: "custom", message: pc.tr.t("core.errors.notAMember", { value: v }) });
        return z.NEVER;
      }),
    );
  },
  timeZone(): Arg<string> {
    return new Arg(meta("timezone", { autocomplete: (p) => suggestTimeZones(p, 25) }), (pc) =>
      z.string().transform((v, ctx) => {
        const zone = canonicalTimeZone(v);
        if (zone) return zone;
        const close = suggestTimeZones(v, 5);
        ctx.addIssue({
          code: "custom",
          message: pc.tr.t(close.length > 0 ? "core.errors.unknownZoneSuggest" : "core.errors.unknownZone", {
            value: v,
            suggestions: close.join(", "),
          }),
        });
        return z.NEVER;
      }),
    );
  },
  language(): Arg<Language> {
    return new Arg(meta("language", { choices: languages }), (pc) =>
      z.string().transform((v, ctx) => {
        const lower = v.trim().toLowerCase();
        const lang = isLanguage(lower) ? lower : languageByName(lower);
        if (lang) return lang;
        ctx.addIssue({
          code: "custom",
          message: pc.tr.t("core.errors.unknownLanguage", { value: v, choices: languages.join(", ") }),
        });
        return z.NEVER;
      }),
    );
  },
  /**
   * A date and time as people type it ("morgen 9 Uhr", "next friday 14:00", "05.03.", ISO),
   * in the invoker's zone, or a whole day; never in the past. A phrase with several meanings
   * asks which (a ChoiceError), and a refused one says why (a UserError).
   */
  when(): Arg<When> {
    return new Arg(meta("when"), (pc) =>
      z.union([z.string(), z.array(z.string()).transform((words) => words.join(" "))]).transform((v) => readWhenValue(v, pc)),
    );
  },
  /** A recurring rule: "every weekday 9:00", "jeden Montag um 8", "every 15 minutes", cron, RRULE. */
  rule(): Arg<RuleValue> {
    return new Arg(meta("string", { min: 1, max: 200 }), (pc) =>
      z.union([z.string(), z.array(z.string()).transform((words) => words.join(" "))]).transform((v) => readRuleValue(v, pc)),
    );
  },
  /** A length of time: "90", "90m", "2h", "1h30", "2 Stunden", "1d", ISO "PT2H"; "0m", "-5m" are refused. */
  duration(opts: { maxDays?: number } = {}): Arg<Duration> {
    const maxDays = opts.maxDays ?? 366;
    return new Arg(meta("duration"), (pc) =>
      z.union([z.string(), z.number().transform(String)]).transform((v, ctx) => {
        const read = readLength(v);
        if (read.kind === "length" && read.minutes <= maxDays * 1440) return Duration.fromObject({ minutes: read.minutes });
        const key =
          read.kind === "length"
            ? "durationTooLong"
            : read.reason === "unreadable"
              ? "duration"
              : `duration${read.reason === "zero" ? "Zero" : "Negative"}`;
        ctx.addIssue({ code: "custom", message: pc.tr.t(`core.errors.${key}`, { value: v, count: maxDays }) });
        return z.NEVER;
      }),
    );
  },
};
