import { ConfigError, loadConfig } from "../config.ts";
import { type Check, fail, formatChecks, hasProblems, summarize } from "./checks.ts";
import { loadDotEnv } from "./command-env.ts";
import { runDoctor } from "./doctor.ts";

/** `npm run doctor`: one line per check; exit code 1 when something must be fixed. */
async function main(): Promise<number> {
  const envFile = loadDotEnv();
  let checks: Check[];
  try {
    checks = await runDoctor({ config: loadConfig(), envFile });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    checks = error.problems.map((problem) => fail("configuration", `${problem} (see .env.example)`));
  }
  process.stdout.write(`${formatChecks(checks)}\n\n${summarize(checks)}\n`);
  return hasProblems(checks) ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`The doctor could not finish: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
