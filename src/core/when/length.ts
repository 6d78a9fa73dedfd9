import { Duration } from "luxon";
import { type DurationParts, durationAt } from "./duration-words.ts";
import { tokenize } from "./tokens.ts";

/** A length of time as typed ("90m", "2 Stunden", "1h30", "2d"), or why it is none. */
export type LengthReading =
  | { kind: "length"; minutes: number }
  /** unreadable: no length at all; zero and negative: a length, but not one a thing can last. */
  | { kind: "error"; reason: "unreadable" | "zero" | "negative" };

const minutesPer: Record<keyof DurationParts, number> = {
  seconds: 1 / 60,
  minutes: 1,
  hours: 60,
  days: 1440,
  weeks: 7 * 1440,
  months: 30 * 1440,
  years: 365 * 1440,
};

function minutesOf(parts: DurationParts): number {
  return Object.entries(parts).reduce((sum, [unit, value]) => sum + value * minutesPer[unit as keyof DurationParts], 0);
}

/**
 * Reads a length: "90" (minutes), "90m", "2h", "1h30", "1:30", "2 Stunden", "anderthalb
 * Stunden", "1d", "2 Tage", ISO "PT2H". "0m" and "-5m" are lengths a meeting cannot have:
 * they are read (so they are not mistaken for a place) and refused.
 */
export function readLength(input: string): LengthReading {
  let body = input.trim().toLowerCase().replace(/\s+/g, " ");
  const negative = /^[-−–]/.test(body);
  if (negative) body = body.slice(1).trim();
  let minutes: number | undefined;
  const clock = /^(\d{1,3}):(\d{2})$/.exec(body);
  if (/^p/.test(body)) {
    const iso = Duration.fromISO(body.toUpperCase());
    minutes = iso.isValid ? iso.as("minutes") : undefined;
  } else if (clock) {
    const m = Number(clock[2]);
    minutes = m < 60 ? Number(clock[1]) * 60 + m : undefined;
  } else if (/^\d{1,6}$/.test(body)) {
    minutes = Number(body);
  } else if (body !== "") {
    const tokens = tokenize(body.split(" "));
    const found = durationAt(tokens, 0);
    minutes = found && found.len === tokens.length ? minutesOf(found.parts) : undefined;
  }
  if (minutes === undefined || !Number.isFinite(minutes)) return { kind: "error", reason: "unreadable" };
  if (negative) return { kind: "error", reason: "negative" };
  const rounded = Math.round(minutes);
  return rounded <= 0 ? { kind: "error", reason: "zero" } : { kind: "length", minutes: rounded };
}

/** How many leading words (up to four) read as a length, valid or not; 0 when they do not start with one. */
export function lengthWords(words: readonly string[]): number {
  for (let n = Math.min(4, words.length); n >= 1; n--) {
    const reading = readLength(words.slice(0, n).join(" "));
    if (reading.kind === "length" || reading.reason !== "unreadable") return n;
  }
  return 0;
}
