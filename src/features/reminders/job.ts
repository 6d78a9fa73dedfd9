import { z } from "zod";
import type { MemberLocale } from "../../core/command.ts";
import { type Action, action, mention, type OutgoingMessage, paragraph, time } from "../../core/message.ts";
import { asLanguage, type Language } from "../../core/time.ts";
import type { DbOrTx } from "../../db/client.ts";
import type { Reminder } from "../../generated/prisma/client.ts";
import { defineJob, defineSentHandler, type JobContext } from "../../scheduler/port.ts";

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

async function displayName(db: DbOrTx, ref: string): Promise<string> {
  const member = await db.member.findUnique({ where: { ref } });
  return member?.displayName || ref.replace(/^[a-z]+:@?/, "");
}

/** The message a reminder delivers, in the reader's language and zone. */
export async function reminderMessage(
  reminder: Reminder,
  info: { late: boolean; dueAt: Date },
  ctx: Pick<JobContext, "db" | "localeFor" | "translator">,
): Promise<OutgoingMessage> {
  const team = await ctx.db.team.findUnique({ where: { ref: reminder.teamRef } });
  const target = reminder.targetKind === "team" ? null : reminder.targetRef;
  const locale: MemberLocale =
    target === null ? teamLocale(ctx, team, reminder.timeZone) : await ctx.localeFor(target, team ?? undefined);
  const { tr } = locale;
  // Only a reminder for another member says who set it (a team room needs no daily ping of its author).
  const own = reminder.targetKind !== "member" || reminder.creatorRef === reminder.targetRef;
  const creator = mention(reminder.creatorRef, await displayName(ctx.db, reminder.creatorRef));
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
  team: { language: string; timeZone: string } | null,
  fallbackZone: string,
): MemberLocale {
  const lang: Language = asLanguage(team?.language);
  return { lang, timeZone: team?.timeZone ?? fallbackZone, tr: ctx.translator(lang) };
}

export const reminderJob = defineJob({
  kind: reminderKind,
  schema: payloadSchema,
  async run(payload, info, ctx) {
    const reminder = await ctx.db.reminder.findUnique({ where: { id: payload.reminderId } });
    if (!reminder || reminder.status === "cancelled") return [];
    if (reminder.status === "done" && !reminder.rule) return [];
    return [await reminderMessage(reminder, info, ctx)];
  },
});

/** A one-off reminder's message was sent: now it is delivered (unless it was cancelled or done meanwhile). */
export const reminderSent = defineSentHandler({
  kind: reminderSentKind,
  schema: z.object({ reminderId: z.number().int().positive() }),
  async run({ reminderId }, { sentAt, tx }) {
    await tx.reminder.updateMany({
      where: { id: reminderId, status: "pending" },
      data: { status: "delivered", deliveredAt: sentAt },
    });
  },
});
