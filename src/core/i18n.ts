import i18next, { type i18n as I18nInstance } from "i18next";
import { type Span, text, spans as toSpans } from "./message.ts";
import { intlLocale, isRightToLeft, type Language, languages } from "./time.ts";

/** One file of messages: nested keys to a text, or to a list of texts (a command's examples). */
export type MessageTree = { [key: string]: string | string[] | MessageTree };
/** Every language's files: language -> namespace (the file's name) -> messages. */
export type Catalog = Partial<Record<Language, Record<string, MessageTree>>>;

export type Params = Record<string, string | number | Span>;
export type TextParams = Record<string, string | number | boolean>;

/** Unicode bidi isolates: a run inside them keeps its own direction and cannot scramble the text around it. */
export const bidi = { lri: "\u2066", fsi: "\u2068", pdi: "\u2069", rlm: "\u200F" } as const;

export interface Translator {
  lang: Language;
  /** Written right to left: parameters, numbers and command words are isolated. */
  rtl: boolean;
  /** Plain translated text; `ordinal: true` picks the ordinal forms of `count` ("1st", "2nd"). */
  t(key: string, params?: TextParams): string;
  /**
   * Translated text as spans: `**bold**` in the translation becomes bold, and each
   * `{{param}}` becomes its own span, so user text stays escaped and mentions stay mentions.
   */
  tm(key: string, params?: Params): Span[];
  /** A list of texts (a command's examples); empty when the key holds none. */
  lines(key: string): string[];
  /** "Ann, Bob and Carla" in this language. */
  list(items: readonly string[]): string;
  /** The same for spans (mentions stay mentions). */
  listSpans(items: readonly Span[][]): Span[];
  /** A number as this language writes it. */
  number(value: number, options?: Intl.NumberFormatOptions): string;
}

const marker = (name: string): string => `\u0000${name}\u0000`;
/** `{{param}}` markers in a translated text, with a `#` right before one (as in `#{{id}}`). */
const markerPattern = /(#?)\u0000([^\u0000]*)\u0000/g;
const rtlLetter = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
const latinLetter = /[A-Za-z]/;

/** A value in right-to-left text: numbers and `#12` left to right, anything else by its first strong letter. */
function isolate(value: string, leftToRight: boolean): string {
  return `${leftToRight ? bidi.lri : bidi.fsi}${value}${bidi.pdi}`;
}

export class I18n {
  private readonly instance: I18nInstance;
  /** One translator per language, made on first use (they hold Intl formatters). */
  private readonly translators = new Map<Language, Translator>();

  constructor(catalog: Catalog) {
    this.instance = i18next.createInstance();
    const resources: Record<string, { translation: Record<string, MessageTree> }> = {};
    for (const lang of languages) resources[lang] = { translation: catalog[lang] ?? {} };
    void this.instance.init({
      initAsync: false,
      lng: "en",
      fallbackLng: "en",
      supportedLngs: [...languages],
      resources,
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  }

  /** Keys of one language, flattened ("poll.created", "poll.votes_one"), for the completeness test. */
  keys(lang: Language): string[] {
    const bundle = (this.instance.getResourceBundle(lang, "translation") ?? {}) as MessageTree;
    const out: string[] = [];
    const walk = (node: MessageTree[string], prefix: string): void => {
      if (typeof node === "string" || Array.isArray(node)) out.push(prefix);
      else for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
    };
    walk(bundle, "");
    return out.sort();
  }

  /** The raw entry under a key in one language (a text, a list or a subtree), without fallback. */
  entry(lang: Language, key: string): MessageTree[string] | undefined {
    let node: MessageTree[string] | undefined = this.instance.getResourceBundle(lang, "translation") as MessageTree;
    for (const part of key.split(".")) {
      if (node === undefined || typeof node === "string" || Array.isArray(node)) return undefined;
      node = node[part];
    }
    return node;
  }

  /** Whether English (the reference language) has a text or list under this key. */
  has(key: string): boolean {
    const found = this.entry("en", key);
    return typeof found === "string" || Array.isArray(found);
  }

  translator(lang: Language): Translator {
    let made = this.translators.get(lang);
    if (!made) {
      made = this.makeTranslator(lang);
      this.translators.set(lang, made);
    }
    return made;
  }

  private makeTranslator(lang: Language): Translator {
    const fixed = this.instance.getFixedT(lang);
    const rtl = isRightToLeft(lang);
    const locale = intlLocale(lang);
    const lists = new Intl.ListFormat(locale, { style: "long", type: "conjunction" });

    // Values are replaced by markers before i18next sees the text; only `count` stays a number
    // (it picks the plural form and is written as it is), and `ordinal` a switch.
    // i18next's lookup costs about a tenth of a millisecond, several times per command. With
    // values as markers its result depends only on the key, the parameters' names, `count`
    // and `ordinal`: templates are kept (bounded) and looked up again by those.
    const templates = new Map<string, string>();
    const raw = (key: string, params: Record<string, unknown>): string => {
      const markers: Record<string, string | number | boolean> = {};
      for (const [name, value] of Object.entries(params)) {
        if (name === "count" && typeof value === "number") markers[name] = value;
        else if (name === "ordinal" && typeof value === "boolean") markers[name] = value;
        else markers[name] = marker(name);
      }
      const id = `${key}\u0000${Object.entries(markers).join("\u0000")}`;
      let template = templates.get(id);
      if (template === undefined) {
        template = fixed(key, markers);
        if (templates.size >= 5_000) templates.clear();
        templates.set(id, template);
      }
      return template;
    };

    const t = (key: string, params: TextParams = {}): string =>
      raw(key, params).replace(markerPattern, (_all, hash: string, name: string) => {
        const value = params[name];
        if (value === undefined || typeof value === "boolean") return hash;
        const written = `${hash}${String(value)}`;
        return rtl ? isolate(written, hash !== "" || typeof value === "number") : written;
      });

    const tm = (key: string, params: Params = {}): Span[] => {
      const template = raw(key, params);
      const spans = parseMarkup(template, params, rtl);
      // A right-to-left message that starts with a name, a number or a command would be shown
      // left to right by clients that take the direction from the first letter: a mark says otherwise.
      const first = /[A-Za-z\u0000\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/.exec(template);
      return rtl && !(first && rtlLetter.test(first[0])) ? mergeText([text(bidi.rlm), ...spans]) : spans;
    };

    const lines = (key: string): string[] => {
      const found: unknown = fixed(key, { returnObjects: true });
      return Array.isArray(found) ? found.filter((l): l is string => typeof l === "string") : [];
    };

    const listSpans = (items: readonly Span[][]): Span[] => {
      const parts = lists.formatToParts(items.map((_, i) => marker(String(i))));
      const out: Span[] = [];
      for (const part of parts) {
        if (part.type === "literal") {
          out.push(text(part.value));
          continue;
        }
        const item = items[Number(part.value.replaceAll("\u0000", ""))] ?? [];
        out.push(...(rtl ? [text(bidi.fsi), ...item, text(bidi.pdi)] : item));
      }
      return mergeText(out);
    };

    return {
      lang,
      rtl,
      t,
      tm,
      lines,
      list: (items) => lists.format(rtl ? items.map((i) => isolate(i, false)) : items),
      listSpans,
      number: (value, options) => new Intl.NumberFormat(locale, options).format(value),
    };
  }
}

/** The spans a parameter becomes; in right-to-left text isolated, numbers and code left to right. */
function paramSpans(value: string | number | Span, hash: string, rtl: boolean): Span[] {
  const inner: Span[] = hash ? [text(hash), ...toSpans([value])] : toSpans([value]);
  if (!rtl) return inner;
  const leftToRight = hash !== "" || typeof value === "number" || (typeof value === "object" && value.kind === "code");
  return [text(leftToRight ? bidi.lri : bidi.fsi), ...inner, text(bidi.pdi)];
}

function parseMarkup(translated: string, params: Params, rtl: boolean): Span[] {
  const out: Span[] = [];
  const parts = translated.split("**");
  parts.forEach((part, index) => {
    const pieces: Span[] = [];
    let last = 0;
    for (const match of part.matchAll(markerPattern)) {
      if (match.index > last) pieces.push(text(part.slice(last, match.index)));
      const value = params[match[2] ?? ""];
      if (value !== undefined) pieces.push(...paramSpans(value, match[1] ?? "", rtl));
      last = match.index + match[0].length;
    }
    if (last < part.length) pieces.push(text(part.slice(last)));
    const isBold = index % 2 === 1 && index < parts.length - 1;
    if (!isBold) {
      out.push(...pieces);
      return;
    }
    const bold: Span = { kind: "bold", spans: mergeText(pieces) };
    // A command in bold (**task start 12**) in right-to-left text reads left to right as a whole.
    const literal = part.replace(markerPattern, "");
    const command = rtl && latinLetter.test(literal) && !rtlLetter.test(literal);
    out.push(...(command ? [text(bidi.lri), bold, text(bidi.pdi)] : [bold]));
  });
  return mergeText(out);
}

function mergeText(list: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of list) {
    if (s.kind === "text" && s.text === "") continue;
    const last = out.at(-1);
    if (s.kind === "text" && last?.kind === "text") out[out.length - 1] = text(last.text + s.text);
    else out.push(s);
  }
  return out;
}
