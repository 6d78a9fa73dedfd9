import { fill, type Matcher, one } from "./state.ts";
import type { Token } from "./tokens.ts";
import { numberWords, type Unit, units } from "./words.ts";

/** A length of time as written: calendar parts and clock parts, possibly fractional. */
export type DurationParts = Partial<Record<Unit, number>>;

const fractions = new Map<string, number>([
  ["anderthalb", 1.5],
  ["eineinhalb", 1.5],
  ["einundeinhalb", 1.5],
  ["zweieinhalb", 2.5],
  ["dreieinhalb", 3.5],
]);

/** An amount: "2", "1,5", "zwei", "a", "einer halben", "half an", "anderthalb", "a quarter of an". */
function amountAt(tokens: readonly Token[], i: number): { value: number; len: number } | undefined {
  const w = (k: number) => tokens[i + k]?.w ?? "";
  if (/^\d+([.,]\d+)?$/.test(w(0))) return { value: Number(w(0).replace(",", ".")), len: 1 };
  if (
    /^(one|a|an|1|ein|eine|einer)$/.test(w(0)) &&
    /^(and|und)$/.test(w(1)) &&
    /^(a|eine|einer)$/.test(w(2)) &&
    /^(half|halbe|halben)$/.test(w(3))
  )
    return { value: 1.5, len: 4 };
  const fraction = fractions.get(w(0));
  if (fraction) return { value: fraction, len: 1 };
  if (/^(ein|eine|einer|einen|einem)$/.test(w(0)) && /^(halbe|halben|halbes|halber)$/.test(w(1)))
    return { value: 0.5, len: 2 };
  if (w(0) === "half" && /^(an|a)$/.test(w(1))) return { value: 0.5, len: 2 };
  if (/^(a|an)$/.test(w(0)) && w(1) === "half") return { value: 0.5, len: 2 };
  const k = /^(a|an)$/.test(w(0)) ? 1 : 0;
  if (w(k) === "quarter") {
    const of = w(k + 1) === "of" && /^(an|a)$/.test(w(k + 2));
    return { value: 0.25, len: k + 1 + (of ? 2 : 0) };
  }
  if (/^(a|an)$/.test(w(0))) return { value: 1, len: 1 };
  const n = numberWords.get(w(0));
  return n === undefined ? undefined : { value: n, len: 1 };
}

/**
 * One term: "2 Stunden", "1h30", "90min", "einer Viertelstunde", "an hour and a half".
 * `counted`: a bare unit word ("second", "Stunde") is no term, as after "in 40 minutes" in
 * "remind me in 40 minutes second reminder"; words that hold their amount ("Viertelstunde",
 * "fortnight") still are.
 */
function termAt(tokens: readonly Token[], i: number, counted = false): { parts: DurationParts; len: number } | undefined {
  const w0 = tokens[i]?.w ?? "";
  const hm = /^(\d+)h(\d{1,2})(m|min)?$/.exec(w0);
  if (hm) return { parts: { hours: Number(hm[1]), minutes: Number(hm[2]) }, len: 1 };
  const glued = /^(\d+(?:[.,]\d+)?)([a-z.]+)$/.exec(w0);
  if (glued) {
    const unit = units.get(glued[2] ?? "");
    if (!unit) return undefined;
    return { parts: { [unit.unit]: Number((glued[1] ?? "").replace(",", ".")) * unit.times }, len: 1 };
  }
  const amount = amountAt(tokens, i);
  // "in einer Viertelstunde": the amount is in the unit word.
  const unitIndex = amount ? i + amount.len : i;
  const unit = units.get(tokens[unitIndex]?.w ?? "");
  if (!unit || (counted && !amount && unit.times === 1)) return undefined;
  let value = (amount?.value ?? 1) * unit.times;
  let len = unitIndex - i + 1;
  const w = (k: number) => tokens[i + len + k]?.w ?? "";
  if ((w(0) === "and" || w(0) === "und") && /^(a|ein|eine)$/.test(w(1)) && /^(half|halb|halbe)$/.test(w(2))) {
    value += 0.5 * unit.times;
    len += 3;
  }
  return { parts: { [unit.unit]: value }, len };
}

/** A sum of terms: "2 Stunden und 30 Minuten", "1 hour, 15 minutes", "1h30". */
export function durationAt(
  tokens: readonly Token[],
  i: number,
): { parts: DurationParts; len: number } | undefined {
  const first = termAt(tokens, i);
  if (!first) return undefined;
  const parts: DurationParts = { ...first.parts };
  let len = first.len;
  for (;;) {
    const joiner = /^(und|and|,)$/.test(tokens[i + len]?.w ?? "") ? 1 : 0;
    const next = termAt(tokens, i + len + joiner, true);
    if (!next) break;
    for (const [unit, value] of Object.entries(next.parts) as [Unit, number][]) {
      if (parts[unit] !== undefined) return { parts, len };
      parts[unit] = value;
    }
    len += joiner + next.len;
  }
  return { parts, len };
}

const clockUnits: Unit[] = ["hours", "minutes", "seconds"];

/**
 * "in 2 Stunden", "in einer halben Stunde", "in anderthalb Stunden", "in 3 Tagen",
 * "in 2 Wochen", "in a fortnight", "in 8 Tagen" (a week, or eight days: asked).
 */
export const matchIn: Matcher = (tokens, i) => {
  if (tokens[i]?.w !== "in") return undefined;
  const found = durationAt(tokens, i + 1);
  if (!found) return undefined;
  const { parts } = found;
  const len = found.len + 1;
  const values = Object.values(parts);
  if (values.some((v) => !Number.isFinite(v) || v < 0) || values.every((v) => v === 0))
    return { len, error: "unparseable" };
  const clock = clockUnits.some((u) => parts[u] !== undefined);
  const whole = Object.values(parts).every((v) => Number.isInteger(v));
  if (clock || !whole) return one(len, (s) => fill(s, "inDuration", parts));
  const only = (u: Unit) => Object.keys(parts).length === 1 && parts[u] !== undefined;
  if (only("weeks")) return one(len, (s) => fill(s, "inWeeks", parts.weeks));
  const days = (parts.days ?? 0) + 7 * (parts.weeks ?? 0);
  const months = parts.months ?? 0;
  const years = parts.years ?? 0;
  // "in acht Tagen" is a week in everyday German, and eight days by the letter.
  const german = /^(tage|tagen)$/.test(tokens[i + len - 1]?.w ?? "");
  const choices = only("days") && days === 8 && german ? [7, 8] : [days];
  return one(len, (s) => fill(s, "inDays", { days: choices, months, years }));
};
