import { z } from "zod";
import type { OutgoingMessage } from "../../core/message.ts";
import { defineJob, type JobRunInfo } from "../../scheduler/port.ts";
import { teamMembers } from "../directory.ts";
import { runEscalation, runExpiry } from "./escalation.ts";
import { jobOutbox } from "./outbox.ts";
import {
  escalationCoordinatorNote,
  escalationRoomAlert,
  expiredPrivate,
  requestPost,
  unansweredPrivate,
  unansweredRoom,
} from "./views.ts";

/** The job's "now": its due time, or later when it runs late (never earlier). */
const jobNow = (info: JobRunInfo): Date => new Date(Math.max(info.now.getTime(), info.dueAt.getTime()));

/** A note to a coordinator goes out only while the platform still says they coordinate the team. */
function toCoordinator(message: OutgoingMessage): OutgoingMessage {
  const audience = message.audience;
  return audience.kind === "member" ? { ...message, audience: { ...audience, coordinator: true } } : message;
}

export const escalateJob = defineJob({
  kind: "rr.escalate",
  schema: z.object({ requestId: z.number().int(), round: z.number().int().min(1) }),
  async run(payload, info, jctx) {
    const outcome = await runEscalation(
      jctx.db,
      jctx.scheduler,
      payload.requestId,
      payload.round,
      jobNow(info),
    );
    if (outcome.kind === "skip") return [];
    const out = jobOutbox(jctx);
    const r = outcome.request;
    const messages: OutgoingMessage[] = [out.room(r.team, (tr) => requestPost(tr, r))];
    if (outcome.kind === "escalated") {
      const team = await teamMembers(jctx.db, r.team.id);
      messages.push(out.room(r.team, (tr) => escalationRoomAlert(tr, r, outcome.round, outcome.total, team)));
      for (const c of outcome.coordinators) {
        messages.push(
          toCoordinator(
            await out.member(c.ref, r.team, ({ tr }) =>
              escalationCoordinatorNote(tr, r, outcome.round, outcome.total, outcome.minutesOpen),
            ),
          ),
        );
      }
      return messages;
    }
    messages.push(out.room(r.team, (tr) => unansweredRoom(tr, r)));
    const told = new Set<string>();
    for (const c of outcome.coordinators) {
      told.add(c.ref);
      messages.push(
        toCoordinator(await out.member(c.ref, r.team, ({ tr }) => unansweredPrivate(tr, r, outcome.total, false))),
      );
    }
    if (!told.has(r.requester.ref)) {
      messages.push(
        await out.member(r.requester.ref, r.team, ({ tr }) => unansweredPrivate(tr, r, outcome.total, true)),
      );
    }
    return messages;
  },
});

export const expireJob = defineJob({
  kind: "rr.expire",
  schema: z.object({ requestId: z.number().int() }),
  async run(payload, info, jctx) {
    const r = await runExpiry(jctx.db, jctx.scheduler, payload.requestId, jobNow(info));
    if (!r) return [];
    const out = jobOutbox(jctx);
    return [
      out.room(r.team, (tr) => requestPost(tr, r)),
      await out.member(r.requester.ref, r.team, ({ tr }) => expiredPrivate(tr, r)),
    ];
  },
});

export const rapidJobs = [escalateJob, expireJob];
