/**
 * `npm run db:diff:postgres [-- <migration name>]`: after a change to prisma/schema.prisma
 * (and its SQLite migration), writes PostgreSQL's migration for the same change and the
 * rendered schema it leads to. The name defaults to the newest SQLite migration's.
 *
 * Prisma's CLI reads a live PostgreSQL database wrongly through the WebAssembly engine
 * (an upstream bug), so the migration is the difference between two schema files: the
 * rendered schema committed with the last migration and the new rendering. The CLI still
 * asks a server for its version, so POSTGRES_URL must point at a running PostgreSQL.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { migrationsDirs } from "./migrate.ts";
import { renderPostgresSchema, schemaPaths } from "./postgres-schema.ts";

function fail(message: string): never {
  rmSync(next, { force: true });
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const next = path.join(path.dirname(schemaPaths.postgres), "next.prisma");
const url = process.env.POSTGRES_URL ?? process.env.TEST_POSTGRES_URL;
if (!url) fail("Set POSTGRES_URL to a running PostgreSQL, e.g. postgresql://teambot:secret@127.0.0.1:5432/teambot");
const prisma = path.join(path.dirname(schemaPaths.sqlite), "..", "node_modules", ".bin", "prisma");

writeFileSync(next, renderPostgresSchema(readFileSync(schemaPaths.sqlite, "utf8")));
try {
  const from = existsSync(schemaPaths.postgres) ? ["--from-schema-datamodel", schemaPaths.postgres] : ["--from-empty"];
  const diff = spawnSync(prisma, ["migrate", "diff", ...from, "--to-schema-datamodel", next, "--script"], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: "utf8",
  });
  if (diff.status !== 0) fail(`prisma migrate diff failed:\n${diff.stderr}${diff.stdout}`);
  const sql = diff.stdout
    .replace(/^Loaded Prisma config.*$/m, "")
    // The tables belong in the schema the connection uses (?schema=…), not always in "public".
    .replace(/-- CreateSchema\nCREATE SCHEMA IF NOT EXISTS "public";/, "")
    .trim();
  if (sql === "" || sql === "-- This is an empty migration.") {
    // Comments may still have changed: the rendered schema follows them.
    renameSync(next, schemaPaths.postgres);
    process.stdout.write("PostgreSQL's migrations are up to date with prisma/schema.prisma.\n");
  } else {
    const latest = readdirSync(migrationsDirs.sqlite, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort()
      .at(-1);
    const name = process.argv[2] ?? latest;
    if (!name || !/^\w+$/.test(name)) fail(`not a migration name: ${name}`);
    const folder = path.join(migrationsDirs.postgres, name);
    if (existsSync(folder)) fail(`${folder} exists already: pass another name`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, "migration.sql"), `${sql}\n`);
    renameSync(next, schemaPaths.postgres);
    const generate = spawnSync(prisma, ["generate", "--schema", schemaPaths.postgres], { stdio: "inherit" });
    if (generate.status !== 0) fail("prisma generate failed");
    process.stdout.write(`Wrote ${path.relative(process.cwd(), folder)}/migration.sql; review it and commit it with prisma/postgres/schema.prisma.\n`);
  }
} finally {
  rmSync(next, { force: true });
}
