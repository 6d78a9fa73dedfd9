import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { z } from "zod";

/**
 * Runs every benchmark module in this folder (`*.bench.ts`, each exporting `name` and
 * `run()`), prints a table of their figures and writes them to bench/results.json.
 * `npm run bench` (optionally with names: `npm run bench -- scheduler`) runs it with the bot's
 * young-generation size (`--max-semi-space-size=8`, as `npm start`), so garbage collection
 * pauses are the bot's.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "../..");

const benchModule = z.object({
  name: z.string(),
  run: z.custom<() => Promise<Record<string, number | string>>>((v) => typeof v === "function"),
});

/** The machine the figures were taken on, for the README. */
function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} × ${cpus[0]?.model ?? "cpu"}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`;
}

async function main(): Promise<void> {
  process.stdout.write(`machine: ${machine()}, node ${process.version}\n`);
  const only = process.argv.slice(2);
  const files = readdirSync(here)
    .filter((f) => f.endsWith(".bench.ts"))
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();
  const results: Record<string, Record<string, number | string>> = {};
  for (const file of files) {
    const loaded = benchModule.parse(await import(pathToFileURL(path.join(here, file)).href));
    process.stdout.write(`running ${loaded.name} …\n`);
    const started = Date.now();
    results[loaded.name] = await loaded.run();
    process.stdout.write(`${loaded.name} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  const rows = Object.entries(results).flatMap(([bench, figures]) =>
    Object.entries(figures).map(([figure, value]) => [bench, figure, String(value)] as const),
  );
  const widths = [0, 1, 2].map((i) =>
    Math.max(...rows.map((r) => r[i]?.length ?? 0), ["bench", "figure", "value"][i]?.length ?? 0),
  );
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join("  ");
  process.stdout.write(
    `\n${line(["bench", "figure", "value"])}\n${widths.map((w) => "-".repeat(w)).join("  ")}\n`,
  );
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
  const out = path.join(root, "bench", "results.json");
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ date: new Date().toISOString(), node: process.version, machine: machine(), results }, null, 2)}\n`,
  );
  process.stdout.write(`\nwritten to ${path.relative(process.cwd(), out)}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
