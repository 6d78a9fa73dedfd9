import { DateTime, IANAZone } from "luxon";

export type Language = "de" | "en";
export const languages: readonly Language[] = ["de", "en"];

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

const localeOf: Record<Language, string> = { de: "de-DE", en: "en-GB" };

/** Formats an instant for a reader in their language and zone; relative style is "in 2 hours". */
export function formatInstant(
  at: Date,
  style: TimeStyle,
  lang: Language,
  zone: string,
  now: Date,
): string {
  const dt = DateTime.fromJSDate(at, { zone }).setLocale(localeOf[lang]);
  switch (style) {
    case "date":
      return dt.toLocaleString({ weekday: "short", day: "numeric", month: "short", year: "numeric" });
    case "time":
      return dt.toLocaleString({ hour: "2-digit", minute: "2-digit", timeZoneName: "short" });
    case "relative":
      return dt.toRelative({ base: DateTime.fromJSDate(now, { zone }) }) ?? dt.toISO() ?? at.toISOString();
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
