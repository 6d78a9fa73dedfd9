import { describe, expect, it } from "vitest";
import { UserError } from "../../src/core/errors.ts";
import { normalizeSkill, normalizeSkills } from "../../src/features/rapid/model.ts";
import { median, percentile } from "../../src/features/rapid/stats.ts";
import { humanDuration } from "../../src/features/rapid/views.ts";

describe("rapid response helpers", () => {
  it("computes median and nearest-rank percentiles", () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([4, 1, 3])).toBe(3);
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(percentile([], 0.9)).toBeNull();
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBe(9);
    expect(percentile([20, 4], 0.9)).toBe(20);
  });

  it("normalizes skills and refuses markup", () => {
    expect(normalizeSkill(" Driving Licence ")).toBe("driving-licence");
    expect(normalizeSkill("#Dari")).toBe("dari");
    expect(normalizeSkill("Türkisch")).toBe("türkisch");
    expect(normalizeSkill("<b>")).toBeUndefined();
    expect(normalizeSkill("@everyone")).toBeUndefined();
    expect(normalizeSkills(["dari,farsi", "Dari"])).toEqual(["dari", "farsi"]);
    expect(() => normalizeSkills(["ok", "x".repeat(40)])).toThrow(UserError);
  });

  it("writes durations in the reader's language", () => {
    expect(humanDuration(10 * 60_000, "en")).toBe("10 mins");
    expect(humanDuration(90 * 60_000, "de")).toMatch(/^1 Std\.\W+(und )?30 Min\.$/);
    expect(humanDuration(45_000, "en")).toBe("45 secs");
  });
});
