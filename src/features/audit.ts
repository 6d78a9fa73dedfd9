import type { DbOrTx } from "../db/client.ts";
import { asJson } from "../db/json.ts";
import type { Scope } from "./actor.ts";

/** What coordinators do that the team should be able to trace afterwards. */
export type AuditAction =
  | "settings.team"
  | "settings.retention"
  | "rr.settings"
  | "privacy.export"
  | "privacy.forget"
  | "rr.cancel"
  | "meeting.cancel"
  | "poll.close"
  | "remind.cancel";

/** Records a coordinator's action in the team's audit log (kept under the team's retention). */
export async function audit(
  db: DbOrTx,
  scope: Scope,
  action: AuditAction,
  details: Record<string, string | number | boolean | null> = {},
  subjectId?: number,
): Promise<void> {
  await db.auditEntry.create({
    data: {
      teamId: scope.team.id,
      at: scope.now,
      actorId: scope.actor.member.id,
      action,
      subjectId: subjectId ?? null,
      details: asJson(details),
    },
  });
}

/**
 * Records that a coordinator changed or removed someone else's item (their own is no
 * coordinator action): `owner` is the item's creator.
 */
export async function auditOthers(
  db: DbOrTx,
  scope: Scope,
  teamId: number,
  action: AuditAction,
  owner: number,
  details: Record<string, string | number | boolean | null>,
): Promise<void> {
  if (owner === scope.actor.member.id) return;
  await audit(db, { ...scope, team: { ...scope.team, id: teamId } }, action, details);
}

/** The team's audit log, newest first. */
export function auditLog(db: DbOrTx, teamId: number, take = 30) {
  return db.auditEntry.findMany({
    where: { teamId },
    orderBy: { at: "desc" },
    take,
    include: { actor: { select: { displayName: true, ref: true } }, subject: { select: { displayName: true, ref: true } } },
  });
}
