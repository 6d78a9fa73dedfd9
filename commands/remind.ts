import { arg, type When } from "../src/core/args.ts";
import { heading, list, mention, paragraph, type Span, time } from "../src/core/message.ts";
import { reminderLocales } from "../src/features/reminders/locales.ts";
import type { ReminderTarget } from "../src/features/reminders/service.ts";
import { describeRule } from "../src/core/when/index.ts";
import { reminderDateWords, reminderMemberWords, reminderRuleWords } from "../src/features/reminders/words.ts";
import { type Ctx, defineCommand, type Family, scopeOf } from "./define.ts";

// Typed as text, the date and the text are one run of words ("tomorrow 9:00 call the office");
// Discord shows them as two options.
const whenArg = arg
  .when({ en: "When: a date and time, or “in 2h”", de: "Wann: Datum und Uhrzeit, oder „in 2h“" })
  .takes(reminderDateWords)
  .names({ de: "wann" });
// Optional here: without it the reminders feature says what is missing.
const textArg = arg
  .string({ en: "What to remind of", de: "Woran erinnert wird" }, { min: 0, max: 4000 })
  .optional()
  .rest()
  .names({ de: "text" });
const idArg = arg
  .integer({ en: "The reminder's number", de: "Nummer der Erinnerung" }, { min: 1 })
  .positional();

/** "for you", "for the team" or the member. */
function targetSpan(ctx: Ctx, target: { targetKind: string; targetRef: string }): Span {
  if (target.targetKind === "team") return { kind: "text", text: ctx.tr.t("remind.forTeam") };
  if (target.targetRef === ctx.member.ref) return { kind: "text", text: ctx.tr.t("remind.forYou") };
  return mention(target.targetRef, target.targetRef.replace(/^[a-z]+:@?/, ""));
}

async function create(ctx: Ctx, target: ReminderTarget, when: When, text = "") {
  const scope = scopeOf(ctx);
  const reminder = await ctx.services.reminders.create(scope, {
    target,
    when,
    text,
    timeZone: ctx.timeZone,
    direct: ctx.invocation.isDirect,
  });
  const { dueAt } = reminder;
  const blocks = [
      paragraph(
        ...ctx.tr.tm("remind.set", {
          id: reminder.id,
          target: targetSpan(ctx, reminder),
          when: time(dueAt),
          relative: time(dueAt, "relative"),
        }),
      ),
      paragraph(...ctx.tr.tm("remind.text", { text: reminder.text })),
  ];
  // A private reminder stays private: its text is for the invoker only, and nobody is pinged now.
  return reminder.targetKind === "team"
    ? ctx.reply(blocks, { tone: "success" })
    : ctx.ephemeral(blocks, { tone: "success" });
}

const me = defineCommand({
  path: ["remind", "me"],
  noRoomPosts: true,
  aliases: [["erinnere", "mich"]],
  category: "reminders",
  description: { en: "Remind yourself at a time", de: "Dich selbst zu einer Zeit erinnern" },
  args: { when: whenArg, text: textArg },
  examples: [
    "remind me tomorrow 9:00 call the office",
    "remind me morgen 9 Uhr Amt anrufen",
    "remind me in 2h break",
  ],
  handler: (ctx, args) => create(ctx, { kind: "me", ref: ctx.member.ref }, args.when, args.text),
});

const team = defineCommand({
  path: ["remind", "team"],
  aliases: [["erinnere", "team"]],
  category: "reminders",
  description: { en: "Remind the team in this room", de: "Das Team in diesem Raum erinnern" },
  args: { when: whenArg, text: textArg },
  examples: ["remind team friday 14:00 send the report", "remind team 05.03. 10:00 Akten"],
  handler: (ctx, args) => create(ctx, { kind: "team", ref: ctx.team.ref }, args.when, args.text),
});

const member = defineCommand({
  path: ["remind", "member"],
  noRoomPosts: true,
  aliases: [["erinnere", "mitglied"]],
  isDefault: true,
  category: "reminders",
  description: { en: "Remind another member privately", de: "Ein anderes Mitglied privat erinnern" },
  args: {
    // Without a member (or when the first word starts the date): the one who writes it.
    member: arg
      .member({ en: "Who (a mention); without: yourself", de: "Wen (eine Erwähnung); ohne: dich selbst" })
      .optional()
      .takes(reminderMemberWords)
      .names({ de: "wen" }),
    when: whenArg,
    text: textArg,
  },
  examples: ["remind @ann in 2h bring the keys", "remind @ann morgen 9 Uhr Schlüssel", "remind morgen 9 Uhr Akten holen"],
  handler: (ctx, args) =>
    create(
      ctx,
      !args.member || args.member === ctx.member.ref
        ? { kind: "me", ref: ctx.member.ref }
        : { kind: "member", ref: args.member },
      args.when,
      args.text,
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
  args: {
    rule: arg
      .rule({
        en: "How often, e.g. weekday 9:00, monday 10:00, every 15 minutes, 0 9 * * 1-5",
        de: "Wie oft, z. B. werktags 9 Uhr, jeden Montag um 8, alle 15 Minuten",
      })
      .takes(reminderRuleWords)
      .names({ de: "regel" }),
    text: textArg,
  },
  examples: [
    "remind every weekday 9:00 standup",
    "remind every jeden Montag um 8 Wochenplanung",
    "remind every first monday of the month 10:00 plenum",
    "remind every 15 minutes check the queue",
    "remind every 2 weeks on friday report",
    "remind every 0 9 * * 1-5 standup",
  ],
  async handler(ctx, args) {
    const input = { rule: args.rule, text: args.text ?? "", timeZone: ctx.timeZone };
    const reminder = await ctx.services.reminders.createRecurring(scopeOf(ctx), input);
    return ctx.reply(
      [
        paragraph(
          ...ctx.tr.tm("remind.setRecurring", {
            id: reminder.id,
            // How the rule was understood, in the member's language.
            rule: describeRule(args.rule.pattern, ctx.lang),
            when: time(reminder.dueAt),
          }),
        ),
        paragraph(...ctx.tr.tm("remind.text", { text: reminder.text })),
      ],
      { tone: "success" },
    );
  },
});

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
    const { teamWide, reminders } = await ctx.services.reminders.list(scopeOf(ctx), !ctx.invocation.isDirect);
    if (reminders.length === 0) return ctx.ephemeral([paragraph(...ctx.tr.tm("remind.listEmpty"))]);
    const items = reminders.map(({ reminder: r, nextDue }) => {
      const key = r.rule
        ? "remind.listItemRecurring"
        : r.status === "delivered"
          ? "remind.listItemDelivered"
          : "remind.listItem";
      return ctx.tr.tm(key, {
        id: r.id,
        when: time(r.status === "delivered" && !r.rule ? (r.deliveredAt ?? nextDue) : nextDue),
        target: targetSpan(ctx, r),
        text: r.text,
        rule: r.rule ?? "",
      });
    });
    return ctx.ephemeral([heading(ctx.tr.t(teamWide ? "remind.listTeamTitle" : "remind.listTitle")), list(items)]);
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
    await ctx.services.reminders.cancel(scopeOf(ctx), id);
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
    const dueAt = await ctx.services.reminders.snooze(scopeOf(ctx), id, duration);
    const params = { id, when: time(dueAt), relative: time(dueAt, "relative") };
    return ctx.reply([paragraph(...ctx.tr.tm("remind.snoozed", params))], { tone: "success" });
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
    const { next } = await ctx.services.reminders.done(scopeOf(ctx), id);
    const text = next
      ? ctx.tr.tm("remind.markedDoneRecurring", { id, when: time(next) })
      : ctx.tr.tm("remind.markedDone", { id });
    return ctx.reply([paragraph(...text)], { tone: "success" });
  },
});

export const remindFamily: Family = {
  name: "remind",
  description: { en: "Reminders", de: "Erinnerungen" },
  commands: [me, team, member, every, listCommand, cancel, snooze, done],
  locales: reminderLocales,
};
