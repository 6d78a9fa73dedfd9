import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Db, openDatabase } from "../../src/db/client.ts";
import { retryingTransaction } from "../../src/db/transaction.ts";

/**
 * SQLite transactions that queue behind each other commit together (one COMMIT for a
 * group, each transaction a savepoint in it). What each caller sees must not change: a
 * transaction that returned is on disk, one that failed left nothing, and the others of
 * its group are untouched by its failure.
 */
describe("group commit on SQLite", () => {
  let dir: string;
  let file: string;
  let db: Db;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "teambot-group-"));
    file = path.join(dir, "test.db");
    db = await openDatabase(`file:${file}`);
  });
  afterEach(async () => {
    await db.$disconnect();
    rmSync(dir, { recursive: true, force: true });
  });

  it("a transaction that returned is visible to another connection at once", async () => {
    const other = new DatabaseSync(file, { readOnly: true });
    try {
      const seen = await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          await retryingTransaction(db, (tx) => tx.member.create({ data: { ref: `g:@${i}` } }));
          // Read right after this transaction's commit returned, while others of its group may still run.
          return other.prepare(`SELECT count(*) AS n FROM "Member" WHERE "ref" = ?`).get(`g:@${i}`)?.n;
        }),
      );
      expect(seen).toEqual(Array.from({ length: 200 }, () => 1));
    } finally {
      other.close();
    }
  });

  it("a transaction that fails undoes only its own writes, the others of its group commit", async () => {
    const results = await Promise.allSettled(
      Array.from({ length: 300 }, (_, i) =>
        db.$transaction(async (tx) => {
          await tx.member.create({ data: { ref: `g:@${i}` } });
          await tx.member.update({ where: { ref: `g:@${i}` }, data: { displayName: `member ${i}` } });
          if (i % 7 === 3) throw new Error(`refused ${i}`);
          // A unique violation inside the transaction, caught by the caller's code: the
          // statement failed, the transaction goes on.
          if (i % 11 === 5) await tx.member.create({ data: { ref: `g:@${i}` } }).catch(() => undefined);
        }),
      ),
    );
    const failed = results.flatMap((r, i) => (r.status === "rejected" ? [i] : []));
    expect(failed).toEqual(Array.from({ length: 300 }, (_, i) => i).filter((i) => i % 7 === 3));
    const rows = await db.member.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => r.ref).sort()).toEqual(
      Array.from({ length: 300 }, (_, i) => i)
        .filter((i) => i % 7 !== 3)
        .map((i) => `g:@${i}`)
        .sort(),
    );
    expect(rows.every((r) => r.displayName === `member ${r.ref.slice(3)}`)).toBe(true);
    // After a reopen (nothing was only in memory).
    await db.$disconnect();
    db = await openDatabase(`file:${file}`);
    expect(await db.member.count()).toBe(rows.length);
  });

  it("reads outside a transaction never see a group's writes before its commit", async () => {
    const writes = Array.from({ length: 100 }, (_, i) =>
      db.$transaction(async (tx) => {
        await tx.member.create({ data: { ref: `g:@${i}` } });
        if (i === 50) throw new Error("refused");
      }),
    );
    // Between the transactions, plain reads: each sees a count that some set of committed
    // transactions explains (never the refused one's row).
    const reads = Array.from({ length: 20 }, () => db.member.findFirst({ where: { ref: "g:@50" } }));
    const [settled, found] = await Promise.all([Promise.allSettled(writes), Promise.all(reads)]);
    expect(settled.filter((r) => r.status === "rejected")).toHaveLength(1);
    expect(found.every((row) => row === null)).toBe(true);
    expect(await db.member.count()).toBe(99);
  });
});
