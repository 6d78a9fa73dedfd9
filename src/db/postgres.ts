import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import type { MigrationTarget } from "./migrate.ts";

/** postgres:// and postgresql:// URLs, as libpq and Prisma accept them. */
export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export interface PostgresConnection {
  pool: pg.Pool;
  /** The schema from `?schema=` (Prisma's convention), or undefined for the role's default. */
  schema: string | undefined;
}

/**
 * How to connect for a PostgreSQL URL. `?schema=name` becomes every connection's
 * search_path, so our own SQL (migrations, job claims, locks) and Prisma's meet in it.
 */
export function connectionConfig(url: string): { config: pg.ClientConfig; schema: string | undefined } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get("schema") ?? undefined;
  if (schema !== undefined && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`schema "${schema}" in DATABASE_URL: use letters, digits and _ only`);
  }
  parsed.searchParams.delete("schema");
  return {
    config: { connectionString: parsed.toString(), ...(schema ? { options: `-c search_path=${schema}` } : {}) },
    schema,
  };
}

/** A connection pool for a PostgreSQL URL (see connectionConfig). */
export function connectPostgres(url: string, max = 10): PostgresConnection {
  const { config, schema } = connectionConfig(url);
  return { pool: new pg.Pool({ ...config, max }), schema };
}

/** Prisma's pg adapter on our pool (it ends the pool when the client disconnects). */
export function postgresAdapter({ pool, schema }: PostgresConnection): PrismaPg {
  return new PrismaPg(pool, { ...(schema ? { schema } : {}), disposeExternalPool: true });
}

/**
 * An advisory-lock key for a purpose ("migrate", "matrix"), per schema: two bots in two
 * schemas of one database do not take each other's locks.
 */
export const lockKeySql = (purpose: string) => `hashtext('teambot:' || current_schema() || ':${purpose}')`;

/** The migrator's view: each migration in a transaction that holds an advisory lock. */
export function postgresMigrationTarget({ pool, schema }: PostgresConnection): MigrationTarget {
  return {
    provider: "postgres",
    async lockedTransaction(work) {
      const client = await pool.connect();
      try {
        if (schema) {
          const exists = await client.query("SELECT 1 FROM pg_namespace WHERE nspname = $1", [schema]);
          // Two processes creating it at once: one wins, the other's unique violation is harmless.
          if (exists.rowCount === 0) {
            await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`).catch((error: unknown) => {
              if ((error as { code?: unknown }).code !== "23505") throw error;
            });
          }
        }
        await client.query("BEGIN");
        // Held until COMMIT: another process starting now waits, then sees the migration applied.
        await client.query(`SELECT pg_advisory_xact_lock(${lockKeySql("migrate")})`);
        const result = await work({
          rows: async (sql) => (await client.query<Record<string, unknown>>(sql)).rows,
          script: async (sql) => {
            await client.query(sql);
          },
        });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
  };
}
