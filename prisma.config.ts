import path from "node:path";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { defineConfig } from "prisma/config";

// The CLI uses the WebAssembly engines through the libsql adapter: Prisma's native
// engines would be downloaded at run time, which this project must never need.
export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  async adapter() {
    return new PrismaLibSQL({ url: process.env.DATABASE_URL ?? "file:./data/teambot.db" });
  },
});
