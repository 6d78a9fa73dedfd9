import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

/**
 * The layers look only down (README, "How the code is laid out"): every relative import
 * of every source file is checked against what its layer may import.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

type Layer = "db" | "generated" | "core" | "config" | "scheduler" | "features" | "commands" | "adapters" | "app";

const allowed: Record<Layer, readonly Layer[]> = {
  generated: ["generated"],
  db: ["db", "generated"],
  core: ["core", "db", "generated"],
  /** The validated environment (src/config.ts): adapters read their settings from it. */
  config: ["config", "core"],
  scheduler: ["scheduler", "core", "db", "generated"],
  features: ["features", "scheduler", "core", "db", "generated"],
  commands: ["commands", "features", "core", "generated"],
  adapters: ["adapters", "config", "core", "db", "generated"],
  app: ["app", "config", "commands", "features", "scheduler", "core", "db", "generated", "adapters"],
};

function layerOf(file: string): Layer | undefined {
  const rel = path.relative(root, file).split(path.sep);
  if (rel[0] === "commands") return "commands";
  if (rel[0] !== "src") return undefined;
  const top = rel[1] ?? "";
  if (["db", "generated", "core", "scheduler", "features", "adapters"].includes(top)) return top as Layer;
  if (top === "config.ts") return "config";
  // src/app.ts and src/start.ts (run by src/main.ts) wire the layers together; src/ops runs beside them.
  return "app";
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" ? [] : sources(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** Relative module specifiers of static, type-only and dynamic imports and re-exports. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const found = [...text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)].map((m) => m[1] ?? "");
  return found.filter((s) => s !== "");
}

/** What a file imports that its layer may not. */
function violations(): string[] {
  const out: string[] = [];
  for (const file of [...sources(path.join(root, "src")), ...sources(path.join(root, "commands"))]) {
    const from = layerOf(file);
    if (!from) continue;
    for (const specifier of importsOf(file)) {
      const target = layerOf(path.resolve(path.dirname(file), specifier));
      if (target && !allowed[from].includes(target)) {
        out.push(`${path.relative(root, file)} (${from}) imports ${specifier} (${target})`);
      }
    }
  }
  return out;
}

describe("layering", () => {
  it("every layer imports only the layers below it", () => {
    expect(violations()).toEqual([]);
  });

  it("finds what it checks (a scan that reads nothing would pass anything)", () => {
    const bot = path.join(root, "src/core/bot.ts");
    expect(importsOf(bot).length).toBeGreaterThan(5);
    expect(layerOf(bot)).toBe("core");
    expect(layerOf(path.join(root, "src/features/polls/service.ts"))).toBe("features");
    expect(allowed.core).not.toContain("features");
    expect(allowed.core).not.toContain("scheduler");
  });

  it("keeps platform SDKs in their adapters (and the operator's checks of the platforms)", () => {
    const ops = `${path.sep}src${path.sep}ops${path.sep}`;
    const outside = [...sources(path.join(root, "src")), ...sources(path.join(root, "commands"))]
      .filter((file) => layerOf(file) !== "adapters" && !file.includes(ops) && !file.endsWith(`${path.sep}start.ts`))
      .filter((file) => /from "(discord\.js|matrix-js-sdk)/.test(readFileSync(file, "utf8")));
    expect(outside.map((f) => path.relative(root, f))).toEqual([]);
  });
});
