/**
 * A separate bot process for the two-process test: it starts the whole bot with the
 * durable scheduler's timer on the given database and prints every echo job it delivers.
 * Usage: node test/support/scheduler-worker.ts <test folder> <owner> <run-ms> [<batch size>] [<send ms>]
 * (it stops earlier when no job is left). Started by workers.ts. Jobs for "slow:" rooms
 * are delivered by an adapter whose every send takes <send ms>.
 */
import { startTestBot } from "./harness.ts";
import { echoJob, SlowAdapter } from "./test-jobs.ts";

const [dir, owner = "worker", runMs = "8000", batchSize = "20", sendMs = "0"] = process.argv.slice(2);
if (!dir) throw new Error("usage: scheduler-worker <folder> <owner> <run-ms>");
const bot = await startTestBot({}, { dir, keepFiles: true, scheduler: { owner, batchSize: Number(batchSize) } });
const echo = echoJob();
bot.scheduler.register(echo.handler);
const slow = new SlowAdapter(Number(sendMs));
bot.app.bot.addAdapter(slow);
process.stdout.write("ready\n");
// Wait for the go signal so both workers start claiming at the same moment.
await new Promise<void>((resolve) => process.stdin.once("data", () => resolve()));
// Work until no job is left to run (or the time limit is reached).
const started = Date.now();
const until = started + Number(runMs);
while (Date.now() < until) {
  const report = await bot.scheduler.runDue(new Date());
  if (report.ran > 0) continue;
  if ((await bot.app.db.job.count({ where: { status: { in: ["pending", "running"] } } })) === 0) break;
  await new Promise((r) => setTimeout(r, 20));
}
const took = Date.now() - started;
await bot.close();
// Pipes are written asynchronously: wait until the list is out before exiting.
const ran = echo.runs.map((run) => `ran ${run.text}\n`).join("");
const sent = slow.texts.map((text) => `sent ${text}\n`).join("");
const list = `took ${took}\n${ran}${sent}`;
await new Promise<void>((resolve) => process.stdout.write(list, () => resolve()));
process.exit(0);
