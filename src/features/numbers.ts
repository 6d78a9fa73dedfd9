import type { Tx } from "../db/client.ts";

/** Kinds of items that carry a short number per team (#5). Tasks keep their own counter (TaskTeam). */
export type NumberedKind = "poll" | "meeting" | "reminder" | "rr";

/**
 * The next short number of a kind in a team, in the caller's transaction. Numbers come from a
 * counter that only grows, so a number is never handed out twice, not even after its item was
 * deleted (a button posted long ago must never reach a newer item). One atomic upsert: on
 * PostgreSQL an INSERT … ON CONFLICT DO UPDATE, on SQLite writes take turns anyway.
 */
export async function nextNumber(tx: Tx, teamId: number, kind: NumberedKind): Promise<number> {
  const row = await tx.teamCounter.upsert({
    where: { teamId_kind: { teamId, kind } },
    create: { teamId, kind, last: 1 },
    update: { last: { increment: 1 } },
    select: { last: true },
  });
  return row.last;
}
