import { type Db, providerOf, type Tx } from "./client.ts";

/** A concurrent change won the race (optimistic locking): the transaction may run again. */
export class WriteConflict extends Error {}

/**
 * Lost races worth retrying: our own conflicts, unique violations (P2002), write conflicts
 * (P2034), locks. Anything else (a rule the caller refused with) ends the transaction at once.
 */
function isRetryable(error: unknown): boolean {
  if (error instanceof WriteConflict) return true;
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  if (code === "P2002" || code === "P2034") return true;
  const message = error instanceof Error ? error.message : String(error);
  return /SQLITE_BUSY|database is locked|write conflict|deadlock|could not serialize/i.test(message);
}

/**
 * Runs `work` in one transaction and again (with a short random pause) when it lost a race
 * with a concurrent writer. Rules are checked again on each try, so the loser sees the
 * winner's change ("already taken"). User errors pass through at once; after the last
 * attempt `giveUp` (a user error such as "busy, try again") or the error itself is thrown.
 */
export async function retryingTransaction<T>(
  db: Db,
  work: (tx: Tx) => Promise<T>,
  options: { attempts?: number; giveUp?: Error } = {},
): Promise<T> {
  const attempts = options.attempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(work);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (attempt >= attempts) throw options.giveUp ?? error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}

/**
 * An upsert that a concurrent one may beat to the insert. With an empty `update`, Prisma
 * reads and then inserts (no INSERT … ON CONFLICT), which two PostgreSQL connections can
 * interleave: the loser's insert violates the unique key, and running it again finds the row.
 */
export async function upsertRacing<T>(upsert: () => Promise<T>): Promise<T> {
  try {
    return await upsert();
  } catch (error) {
    const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
    if (code !== "P2002") throw error;
    return upsert();
  }
}

/**
 * Makes transactions over the same pair of ids (a member's votes on one poll) take turns,
 * for rules that span several rows ("at most two options"). SQLite runs one write
 * transaction at a time anyway; on PostgreSQL two could both read "one left" and both
 * insert, so they wait for a transaction-scoped advisory lock on the pair.
 */
export async function takeTurns(db: Db, tx: Tx, first: number, second: number): Promise<void> {
  if (providerOf(db) !== "postgres") return;
  await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock($1::int, $2::int)", first, second);
}
