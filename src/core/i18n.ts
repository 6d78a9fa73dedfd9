import i18next, { type i18n as I18nInstance } from "i18next";
import { type Span, text, spans as toSpans } from "./message.ts";
import type { Language } from "./time.ts";

/** German must have exactly the keys English has: a missing key fails type-checking. */
export type Translations<T> = { [K in keyof T]: T[K] extends string ? string : Translations<T[K]> };

export interface LocaleBundle {
  /** Top-level key the bundle lives under, e.g. "poll" gives keys "poll.created". */
  namespace: string;
  en: Record<string, unknown>;
  de: Record<string, unknown>;
}

export function defineLocales<T extends Record<string, unknown>>(
  namespace: string,
  en: T,
  de: Translations<T>,
): LocaleBundle {
  return { namespace, en, de };
}

export type Params = Record<string, string | number | Span>;

export interface Translator {
  lang: Language;
  /** Plain translated text; parameters are inserted as they are. */
  t(key: string, params?: Record<string, string | number>): string;
  /**
   * Translated text as spans: `**bold**` in the translation becomes bold, and each
   * `{{param}}` becomes its own span, so user text stays escaped and mentions stay mentions.
   */
  tm(key: string, params?: Params): Span[];
}

export class I18n {
  private readonly instance: I18nInstance;

  constructor(bundles: LocaleBundle[]) {
    this.instance = i18next.createInstance();
    const resources: Record<Language, Record<string, unknown>> = { en: {}, de: {} };
    for (const b of bundles) {
      resources.en[b.namespace] = b.en;
      resources.de[b.namespace] = b.de;
    }
    void this.instance.init({
      initAsync: false,
      lng: "en",
      fallbackLng: "en",
      supportedLngs: ["en", "de"],
      resources: { en: { translation: resources.en }, de: { translation: resources.de } },
      interpolation: { escapeValue: false },
      returnNull: false,
    });
  }

  /** Keys of one language, flattened ("poll.created"), for the completeness test. */
  keys(lang: Language): string[] {
    const bundle = this.instance.getResourceBundle(lang, "translation") as Record<string, unknown>;
    const out: string[] = [];
    const walk = (node: unknown, prefix: string): void => {
      if (typeof node === "string") out.push(prefix);
      else if (node && typeof node === "object")
        for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
    };
    walk(bundle, "");
    return out.sort();
  }

  translator(lang: Language): Translator {
    const fixed = this.instance.getFixedT(lang);
    const t = (key: string, params?: Record<string, string | number>): string => fixed(key, params ?? {});
    const tm = (key: string, params: Params = {}): Span[] => {
      // Insert markers instead of values, then split: values never pass through markup parsing.
      const markers: Record<string, string | number> = {};
      for (const [name, value] of Object.entries(params)) {
        markers[name] = name === "count" && typeof value === "number" ? value : `\u0000${name}\u0000`;
      }
      return parseMarkup(t(key, markers), params);
    };
    return { lang, t, tm };
  }
}

function parseMarkup(translated: string, params: Params): Span[] {
  const out: Span[] = [];
  const parts = translated.split("**");
  parts.forEach((part, index) => {
    const pieces: Span[] = [];
    part.split("\u0000").forEach((piece, i) => {
      if (i % 2 === 1) {
        const value = params[piece];
        if (value !== undefined) pieces.push(...toSpans([value]));
      } else if (piece !== "") {
        pieces.push(text(piece));
      }
    });
    if (index % 2 === 1 && index < parts.length - 1) out.push({ kind: "bold", spans: pieces });
    else out.push(...pieces);
  });
  return mergeText(out);
}

function mergeText(list: Span[]): Span[] {
  const out: Span[] = [];
  for (const s of list) {
    const last = out.at(-1);
    if (s.kind === "text" && last?.kind === "text") out[out.length - 1] = text(last.text + s.text);
    else out.push(s);
  }
  return out;
}
