import { spawn } from "node:child_process";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * A scheduler worker process (scheduler-worker.ts) on the test folder's database: `ready`
 * resolves once it has started, `go()` lets it claim, `done` resolves with what it printed.
 */
export function schedulerWorker(dir: string, owner: string, runMs = 45_000, batchSize = 20, sendMs = 0) {
  const args = [dir, owner, String(runMs), String(batchSize), String(sendMs)];
  const child = spawn(process.execPath, ["test/support/scheduler-worker.ts", ...args], {
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
  return { child, ready, done, go: () => child.stdin.end("go\n") };
}

/**
 * The echo texts a worker ran (a job whose transaction lost a race runs again, so a text
 * may be here twice), the messages it sent, and how long it worked (from "go" to no job left).
 */
export function workerReport(out: string): { ran: string[]; sent: string[]; ms: number } {
  const lines = out.split("\n");
  return {
    ran: lines.filter((l) => l.startsWith("ran ")).map((l) => l.slice(4)),
    sent: lines.filter((l) => l.startsWith("sent ")).map((l) => l.slice(5)),
    ms: Number(lines.find((l) => l.startsWith("took "))?.slice(5) ?? Number.NaN),
  };
}
