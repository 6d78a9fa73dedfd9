import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { testDatabase } from "../support/database.ts";
import { startTestBot } from "../support/harness.ts";

const root = path.resolve(import.meta.dirname, "../..");
const dir = mkdtempSync(path.join(tmpdir(), "teambot-two-processes-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function worker(owner: string) {
  const child = spawn(process.execPath, ["test/support/scheduler-worker.ts", dir, owner, "45000"], {
    cwd: root,
    stdio: ["pipe", "pipe", "inherit"],
  });
  let out = "";
  child.stdout.on("data", (d: Buffer) => {
    out += d.toString();
  });
  const ready = new Promise<void>((resolve) => {
    const check = () => (out.includes("ready") ? resolve() : setTimeout(check, 20));
    check();
  });
  const done = new Promise<string>((resolve, reject) =>
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`worker ${owner} exited ${code}`)))),
  );
  return { child, ready, done };
}

describe(`two bot processes on one ${testDatabase === "sqlite" ? "SQLite file" : "PostgreSQL database"}`, () => {
  it("deliver 1,000 due jobs exactly once between them", async () => {
    const setup = await startTestBot({}, { dir, keepFiles: true });
    const due = new Date(Date.now() - 1_000);
    await setup.app.db.job.createMany({
      data: Array.from({ length: 1_000 }, (_, i) => ({
        kind: "test.echo",
        payload: { text: `job-${i}` },
        dueAt: due,
        runAt: due,
      })),
    });
    await setup.close();

    const a = worker("a");
    const b = worker("b");
    await Promise.all([a.ready, b.ready]);
    a.child.stdin.end("go\n");
    b.child.stdin.end("go\n");
    const [outA, outB] = await Promise.all([a.done, b.done]);
    const ran = (out: string) => out.split("\n").filter((l) => l.startsWith("ran ")).map((l) => l.slice(4));
    const all = [...ran(outA), ...ran(outB)];
    expect(all).toHaveLength(1_000);
    expect(new Set(all).size).toBe(1_000);

    const check = await startTestBot({}, { dir, keepFiles: true });
    expect(await check.app.db.job.count({ where: { status: "done" } })).toBe(1_000);
    await check.close();
  }, 90_000);
});
