import type { DbOrTx } from "../../db/client.ts";

export interface Spread {
  median: number | null;
  p90: number | null;
  /** How many values. */
  n: number;
}

export interface Stats {
  requests: number;
  open: number;
  resolved: number;
  cancelled: number;
  expired: number;
  /** Requests that were covered at some point. */
  covered: number;
  /** Requests marked unanswered after all escalations, or expired without anyone on them. */
  unanswered: number;
  /** From creation to the first claim, in milliseconds. */
  toClaim: Spread;
  /** From creation to resolution, in milliseconds. */
  toResolve: Spread;
}

/** Nearest-rank percentile (q in 0..1) of the values; null without values. */
export function percentile(values: readonly number[], q: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1] ?? null;
}

/** The median: the middle value, or the mean of the two middle ones. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const upper = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? upper : ((sorted[mid - 1] ?? 0) + upper) / 2;
}

const spread = (values: number[]): Spread => ({
  median: median(values),
  p90: percentile(values, 0.9),
  n: values.length,
});

/** Figures for the requests a team created since `since`. */
export async function teamStats(db: DbOrTx, teamId: number, since: Date): Promise<Stats> {
  const rows = await db.rrRequest.findMany({ where: { teamId, createdAt: { gte: since } } });
  const count = (status: string) => rows.filter((r) => r.status === status).length;
  const toClaim: number[] = [];
  const toResolve: number[] = [];
  for (const r of rows) {
    if (r.firstClaimAt) toClaim.push(r.firstClaimAt.getTime() - r.createdAt.getTime());
    if (r.status === "resolved" && r.closedAt) toResolve.push(r.closedAt.getTime() - r.createdAt.getTime());
  }
  return {
    requests: rows.length,
    open: count("open") + count("covered"),
    resolved: count("resolved"),
    cancelled: count("cancelled"),
    expired: count("expired"),
    covered: rows.filter((r) => r.coveredAt !== null).length,
    unanswered: rows.filter(
      (r) => r.unansweredAt !== null || (r.status === "expired" && r.coveredAt === null),
    ).length,
    toClaim: spread(toClaim),
    toResolve: spread(toResolve),
  };
}
