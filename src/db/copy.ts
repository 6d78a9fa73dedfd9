import { Prisma } from "../generated/prisma/client.ts";
import { type Db, providerOf, type Tx } from "./client.ts";

/**
 * Every table in an order that inserts rows before the rows that refer to them, with the
 * key to page through it. A unit test checks that every model is here.
 */
export const copyOrder: readonly (readonly [Prisma.ModelName, readonly string[]])[] = [
  ["Team", ["id"]],
  ["TeamCounter", ["teamId", "kind"]],
  ["Member", ["id"]],
  ["AuditEntry", ["id"]],
  ["TeamMember", ["teamId", "memberId"]],
  ["SentMessage", ["id"]],
  ["OutboxEntry", ["id"]],
  ["TaskTeam", ["teamId"]],
  ["Task", ["id"]],
  ["TaskAssignee", ["taskId", "memberId"]],
  ["TaskEvent", ["id"]],
  ["Job", ["id"]],
  ["Reminder", ["id"]],
  ["Meeting", ["id"]],
  ["MeetingSettings", ["teamRef"]],
  ["RrTeamSettings", ["teamId"]],
  ["RrProfile", ["memberId"]],
  ["RrSkill", ["memberId", "skill"]],
  ["RrRequest", ["id"]],
  ["RrClaim", ["id"]],
  ["RrEvent", ["id"]],
  ["MatrixSyncState", ["account"]],
  ["MatrixDirectRoom", ["account", "member"]],
  ["MatrixHandledEvent", ["eventId"]],
  ["Poll", ["id"]],
  ["PollOption", ["id"]],
  ["PollVote", ["id"]],
  ["PollSettings", ["teamId"]],
  ["DiscordDmChannel", ["memberId", "applicationId"]],
  ["DiscordPost", ["handle"]],
];

type Row = Record<string, unknown>;

/** What copying needs of a model's client, the same for every model. */
interface Table {
  count(): Promise<number>;
  findMany(args: { orderBy: Record<string, "asc">[]; skip: number; take: number }): Promise<Row[]>;
  createMany(args: { data: Row[] }): Promise<{ count: number }>;
}

function table(db: Db | Tx, model: Prisma.ModelName): Table {
  // Prisma names a model's client after the model, first letter lower case.
  const name = model.charAt(0).toLowerCase() + model.slice(1);
  return (db as unknown as Record<string, Table>)[name] as Table;
}

export class CopyError extends Error {}

/** The model's Json columns (declared JSONB in SQLite). */
async function jsonColumns(db: Tx, model: Prisma.ModelName): Promise<Set<string>> {
  const columns = await db.$queryRawUnsafe<{ name: string; type: string }[]>(`PRAGMA table_info("${model}")`);
  return new Set(columns.filter((c) => c.type.toUpperCase() === "JSONB").map((c) => c.name));
}

/** An empty Json column is written as SQL NULL (Prisma reads a plain null as ambiguous). */
function withJsonNulls(row: Row, json: ReadonlySet<string>): Row {
  const out: Row = { ...row };
  for (const name of json) if (out[name] === null) out[name] = Prisma.DbNull;
  return out;
}

/** Rows per table, in copy order. */
export async function rowCounts(db: Db | Tx): Promise<Map<Prisma.ModelName, number>> {
  const counts = new Map<Prisma.ModelName, number>();
  for (const [model] of copyOrder) counts.set(model, await table(db, model).count());
  return counts;
}

/**
 * Copies every row of one database into another, empty one with the same schema (a SQLite
 * file into PostgreSQL), keeping ids, in one transaction on each side: the source is read
 * as one consistent state, and the target gets all of it or nothing. Returns rows per table.
 */
export async function copyDatabase(
  from: Db,
  to: Db,
  progress: (model: string, rows: number) => void = () => undefined,
  pageSize = 1_000,
): Promise<Map<Prisma.ModelName, number>> {
  if (providerOf(from) !== "sqlite" || providerOf(to) !== "postgres") {
    throw new CopyError("copies a SQLite database into a PostgreSQL one");
  }
  const filled = [...(await rowCounts(to))].filter(([, n]) => n > 0).map(([model]) => model);
  if (filled.length > 0) {
    throw new CopyError(`the target database is not empty (${filled.join(", ")}): copy into a new, empty one`);
  }
  const long = { maxWait: 60_000, timeout: 60 * 60_000 };
  return from.$transaction(
    (source) =>
      to.$transaction(async (target) => {
        const copied = new Map<Prisma.ModelName, number>();
        // A poll and its options refer to each other (the picked one): set once both are there.
        const picked: { id: unknown; pickedOptionId: unknown }[] = [];
        for (const [model, key] of copyOrder) {
          const orderBy = key.map((field) => ({ [field]: "asc" as const }));
          const json = await jsonColumns(source, model);
          let rows = 0;
          for (;;) {
            const page = await table(source, model).findMany({ orderBy, skip: rows, take: pageSize });
            if (page.length === 0) break;
            const data = page.map((row) => withJsonNulls(row, json));
            if (model === "Poll") {
              for (const row of data) {
                if (row.pickedOptionId !== null && row.pickedOptionId !== undefined) picked.push({ id: row.id, pickedOptionId: row.pickedOptionId });
                row.pickedOptionId = null;
              }
            }
            await table(target, model).createMany({ data });
            rows += page.length;
          }
          if (model === "PollOption") {
            for (const p of picked) {
              await target.$executeRawUnsafe(`UPDATE "Poll" SET "pickedOptionId" = $1 WHERE "id" = $2`, p.pickedOptionId, p.id);
            }
          }
          copied.set(model, rows);
          progress(model, rows);
        }
        // Ids were copied as they were: the next ones PostgreSQL hands out come after them.
        for (const [model, key] of copyOrder) {
          if (key.length !== 1 || key[0] !== "id") continue;
          await target.$executeRawUnsafe(
            `SELECT setval(pg_get_serial_sequence('"${model}"', 'id'), COALESCE(MAX("id"), 0) + 1, false) FROM "${model}"`,
          );
        }
        return copied;
      }, long),
    long,
  );
}
