import { UserError } from "../../core/errors.ts";
import type { Db, Tx } from "../../db/client.ts";

/** Lock contention or a lost race on a unique number: the whole transaction may simply run again. */
function isRetryable(error: unknown): boolean {
  if (error instanceof UserError) return false;
  const code = typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";
  if (code === "P2034" || code === "P2002") return true;
  const message = error instanceof Error ? error.message : String(error);
  return /SQLITE_BUSY|database is locked|write conflict|deadlock|could not serialize/i.test(message);
}

/**
 * Runs `work` in one transaction and runs it again (a few times, with a short random pause)
 * when it lost a race with a concurrent writer. User errors pass through at once.
 */
export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>, attempts = 8): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(work, { timeout: 15_000, maxWait: 15_000 });
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}
