import type { DbOrTx } from "../../db/client.ts";

/**
 * Everything the bot keeps about one member (GDPR Art. 15), as plain data for a JSON file:
 * their profile and settings, memberships, availability and skills, votes, tasks, claims,
 * requests, reminders, meetings, timeline entries and audit entries about them.
 */
export async function memberData(db: DbOrTx, memberId: number): Promise<Record<string, unknown>> {
  const member = await db.member.findUniqueOrThrow({
    where: { id: memberId },
    include: {
      teams: { include: { team: { select: { ref: true, name: true } } } },
      rrProfile: true,
      rrSkills: { select: { skill: true } },
      discordDms: { select: { applicationId: true, channelId: true, closedAt: true } },
    },
  });
  const ref = member.ref;
  const teamOf = { team: { select: { ref: true, name: true } } } as const;
  const [votes, pollsCreated, tasksCreated, assignments, taskEvents, requests, claims, rrEvents, reminders, meetings] =
    await Promise.all([
      db.pollVote.findMany({
        where: { memberId },
        select: { answer: true, createdAt: true, option: { select: { label: true } }, poll: { select: { number: true, question: true, anonymous: true, ...teamOf } } },
      }),
      db.poll.findMany({ where: { createdById: memberId }, select: { number: true, question: true, createdAt: true, ...teamOf } }),
      db.task.findMany({ where: { creatorId: memberId }, select: { number: true, title: true, note: true, status: true, createdAt: true, ...teamOf } }),
      db.taskAssignee.findMany({ where: { memberId }, select: { assignedAt: true, task: { select: { number: true, title: true, status: true, ...teamOf } } } }),
      db.taskEvent.findMany({ where: { actorId: memberId }, select: { at: true, kind: true, task: { select: { number: true } } } }),
      db.rrRequest.findMany({ where: { requesterId: memberId }, select: { number: true, text: true, status: true, createdAt: true, lastUpdate: true, note: true, ...teamOf } }),
      db.rrClaim.findMany({ where: { memberId }, select: { claimedAt: true, request: { select: { number: true, text: true, ...teamOf } } } }),
      db.rrEvent.findMany({ where: { actorId: memberId }, select: { at: true, kind: true, data: true, request: { select: { number: true } } } }),
      db.reminder.findMany({
        where: { OR: [{ creatorRef: ref }, { targetRef: ref }] },
        select: { number: true, teamRef: true, targetKind: true, text: true, dueAt: true, rule: true, status: true, createdAt: true },
      }),
      db.meeting.findMany({ where: { createdBy: ref }, select: { number: true, teamRef: true, title: true, startsAt: true, location: true, status: true } }),
    ]);
  const audit = await db.auditEntry.findMany({
    where: { OR: [{ actorId: memberId }, { subjectId: memberId }] },
    select: { at: true, action: true, details: true, team: { select: { ref: true } } },
  });
  return {
    profile: {
      ref: member.ref,
      displayName: member.displayName,
      language: member.language,
      timeZone: member.timeZone,
      firstSeen: member.createdAt,
    },
    memberships: member.teams.map((t) => ({
      team: t.team,
      firstSeen: t.firstSeen,
      lastSeen: t.lastSeen,
      coordinator: t.coordinator,
      endedAt: t.leftAt,
      ended: t.leftHow,
    })),
    availability: member.rrProfile && { available: member.rrProfile.available, until: member.rrProfile.availableUntil },
    skills: member.rrSkills.map((s) => s.skill),
    directConversations: member.discordDms,
    votes,
    pollsCreated,
    tasksCreated,
    taskAssignments: assignments,
    taskActions: taskEvents,
    requests,
    claims,
    requestActions: rrEvents,
    reminders,
    meetingsCreated: meetings,
    auditEntries: audit,
  };
}
