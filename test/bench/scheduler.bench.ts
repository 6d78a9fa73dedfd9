import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { z } from "zod";
import { createApp } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";
import type { Adapter, AdapterCapabilities, DeliveryTarget } from "../../src/core/adapter.ts";
import { createLogger } from "../../src/core/log.ts";
import type { OutgoingMessage } from "../../src/core/message.ts";
import { DurableScheduler } from "../../src/scheduler/durable-scheduler.ts";
import { defineJob } from "../../src/scheduler/port.ts";
import type { Db } from "../../src/db/client.ts";
import { reminderKeys, reminderKind } from "../../src/features/reminders/job.ts";
import { loadAverage, percentile } from "./stats.ts";

export const name = "scheduler";

const pendingJobs = 100_000;
const burst = 1_000;
const idleSeconds = 10;

/** Records when each message arrived, against the instant the current burst was due. */
class TimingAdapter implements Adapter {
  readonly name = "bench";
  readonly capabilities: AdapterCapabilities = {
    buttons: false,
    nativePolls: false,
    editMessages: false,
    maxMessageLength: 2000,
  };
  lateness: number[] = [];
  dueAt = 0;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async send(_target: DeliveryTarget, _message: OutgoingMessage): Promise<string> {
    this.lateness.push(Date.now() - this.dueAt);
    return String(this.lateness.length);
  }
  parseMention(): string | undefined {
    return undefined;
  }
}

const benchJob = defineJob({
  kind: "bench.ping",
  schema: z.object({ n: z.number() }),
  async run(payload, info): Promise<OutgoingMessage[]> {
    return [
      {
        audience: { kind: "room", room: "bench:room" },
        lang: "en",
        timeZone: "UTC",
        tone: "info",
        blocks: [
          { kind: "paragraph", spans: [{ kind: "text", text: `due ${info.dueAt.getTime()} #${payload.n}` }] },
        ],
        actions: [],
        attachments: [],
      },
    ];
  },
});


/** 1,000 one-off reminders due in the same second (rows and jobs written in bulk); lateness of their messages. */
async function reminderBurst(db: Db, s: DurableScheduler, adapter: TimingAdapter): Promise<Record<string, number>> {
  const due = new Date(Math.ceil((Date.now() + 5_000) / 1000) * 1000);
  adapter.dueAt = due.getTime();
  adapter.lateness = [];
  // The team, its 1,000 members and their memberships (a private reminder reaches members only).
  const team = await db.team.create({ data: { ref: "bench:room" } });
  await db.member.createMany({ data: Array.from({ length: burst }, (_, i) => ({ ref: `bench:@m${i}` })) });
  const members = await db.member.findMany({ where: { ref: { startsWith: "bench:@m" } }, select: { id: true } });
  await db.teamMember.createMany({ data: members.map((m) => ({ teamId: team.id, memberId: m.id })) });
  await db.reminder.createMany({
    data: Array.from({ length: burst }, (_, i) => ({
      teamRef: "bench:room",
      number: i + 1,
      creatorRef: `bench:@m${i}`,
      targetKind: "me",
      targetRef: `bench:@m${i}`,
      text: `Reminder ${i}`,
      dueAt: due,
      timeZone: "Europe/Berlin",
    })),
  });
  const ids = (await db.reminder.findMany({ where: { teamRef: "bench:room" }, select: { id: true } })).map((r) => r.id);
  const last = ids.pop() ?? 0;
  await db.job.createMany({
    data: ids.map((id) => ({ kind: reminderKind, payload: { reminderId: id }, dueAt: due, runAt: due, pendingKey: reminderKeys.main(id) })),
  });
  await s.schedule({ kind: reminderKind, dueAt: due, payload: { reminderId: last }, key: reminderKeys.main(last) });
  const deadline = Date.now() + 120_000;
  while (adapter.lateness.length < burst && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await s.idle();
  const lateness = [...adapter.lateness].sort((a, b) => a - b);
  return {
    reminderBurstDelivered: lateness.length,
    reminderLatenessP50Ms: percentile(lateness, 50),
    reminderLatenessP99Ms: percentile(lateness, 99),
    reminderLatenessMaxMs: lateness.at(-1) ?? Number.NaN,
  };
}

const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

export async function run(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(path.join(tmpdir(), "teambot-bench-"));
  try {
    const config = loadConfig({ DATABASE_URL: `file:${path.join(dir, "bench.db")}` });
    let scheduler: DurableScheduler | undefined;
    const app = await createApp(config, createLogger("silent"), {
      scheduler: (bot) => {
        scheduler = new DurableScheduler(bot);
        return scheduler;
      },
    });
    if (!scheduler) throw new Error("no scheduler");
    const s = scheduler;
    s.register(benchJob);
    const adapter = new TimingAdapter();
    app.bot.addAdapter(adapter);
    await app.bot.start();

    // 100,000 pending jobs spread over the next year, from an hour on (one SQL statement,
    // in the text form Prisma stores instants in).
    const fillStart = performance.now();
    const stamp = "strftime('%Y-%m-%dT%H:%M:%f+00:00', ?1 + n * ?2, 'unixepoch')";
    await app.db.$executeRawUnsafe(
      `WITH RECURSIVE seq(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM seq WHERE n < ?3 - 1)
       INSERT INTO "Job" (kind, payload, dueAt, runAt, status, attempts, createdAt, updatedAt)
       SELECT 'bench.ping', json_object('n', n), ${stamp}, ${stamp}, 'pending', 0, ${stamp}, ${stamp} FROM seq`,
      Date.now() / 1000 + 3_600,
      (365 * 86_400) / pendingJobs,
      pendingJobs,
    );
    const fillSeconds = (performance.now() - fillStart) / 1000;
    if ((await app.db.job.count()) !== pendingJobs) throw new Error("fill failed");

    // Start: the first look for due work and arming the timer.
    const rssBefore = process.memoryUsage().rss;
    const startAt = performance.now();
    s.start();
    await new Promise((resolve) => setTimeout(resolve, 0));
    await s.idle();
    const startMs = performance.now() - startAt;
    const rssAfterStart = process.memoryUsage().rss;

    // 1,000 jobs due in the same second, three seconds from now (written in bulk; the
    // last one through schedule(), which arms the timer as any feature's job does).
    const due = new Date(Math.ceil((Date.now() + 3_000) / 1000) * 1000);
    adapter.dueAt = due.getTime();
    await app.db.job.createMany({
      data: Array.from({ length: burst - 1 }, (_, i) => ({
        kind: "bench.ping",
        payload: { n: -i },
        dueAt: due,
        runAt: due,
      })),
    });
    await s.schedule({ kind: "bench.ping", dueAt: due, payload: { n: -burst } });
    const deadline = Date.now() + 60_000;
    while (adapter.lateness.length < burst && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await s.idle();
    const lateness = [...adapter.lateness].sort((a, b) => a - b);

    // The same with real reminders: 1,000 members' reminders due in one second, each job
    // reading its reminder, team and member and writing its message to the outbox.
    const reminders = await reminderBurst(app.db, s, adapter);

    // Idle: nothing due for an hour; measure this process's CPU time.
    const wakeupsBefore = s.wakeups;
    const cpuBefore = process.cpuUsage();
    const idleStart = performance.now();
    await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
    const cpu = process.cpuUsage(cpuBefore);
    const idleMs = performance.now() - idleStart;
    const rssEnd = process.memoryUsage().rss;

    await app.close();
    return {
      pendingJobs,
      fillSeconds: Math.round(fillSeconds * 10) / 10,
      startMs: Math.round(startMs),
      rssMbAfterStart: mb(rssAfterStart),
      rssMbStartDelta: mb(rssAfterStart - rssBefore),
      rssMbEnd: mb(rssEnd),
      burstJobs: burst,
      burstDelivered: adapter.lateness.length,
      latenessMinMs: lateness[0] ?? Number.NaN,
      latenessP50Ms: percentile(lateness, 50),
      latenessP99Ms: percentile(lateness, 99),
      latenessMaxMs: lateness.at(-1) ?? Number.NaN,
      idleSeconds,
      idleCpuPercent: Math.round(((cpu.user + cpu.system) / 1000 / idleMs) * 100 * 1000) / 1000,
      idleWakeups: s.wakeups - wakeupsBefore,
      ...reminders,
      load: loadAverage(),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
