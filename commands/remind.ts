import { arg, type When } from "../src/core/args.ts";
import { heading, list, mention, paragraph, type Span, time } from "../src/core/message.ts";
import type { ReminderRef, ReminderTarget } from "../src/features/reminders/service.ts";
import { describeRule } from "../src/core/when/index.ts";
import { reminderDateWords, reminderMemberWords, reminderRuleWords } from "../src/features/reminders/words.ts";
import { type Ctx, defineCommand, type Family, scopeOf } from "./define.ts";
import { pageArg, pageFooter } from "./paging.ts";

// Typed as text, the date and the text are one run of words ("tomorrow 9:00 call the office");
// Discord shows them as two options.
const whenArg = arg
  .when()
  .takes(reminderDateWords);
// Optional here: without it the reminders feature says what is missing.
const textArg = arg
  .string({ min: 0, max: 4000 })
  .optional()
  .rest();
const idArg = arg
  .integer({ min: 1 })
  .positional();
/** The team's room, for a reminder named from a direct conversation (the buttons of private reminders add it). */
const teamOption = arg
  .string({ max: 300 })
  .optional();

const refOf = (id: number, team: string | undefined): ReminderRef => ({ number: id, ...(team ? { teamRef: team } : {}) });

/** "for you", "for the team" or the member. */
function targetSpan(ctx: Ctx, target: { targetKind: string; targetRef: string | null }): Span {
  if (target.targetKind === "team" || target.targetRef === null) return { kind: "text", text: ctx.tr.t("remind.forTeam") };
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
          id: reminder.number,
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
  category: "reminders",
  args: { when: whenArg, text: textArg },
  handler: (ctx, args) => create(ctx, { kind: "me", ref: ctx.member.ref }, args.when, args.text),
});

const team = defineCommand({
  path: ["remind", "team"],
  category: "reminders",
  args: { when: whenArg, text: textArg },
  handler: (ctx, args) => create(ctx, { kind: "team", ref: ctx.team.ref }, args.when, args.text),
});

const member = defineCommand({
  path: ["remind", "member"],
  noRoomPosts: true,
  isDefault: true,
  category: "reminders",
  args: {
    // Without a member (or when the first word starts the date): the one who writes it.
    member: arg
      .member()
      .optional()
      .takes(reminderMemberWords),
    when: whenArg,
    text: textArg,
  },
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
  category: "reminders",
  args: {
    rule: arg
      .rule()
      .takes(reminderRuleWords),
    text: textArg,
  },
  async handler(ctx, args) {
    const input = { rule: args.rule, text: args.text ?? "", timeZone: ctx.timeZone };
    const reminder = await ctx.services.reminders.createRecurring(scopeOf(ctx), input);
    return ctx.reply(
      [
        paragraph(
          ...ctx.tr.tm("remind.setRecurring", {
            id: reminder.number,
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
  readOnly: true,
  noRoomPosts: true,
  category: "reminders",
  args: { page: pageArg },
  async handler(ctx, args) {
    const { teamWide, reminders } = await ctx.services.reminders.list(scopeOf(ctx), !ctx.invocation.isDirect, args.page);
    if (reminders.total === 0) return ctx.ephemeral([paragraph(...ctx.tr.tm("remind.listEmpty"))]);
    const items = reminders.items.map(({ reminder: r, nextDue }) => {
      const key = r.rule
        ? "remind.listItemRecurring"
        : r.status === "delivered"
          ? "remind.listItemDelivered"
          : "remind.listItem";
      return ctx.tr.tm(key, {
        id: r.number,
        when: time(r.status === "delivered" && !r.rule ? (r.deliveredAt ?? nextDue) : nextDue),
        target: targetSpan(ctx, r),
        text: r.text,
        rule: r.rule ?? "",
      });
    });
    return ctx.ephemeral([
      heading(ctx.tr.t(teamWide ? "remind.listTeamTitle" : "remind.listTitle")),
      list(items),
      ...pageFooter(ctx, reminders, "remind list"),
    ]);
  },
});

const cancel = defineCommand({
  path: ["remind", "cancel"],
  category: "reminders",
  args: { id: idArg, team: teamOption },
  async handler(ctx, { id, team }) {
    await ctx.services.reminders.cancel(scopeOf(ctx), refOf(id, team));
    return ctx.reply([paragraph(...ctx.tr.tm("remind.cancelled", { id }))], { tone: "success" });
  },
});

const snooze = defineCommand({
  path: ["remind", "snooze"],
  category: "reminders",
  args: {
    id: idArg,
    duration: arg
      .duration(
         { maxDays: 60 },
      )
      .positional(),
    team: teamOption,
  },
  async handler(ctx, { id, duration, team }) {
    const { dueAt } = await ctx.services.reminders.snooze(scopeOf(ctx), refOf(id, team), duration);
    const params = { id, when: time(dueAt), relative: time(dueAt, "relative") };
    return ctx.reply([paragraph(...ctx.tr.tm("remind.snoozed", params))], { tone: "success" });
  },
});

const done = defineCommand({
  path: ["remind", "done"],
  category: "reminders",
  args: { id: idArg, team: teamOption },
  async handler(ctx, { id, team }) {
    const { next } = await ctx.services.reminders.done(scopeOf(ctx), refOf(id, team));
    const text = next
      ? ctx.tr.tm("remind.markedDoneRecurring", { id, when: time(next) })
      : ctx.tr.tm("remind.markedDone", { id });
    return ctx.reply([paragraph(...text)], { tone: "success" });
  },
});

export const remindFamily: Family = {
  name: "remind",
  namespace: "remind",
  commands: [me, team, member, every, listCommand, cancel, snooze, done],
};
