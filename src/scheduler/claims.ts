import { randomUUID } from "node:crypto";
import { hostname } from "node:os";

/**
 * Claims: a process marks the jobs and outbox entries it works on with a token
 * "<host>/<pid>.<start>/<instance>/<random>" and a short lease that a heartbeat keeps
 * alive. A process that dies leaves its claims behind: another process takes them over
 * once the lease ran out, and a process starting on the same host gives back at once the
 * claims of processes there that no longer run.
 */

/** This process's (this scheduler's) name in claims. */
export function processOwner(): string {
  return `${hostname()}/${process.pid}.${Math.round(performance.timeOrigin)}/${randomUUID().slice(0, 8)}`;
}

/** A fresh claim token of an owner. */
export const claimToken = (owner: string): string => `${owner}/${randomUUID()}`;

function pidRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return typeof error === "object" && error !== null && "code" in error && error.code === "EPERM";
  }
}

/**
 * Whether a claim was left by a process of this host that no longer runs: its process id
 * does not run, or runs as another process (the same id after a restart, e.g. pid 1 in a
 * container, but started at another time). Claims of other hosts only expire.
 */
export function isStaleClaim(token: string, owner: string, runs: (pid: number) => boolean = pidRuns): boolean {
  const [host, processPart] = token.split("/");
  const [ourHost, ourProcess] = owner.split("/");
  const match = /^(\d+)\.(\d+)$/.exec(processPart ?? "");
  const ours = /^(\d+)\.(\d+)$/.exec(ourProcess ?? "");
  if (!match || !ours || host !== ourHost) return false;
  const pid = Number(match[1]);
  if (pid === Number(ours[1])) return match[2] !== ours[2];
  return !runs(pid);
}

/** Keeps the leases of the claims in `tokens` alive while they are held. */
export class Heartbeat {
  readonly tokens = new Set<string>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly everyMs: number;
  private readonly beat: (tokens: string[]) => Promise<void>;

  constructor(everyMs: number, beat: (tokens: string[]) => Promise<void>) {
    this.everyMs = everyMs;
    this.beat = beat;
  }

  hold(token: string): void {
    this.tokens.add(token);
    if (this.timer) return;
    this.timer = setInterval(() => {
      if (this.tokens.size === 0) {
        clearInterval(this.timer);
        this.timer = undefined;
        return;
      }
      void this.beat([...this.tokens]).catch(() => undefined);
    }, this.everyMs);
    this.timer.unref();
  }

  release(token: string): void {
    this.tokens.delete(token);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
