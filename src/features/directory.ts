import type { Language } from "../core/time.ts";
import type { Db } from "../db/client.ts";
import type { Member, Team } from "../generated/prisma/client.ts";

export interface Defaults {
  language: Language;
  timeZone: string;
}

/** Creates the team and member on first contact and records that the member was seen in the team. */
export async function ensureContext(
  db: Db,
  who: { room: string; roomName?: string; member: string; memberName: string; isCoordinator: boolean },
  defaults: Defaults,
): Promise<{ team: Team; member: Member }> {
  return db.$transaction(async (tx) => {
    // Read first: most commands come from known members, and an unchanged row stays untouched.
    let team = await tx.team.findUnique({ where: { ref: who.room } });
    if (!team) {
      team = await tx.team.upsert({
        where: { ref: who.room },
        create: { ref: who.room, name: who.roomName ?? "", language: defaults.language, timeZone: defaults.timeZone },
        update: {},
      });
    } else if (who.roomName && team.name !== who.roomName) {
      team = await tx.team.update({ where: { id: team.id }, data: { name: who.roomName } });
    }
    let member = await tx.member.findUnique({ where: { ref: who.member } });
    if (!member) {
      member = await tx.member.upsert({
        where: { ref: who.member },
        create: { ref: who.member, displayName: who.memberName },
        update: {},
      });
    } else if (member.displayName !== who.memberName) {
      member = await tx.member.update({ where: { id: member.id }, data: { displayName: who.memberName } });
    }
    const now = new Date();
    await tx.teamMember.upsert({
      where: { teamId_memberId: { teamId: team.id, memberId: member.id } },
      create: {
        teamId: team.id,
        memberId: member.id,
        firstSeen: now,
        lastSeen: now,
        coordinator: who.isCoordinator,
      },
      update: { lastSeen: now, coordinator: who.isCoordinator },
    });
    return { team, member };
  });
}

export function findMember(db: Db, ref: string): Promise<Member | null> {
  return db.member.findUnique({ where: { ref } });
}

export function setMemberSettings(
  db: Db,
  memberId: number,
  settings: { language?: Language | null; timeZone?: string | null },
): Promise<Member> {
  return db.member.update({ where: { id: memberId }, data: settings });
}

export function setTeamSettings(
  db: Db,
  teamId: number,
  settings: { language?: Language; timeZone?: string },
): Promise<Team> {
  return db.team.update({ where: { id: teamId }, data: settings });
}

/** Members seen in a team, most recent first. */
export async function teamMembers(db: Db, teamId: number): Promise<Member[]> {
  const rows = await db.teamMember.findMany({
    where: { teamId },
    include: { member: true },
    orderBy: { lastSeen: "desc" },
  });
  return rows.map((r) => r.member);
}

/** Coordinators of a team as last seen (the platform decides; we remember its last word). */
export async function teamCoordinators(db: Db, teamId: number): Promise<Member[]> {
  const rows = await db.teamMember.findMany({
    where: { teamId, coordinator: true },
    include: { member: true },
  });
  return rows.map((r) => r.member);
}
