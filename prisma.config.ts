import os from "node:os";
import path from "node:path";
import { type Client, createClient, type InStatement, type ResultSet } from "@libsql/client";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { defineConfig } from "prisma/config";

/**
 * The shadow database for `migrate diff --from-migrations`. Two libsql quirks broke it:
 * a `:memory:` shadow loses what each transaction writes (every transaction opens a new,
 * empty connection), and the schema engine sends a whole migration as ONE statement, of
 * which SQLite runs only the first. A temporary file and running multi-statement scripts
 * with `executeMultiple` make the replay complete.
 */
class ShadowLibSQL extends PrismaLibSQL {
  override createClient(config: Parameters<PrismaLibSQL["createClient"]>[0]): Client {
    return scriptAware(createClient(config));
  }
  override connectToShadowDb() {
    const file = path.join(os.tmpdir(), `teambot-shadow-${process.pid}-${Date.now()}.db`);
    return new ShadowLibSQL({ url: `file:${file}` }).connect();
  }
}

/** A statement without parameters that holds several statements (a migration file). */
function scriptOf(stmt: InStatement): string | undefined {
  const sql = typeof stmt === "string" ? stmt : Array.isArray(stmt.args) && stmt.args.length === 0 ? stmt.sql : undefined;
  return sql?.trim().replace(/;\s*$/, "").includes(";") ? sql : undefined;
}

const emptyResult = (): ResultSet => ({
  columns: [],
  columnTypes: [],
  rows: [],
  rowsAffected: 0,
  lastInsertRowid: undefined,
  toJSON: () => ({}),
});

function scriptAware<T extends Pick<Client, "execute" | "executeMultiple">>(target: T): T {
  return new Proxy(target, {
    get(t, property, receiver) {
      if (property === "execute") {
        return async (stmt: InStatement) => {
          const script = scriptOf(stmt);
          if (script) {
            await t.executeMultiple(script);
            return emptyResult();
          }
          return t.execute(stmt);
        };
      }
      if (property === "transaction" && "transaction" in t) {
        return async (mode?: "write" | "read" | "deferred") =>
          scriptAware(await (t as unknown as Client).transaction(mode));
      }
      const value: unknown = Reflect.get(t, property, receiver);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(t) : value;
    },
  });
}

// The CLI uses the WebAssembly engines through the libsql adapter: Prisma's native
// engines would be downloaded at run time, which this project must never need.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new ShadowLibSQL({ url: process.env.DATABASE_URL ?? "file:./data/teambot.db" });
  },
});
