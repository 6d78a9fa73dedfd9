import { UserError } from "../../core/errors.ts";
import type { DbOrTx, Tx } from "../../db/client.ts";
import type { Member, Team } from "../../generated/prisma/client.ts";
import type { Scheduler } from "../../scheduler/port.ts";
import { type Actor, allow } from "../actor.ts";
import {
  addEvent,
  isActive,
  jobKeys,
  loadRequest,
  nameOf,
  type RequestWithAll,
  requestInclude,
} from "./model.ts";
import { checkSkills, findResponders } from "./responders.ts";
import { escalationMinutes, getSettings } from "./settings.ts";
import { asJson } from "../../db/json.ts";
import { retryingTransaction as inTransaction } from "../../db/transaction.ts";
import { nextNumber } from "../numbers.ts";
import { type Page, readPage } from "../paging.ts";

const minute = 60_000;

export interface CreateInput {
  team: Team;
  requester: Member;
  text: string;
  urgent: boolean;
  need: number;
  skills: string[];
  by: Date | null;
  now: Date;
}

export interface Created {
  request: RequestWithAll;
  alerted: Member[];
  /** When the team is alerted if nobody takes it (null: it expires first). */
  escalatesAt: Date | null;
}


/** Schedules escalation round `round` after the team's delay, unless the request expires first. */
async function planEscalation(
  tx: Tx,
  scheduler: Scheduler,
  request: { id: number; teamId: number; urgent: boolean; by: Date | null },
  round: number,
  from: Date,
): Promise<Date | null> {
  const settings = await getSettings(tx, request.teamId);
  const dueAt = new Date(from.getTime() + escalationMinutes(settings, request.urgent) * minute);
  if (request.by && dueAt.getTime() >= request.by.getTime()) return null;
  await scheduler.schedule(
    {
      kind: "rr.escalate",
      dueAt,
      payload: { requestId: request.id, round },
      key: jobKeys.escalate(request.id),
    },
    tx,
  );
  return dueAt;
}

export async function createRequest(db: DbOrTx, scheduler: Scheduler, input: CreateInput): Promise<Created> {
  await checkSkills(db, input.team.id, input.skills);
  return inTransaction(db, async (tx) => {
    const created = await tx.rrRequest.create({
      data: {
        teamId: input.team.id,
        number: await nextNumber(tx, input.team.id, "rr"),
        requesterId: input.requester.id,
        text: input.text,
        urgent: input.urgent,
        need: input.need,
        skills: asJson(input.skills),
        by: input.by,
        createdAt: input.now,
      },
    });
    const alerted = await findResponders(tx, input.team.id, input.skills, input.requester.id, input.now);
    await addEvent(tx, created.id, input.now, "created", input.requester);
    await addEvent(tx, created.id, input.now, "alerted", null, { names: alerted.map(nameOf) });
    const escalatesAt = await planEscalation(tx, scheduler, created, 1, input.now);
    if (input.by) {
      await scheduler.schedule(
        {
          kind: "rr.expire",
          dueAt: input.by,
          payload: { requestId: created.id },
          key: jobKeys.expire(created.id),
        },
        tx,
      );
    }
    return { request: await loadRequest(tx, created.id), alerted, escalatesAt };
  });
}

/**
 * Finds a request by its short id. In a team's room only that team's requests count (another
 * team's id is unknown); in a direct conversation, the requests of the teams the member was
 * seen in, narrowed by `teamRef` when given.
 */
export async function findRequestId(
  db: DbOrTx,
  where: { team: Team; isDirect: boolean; memberId: number; teamRef?: string },
  number: number,
): Promise<{ id: number; team: Team }> {
  const unknown = () => new UserError("rr.errors.unknownId", { id: number });
  if (!where.isDirect) {
    if (where.teamRef && where.teamRef !== where.team.ref) throw unknown();
    const found = await db.rrRequest.findUnique({
      where: { teamId_number: { teamId: where.team.id, number } },
      select: { id: true },
    });
    if (!found) throw unknown();
    return { id: found.id, team: where.team };
  }
  const candidates = await db.rrRequest.findMany({
    where: {
      number,
      team: {
        members: { some: { memberId: where.memberId, leftAt: null } },
        ...(where.teamRef ? { ref: where.teamRef } : {}),
      },
    },
    include: { team: true },
  });
  const [only, ...more] = candidates;
  if (!only) throw unknown();
  if (more.length > 0) {
    throw new UserError("rr.errors.ambiguousId", {
      id: number,
      teams: candidates.map((c) => `${c.team.name || c.team.ref} (--team ${c.team.ref})`).join(", "),
    });
  }
  return { id: only.id, team: only.team };
}

function closedError(request: { number: number; status: string }): UserError {
  return new UserError(`rr.errors.closed.${request.status}`, { id: request.number });
}

/** Takes the request's row lock first, so concurrent changes run one after another. */
async function lockAndLoad(tx: Tx, id: number): Promise<RequestWithAll> {
  await tx.rrRequest.update({ where: { id }, data: { version: { increment: 1 } } });
  return tx.rrRequest.findUniqueOrThrow({ where: { id }, include: requestInclude });
}

export interface ClaimResult {
  request: RequestWithAll;
  /** This claim made it covered. */
  covered: boolean;
}

/** One claim per member (a database constraint); never more claims than needed. */
export async function claimRequest(
  db: DbOrTx,
  scheduler: Scheduler,
  id: number,
  member: Member,
  now: Date,
): Promise<ClaimResult> {
  return inTransaction(db, async (tx) => {
    const request = await lockAndLoad(tx, id);
    if (!isActive(request.status)) throw closedError(request);
    if (request.claims.some((c) => c.memberId === member.id)) {
      throw new UserError("rr.errors.alreadyYours", { id: request.number });
    }
    if (request.claims.length >= request.need) {
      throw new UserError("rr.errors.alreadyCovered", {
        id: request.number,
        names: request.claims.map((c) => nameOf(c.member)).join(", "),
      });
    }
    await tx.rrClaim.create({ data: { requestId: id, memberId: member.id, claimedAt: now } });
    const covered = request.claims.length + 1 >= request.need;
    await tx.rrRequest.update({
      where: { id },
      data: {
        firstClaimAt: request.firstClaimAt ?? now,
        ...(covered ? { status: "covered", coveredAt: request.coveredAt ?? now } : {}),
      },
    });
    await addEvent(tx, id, now, "claimed", member);
    if (covered) await scheduler.cancel(jobKeys.escalate(id), tx);
    return { request: await loadRequest(tx, id), covered };
  });
}

export interface UnclaimResult {
  request: RequestWithAll;
  /** The request's `by` had passed: it expired instead of reopening. */
  expired: boolean;
}

export async function unclaimRequest(
  db: DbOrTx,
  scheduler: Scheduler,
  id: number,
  member: Member,
  now: Date,
): Promise<UnclaimResult> {
  return inTransaction(db, async (tx) => {
    const request = await lockAndLoad(tx, id);
    if (!isActive(request.status)) throw closedError(request);
    if (!request.claims.some((c) => c.memberId === member.id)) {
      throw new UserError("rr.errors.notClaimed", { id: request.number });
    }
    await tx.rrClaim.delete({ where: { requestId_memberId: { requestId: id, memberId: member.id } } });
    await addEvent(tx, id, now, "unclaimed", member);
    const expired = request.by !== null && request.by.getTime() <= now.getTime();
    if (expired) {
      await tx.rrRequest.update({ where: { id }, data: { status: "expired", closedAt: now } });
      await addEvent(tx, id, now, "expired", null);
      await scheduler.cancel(jobKeys.all(id), tx);
    } else if (request.status === "covered") {
      await tx.rrRequest.update({ where: { id }, data: { status: "open" } });
      // Covered requests had no escalation pending: start it again where it stood.
      if (request.unansweredAt === null) {
        await planEscalation(tx, scheduler, request, request.escalations + 1, now);
      }
    }
    return { request: await loadRequest(tx, id), expired };
  });
}

function mayChange(request: RequestWithAll, actor: Actor): boolean {
  return (
    actor.isCoordinator ||
    request.requesterId === actor.member.id ||
    request.claims.some((c) => c.memberId === actor.member.id)
  );
}

export async function updateRequest(
  db: DbOrTx,
  id: number,
  actor: Actor,
  text: string,
  now: Date,
): Promise<RequestWithAll> {
  return inTransaction(db, async (tx) => {
    const request = await lockAndLoad(tx, id);
    allow(mayChange(request, actor), "rr.errors.notAllowed", { id: request.number });
    if (!isActive(request.status)) throw closedError(request);
    await tx.rrRequest.update({ where: { id }, data: { lastUpdate: text } });
    await addEvent(tx, id, now, "updated", actor.member, { text });
    return loadRequest(tx, id);
  });
}

/** Resolves or cancels: final states; pending escalation and expiry jobs are removed. */
export async function closeRequest(
  db: DbOrTx,
  scheduler: Scheduler,
  id: number,
  actor: Actor,
  outcome: "resolved" | "cancelled",
  note: string | null,
  now: Date,
): Promise<RequestWithAll> {
  return inTransaction(db, async (tx) => {
    const request = await lockAndLoad(tx, id);
    allow(mayChange(request, actor), "rr.errors.notAllowed", { id: request.number });
    if (!isActive(request.status)) throw closedError(request);
    await tx.rrRequest.update({ where: { id }, data: { status: outcome, closedAt: now, note } });
    await addEvent(tx, id, now, outcome, actor.member, note ? { text: note } : {});
    await scheduler.cancel(jobKeys.all(id), tx);
    return loadRequest(tx, id);
  });
}

/** Open and covered requests of a team, oldest first. */
/** One page of the team's open and covered requests, oldest first. */
export function activeRequests(db: DbOrTx, teamId: number, page: number | undefined): Promise<Page<RequestWithAll>> {
  const where = { teamId, status: { in: ["open" as const, "covered" as const] } };
  return readPage(
    page,
    () => db.rrRequest.count({ where }),
    (window) => db.rrRequest.findMany({ where, include: requestInclude, orderBy: { number: "asc" }, ...window }),
  );
}

export function timeline(db: DbOrTx, requestId: number) {
  return db.rrEvent.findMany({ where: { requestId }, orderBy: { id: "asc" } });
}
