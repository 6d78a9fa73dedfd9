import type { Db } from "../db/client.ts";

/**
 * PostgreSQL: claims up to `limit` due jobs (and jobs whose claim expired) in one
 * statement and returns their ids. FOR UPDATE SKIP LOCKED lets processes that claim at the
 * same moment take different rows, instead of waiting for each other's and then finding
 * them taken. (SQLite has one writer at a time; it keeps the conditional update.)
 */
export async function claimSkippingLocked(
  db: Db,
  claim: { token: string; now: Date; until: Date; limit: number },
): Promise<number[]> {
  const rows = await db.$queryRaw<{ id: number }[]>`
    UPDATE "Job" SET "status" = 'running', "claimedBy" = ${claim.token}, "claimExpiresAt" = ${claim.until},
      "attempts" = "attempts" + 1, "updatedAt" = ${claim.now}
    WHERE "id" IN (
      SELECT "id" FROM "Job"
      WHERE ("status" = 'pending' AND "runAt" <= ${claim.now})
        OR ("status" = 'running' AND "claimExpiresAt" < ${claim.now})
      ORDER BY "runAt", "id"
      LIMIT ${claim.limit}
      FOR UPDATE SKIP LOCKED)
    RETURNING "id"`;
  return rows.map((r) => r.id);
}
