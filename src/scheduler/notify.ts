import { type OutgoingMessage, paragraph } from "../core/message.ts";
import type { Job } from "../generated/prisma/client.ts";
import type { SchedulerHost } from "./port.ts";

/** Tells a job's owner privately that a delivery failed for good (unless they were its only target). */
export async function tellOwner(bot: SchedulerHost, job: Job, undelivered: OutgoingMessage[]): Promise<void> {
  if (!job.owner) return;
  const owner = job.owner;
  const targets = undelivered
    .map((m) =>
      m.audience.kind === "room" ? m.audience.room : m.audience.kind === "member" ? m.audience.member : "",
    )
    .filter((t) => t !== "");
  if (targets.length > 0 && targets.every((t) => t === owner)) return; // nobody else to tell
  try {
    const { tr, lang, timeZone } = await bot.localeFor(owner);
    await bot.deliver([
      {
        audience: { kind: "member", member: owner },
        lang,
        timeZone,
        tone: "warning",
        blocks: [
          paragraph(
            ...tr.tm("scheduler.failed", {
              when: { kind: "time", at: job.dueAt, style: "datetime" },
              targets: targets.join(", ") || "–",
            }),
          ),
        ],
        actions: [],
        attachments: [],
      },
    ]);
  } catch (error) {
    bot.log.error({ err: error, jobId: job.id }, "could not tell the job's owner");
  }
}
