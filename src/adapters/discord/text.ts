/**
 * Cutting text for Discord's limits without breaking characters: a cut inside a surrogate
 * pair leaves half an emoji, which Discord refuses (the whole message is lost), and a cut
 * inside a grapheme ("👩‍👩‍👧", "🇩🇪", "é" as e + accent) shows a broken one. Lengths are
 * UTF-16 units, which is never less than Discord's own count.
 */
const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/** The largest index <= max at which `value` may be cut (a grapheme boundary, else a code point one). */
export function cutIndex(value: string, max: number): number {
  if (value.length <= max) return value.length;
  let cut = 0;
  for (const { index } of graphemes.segment(value)) {
    if (index > max) break;
    cut = index;
  }
  if (cut > 0) return cut;
  // One grapheme longer than the limit (a very long emoji sequence): cut between code points.
  let i = max;
  const code = value.charCodeAt(i);
  if (code >= 0xdc00 && code <= 0xdfff) i--;
  return i;
}

/** `value` in at most `max` UTF-16 units, ending in "…" when it had to be cut. */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value;
  return `${value.slice(0, cutIndex(value, max - 1))}…`;
}
