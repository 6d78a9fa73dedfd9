import { z } from "zod";
import type { MemberLocale } from "../../core/command.ts";
import { type Action, action, mention, type OutgoingMessage, paragraph, time } from "../../core/message.ts";
import { asLanguage, type Language } from "../../core/time.ts";
import type { DbOrTx } from "../../db/client.ts";
import type { Reminder } from "../../generated/prisma/client.ts";
import { defineJob, defineSentHandler, type DueJob, type JobContext } from "../../scheduler/port.ts";

export const reminderKind = "reminder";
/** What the outbox records for a one-off reminder's message once it was sent. */
const reminderSentKind = "reminder.delivered";

/** Job keys: the planned delivery and a snoozed one, cancelled together with `reminder:<id>:*`. */
export const reminderKeys = {
  main: (id: number) => `reminder:${id}:main`,
  snooze: (id: number) => `reminder:${id}:snooze`,
  all: (id: number) => `reminder:${id}:*`,
};

const payloadSchema = z.object({ reminderId: z.number().int().positive(), snooze: z.boolean().optional() });

/** The buttons of a delivered reminder; a private one names its team (pressed in a direct conversation). */
export function reminderActions(tr: MemberLocale["tr"], number: number, teamRef?: string): Action[] {
  const team = teamRef ? ` --team ${teamRef}` : "";
  return [
    action(tr.t("remind.done"), `remind done ${number}${team}`, "success"),
    action(tr.t("remind.snooze10"), `remind snooze ${number} 10m${team}`),
    action(tr.t("remind.snooze1h"), `remind snooze ${number} 1h${team}`),
  ];
}

type Team = { ref: string; language: string; timeZone: string };
type Member = { ref: string; displayName: string; language: string | null; timeZone: string | null };

/** What reminders' messages need, read for many reminders at once: their teams and the members named. */
async function readContext(db: DbOrTx, reminders: readonly Reminder[]) {
  const teamRefs = [...new Set(reminders.map((r) => r.teamRef))];
  const memberRefs = [...new Set(reminders.flatMap((r) => [r.creatorRef, ...(r.targetRef ? [r.targetRef] : [])]))];
  const [teams, members] = await Promise.all([
    db.team.findMany({ where: { ref: { in: teamRefs } }, select: { ref: true, language: true, timeZone: true } }),
    db.member.findMany({
      where: { ref: { in: memberRefs } },
      select: { ref: true, displayName: true, language: true, timeZone: true },
    }),
  ]);
  return {
    teams: new Map<string, Team>(teams.map((t) => [t.ref, t])),
    members: new Map<string, Member>(members.map((m) => [m.ref, m])),
  };
}

/** The message a reminder delivers, in the reader's language and zone. */
function reminderMessage(
  reminder: Reminder,
  info: { late: boolean; dueAt: Date },
  read: { teams: Map<string, Team>; members: Map<string, Member> },
  ctx: Pick<JobContext, "localeOf" | "translator">,
): OutgoingMessage {
  const team = read.teams.get(reminder.teamRef);
  const target = reminder.targetKind === "team" ? null : reminder.targetRef;
  const locale: MemberLocale =
    target === null ? teamLocale(ctx, team, reminder.timeZone) : ctx.localeOf(read.members.get(target), team);
  const { tr } = locale;
  // Only a reminder for another member says who set it (a team room needs no daily ping of its author).
  const own = reminder.targetKind !== "member" || reminder.creatorRef === reminder.targetRef;
  const creatorName = read.members.get(reminder.creatorRef)?.displayName || reminder.creatorRef.replace(/^[a-z]+:@?/, "");
  const creator = mention(reminder.creatorRef, creatorName);
  const blocks = [
    paragraph(
      ...(own
        ? tr.tm("remind.delivered", { id: reminder.number, text: reminder.text })
        : tr.tm("remind.deliveredFrom", { id: reminder.number, text: reminder.text, creator })),
    ),
  ];
  if (info.late) blocks.push(paragraph(...tr.tm("remind.late", { when: time(info.dueAt) })));
  return {
    // A private reminder reaches its member only while they belong to the team it was set in.
    audience:
      target === null
        ? { kind: "room", room: reminder.teamRef }
        : { kind: "member", member: target, team: reminder.teamRef },
    lang: locale.lang,
    timeZone: locale.timeZone,
    tone: "info",
    blocks,
    actions: reminderActions(tr, reminder.number, target === null ? undefined : reminder.teamRef),
    attachments: [],
    // A one-off reminder counts as delivered once its message was sent (not when it was queued).
    outbox: {
      team: reminder.teamRef,
      ...(reminder.rule ? {} : { onSent: { kind: reminderSentKind, data: { reminderId: reminder.id } } }),
    },
  };
}

function teamLocale(
  ctx: Pick<JobContext, "translator">,
  team: { language: string; timeZone: string } | undefined,
  fallbackZone: string,
): MemberLocale {
  const lang: Language = asLanguage(team?.language);
  return { lang, timeZone: team?.timeZone ?? fallbackZone, tr: ctx.translator(lang) };
}

/** Each due reminder's message (none for one cancelled, or done unless it recurs), reading all of them in three queries. */
async function dueMessages(
  jobs: readonly DueJob<z.infer<typeof payloadSchema>>[],
  ctx: JobContext,
): Promise<OutgoingMessage[][]> {
  const rows = await ctx.db.reminder.findMany({ where: { id: { in: jobs.map((j) => j.payload.reminderId) } } });
  const live = new Map(
    rows.filter((r) => r.status !== "cancelled" && (r.status !== "done" || r.rule)).map((r) => [r.id, r]),
  );
  const read = await readContext(ctx.db, [...live.values()]);
  return jobs.map(({ payload, info }) => {
    const reminder = live.get(payload.reminderId);
    return reminder ? [reminderMessage(reminder, info, read, ctx)] : [];
  });
}

export const reminderJob = defineJob({
  kind: reminderKind,
  schema: payloadSchema,
  async run(payload, info, ctx) {
    return (await dueMessages([{ payload, info }], ctx))[0] ?? [];
  },
  runMany: dueMessages,
});

/** A one-off reminder's message was sent: now it is delivered (unless it was cancelled or done meanwhile). */
export const reminderSent = defineSentHandler({
  kind: reminderSentKind,
  schema: z.object({ reminderId: z.number().int().positive() }),
  async run(sent, { sentAt, tx }) {
    await tx.reminder.updateMany({
      where: { id: { in: sent.map((s) => s.reminderId) }, status: "pending" },
      data: { status: "delivered", deliveredAt: sentAt },
    });
  },
});
