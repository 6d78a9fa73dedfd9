import { DateTime, IANAZone } from "luxon";

/**
 * The languages Teambot speaks, each with the Intl locale its dates, numbers and lists are
 * written in. Adding a language is a line here and a folder `locales/<code>/`.
 */
const intlLocales = {
  de: "de-DE",
  en: "en-GB",
  uk: "uk-UA",
  ru: "ru-RU",
  // Arabic and Farsi with Latin digits, as ids and times are typed back in commands; Farsi
  // with the Gregorian calendar, the one the team's dates are agreed in.
  ar: "ar-u-nu-latn",
  tr: "tr-TR",
  fa: "fa-u-ca-gregory-nu-latn",
} as const;

export type Language = keyof typeof intlLocales;
export const languages = Object.keys(intlLocales) as readonly Language[];

/** The Intl locale of a language ("de-DE"). */
export const intlLocale = (lang: Language): string => intlLocales[lang];

const languageNames = new Map<string, string>();

/** A language's name in the reader's language ("Deutsch", "German"); Intl's name tables are costly, so names are kept. */
export function languageName(code: string, inLanguage: Language): string {
  const id = `${inLanguage}:${code}`;
  let name = languageNames.get(id);
  if (name === undefined) {
    name = new Intl.DisplayNames([intlLocale(inLanguage)], { type: "language" }).of(code) ?? code;
    // Bounded: codes come from the 7 languages, but a caller might pass anything.
    if (languageNames.size >= 1_000) languageNames.clear();
    languageNames.set(id, name);
  }
  return name;
}

type WithTextInfo = Intl.Locale & { getTextInfo?: () => { direction?: string } };

/** Whether a language is written right to left (Arabic, Farsi), as Intl knows it. */
export function isRightToLeft(lang: Language): boolean {
  return (new Intl.Locale(intlLocale(lang)) as WithTextInfo).getTextInfo?.().direction === "rtl";
}

export function isLanguage(value: string): value is Language {
  return (languages as readonly string[]).includes(value);
}

export function isValidTimeZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** All IANA zones this runtime knows, for suggestions and autocomplete. */
export const timeZones: readonly string[] = Intl.supportedValuesOf("timeZone");

/** Finds the canonical spelling of a zone typed in any case ("europe/berlin" -> "Europe/Berlin"). */
export function canonicalTimeZone(input: string): string | undefined {
  const wanted = input.trim().toLowerCase();
  const exact = timeZones.find((z) => z.toLowerCase() === wanted);
  if (exact) return exact;
  if (wanted === "utc" || wanted === "etc/utc") return "UTC";
  return isValidTimeZone(input.trim()) ? input.trim() : undefined;
}

/** Zones whose name contains the typed text, for error hints and autocomplete. */
export function suggestTimeZones(input: string, limit = 10): string[] {
  const wanted = input.trim().toLowerCase().replace(/\s+/g, "_");
  if (wanted === "") return ["Europe/Berlin", "Europe/Vienna", "Europe/Zurich", "UTC"].slice(0, limit);
  return timeZones.filter((z) => z.toLowerCase().includes(wanted)).slice(0, limit);
}

export type TimeStyle = "datetime" | "date" | "time" | "relative";

/**
 * "чт, 26 лист. 2026 р." -> "чт, 26 лист. 2026": a date often ends a sentence, and the
 * abbreviated word for "year" (Ukrainian, Russian) would end it with two full stops.
 */
export const withoutYearWord = (date: string): string => date.replace(/(\d)\s\p{L}{1,3}\.$/u, "$1");

/** Formats an instant for a reader in their language and zone; relative style is "in 2 hours". */
export function formatInstant(
  at: Date,
  style: TimeStyle,
  lang: Language,
  zone: string,
  now: Date,
): string {
  const dt = DateTime.fromJSDate(at, { zone }).setLocale(intlLocale(lang));
  switch (style) {
    case "date":
      return withoutYearWord(dt.toLocaleString({ weekday: "short", day: "numeric", month: "short", year: "numeric" }));
    case "time":
      return dt.toLocaleString({ hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
    case "relative": {
      // Luxon truncates: "in 40 minutes", said a moment ago, would read "in 39 minutes".
      // Beyond a minute away the distance is rounded to whole minutes first.
      const minutes = (at.getTime() - now.getTime()) / 60_000;
      const base = Math.abs(minutes) < 1 ? DateTime.fromJSDate(now, { zone }) : dt.minus({ minutes: Math.round(minutes) });
      return dt.toRelative({ base }) ?? dt.toISO() ?? at.toISOString();
    }
    default:
      return dt.toLocaleString({
        weekday: "short",
        day: "numeric",
        month: "short",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        timeZoneName: "short",
      });
  }
}

/** A stored language code as a Language; a code the bot no longer speaks falls back (German by default). */
export function asLanguage(value: string | null | undefined, fallback: Language = "de"): Language {
  return value && isLanguage(value) ? value : fallback;
}
