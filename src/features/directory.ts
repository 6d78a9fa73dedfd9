import { z } from "zod";
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

const nullableDate = z.date().nullable();
/** A member row as a statement written out returns it. */
const memberRow = z.object({
  id: z.number(),
  ref: z.string(),
  displayName: z.string(),
  language: z.string().nullable(),
  timeZone: z.string().nullable(),
  forgottenAt: nullableDate,
  createdAt: z.date(),
  updatedAt: z.date(),
});
/** One row of the context read: the team's, member's and membership's columns, each null when missing. */
const contextRow = z.object({
  teamId: z.number().nullable(),
  teamRef: z.string().nullable(),
  teamName: z.string().nullable(),
  teamLanguage: z.string().nullable(),
  teamTimeZone: z.string().nullable(),
  teamRetentionDays: z.number().nullable(),
  teamDayParts: z.json().nullable(),
  teamCreatedAt: nullableDate,
  teamUpdatedAt: nullableDate,
  memberId: z.number().nullable(),
  memberRef: z.string().nullable(),
  memberDisplayName: z.string().nullable(),
  memberLanguage: z.string().nullable(),
  memberTimeZone: z.string().nullable(),
  memberForgottenAt: nullableDate,
  memberCreatedAt: nullableDate,
  memberUpdatedAt: nullableDate,
  linkFound: z.unknown(),
  linkLeftAt: nullableDate,
  linkCoordinator: z.boolean().nullable(),
  linkLastSeen: nullableDate,
});

/**
 * The team, member and membership of an invocation in one read (every command makes it:
 * one joined statement costs a fifth of Prisma's three).
 */
export async function readContext(db: DbOrTx, who: Pick<Speaker, "room" | "member">) {
  const rows = await db.$queryRaw<unknown[]>`
    SELECT t."id" AS "teamId", t."ref" AS "teamRef", t."name" AS "teamName", t."language" AS "teamLanguage",
      t."timeZone" AS "teamTimeZone", t."retentionDays" AS "teamRetentionDays", t."dayParts" AS "teamDayParts",
      t."createdAt" AS "teamCreatedAt", t."updatedAt" AS "teamUpdatedAt",
      m."id" AS "memberId", m."ref" AS "memberRef", m."displayName" AS "memberDisplayName",
      m."language" AS "memberLanguage", m."timeZone" AS "memberTimeZone", m."forgottenAt" AS "memberForgottenAt",
      m."createdAt" AS "memberCreatedAt", m."updatedAt" AS "memberUpdatedAt",
      tm."teamId" AS "linkFound", tm."leftAt" AS "linkLeftAt", tm."coordinator" AS "linkCoordinator", tm."lastSeen" AS "linkLastSeen"
    FROM (SELECT 1 AS "one") AS "one"
    LEFT JOIN "Team" t ON t."ref" = ${who.room}
    LEFT JOIN "Member" m ON m."ref" = ${who.member}
    LEFT JOIN "TeamMember" tm ON tm."teamId" = t."id" AND tm."memberId" = m."id"`;
  const r = contextRow.parse(rows[0]);
  const team: Team | null =
    r.teamId === null
      ? null
      : {
          id: r.teamId,
          ref: r.teamRef ?? who.room,
          name: r.teamName ?? "",
          language: r.teamLanguage ?? "",
          timeZone: r.teamTimeZone ?? "",
          retentionDays: r.teamRetentionDays ?? 0,
          dayParts: r.teamDayParts,
          createdAt: r.teamCreatedAt ?? new Date(0),
          updatedAt: r.teamUpdatedAt ?? new Date(0),
        };
  const member: Member | null =
    r.memberId === null
      ? null
      : {
          id: r.memberId,
          ref: r.memberRef ?? who.member,
          displayName: r.memberDisplayName ?? "",
          language: r.memberLanguage,
          timeZone: r.memberTimeZone,
          forgottenAt: r.memberForgottenAt,
          createdAt: r.memberCreatedAt ?? new Date(0),
          updatedAt: r.memberUpdatedAt ?? new Date(0),
        };
  const link =
    r.linkFound === null || r.linkLastSeen === null
      ? null
      : { leftAt: r.linkLeftAt, coordinator: r.linkCoordinator ?? false, lastSeen: r.linkLastSeen };
  return { team, member, link };
}

/**
 * The team, member and membership behind an invocation, read (one joined read, no write
 * lock). What is missing or stale is left to `ensure`: at most three upserts, each one
 * `INSERT … ON CONFLICT` statement, run in the command's own transaction. Concurrent first
 * contacts all end with the same rows.
 */
export async function lookupContext(db: DbOrTx, who: Speaker, defaults: Defaults, now: Date): Promise<LookedUp> {
  const { team, member, link } = await readContext(db, who);
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
    // Member and membership: written out, as they are on the path of every first vote of a storm.
    const ensuredMember = memberFresh
      ? member
      : memberRow.parse(
          (
            await handle.$queryRaw<unknown[]>`
              INSERT INTO "Member" ("ref", "displayName", "createdAt", "updatedAt")
              VALUES (${who.member}, ${who.memberName}, ${now}, ${now})
              ON CONFLICT ("ref") DO UPDATE SET "displayName" = excluded."displayName", "updatedAt" = excluded."updatedAt"
              RETURNING "id", "ref", "displayName", "language", "timeZone", "forgottenAt", "createdAt", "updatedAt"`
          )[0],
        );
    if (!linkFresh) {
      // Back in the room (the platform lets them speak there): a member again.
      await handle.$executeRaw`
        INSERT INTO "TeamMember" ("teamId", "memberId", "firstSeen", "lastSeen", "coordinator")
        VALUES (${ensuredTeam.id}, ${ensuredMember.id}, ${now}, ${now}, ${who.isCoordinator})
        ON CONFLICT ("teamId", "memberId") DO UPDATE SET "lastSeen" = excluded."lastSeen",
          "coordinator" = excluded."coordinator", "leftAt" = NULL, "leftHow" = NULL`;
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
