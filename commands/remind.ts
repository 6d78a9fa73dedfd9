import { DateTime } from "luxon";
import { arg } from "../src/core/args.ts";
import { type CommandContext, type CommandFamily, defineCommand } from "../src/core/command.ts";
import { UserError } from "../src/core/errors.ts";
import { heading, list, mention, paragraph, type Span, time } from "../src/core/message.ts";
import { splitWhen } from "../src/core/when.ts";
import { reminderLocales } from "../src/features/reminders/locales.ts";
import {
  atReminderTime,
  reminderJob,
  reminderKeys,
  reminderKind,
} from "../src/features/reminders/service.ts";
import type { Reminder } from "../src/generated/prisma/client.ts";
import { anchorRule, nextOccurrence, parseFriendlyRule } from "../src/scheduler/recurrence.ts";

const words = arg
  .string({ en: "When, then the text", de: "Wann, dann der Text" }, { max: 1000 })
  .many(1, 200)
  .positional()
  .names({ de: "wann-text" });
const idArg = arg
  .integer({ en: "The reminder's number", de: "Nummer der Erinnerung" }, { min: 1 })
  .positional();

const maxText = 1000;

/** Splits "<when> <text…>", creates the reminder and its job in one transaction. */
async function createReminder(
  ctx: CommandContext,
  target: { kind: "me" | "team" | "member"; ref: string },
  input: string[],
) {
  const split = splitWhen(input, { lang: ctx.lang, timeZone: ctx.timeZone, now: ctx.now });
  if (typeof split === "string") {
    throw new UserError(`remind.errors.when.${split}`, { value: input.slice(0, 6).join(" ") });
  }
  const text = input.slice(split.consumed).join(" ").trim();
  if (text === "") throw new UserError("remind.errors.noText");
  if (text.length > maxText) throw new UserError("core.errors.tooLong", { max: maxText });
  const dueAt = atReminderTime(split.when.at, split.when.allDay, ctx.timeZone);
  if (dueAt.getTime() <= ctx.now.getTime()) {
    throw new UserError("remind.errors.when.past", { value: input.slice(0, split.consumed).join(" ") });
  }
  const reminder = await ctx.db.$transaction(async (tx) => {
    const row = await tx.reminder.create({
      data: {
        teamRef: ctx.team.ref,
        creatorRef: ctx.member.ref,
        targetKind: target.kind,
        targetRef: target.ref,
        text,
        dueAt,
        timeZone: ctx.timeZone,
      },
    });
    await ctx.services.scheduler.schedule(
      {
        kind: reminderKind,
        dueAt,
        payload: { reminderId: row.id },
        key: reminderKeys.main(row.id),
        owner: ctx.member.ref,
      },
      tx,
    );
    return row;
  });
  const who: Span =
    target.kind === "me"
      ? { kind: "text", text: ctx.tr.t("remind.forYou") }
      : target.kind === "team"
        ? { kind: "text", text: ctx.tr.t("remind.forTeam") }
        : mention(target.ref, target.ref.replace(/^[a-z]+:@?/, ""));
  // A private reminder stays private: its text is for the invoker only, and nobody is pinged now.
  const answer = target.kind === "team" ? ctx.reply : ctx.ephemeral;
  return answer(
    [
      paragraph(
        ...ctx.tr.tm("remind.set", {
          id: reminder.id,
          target: who,
          when: time(dueAt),
          relative: time(dueAt, "relative"),
        }),
      ),
      paragraph(...ctx.tr.tm("remind.text", { text })),
    ],
    { tone: "success" },
  );
}

const me = defineCommand({
  path: ["remind", "me"],
  noRoomPosts: true,
  aliases: [["erinnere", "mich"]],
  category: "reminders",
  description: { en: "Remind yourself at a time", de: "Dich selbst zu einer Zeit erinnern" },
  args: { words },
  examples: [
    "remind me tomorrow 9:00 call the office",
    "remind me morgen 9 Uhr Amt anrufen",
    "remind me in 2h break",
  ],
  handler: (ctx, args) => createReminder(ctx, { kind: "me", ref: ctx.member.ref }, args.words),
});

const team = defineCommand({
  path: ["remind", "team"],
  aliases: [["erinnere", "team"]],
  category: "reminders",
  description: { en: "Remind the team in this room", de: "Das Team in diesem Raum erinnern" },
  args: { words },
  examples: ["remind team next friday 14:00 send the report", "remind team 05.03. 10:00 Akten"],
  handler: (ctx, args) => createReminder(ctx, { kind: "team", ref: ctx.team.ref }, args.words),
});

const member = defineCommand({
  path: ["remind", "member"],
  noRoomPosts: true,
  aliases: [["erinnere", "mitglied"]],
  isDefault: true,
  category: "reminders",
  description: { en: "Remind another member privately", de: "Ein anderes Mitglied privat erinnern" },
  args: {
    member: arg
      .member({ en: "Who (a mention)", de: "Wen (eine Erwähnung)" })
      .positional()
      .names({ de: "wen" }),
    words,
  },
  examples: ["remind @ann in 2h bring the keys", "remind @ann morgen 9 Uhr Schlüssel"],
  handler: (ctx, args) =>
    createReminder(
      ctx,
      args.member === ctx.member.ref
        ? { kind: "me", ref: ctx.member.ref }
        : { kind: "member", ref: args.member },
      args.words,
    ),
});

const every = defineCommand({
  path: ["remind", "every"],
  aliases: [["erinnere", "regelmaessig"]],
  category: "reminders",
  description: {
    en: "A recurring reminder in this room (rule or cron expression)",
    de: "Eine wiederkehrende Erinnerung in diesem Raum (Regel oder Cron-Ausdruck)",
  },
  args: { words },
  examples: [
    "remind every weekday 9:00 standup",
    "remind every jeden Montag 10 Uhr Teamrunde",
    "remind every 2 weeks on friday report",
    "remind every 0 9 * * 1-5 standup",
  ],
  async handler(ctx, args) {
    // "remind every weekday …": the rule parser reads "every" itself.
    const input = ["every", ...args.words];
    const alt = args.words;
    const parsed = parseFriendlyRule(input) ?? parseFriendlyRule(alt);
    const used = parseFriendlyRule(input) ? input : alt;
    if (!parsed) throw new UserError("remind.errors.rule", { value: args.words.slice(0, 6).join(" ") });
    const text = used.slice(parsed.consumed).join(" ").trim();
    if (text === "") throw new UserError("remind.errors.noText");
    if (text.length > maxText) throw new UserError("core.errors.tooLong", { max: maxText });
    const recurrence = anchorRule(parsed.recurrence, ctx.timeZone, ctx.now);
    const first = nextOccurrence(recurrence, ctx.timeZone, ctx.now);
    if (!first) throw new UserError("remind.errors.rule", { value: args.words.slice(0, 6).join(" ") });
    const rule = parsed.recurrence.rule.replace(/^every\s+(?=(jede[nrs]?|alle)\b)/i, "");
    const reminder = await ctx.db.$transaction(async (tx) => {
      const row = await tx.reminder.create({
        data: {
          teamRef: ctx.team.ref,
          creatorRef: ctx.member.ref,
          targetKind: "team",
          targetRef: ctx.team.ref,
          text,
          dueAt: first,
          rule,
          timeZone: ctx.timeZone,
        },
      });
      await ctx.services.scheduler.schedule(
        {
          kind: reminderKind,
          dueAt: first,
          payload: { reminderId: row.id },
          key: reminderKeys.main(row.id),
          recurrence: { rule: parsed.recurrence.rule, timeZone: ctx.timeZone },
          owner: ctx.member.ref,
        },
        tx,
      );
      return row;
    });
    return ctx.reply(
      [
        paragraph(...ctx.tr.tm("remind.setRecurring", { id: reminder.id, rule, when: time(first) })),
        paragraph(...ctx.tr.tm("remind.text", { text })),
      ],
      { tone: "success" },
    );
  },
});

/** A reminder of this team the member may act on; throws the fitting user error otherwise. */
async function findReminder(ctx: CommandContext, id: number, may: "owner" | "recipient"): Promise<Reminder> {
  const reminder = await ctx.db.reminder.findUnique({ where: { id } });
  const visible =
    reminder &&
    (reminder.teamRef === ctx.team.ref ||
      reminder.creatorRef === ctx.member.ref ||
      reminder.targetRef === ctx.member.ref);
  if (!reminder || !visible || reminder.status === "cancelled")
    throw new UserError("remind.errors.notFound", { id });
  const coordinator = ctx.isCoordinator && reminder.teamRef === ctx.team.ref;
  const own = reminder.creatorRef === ctx.member.ref;
  const recipient =
    reminder.targetRef === ctx.member.ref ||
    (reminder.targetKind === "team" && reminder.teamRef === ctx.team.ref);
  const allowed = may === "owner" ? own || coordinator : own || coordinator || recipient;
  if (!allowed) throw new UserError("remind.errors.notYours", { id });
  return reminder;
}

async function nextDue(ctx: CommandContext, reminder: Reminder): Promise<Date | undefined> {
  const job = await ctx.db.job.findFirst({
    where: { pendingKey: { startsWith: `reminder:${reminder.id}:` }, status: { in: ["pending", "running"] } },
    orderBy: { dueAt: "asc" },
  });
  return job?.dueAt;
}

const listCommand = defineCommand({
  path: ["remind", "list"],
  noRoomPosts: true,
  aliases: [["erinnere", "liste"]],
  category: "reminders",
  description: {
    en: "Your reminders (coordinators: the team's)",
    de: "Deine Erinnerungen (Koordination: die des Teams)",
  },
  args: {},
  async handler(ctx) {
    const mine = { OR: [{ creatorRef: ctx.member.ref }, { targetRef: ctx.member.ref }] };
    const rows = await ctx.db.reminder.findMany({
      where: {
        status: { in: ["pending", "delivered"] },
        ...(ctx.isCoordinator && !ctx.invocation.isDirect ? { teamRef: ctx.team.ref } : mine),
      },
      orderBy: { dueAt: "asc" },
      take: 50,
    });
    if (rows.length === 0) return ctx.ephemeral([paragraph(...ctx.tr.tm("remind.listEmpty"))]);
    const items: Span[][] = [];
    for (const r of rows) {
      const target: Span =
        r.targetKind === "team"
          ? { kind: "text", text: ctx.tr.t("remind.forTeam") }
          : r.targetRef === ctx.member.ref
            ? { kind: "text", text: ctx.tr.t("remind.forYou") }
            : mention(r.targetRef, r.targetRef.replace(/^[a-z]+:@?/, ""));
      const due = (await nextDue(ctx, r)) ?? r.dueAt;
      const key = r.rule
        ? "remind.listItemRecurring"
        : r.status === "delivered"
          ? "remind.listItemDelivered"
          : "remind.listItem";
      items.push(
        ctx.tr.tm(key, {
          id: r.id,
          when: time(r.status === "delivered" && !r.rule ? (r.deliveredAt ?? due) : due),
          target,
          text: r.text,
          rule: r.rule ?? "",
        }),
      );
    }
    const title = ctx.isCoordinator && !ctx.invocation.isDirect ? "remind.listTeamTitle" : "remind.listTitle";
    return ctx.ephemeral([heading(ctx.tr.t(title)), list(items)]);
  },
});

const cancel = defineCommand({
  path: ["remind", "cancel"],
  aliases: [["erinnere", "loeschen"]],
  category: "reminders",
  description: { en: "Cancel a reminder", de: "Eine Erinnerung löschen" },
  args: { id: idArg },
  examples: ["remind cancel 3"],
  async handler(ctx, { id }) {
    const reminder = await findReminder(ctx, id, "owner");
    if (reminder.status === "done") throw new UserError("remind.errors.finished", { id });
    await ctx.db.$transaction(async (tx) => {
      await tx.reminder.update({ where: { id }, data: { status: "cancelled" } });
      await ctx.services.scheduler.cancel(reminderKeys.all(id), tx);
    });
    return ctx.reply([paragraph(...ctx.tr.tm("remind.cancelled", { id }))], { tone: "success" });
  },
});

const snooze = defineCommand({
  path: ["remind", "snooze"],
  aliases: [["erinnere", "spaeter"]],
  category: "reminders",
  description: {
    en: "Have a delivered reminder come again later",
    de: "Eine zugestellte Erinnerung später noch einmal",
  },
  args: {
    id: idArg,
    duration: arg
      .duration(
        { en: "How much later, e.g. 10m, 1h, 1d", de: "Wie viel später, z. B. 10m, 1h, 1d" },
        { maxDays: 60 },
      )
      .positional()
      .names({ de: "dauer" }),
  },
  examples: ["remind snooze 3 10m", "remind snooze 3 1h"],
  async handler(ctx, { id, duration }) {
    const reminder = await findReminder(ctx, id, "recipient");
    if (reminder.status === "done" && !reminder.rule) throw new UserError("remind.errors.finished", { id });
    if (reminder.status === "pending" && !reminder.rule)
      throw new UserError("remind.errors.notDelivered", { id });
    const dueAt = DateTime.fromJSDate(ctx.now).plus(duration).toJSDate();
    await ctx.db.$transaction(async (tx) => {
      if (!reminder.rule) await tx.reminder.update({ where: { id }, data: { status: "pending", dueAt } });
      await ctx.services.scheduler.schedule(
        {
          kind: reminderKind,
          dueAt,
          payload: { reminderId: id, snooze: true },
          key: reminderKeys.snooze(id),
          owner: reminder.creatorRef,
        },
        tx,
      );
    });
    return ctx.reply(
      [
        paragraph(
          ...ctx.tr.tm("remind.snoozed", { id, when: time(dueAt), relative: time(dueAt, "relative") }),
        ),
      ],
      { tone: "success" },
    );
  },
});

const done = defineCommand({
  path: ["remind", "done"],
  aliases: [["erinnere", "erledigt"]],
  category: "reminders",
  description: {
    en: "Mark a delivered reminder as done",
    de: "Eine zugestellte Erinnerung als erledigt markieren",
  },
  args: { id: idArg },
  examples: ["remind done 3"],
  async handler(ctx, { id }) {
    const reminder = await findReminder(ctx, id, "recipient");
    if (reminder.status === "done") throw new UserError("remind.errors.finished", { id });
    await ctx.db.$transaction(async (tx) => {
      if (!reminder.rule) await tx.reminder.update({ where: { id }, data: { status: "done" } });
      await ctx.services.scheduler.cancel(reminderKeys.snooze(id), tx);
    });
    if (reminder.rule) {
      const next = await nextDue(ctx, reminder);
      if (next) {
        return ctx.reply([paragraph(...ctx.tr.tm("remind.markedDoneRecurring", { id, when: time(next) }))], {
          tone: "success",
        });
      }
    }
    return ctx.reply([paragraph(...ctx.tr.tm("remind.markedDone", { id }))], { tone: "success" });
  },
});

export const remindFamily: CommandFamily = {
  name: "remind",
  description: { en: "Reminders", de: "Erinnerungen" },
  commands: [me, team, member, every, listCommand, cancel, snooze, done],
  locales: reminderLocales,
  jobs: [reminderJob],
};
