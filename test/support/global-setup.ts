import { dropSchemas, testDatabase } from "./database.ts";

/** On PostgreSQL: drops the test schemas an earlier, interrupted run left behind. */
export default async function setup(): Promise<void> {
  if (testDatabase === "postgres") await dropSchemas("^test_");
}
