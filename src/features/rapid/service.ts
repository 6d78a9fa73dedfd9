import type { Duration } from "luxon";
import { UserError } from "../../core/errors.ts";
import type { DbOrTx } from "../../db/client.ts";
import type { RrEvent } from "../../generated/prisma/client.ts";
import type { Scheduler } from "../../scheduler/port.ts";
import { type Actor, requireCoordinator, type Scope } from "../actor.ts";
import { audit, auditOthers } from "../audit.ts";
import type { Membership } from "../membership.ts";
import { loadRequest, normalizeSkills, type RequestWithAll } from "./model.ts";
import {
  activeRequests,
  type ClaimResult,
  type Created,
  claimRequest,
  closeRequest,
  createRequest,
  findRequestId,
  timeline,
  type UnclaimResult,
  unclaimRequest,
  updateRequest,
} from "./requests.ts";
import {
  type Availability,
  addSkills,
  getAvailability,
  knownSkills,
  memberSkills,
  type RosterEntry,
  removeSkills,
  roster,
  setAvailability,
} from "./responders.ts";
import { getSettings, type RrSettings, setSettings } from "./settings.ts";
import { type Stats, teamStats } from "./stats.ts";
import type { Page } from "../paging.ts";

/**
 * A request as a command names it: its number in the team, or, in a direct conversation,
 * among the member's teams (narrowed by the team's room reference).
 */
export interface RequestRef {
  number: number;
  direct: boolean;
  teamRef?: string;
}

export interface RapidService {
  /** Posts a request and alerts the available responders with the skills. */
  ask(
    scope: Scope,
    input: { text: string; urgent: boolean; need: number; skills: readonly string[]; by: Date | null },
  ): Promise<Created>;
  claim(scope: Scope, ref: RequestRef): Promise<ClaimResult>;
  unclaim(scope: Scope, ref: RequestRef): Promise<UnclaimResult>;
  /** The requester, someone on it, or a coordinator of its team. */
  update(scope: Scope, ref: RequestRef, text: string): Promise<RequestWithAll>;
  resolve(scope: Scope, ref: RequestRef, note: string | null): Promise<RequestWithAll>;
  cancel(scope: Scope, ref: RequestRef): Promise<RequestWithAll>;
  /** One page of the open and covered requests. */
  active(scope: Scope, page?: number): Promise<Page<RequestWithAll>>;
  info(scope: Scope, ref: RequestRef): Promise<{ request: RequestWithAll; events: RrEvent[] }>;
  stats(scope: Scope, since: Date): Promise<Stats>;
  settings(scope: Scope): Promise<RrSettings>;
  /** Coordinators: escalation delays (1 minute to 7 days) and repeats. */
  changeSettings(
    scope: Scope,
    change: { urgent?: Duration; normal?: Duration; repeats?: number },
  ): Promise<RrSettings>;
  availability(actor: Actor, now: Date): Promise<Availability>;
  /** Available until a time, open-ended (until null), or not at all. */
  setAvailability(actor: Actor, available: boolean, until: Date | null): Promise<void>;
  skills(actor: Actor): Promise<string[]>;
  addSkills(actor: Actor, skills: readonly string[]): Promise<string[]>;
  removeSkills(actor: Actor, skills: readonly string[]): Promise<string[]>;
  roster(scope: Scope): Promise<{ entries: RosterEntry[]; known: string[] }>;
}

/** Escalation delays people type: whole minutes from one minute to a week. */
function delayMinutes(delay: Duration): number {
  const minutes = Math.round(delay.as("minutes"));
  if (minutes < 1 || minutes > 7 * 1440) throw new UserError("rr.errors.badDelay");
  return minutes;
}

export function createRapidService(db: DbOrTx, scheduler: Scheduler, membership: Membership): RapidService {
  /**
   * The request a command names, and the caller as an actor of the request's team. From
   * elsewhere (a direct conversation) the platform is asked whether they still belong to
   * that team and may coordinate it: a stored flag is not trusted.
   */
  async function target(scope: Scope, ref: RequestRef): Promise<{ id: number; actor: Actor }> {
    const { team, actor } = scope;
    const found = await findRequestId(
      db,
      { team, isDirect: ref.direct, memberId: actor.member.id, ...(ref.teamRef ? { teamRef: ref.teamRef } : {}) },
      ref.number,
    );
    if (found.team.id === team.id) return { id: found.id, actor };
    if (!(await membership.isMember(found.team.ref, actor.member.ref))) {
      throw new UserError("rr.errors.unknownId", { id: ref.number });
    }
    const isCoordinator = await membership.coordinates(found.team.ref, actor.member.ref);
    return { id: found.id, actor: { member: actor.member, isCoordinator } };
  }

  return {
    ask: (scope, input) =>
      createRequest(db, scheduler, {
        team: scope.team,
        requester: scope.actor.member,
        text: input.text,
        urgent: input.urgent,
        need: input.need,
        skills: normalizeSkills(input.skills),
        by: input.by,
        now: scope.now,
      }),
    async claim(scope, ref) {
      const { id } = await target(scope, ref);
      return claimRequest(db, scheduler, id, scope.actor.member, scope.now);
    },
    async unclaim(scope, ref) {
      const { id } = await target(scope, ref);
      return unclaimRequest(db, scheduler, id, scope.actor.member, scope.now);
    },
    async update(scope, ref, text) {
      const { id, actor } = await target(scope, ref);
      return updateRequest(db, id, actor, text, scope.now);
    },
    async resolve(scope, ref, note) {
      const { id, actor } = await target(scope, ref);
      return closeRequest(db, scheduler, id, actor, "resolved", note, scope.now);
    },
    async cancel(scope, ref) {
      const { id, actor } = await target(scope, ref);
      const closed = await closeRequest(db, scheduler, id, actor, "cancelled", null, scope.now);
      await auditOthers(db, scope, closed.teamId, "rr.cancel", closed.requesterId, { number: closed.number });
      return closed;
    },
    active: (scope, page) => activeRequests(db, scope.team.id, page),
    async info(scope, ref) {
      const { id } = await target(scope, ref);
      return { request: await loadRequest(db, id), events: await timeline(db, id) };
    },
    stats: (scope, since) => teamStats(db, scope.team.id, since),
    settings: (scope) => getSettings(db, scope.team.id),
    async changeSettings(scope, change) {
      const values: Partial<RrSettings> = {};
      if (change.urgent) values.urgentMinutes = delayMinutes(change.urgent);
      if (change.normal) values.normalMinutes = delayMinutes(change.normal);
      if (change.repeats !== undefined) values.repeats = change.repeats;
      requireCoordinator(scope.actor);
      const settings = await setSettings(db, scope.team.id, values);
      await audit(db, scope, "rr.settings", { ...values });
      return settings;
    },
    availability: (actor, now) => getAvailability(db, actor.member.id, now),
    setAvailability: (actor, available, until) => setAvailability(db, actor.member.id, available, until),
    skills: (actor) => memberSkills(db, actor.member.id),
    addSkills: (actor, skills) => addSkills(db, actor.member.id, normalizeSkills(skills)),
    removeSkills: (actor, skills) => removeSkills(db, actor.member.id, normalizeSkills(skills)),
    async roster(scope) {
      return { entries: await roster(db, scope.team.id, scope.now), known: await knownSkills(db, scope.team.id) };
    },
  };
}
