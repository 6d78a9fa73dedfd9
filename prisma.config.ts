import path from "node:path";
import { PrismaPg } from "@prisma/adapter-pg";
import { defineConfig } from "prisma/config";
import { SqliteAdapterFactory } from "./src/db/sqlite.ts";

// The CLI uses the WebAssembly engines through a driver adapter: Prisma's native engines
// would be downloaded at run time, which this project must never need. SQLite goes
// through our node:sqlite adapter (the shadow database of `migrate diff --from-migrations`
// is an in-memory one). A postgresql:// DATABASE_URL goes through Prisma's pg adapter; it
// serves `npm run db:diff:postgres` (see src/db/diff-postgres.ts), as Prisma's migrate
// commands cannot read a PostgreSQL database through the WebAssembly engine.
const url = process.env.DATABASE_URL ?? "file:./data/teambot.db";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    if (/^postgres(ql)?:\/\//.test(url)) return new PrismaPg({ connectionString: url });
    return new SqliteAdapterFactory(url.startsWith("file:") ? url.slice("file:".length) : url);
  },
});
