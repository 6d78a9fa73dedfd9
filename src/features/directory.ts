import type { ContextResolver, Defaults, LookedUp, Speaker } from "../core/context.ts";
import type { Language } from "../core/time.ts";
import type { DbOrTx } from "../db/client.ts";
import { asJson } from "../db/json.ts";
import { retryingTransaction } from "../db/transaction.ts";
import type { Member, Team } from "../generated/prisma/client.ts";
import { type Actor, requireCoordinator, type Scope } from "./actor.ts";
import { audit } from "./audit.ts";
import type { Membership } from "./membership.ts";

/** "Last seen" is refreshed at most this often, so a busy member's commands do not each write it. */
const seenResolutionMs = 60_000;

/**
 * The team, member and membership behind an invocation, read (three indexed reads, no write
 * lock). What is missing or stale is left to `ensure`: at most three upserts, each one
 * `INSERT … ON CONFLICT` statement, run in the command's own transaction. Concurrent first
 * contacts all end with the same rows.
 * (findFirst, not findUnique: Prisma batches concurrent findUnique calls into one query,
 * which with a thousand members at once exceeds SQLite's parameter limit.)
 */
export async function lookupContext(db: DbOrTx, who: Speaker, defaults: Defaults, now: Date): Promise<LookedUp> {
  const team = await db.team.findFirst({ where: { ref: who.room } });
  const member = await db.member.findFirst({ where: { ref: who.member } });
  const link = team && member ? await db.teamMember.findFirst({ where: { teamId: team.id, memberId: member.id } }) : null;
  const teamFresh = team !== null && (!who.roomName || team.name === who.roomName);
  const memberFresh = member !== null && member.displayName === who.memberName;
  const linkFresh =
    link !== null &&
    link.leftAt === null &&
    link.coordinator === who.isCoordinator &&
    now.getTime() - link.lastSeen.getTime() <= seenResolutionMs;
  // Stand-ins until `ensure` has run: the schema's defaults.
  const shown = {
    team: team ?? { id: 0, ref: who.room, name: who.roomName ?? "", language: defaults.language, timeZone: defaults.timeZone, dayParts: null, retentionDays: 180, createdAt: now, updatedAt: now },
    member: member ?? { id: 0, ref: who.member, displayName: who.memberName, language: null, timeZone: null, forgottenAt: null, createdAt: now, updatedAt: now },
  };
  if (teamFresh && memberFresh && linkFresh) return { team, member };
  const ensure = async (handle: DbOrTx) => {
    const ensuredTeam = teamFresh
      ? team
      : await handle.team.upsert({
          where: { ref: who.room },
          create: { ref: who.room, name: who.roomName ?? "", language: defaults.language, timeZone: defaults.timeZone },
          update: who.roomName ? { name: who.roomName } : {},
        });
    const ensuredMember = memberFresh
      ? member
      : await handle.member.upsert({
          where: { ref: who.member },
          create: { ref: who.member, displayName: who.memberName },
          update: { displayName: who.memberName },
        });
    if (!linkFresh) {
      await handle.teamMember.upsert({
        where: { teamId_memberId: { teamId: ensuredTeam.id, memberId: ensuredMember.id } },
        create: { teamId: ensuredTeam.id, memberId: ensuredMember.id, firstSeen: now, lastSeen: now, coordinator: who.isCoordinator },
        // Back in the room (the platform lets them speak there): a member again.
        update: { lastSeen: now, coordinator: who.isCoordinator, leftAt: null, leftHow: null },
      });
    }
    return { team: ensuredTeam, member: ensuredMember };
  };
  return { ...shown, ensure };
}

/** Creates the team and member on first contact and records that the member was seen (outside a command). */
export async function ensureContext(
  db: DbOrTx,
  who: Speaker,
  defaults: Defaults,
  now: Date,
): Promise<{ team: Team; member: Member }> {
  const { team, member, ensure } = await lookupContext(db, who, defaults, now);
  return ensure ? retryingTransaction(db, (tx) => ensure(tx)) : { team, member };
}

export function findMember(db: DbOrTx, ref: string): Promise<Member | null> {
  return db.member.findUnique({ where: { ref } });
}

/** Members of a team now (memberships that ended do not count), most recent first. */
export async function teamMembers(db: DbOrTx, teamId: number): Promise<Member[]> {
  const rows = await db.teamMember.findMany({
    where: { teamId, leftAt: null },
    include: { member: true },
    orderBy: { lastSeen: "desc" },
  });
  return rows.map((r) => r.member);
}

/** Coordinators of a team as last seen (the platform decides; we remember its last word). */
export async function teamCoordinators(db: DbOrTx, teamId: number): Promise<Member[]> {
  const rows = await db.teamMember.findMany({
    where: { teamId, coordinator: true, leftAt: null },
    include: { member: true },
  });
  return rows.map((r) => r.member);
}

/** Teams and members: the core's context resolver, and the settings members and coordinators change. */
export interface Directory extends ContextResolver {
  setMemberSettings(actor: Actor, settings: { language?: Language; timeZone?: string }): Promise<Member>;
  /** Coordinators only. `dayParts`: the team's hours for parts of the day ({"morning": 8}). */
  setTeamSettings(
    scope: Scope,
    settings: { language?: Language; timeZone?: string; dayParts?: Partial<Record<string, number>> },
  ): Promise<Team>;
}

export function createDirectory(db: DbOrTx, defaults: Defaults, membership: Pick<Membership, "ended">): Directory {
  return {
    memberLeft: (room, member, how) => membership.ended(room, member, how),
    resolve: (who, now) => ensureContext(db, who, defaults, now),
    lookup: (who, now) => lookupContext(db, who, defaults, now),
    async addMembers(who, now) {
      const rooms = [...new Set(who.map((w) => w.room))];
      const links = await db.teamMember.findMany({
        where: { team: { ref: { in: rooms } }, leftAt: null },
        select: { team: { select: { ref: true } }, member: { select: { ref: true } } },
      });
      const known = new Set(links.map((l) => `${l.team.ref}|${l.member.ref}`));
      for (const w of who) {
        if (!known.has(`${w.room}|${w.member}`)) await ensureContext(db, w, defaults, now);
      }
    },
    member: (ref, handle) => findMember(handle ?? db, ref),
    setMemberSettings: (actor, settings) =>
      db.member.update({ where: { id: actor.member.id }, data: settings }),
    async setTeamSettings(scope, settings) {
      requireCoordinator(scope.actor);
      const { dayParts, ...rest } = settings;
      return retryingTransaction(db, async (tx) => {
        await audit(tx, scope, "settings.team", { ...rest, ...(dayParts ? { dayParts: JSON.stringify(dayParts) } : {}) });
        return tx.team.update({
          where: { id: scope.team.id },
          data: { ...rest, ...(dayParts ? { dayParts: asJson(dayParts) } : {}) },
        });
      });
    },
  };
}
