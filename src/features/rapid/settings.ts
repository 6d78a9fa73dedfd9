import type { DbOrTx } from "../../db/client.ts";

export interface RrSettings {
  urgentMinutes: number;
  normalMinutes: number;
  /** Repeats of the team alert after the first escalation, before "unanswered". */
  repeats: number;
}

export const defaultSettings: RrSettings = { urgentMinutes: 10, normalMinutes: 120, repeats: 2 };

export async function getSettings(db: DbOrTx, teamId: number): Promise<RrSettings> {
  const row = await db.rrTeamSettings.findUnique({ where: { teamId } });
  return row
    ? { urgentMinutes: row.urgentMinutes, normalMinutes: row.normalMinutes, repeats: row.repeats }
    : { ...defaultSettings };
}

export async function setSettings(db: DbOrTx, teamId: number, change: Partial<RrSettings>): Promise<RrSettings> {
  const row = await db.rrTeamSettings.upsert({
    where: { teamId },
    create: { teamId, ...defaultSettings, ...change },
    update: change,
  });
  return { urgentMinutes: row.urgentMinutes, normalMinutes: row.normalMinutes, repeats: row.repeats };
}

/** Minutes until an uncovered request escalates, and between repeats. */
export const escalationMinutes = (s: RrSettings, urgent: boolean): number =>
  urgent ? s.urgentMinutes : s.normalMinutes;
