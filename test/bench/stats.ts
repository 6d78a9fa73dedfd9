import os from "node:os";

/** The p-th percentile of ascending numbers (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

export const median = (values: readonly number[]): number => percentile([...values].sort((a, b) => a - b), 50);

export const round = (n: number, digits = 2): number => Number(n.toFixed(digits));

/** The machine's 1, 5 and 15 minute load averages: the machine is shared, figures depend on it. */
export const loadAverage = (): string => os.loadavg().map((l) => l.toFixed(2)).join(" / ");
