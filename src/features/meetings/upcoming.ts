import type { DbOrTx } from "../../db/client.ts";
import type { Meeting } from "../../generated/prisma/client.ts";
import type { Scope } from "../actor.ts";
import type { Page } from "../paging.ts";
import { pageWindow } from "../paging.ts";
import { meetingEnd } from "./calendar.ts";
import { nextStart, seriesOf } from "./series.ts";

const day = 86_400_000;
/** Series and meetings under way a team lists at most (they are few; each costs one count). */
const maxSpecial = 100;

/**
 * One page of the team's meetings that have not ended yet, soonest first (a series by its
 * next occurrence). Meetings still to begin are the many: the database counts them and reads
 * only the page's. Series and meetings under way (begun in the last 8 days, whole days
 * included) are few: they are read, and each one's place among the others is counted.
 */
export async function upcomingMeetings(db: DbOrTx, scope: Scope, requested: number | undefined): Promise<Page<Meeting>> {
  const now = scope.now;
  const team = { teamRef: scope.team.ref, status: "scheduled" as const };
  const special = (
    await db.meeting.findMany({
      where: { ...team, OR: [{ rule: { not: null } }, { rule: null, startsAt: { gte: new Date(now.getTime() - 8 * day), lt: now } }] },
      orderBy: { id: "asc" },
      take: maxSpecial,
    })
  )
    .filter((m) => seriesOf(m) !== undefined || meetingEnd(m, scope.team.timeZone).getTime() >= now.getTime())
    .map((m) => ({ meeting: m, at: nextStart(m, now) }))
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.meeting.id - b.meeting.id);
  const future = { ...team, rule: null, startsAt: { gte: now } };
  const futureCount = await db.meeting.count({ where: future });
  const { page, pages, skip, take } = pageWindow(futureCount + special.length, requested);
  // A special meeting's place: the specials before it plus the meetings to come that start earlier.
  const placed = await Promise.all(
    special.map(async (s, i) => ({
      meeting: s.meeting,
      index: i + (await db.meeting.count({ where: { ...future, startsAt: { gte: now, lt: s.at } } })),
    })),
  );
  const first = Math.max(0, skip - special.length);
  const coming = await db.meeting.findMany({
    where: future,
    orderBy: [{ startsAt: "asc" }, { id: "asc" }],
    skip: first,
    take: take + special.length,
  });
  const comingPlaced = coming.map((m, k) => ({
    meeting: m,
    index: first + k + special.filter((s) => s.at.getTime() <= m.startsAt.getTime()).length,
  }));
  const items = [...placed, ...comingPlaced]
    .filter((p) => p.index >= skip && p.index < skip + take)
    .sort((a, b) => a.index - b.index)
    .map((p) => p.meeting);
  return { items, page, pages, total: futureCount + special.length };
}
