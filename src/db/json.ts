import { Prisma } from "../generated/prisma/client.ts";

/**
 * A value as a Json column stores it: what JSON.stringify keeps (Dates become ISO text,
 * undefined fields vanish). Readers validate it with zod.
 */
export function asJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}

/** SQL NULL in a nullable Json column (plain `null` would be ambiguous with JSON null). */
export const noJson = Prisma.DbNull;

/** What a nullable Json column takes: a value, or SQL NULL. */
export type JsonOrNull = Prisma.InputJsonValue | typeof Prisma.DbNull;

/** A value read from a nullable Json column, to write it again. */
export function jsonOrNull(value: Prisma.JsonValue | null): JsonOrNull {
  return value === null ? noJson : asJson(value);
}
