import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../src/adapters/console/console-adapter.ts";
import { type ArgShape, arg } from "../../src/core/args.ts";
import { Bot } from "../../src/core/bot.ts";
import { type CommandFamily, type CommandSpec, defineCommand, type Guard } from "../../src/core/command.ts";
import { UserError } from "../../src/core/errors.ts";
import { defaultI18n } from "../../src/core/catalog.ts";
import { paragraph } from "../../src/core/message.ts";
import { Registry } from "../../src/core/registry.ts";
import { type DbOrTx, openDatabase } from "../../src/db/client.ts";
import { createDirectory } from "../../src/features/directory.ts";
import { databaseUrlFor } from "../support/database.ts";

const dir = mkdtempSync(path.join(tmpdir(), "teambot-errors-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What this test's handlers get as `ctx.services`. */
type TestServices = { db: DbOrTx };
const command = <A extends ArgShape>(spec: CommandSpec<A, TestServices>) => defineCommand(spec);
const coordinatorOnly: Guard = {
  name: "coordinatorOnly",
  check: (ctx) => (ctx.isCoordinator ? undefined : new UserError("core.errors.coordinatorOnly")),
};
const family: CommandFamily<TestServices> = {
  name: "test",
  namespace: "test",
  commands: [
    command({
      path: ["boom"],
      category: "general",
      args: { secret: arg.string().rest().optional() },
      handler() {
        throw new Error("database exploded");
      },
    }),
    command({
      path: ["slow"],
      category: "general",
      args: {},
      async handler(ctx) {
        await new Promise((r) => setTimeout(r, 300));
        await ctx.services.db.member.update({ where: { id: ctx.member.id }, data: { timeZone: "Asia/Kabul" } });
        return ctx.reply([paragraph("slow done")]);
      },
    }),
    command({
      path: ["count"],
      category: "general",
      args: { n: arg.integer({ min: 1, max: 5 }).positional(), who: arg.member().optional() },
      guards: [coordinatorOnly],
      handler: (ctx, { n, who }) => ctx.reply([paragraph(`${n} ${who ?? "-"}`)]),
    }),
  ],
};

async function setup() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const db = await openDatabase(databaseUrlFor(dir, `errors-${randomUUID()}`));
  const defaults = { language: "en", timeZone: "Europe/Berlin" } as const;
  const bot = new Bot({
    db,
    registry: new Registry([family]),
    i18n: defaultI18n(),
    log: pino({ level: "info" }, sink),
    defaults,
    services: (handle) => ({ db: handle }),
    contexts: createDirectory(db, defaults, { ended: async () => undefined }),
    // These commands send nothing beyond their answers.
    outbox: { add: () => Promise.resolve([]), flush: () => Promise.resolve({ held: [], settled: Promise.resolve() }) },
  });
  const console = new ConsoleAdapter({ member: "ann", room: "main", attachmentDir: dir });
  bot.addAdapter(console);
  await bot.start();
  return { bot, console, lines, db };
}

describe("dispatch results", () => {
  it("turns a crashing handler into an internal error with an id, logged without the user's text", async () => {
    const { bot, console, lines, db } = await setup();
    const result = await console.say("boom my very private note about a family");
    expect(result?.kind).toBe("internal-error");
    if (result?.kind !== "internal-error") throw new Error("unreachable");
    expect(console.transcript.at(-1)).toContain(result.errorId);
    const log = lines.join("");
    expect(log).toContain(result.errorId);
    expect(log).toContain("database exploded");
    expect(log).not.toContain("private note");
    // The process goes on serving.
    expect((await console.say("count 2"))?.kind).toBe("user-error");
    await bot.stop();
    await db.$disconnect();
  });

  it("runs guards before validation and validates with localized messages", async () => {
    const { bot, console, db } = await setup();
    expect((await console.say("count 2"))?.kind).toBe("user-error");
    expect(console.transcript.at(-1)).toContain("Only coordinators may do that.");
    console.coordinator = true;
    await console.say("count 9");
    expect(console.transcript.at(-1)).toContain("<n>: may be at most 5");
    await console.say("count two");
    expect(console.transcript.at(-1)).toContain("<n>: must be a whole number");
    await console.say("count 3 --who @bob");
    expect(console.transcript.at(-1)).toContain("3 console:@bob");
    await console.say("count");
    expect(console.transcript.at(-1)).toContain("<n> is missing");
    await bot.stop();
    await db.$disconnect();
  });

  it("finishes in-flight commands on stop, then takes no new input and closes cleanly", async () => {
    const { bot, console, db } = await setup();
    const inFlight = console.say("slow");
    await new Promise((r) => setTimeout(r, 50));
    const stopped = bot.stop();
    const result = await inFlight;
    await stopped;
    expect(result?.kind).toBe("ok");
    expect(console.transcript.at(-1)).toContain("slow done");
    const member = await db.member.findUniqueOrThrow({ where: { ref: "console:@ann" } });
    expect(member.timeZone).toBe("Asia/Kabul");
    expect((await console.say("count 1"))?.kind).toBe("not-command");
    await db.$disconnect();
  });
});
