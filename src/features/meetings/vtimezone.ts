import { DateTime, FixedOffsetZone } from "luxon";

const hourMs = 3_600_000;
const dayMs = 24 * hourMs;

const offsetAt = (ms: number, zone: string): number => DateTime.fromMillis(ms, { zone }).offset;

/** "+0100", "-0430": an offset in minutes as iCalendar writes it. */
function utcOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
}

/** The instant the offset changes between `from` (old offset) and `to` (new one). */
function change(from: number, to: number, zone: string): number {
  let lo = from;
  let hi = to;
  const before = offsetAt(from, zone);
  while (hi - lo > 60_000) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (offsetAt(mid, zone) === before) lo = mid;
    else hi = mid;
  }
  // Offsets change on whole minutes: the first whole minute of (lo, hi] is the change.
  return Math.floor(hi / 60_000) * 60_000;
}

/**
 * A VTIMEZONE for an IANA zone from `from` for `years` (RFC 5545 3.6.5): the offset at the
 * start, then each change as its own STANDARD or DAYLIGHT part, whose DTSTART is the local
 * time of the old offset. Calendars need it to place "every Monday 10:00 Europe/Berlin"
 * right on both sides of daylight saving.
 */
export function vtimezone(zone: string, from: Date, years = 10): string[] {
  const start = from.getTime() - dayMs;
  const end = start + years * 366 * dayMs;
  const part = (kind: "STANDARD" | "DAYLIGHT", at: number, before: number, after: number) => [
    `BEGIN:${kind}`,
    `DTSTART:${DateTime.fromMillis(at, { zone: FixedOffsetZone.instance(before) }).toFormat("yyyyMMdd'T'HHmmss")}`,
    `TZOFFSETFROM:${utcOffset(before)}`,
    `TZOFFSETTO:${utcOffset(after)}`,
    `TZNAME:${DateTime.fromMillis(at, { zone }).setLocale("en-GB").toFormat("ZZZZ")}`,
    `END:${kind}`,
  ];
  const first = offsetAt(start, zone);
  const lines = ["BEGIN:VTIMEZONE", `TZID:${zone}`, ...part("STANDARD", start, first, first)];
  let previous = first;
  for (let t = start + dayMs; t <= end; t += dayMs) {
    const offset = offsetAt(t, zone);
    if (offset === previous) continue;
    const at = change(t - dayMs, t, zone);
    lines.push(...part(offset > previous ? "DAYLIGHT" : "STANDARD", at, previous, offset));
    previous = offset;
  }
  lines.push("END:VTIMEZONE");
  return lines;
}
