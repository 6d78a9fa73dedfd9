import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { renderPostgresSchema, schemaPaths } from "../../src/db/postgres-schema.ts";

describe("PostgreSQL's schema", () => {
  it("is the rendering of prisma/schema.prisma (after a schema change: npm run db:diff:postgres)", () => {
    const rendered = renderPostgresSchema(readFileSync(schemaPaths.sqlite, "utf8"));
    expect(readFileSync(schemaPaths.postgres, "utf8")).toBe(rendered);
  });

  it("differs from SQLite's only in provider, client and instants as timestamptz", () => {
    const sqlite = readFileSync(schemaPaths.sqlite, "utf8");
    const postgres = renderPostgresSchema(sqlite);
    const dateTimes = sqlite.match(/^\s+\w+\s+DateTime\??(?=\s|$)/gm) ?? [];
    expect(dateTimes.length).toBeGreaterThan(20);
    expect(postgres.match(/@db\.Timestamptz\(3\)/g)).toHaveLength(dateTimes.length);
    const strip = (schema: string) =>
      schema
        .replace(/ @db\.Timestamptz\(3\)/g, "")
        .replace(/^\/\/.*\n\n?/gm, "")
        .replace(/provider(\s*)= "\w+"/, "")
        .replace(/url(\s*)= "[^"]*"/, "")
        .replace(/output(\s*)= "[^"]*"/, "");
    expect(strip(postgres)).toBe(strip(sqlite));
  });
});
