import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";

const root = path.resolve(import.meta.dirname, "../..");
const units = ["teambot.service", "teambot-backup.service", "teambot-backup.timer"];

function has(tool: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${tool}`]).status === 0;
}

/** A unit's settings: key -> values in order (keys may repeat). */
function settings(unit: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const line of readFileSync(path.join(root, "deploy", unit), "utf8").split("\n")) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match?.[1] && match[2] !== undefined) result.set(match[1], [...(result.get(match[1]) ?? []), match[2]]);
  }
  return result;
}

describe("the systemd units in deploy/", () => {
  it("run the bot as its own user, hardened, with a private data folder and a graceful stop", () => {
    const service = settings("teambot.service");
    const one = (key: string) => service.get(key)?.join(" ");
    expect(one("User")).toBe("teambot");
    expect(one("Restart")).toBe("on-failure");
    expect(one("NoNewPrivileges")).toBe("yes");
    expect(one("ProtectSystem")).toBe("strict");
    expect(one("ReadWritePaths")).toBe("/var/lib/teambot");
    expect(one("StateDirectory")).toBe("teambot");
    expect(one("StateDirectoryMode")).toBe("0700");
    expect(one("UMask")).toBe("0077");
    expect(one("KillSignal")).toBe("SIGTERM");
    // systemd waits longer than the bot's own shutdown deadline before it kills.
    expect(Number(/^(\d+)s$/.exec(one("TimeoutStopSec") ?? "")?.[1])).toBeGreaterThan(loadConfig({}).SHUTDOWN_TIMEOUT_SECONDS);
    // The same program as npm start, as the one process systemd signals.
    const start = (JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts.start;
    expect(one("ExecStart")).toBe(`/opt/teambot/node_modules/.bin/${start?.replace(/^exec /, "")}`);
  });

  it.skipIf(!has("systemd-analyze"))("pass systemd-analyze verify without a warning (skipped where systemd is not installed)", () => {
    // The units name /opt/teambot; verify them against this checkout, so that the paths exist here.
    const dir = mkdtempSync(path.join(tmpdir(), "teambot-units-"));
    try {
      for (const unit of units) {
        const text = readFileSync(path.join(root, "deploy", unit), "utf8").replaceAll("/opt/teambot", root);
        writeFileSync(path.join(dir, unit), text);
      }
      const run = spawnSync("systemd-analyze", ["verify", ...units.map((u) => path.join(dir, u))], { encoding: "utf8" });
      expect(run.status).toBe(0);
      expect(run.stderr).toBe(""); // unknown keys and bad values are only warnings: none allowed
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
