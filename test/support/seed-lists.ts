import type { Db } from "../../src/db/client.ts";
import { asJson } from "../../src/db/json.ts";

/**
 * Fills a team's lists quickly (many rows per statement) for paging tests and the list
 * benchmark: open tasks, active rapid-response requests, pending reminders with their jobs,
 * upcoming meetings and open polls, `count` of each, all made by one member.
 */
export async function seedLists(
  db: Db,
  where: { teamRef: string; memberRef: string; now: Date; count: number; extraJobs?: number },
): Promise<void> {
  const team = await db.team.findUniqueOrThrow({ where: { ref: where.teamRef } });
  const member = await db.member.findUniqueOrThrow({ where: { ref: where.memberRef } });
  const { count, now } = where;
  const at = (i: number) => new Date(now.getTime() + (i + 1) * 3_600_000);
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);
  const chunks = <T>(rows: T[]) => range(Math.ceil(rows.length / 500)).map((c) => rows.slice(c * 500, c * 500 + 500));
  for (const rows of chunks(range(count))) {
    await db.task.createMany({
      data: rows.map((i) => ({ teamId: team.id, number: i + 1, title: `Task ${i + 1}`, creatorId: member.id, dueAt: at(i) })),
    });
    await db.rrRequest.createMany({
      data: rows.map((i) => ({
        teamId: team.id,
        number: i + 1,
        requesterId: member.id,
        text: `Request ${i + 1}`,
        skills: asJson([]),
        createdAt: now,
      })),
    });
    await db.reminder.createMany({
      data: rows.map((i) => ({
        teamRef: team.ref,
        number: i + 1,
        creatorRef: member.ref,
        targetKind: "me",
        targetRef: member.ref,
        text: `Reminder ${i + 1}`,
        dueAt: at(i),
        timeZone: "Europe/Berlin",
      })),
    });
    await db.meeting.createMany({
      data: rows.map((i) => ({ teamRef: team.ref, number: i + 1, title: `Meeting ${i + 1}`, startsAt: at(i), createdBy: member.ref, uid: `seed-${team.id}-${i}@teambot.test` })),
    });
    await db.poll.createMany({ data: rows.map((i) => ({ teamId: team.id, number: i + 1, question: `Poll ${i + 1}`, createdById: member.id })),
    });
  }
  // The counters go on after the seeded numbers, so items made by commands later get new ones.
  for (const kind of ["poll", "meeting", "reminder", "rr"]) {
    await db.teamCounter.upsert({
      where: { teamId_kind: { teamId: team.id, kind } },
      create: { teamId: team.id, kind, last: count },
      update: { last: count },
    });
  }
  await db.taskTeam.upsert({ where: { teamId: team.id }, create: { teamId: team.id, nextNumber: count + 1 }, update: { nextNumber: count + 1 } });
  const polls = await db.poll.findMany({ where: { teamId: team.id }, select: { id: true } });
  for (const rows of chunks(polls)) {
    await db.pollOption.createMany({
      data: rows.flatMap((p) => [1, 2].map((position) => ({ pollId: p.id, position, label: `Option ${position}` }))),
    });
  }
  const reminders = await db.reminder.findMany({ where: { creatorRef: member.ref }, select: { id: true, dueAt: true } });
  const jobs = [
    ...reminders.map((r) => ({ key: `reminder:${r.id}:main`, id: r.id, dueAt: r.dueAt })),
    // Other teams' reminders, far away: the job table of a busy bot.
    ...range(where.extraJobs ?? 0).map((i) => ({ key: `reminder:${1_000_000 + i}:main`, id: 1_000_000 + i, dueAt: at(count + i) })),
  ];
  for (const rows of chunks(jobs)) {
    await db.job.createMany({
      data: rows.map((j) => ({
        kind: "reminder",
        payload: asJson({ reminderId: j.id }),
        dueAt: j.dueAt,
        runAt: j.dueAt,
        pendingKey: j.key,
      })),
    });
  }
}
