import path from "node:path";
import { fileURLToPath } from "node:url";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

/** The one schema we edit (SQLite), and PostgreSQL's rendering of it with its migrations. */
export const schemaPaths = {
  sqlite: path.join(projectRoot, "prisma", "schema.prisma"),
  postgres: path.join(projectRoot, "prisma", "postgres", "schema.prisma"),
};

const header = `// GENERATED from ../schema.prisma by \`npm run db:diff:postgres\`: do not edit.
// It is the schema that ./migrations produce; the PostgreSQL client is generated from it.

`;

function replaceOnce(text: string, pattern: RegExp, replacement: string): string {
  if (!pattern.test(text)) throw new Error(`the SQLite schema has no ${pattern.source}`);
  return text.replace(pattern, replacement);
}

/**
 * PostgreSQL's schema from SQLite's: another provider and client, and instants as
 * `timestamptz` (Json is `jsonb` on PostgreSQL by itself). Nothing else differs, so both
 * clients have the same models and the bot's code serves either.
 */
export function renderPostgresSchema(sqlite: string): string {
  let schema = replaceOnce(sqlite, /provider(\s*)= "sqlite"/, 'provider$1= "postgresql"');
  schema = replaceOnce(schema, /url(\s*)= "file:[^"]*"/, 'url$1= "postgresql://localhost/teambot"');
  schema = replaceOnce(schema, /output(\s*)= "\.\.\/src\/generated\/prisma"/, 'output$1= "../../src/generated/prisma-pg"');
  schema = schema.replace(/^(\s+\w+\s+DateTime\??)(?=\s|$)/gm, "$1 @db.Timestamptz(3)");
  return header + schema;
}
