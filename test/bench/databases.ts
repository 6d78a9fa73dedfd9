import { randomUUID } from "node:crypto";
import path from "node:path";
import pg from "pg";

export interface BenchDatabase {
  /** "" for SQLite (the figures as before), "pg " for PostgreSQL. */
  prefix: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * The databases a benchmark runs on: SQLite always; PostgreSQL as well when
 * BENCH_POSTGRES_URL (or TEST_POSTGRES_URL) names one that answers, in a fresh schema that
 * is dropped afterwards.
 */
export async function benchDatabases(dir: string): Promise<BenchDatabase[]> {
  const databases: BenchDatabase[] = [
    { prefix: "", url: `file:${path.join(dir, "bench.db")}`, drop: async () => {} },
  ];
  const base = process.env.BENCH_POSTGRES_URL ?? process.env.TEST_POSTGRES_URL;
  if (!base) return databases;
  const admin = () => new pg.Client({ connectionString: base, connectionTimeoutMillis: 3_000 });
  const probe = admin();
  try {
    await probe.connect();
  } catch {
    process.stdout.write(`PostgreSQL at ${new URL(base).host} does not answer: SQLite only\n`);
    return databases;
  } finally {
    await probe.end().catch(() => undefined);
  }
  const schema = `bench_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  const url = new URL(base);
  url.searchParams.set("schema", schema);
  databases.push({
    prefix: "pg ",
    url: url.toString(),
    async drop() {
      const client = admin();
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  });
  return databases;
}
