import { dayParts, fold, weekdays } from "./words.ts";

/** One word of a phrase, folded, with the index of the typed word it came from. */
export interface Token {
  /** As typed (without trailing punctuation). */
  raw: string;
  /** Folded: lower case, umlauts as ae/oe/ue. */
  w: string;
  /** Index of the typed word (a quoted argument with spaces is one typed word). */
  word: number;
}

const compoundHeads = [
  "heute",
  "morgen",
  "gestern",
  "uebermorgen",
  ...[...weekdays.keys()].filter((k) => k.length > 5),
];

/**
 * Splits typed words into tokens: a quoted "next friday 14:00" gives three tokens of one
 * word, "Freitagabend" gives "freitag" + "abend", trailing commas go.
 */
export function tokenize(words: readonly string[]): Token[] {
  const tokens: Token[] = [];
  words.forEach((typed, word) => {
    for (const part of typed.split(/\s+/)) {
      const raw = part.replace(/^[(„“"']+/, "").replace(/[,;!?)“”"]+$/, "");
      if (raw === "") continue;
      const w = fold(raw);
      const head = compoundHeads.find((h) => w.startsWith(h) && w.length > h.length);
      const tail = head ? w.slice(head.length) : "";
      if (head && (dayParts.has(tail) || tail === "morgen")) {
        tokens.push({ raw: raw.slice(0, head.length), w: head, word });
        tokens.push({ raw: raw.slice(head.length), w: tail, word });
      } else {
        tokens.push({ raw, w, word });
      }
    }
  });
  return tokens;
}

/** Does the token list from `i` start with these folded words? */
export function startsWith(tokens: readonly Token[], i: number, phrase: readonly string[]): boolean {
  return phrase.every((p, k) => tokens[i + k]?.w === p);
}
