import { UserError } from "../../core/errors.ts";
import type { DbOrTx } from "../../db/client.ts";
import { retryingTransaction } from "../../db/transaction.ts";
import type { Member } from "../../generated/prisma/client.ts";

export interface Availability {
  available: boolean;
  until: Date | null;
}

/** Available now: switched on, and not past an "until". */
export function isAvailable(
  profile: { available: boolean; availableUntil: Date | null } | null,
  now: Date,
): boolean {
  if (!profile?.available) return false;
  return profile.availableUntil === null || profile.availableUntil.getTime() > now.getTime();
}

export async function getAvailability(db: DbOrTx, memberId: number, now: Date): Promise<Availability> {
  const profile = await db.rrProfile.findUnique({ where: { memberId } });
  const available = isAvailable(profile, now);
  return { available, until: available ? (profile?.availableUntil ?? null) : null };
}

export async function setAvailability(
  db: DbOrTx,
  memberId: number,
  available: boolean,
  until: Date | null,
): Promise<void> {
  await db.rrProfile.upsert({
    where: { memberId },
    create: { memberId, available, availableUntil: until },
    update: { available, availableUntil: until },
  });
}

export async function memberSkills(db: DbOrTx, memberId: number): Promise<string[]> {
  const rows = await db.rrSkill.findMany({ where: { memberId }, orderBy: { skill: "asc" } });
  return rows.map((r) => r.skill);
}

export async function addSkills(db: DbOrTx, memberId: number, skills: readonly string[]): Promise<string[]> {
  await retryingTransaction(db, async (tx) => {
    for (const skill of skills) {
      await tx.rrSkill.upsert({
        where: { memberId_skill: { memberId, skill } },
        create: { memberId, skill },
        update: {},
      });
    }
  });
  return memberSkills(db, memberId);
}

/** Removes skills; ones the member does not have are a user error (nothing changed). */
export async function removeSkills(db: DbOrTx, memberId: number, skills: readonly string[]): Promise<string[]> {
  const own = await memberSkills(db, memberId);
  const missing = skills.filter((s) => !own.includes(s));
  if (missing.length > 0) {
    throw new UserError("rr.errors.notYourSkill", {
      skills: missing.join(", "),
      own: own.length > 0 ? own.join(", ") : "–",
    });
  }
  await db.rrSkill.deleteMany({ where: { memberId, skill: { in: [...skills] } } });
  return memberSkills(db, memberId);
}

/** Skills the members of a team offer, for "unknown skill" hints and the roster. */
export async function knownSkills(db: DbOrTx, teamId: number): Promise<string[]> {
  const rows = await db.rrSkill.findMany({
    where: { member: { teams: { some: { teamId, leftAt: null } } } },
    distinct: ["skill"],
    orderBy: { skill: "asc" },
  });
  return rows.map((r) => r.skill);
}

/** Rejects skills nobody in the team offers, naming the known ones. */
export async function checkSkills(db: DbOrTx, teamId: number, skills: readonly string[]): Promise<void> {
  if (skills.length === 0) return;
  const known = await knownSkills(db, teamId);
  const unknown = skills.filter((s) => !known.includes(s));
  if (unknown.length === 0) return;
  if (known.length === 0) throw new UserError("rr.errors.noSkillsKnown", { skills: unknown.join(", ") });
  throw new UserError("rr.errors.unknownSkill", { skills: unknown.join(", "), known: known.join(", ") });
}

/**
 * The members to alert: seen in the team, available now, not the requester and, when
 * skills are asked for, offering at least one of them. Nobody else.
 */
export async function findResponders(
  db: DbOrTx,
  teamId: number,
  skills: readonly string[],
  exceptMemberId: number,
  now: Date,
): Promise<Member[]> {
  return db.member.findMany({
    where: {
      id: { not: exceptMemberId },
      teams: { some: { teamId, leftAt: null } },
      rrProfile: { available: true, OR: [{ availableUntil: null }, { availableUntil: { gt: now } }] },
      ...(skills.length > 0 ? { rrSkills: { some: { skill: { in: [...skills] } } } } : {}),
    },
    orderBy: { id: "asc" },
  });
}

export interface RosterEntry {
  member: Member;
  available: boolean;
  until: Date | null;
  skills: string[];
}

/** Everyone seen in the team with availability and skills; available ones first. */
export async function roster(db: DbOrTx, teamId: number, now: Date): Promise<RosterEntry[]> {
  const rows = await db.teamMember.findMany({
    where: { teamId, leftAt: null },
    include: { member: { include: { rrProfile: true, rrSkills: { orderBy: { skill: "asc" } } } } },
  });
  const entries = rows.map((r) => {
    const available = isAvailable(r.member.rrProfile, now);
    return {
      member: r.member,
      available,
      until: available ? (r.member.rrProfile?.availableUntil ?? null) : null,
      skills: r.member.rrSkills.map((s) => s.skill),
    };
  });
  return entries.sort(
    (a, b) =>
      Number(b.available) - Number(a.available) || a.member.displayName.localeCompare(b.member.displayName),
  );
}
