import type { ContextResolver, Defaults, Speaker } from "../core/context.ts";
import type { Language } from "../core/time.ts";
import type { DbOrTx } from "../db/client.ts";
import { asJson } from "../db/json.ts";
import { retryingTransaction, upsertRacing } from "../db/transaction.ts";
import type { Member, Team } from "../generated/prisma/client.ts";
import { type Actor, requireCoordinator, type Scope } from "./actor.ts";
import { audit } from "./audit.ts";
import type { Membership } from "./membership.ts";

/** "Last seen" is refreshed at most this often, so a busy member's commands do not each write it. */
const seenResolutionMs = 60_000;

/**
 * Creates the team and member on first contact and records that the member was seen in the
 * team. Reads first and writes only what changed: a known member's command costs three
 * reads and no write lock. Every write is an idempotent upsert or update of one row, so
 * no transaction is needed (two first contacts at once both end with the same rows).
 * (findFirst, not findUnique: Prisma batches concurrent findUnique calls into one query,
 * which with a thousand members at once exceeds SQLite's parameter limit.)
 */
export async function ensureContext(
  db: DbOrTx,
  who: Speaker,
  defaults: Defaults,
  now: Date,
): Promise<{ team: Team; member: Member }> {
  let team = await db.team.findFirst({ where: { ref: who.room } });
  if (!team) {
    team = await upsertRacing(() =>
      db.team.upsert({
        where: { ref: who.room },
        create: { ref: who.room, name: who.roomName ?? "", language: defaults.language, timeZone: defaults.timeZone },
        update: {},
      }),
    );
  } else if (who.roomName && team.name !== who.roomName) {
    team = await db.team.update({ where: { id: team.id }, data: { name: who.roomName } });
  }
  let member = await db.member.findFirst({ where: { ref: who.member } });
  if (!member) {
    member = await upsertRacing(() =>
      db.member.upsert({
        where: { ref: who.member },
        create: { ref: who.member, displayName: who.memberName },
        update: {},
      }),
    );
  } else if (member.displayName !== who.memberName) {
    member = await db.member.update({ where: { id: member.id }, data: { displayName: who.memberName } });
  }
  const key = { teamId_memberId: { teamId: team.id, memberId: member.id } };
  const link = await db.teamMember.findFirst({ where: { teamId: team.id, memberId: member.id } });
  if (!link) {
    await db.teamMember.upsert({
      where: key,
      create: { teamId: team.id, memberId: member.id, firstSeen: now, lastSeen: now, coordinator: who.isCoordinator },
      update: { lastSeen: now, coordinator: who.isCoordinator },
    });
  } else if (link.leftAt) {
    // Back in the room (the platform lets them speak there): a member again.
    await db.teamMember.update({
      where: key,
      data: { lastSeen: now, coordinator: who.isCoordinator, leftAt: null, leftHow: null },
    });
  } else if (link.coordinator !== who.isCoordinator || now.getTime() - link.lastSeen.getTime() > seenResolutionMs) {
    await db.teamMember.update({ where: key, data: { lastSeen: now, coordinator: who.isCoordinator } });
  }
  return { team, member };
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
