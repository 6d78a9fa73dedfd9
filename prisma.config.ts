import path from "node:path";
import { defineConfig } from "prisma/config";
import { SqliteAdapterFactory } from "./src/db/sqlite.ts";

// The CLI uses the WebAssembly engines through our node:sqlite adapter: Prisma's native
// engines would be downloaded at run time, which this project must never need. The shadow
// database of `migrate diff --from-migrations` is an in-memory one on the same driver.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    const url = process.env.DATABASE_URL ?? "file:./data/teambot.db";
    return new SqliteAdapterFactory(url.startsWith("file:") ? url.slice("file:".length) : url);
  },
});
