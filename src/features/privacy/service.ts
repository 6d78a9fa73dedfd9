import { UserError } from "../../core/errors.ts";
import type { DbOrTx } from "../../db/client.ts";
import { retryingTransaction } from "../../db/transaction.ts";
import type { Member } from "../../generated/prisma/client.ts";
import { allow, requireCoordinator, type Scope } from "../actor.ts";
import { audit, auditLog } from "../audit.ts";
import type { Membership } from "../membership.ts";
import { memberData } from "./export.ts";
import { forgetMember } from "./forget.ts";

/** Retention periods coordinators may choose, in days. */
export const retentionLimits = { min: 7, max: 3650 } as const;

export interface PrivacyService {
  /** All data about the caller, or (coordinators) about a member who left this team. */
  exportData(scope: Scope, subjectRef?: string): Promise<{ subject: Member; data: Record<string, unknown> }>;
  /** Erases the caller, or (coordinators) a member who left this team and belongs to no other. */
  forget(scope: Scope, subjectRef?: string): Promise<Member>;
  /** Coordinators: the team's audit log. */
  auditLog(scope: Scope): ReturnType<typeof auditLog>;
  /** Coordinators: after how many days finished items are deleted. */
  setRetention(scope: Scope, days: number): Promise<number>;
}

export function createPrivacyService(db: DbOrTx, membership: Membership): PrivacyService {
  /** The member a command is about: the caller, or a former member of this team (coordinators). */
  async function subject(scope: Scope, ref: string | undefined, forgetting: boolean): Promise<Member> {
    if (ref === undefined || ref === scope.actor.member.ref) return scope.actor.member;
    requireCoordinator(scope.actor);
    const link = await db.teamMember.findFirst({
      where: { teamId: scope.team.id, member: { ref } },
      include: { member: true },
    });
    if (!link) throw new UserError("privacy.errors.unknownMember");
    allow(link.leftAt !== null && !(await membership.isMember(scope.team.ref, ref)), "privacy.errors.stillMember", {
      name: link.member.displayName,
    });
    if (forgetting) {
      const elsewhere = await db.teamMember.count({ where: { memberId: link.memberId, leftAt: null } });
      allow(elsewhere === 0, "privacy.errors.otherTeam", { name: link.member.displayName });
    }
    return link.member;
  }

  return {
    async exportData(scope, subjectRef) {
      const who = await subject(scope, subjectRef, false);
      if (who.id !== scope.actor.member.id) await audit(db, scope, "privacy.export", {}, who.id);
      return { subject: who, data: await memberData(db, who.id) };
    },
    async forget(scope, subjectRef) {
      const who = await subject(scope, subjectRef, true);
      // Recorded before the erasure: it names the member by their id only, and is kept
      // under the team's retention like every audit entry.
      if (who.id !== scope.actor.member.id) await audit(db, scope, "privacy.forget", {}, who.id);
      await forgetMember(db, who.id, scope.now);
      return who;
    },
    auditLog(scope) {
      requireCoordinator(scope.actor);
      return auditLog(db, scope.team.id);
    },
    async setRetention(scope, days) {
      requireCoordinator(scope.actor);
      const { min, max } = retentionLimits;
      if (days < min || days > max) throw new UserError("privacy.errors.retention", { min, max });
      const before = scope.team.retentionDays;
      await retryingTransaction(db, async (tx) => {
        await tx.team.update({ where: { id: scope.team.id }, data: { retentionDays: days } });
        await audit(tx, scope, "settings.retention", { from: before, to: days });
      });
      return days;
    },
  };
}
