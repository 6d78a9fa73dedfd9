import { describe, expect, it } from "vitest";
import { formatInstant } from "../../src/core/time.ts";

const now = new Date("2026-11-25T09:00:00.000Z");
const later = (ms: number) => new Date(now.getTime() + ms);

describe("relative times", () => {
  it("says the distance a member asked for, though a moment passed since ('in 40 minutes', not 39)", () => {
    const asked = later(40 * 60_000 - 350); // the reminder was computed 350 ms before the answer
    expect(formatInstant(asked, "relative", "en", "Europe/Berlin", now)).toBe("in 40 minutes");
    expect(formatInstant(asked, "relative", "de", "Europe/Berlin", now)).toBe("in 40 Minuten");
  });

  it("rounds to whole minutes beyond a minute, in both directions, and keeps seconds below one", () => {
    expect(formatInstant(later(89_000), "relative", "en", "UTC", now)).toBe("in 1 minute");
    expect(formatInstant(later(91_000), "relative", "en", "UTC", now)).toBe("in 2 minutes");
    expect(formatInstant(later(-(40 * 60_000 - 500)), "relative", "en", "UTC", now)).toBe("40 minutes ago");
    expect(formatInstant(later(30_000), "relative", "en", "UTC", now)).toBe("in 30 seconds");
    expect(formatInstant(later(3 * 3_600_000 - 1_000), "relative", "en", "UTC", now)).toBe("in 3 hours");
  });
});
