import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { databaseUrlFor } from "./database.ts";

const root = path.resolve(import.meta.dirname, "../..");

export interface BotProcess {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

/** `node src/main.ts` itself (as `npm start` execs it), so a SIGKILL kills the bot and nothing else. */
export function startBot(dir: string, env: Record<string, string> = {}): BotProcess {
  const child = spawn(process.execPath, ["src/main.ts"], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? "",
      DATABASE_URL: databaseUrlFor(dir),
      DEFAULT_LANGUAGE: "en",
      LOG_LEVEL: "warn",
      ...env,
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return { child, out: () => out, err: () => err, exited };
}
