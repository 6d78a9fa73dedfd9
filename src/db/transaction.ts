import { type Db, type DbOrTx, isTransaction, providerOf, rememberProvider, type Tx } from "./client.ts";

/** A concurrent change won the race (optimistic locking): the transaction may run again. */
export class WriteConflict extends Error {}

/**
 * A lost race inside a transaction that was opened further out (a unit of work): the whole
 * unit runs again, and when it gives up it says what the inner step wanted said.
 */
export class RetryUnit extends Error {
  readonly giveUp: Error | undefined;

  constructor(cause: unknown, giveUp: Error | undefined) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.cause = cause;
    this.giveUp = giveUp;
  }
}

/**
 * Lost races worth retrying: our own conflicts, unique violations (P2002), write conflicts
 * (P2034), locks. Anything else (a rule the caller refused with) ends the transaction at once.
 */
function isRetryable(error: unknown): boolean {
  if (error instanceof WriteConflict || error instanceof RetryUnit) return true;
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
 *
 * Given a transaction (a unit of work opened further out), `work` runs in it directly:
 * SQLite has one connection, so a nested `$transaction` would wait for the outer one
 * forever. A lost race then ends the whole unit, which the outer caller runs again.
 */
export async function retryingTransaction<T>(
  db: DbOrTx,
  work: (tx: Tx) => Promise<T>,
  options: { attempts?: number; giveUp?: Error } = {},
): Promise<T> {
  if (isTransaction(db)) {
    try {
      return await work(db);
    } catch (error) {
      if (error instanceof RetryUnit || !isRetryable(error)) throw error;
      throw new RetryUnit(error, options.giveUp);
    }
  }
  return retryTransaction(db, work, options);
}

async function retryTransaction<T>(
  db: Db,
  work: (tx: Tx) => Promise<T>,
  options: { attempts?: number; giveUp?: Error },
): Promise<T> {
  const attempts = options.attempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction((tx) => {
        rememberProvider(tx, db);
        return work(tx);
      });
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (attempt >= attempts) {
        const inner = error instanceof RetryUnit ? error.giveUp : undefined;
        throw inner ?? options.giveUp ?? (error instanceof RetryUnit ? error.cause : error);
      }
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
export async function takeTurns(db: DbOrTx, tx: Tx, first: number, second: number): Promise<void> {
  if (providerOf(db) !== "postgres") return;
  await tx.$executeRawUnsafe("SELECT pg_advisory_xact_lock($1::int, $2::int)", first, second);
}
