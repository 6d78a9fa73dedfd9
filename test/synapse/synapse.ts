import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * A real Synapse on 127.0.0.1, from Debian's unstable archive in a chroot (built once and
 * cached under SYNAPSE_CHROOT, default /var/cache/teambot-synapse/root). Needs root.
 * Every start gets a fresh config and database; `stop` kills it and unmounts /proc, and
 * runs on process exit too, so a failed test leaves nothing behind.
 */
export class Synapse {
  readonly root = process.env.SYNAPSE_CHROOT ?? "/var/cache/teambot-synapse/root";
  port = 0;
  version = "";
  private child: ChildProcess | undefined;
  private log = "";
  private readonly cleanup = () => this.stopNow();

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Why this machine cannot run Synapse, or undefined when it can. */
  static unavailable(): string | undefined {
    if (process.platform !== "linux" || process.getuid?.() !== 0) return "needs root on Linux";
    if (!existsSync("/etc/debian_version")) return "needs Debian (debootstrap and Debian's archive)";
    return undefined;
  }

  async start(): Promise<void> {
    this.port = await freePort();
    const script = path.join(path.dirname(fileURLToPath(import.meta.url)), "chroot.sh");
    const out = execFileSync("bash", [script, this.root, String(this.port)], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "inherit"],
      timeout: 15 * 60_000,
    });
    this.version = /Synapse (\S+)/.exec(out)?.[1] ?? "unknown";
    process.on("exit", this.cleanup);
    if (!isMounted(`${this.root}/proc`)) execFileSync("mount", ["-t", "proc", "proc", `${this.root}/proc`]);
    this.child = spawn(
      "chroot",
      [this.root, "sh", "-c", "cd /srv/synapse && exec python3 -m synapse.app.homeserver -c homeserver.yaml"],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    const keep = (chunk: Buffer) => {
      this.log = (this.log + chunk.toString()).slice(-20_000);
    };
    this.child.stdout?.on("data", keep);
    this.child.stderr?.on("data", keep);
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) throw new Error(`Synapse exited:\n${this.log}`);
      try {
        const res = await fetch(`${this.url}/_matrix/client/versions`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    throw new Error(`Synapse did not answer within 60 s:\n${this.log}`);
  }

  /** Registers a user with the config's shared secret (Debian's name for the tool). */
  register(user: string, password: string, admin = false): string {
    execFileSync(
      "chroot",
      [
        this.root,
        "synapse_register_new_matrix_user",
        "-c",
        "/srv/synapse/homeserver.yaml",
        "-u",
        user,
        "-p",
        password,
        admin ? "--admin" : "--no-admin",
        this.url,
      ],
      { stdio: "ignore" },
    );
    return `@${user}:localhost`;
  }

  /** The server's log (last 20 kB), for a failing test. */
  output(): string {
    return this.log;
  }

  /** Lines of Synapse's SQLite database matching a query (e.g. devices of a user). */
  sql(query: string): string {
    return execFileSync("chroot", [this.root, "python3", "-c", SQL, query], { encoding: "utf8" });
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    this.stopNow();
  }

  private stopNow(): void {
    if (this.child && this.child.exitCode === null) this.child.kill("SIGKILL");
    this.child = undefined;
    if (isMounted(`${this.root}/proc`)) {
      try {
        execFileSync("umount", ["-l", `${this.root}/proc`]);
      } catch {
        // already gone
      }
    }
    process.off("exit", this.cleanup);
  }
}

const SQL = `
import sqlite3, sys
db = sqlite3.connect("/srv/synapse/homeserver.db")
for row in db.execute(sys.argv[1]):
    print("|".join(str(c) for c in row))
`;

function isMounted(dir: string): boolean {
  return readFileSync("/proc/mounts", "utf8")
    .split("\n")
    .some((line) => line.split(" ")[1] === dir);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
