import { arg } from "../src/core/args.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { type Block, heading, list, type OutgoingMessage, paragraph, type Span, time } from "../src/core/message.ts";
import { describeDigestRule } from "../src/features/tasks/digest-rule.ts";
import { displayName, statusOf } from "../src/features/tasks/model.ts";
import { dueSpan, peopleSpans, roomLabel, taskActions, taskLabel, taskLine, tmWith } from "../src/features/tasks/view.ts";
import { defineCommand, type Family, scopeOf } from "./define.ts";
import { pageArg, pageFooter } from "./paging.ts";
import {
  actorName,
  announce,
  dueInput,
  historyLine,
  listFilter,
  members,
  simple,
  taskId,
  tellAssigned,
  when,
} from "./task-support.ts";

// ---- commands ----

const add = defineCommand({
  path: ["task", "add"],
  category: "tasks",
  args: {
    title: arg
      .string({ max: 200 })
      .positional(),
    assignees: members(0),
    due: when.optional(),
    note: arg.string({ max: 1000 }).optional(),
  },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const { task, assigned } = await ctx.services.tasks.create(scopeOf(ctx), {
      title: args.title,
      assignees: args.assignees,
      due: args.due ? dueInput(ctx, args.due) : undefined,
      note: args.note,
    });
    const post = announce(
      ctx,
      task,
      (tr) => tr.tm("task.announce.created", { actor: actorName(ctx), task: taskLabel(task) }),
      {
        details: true,
        tone: "success",
      },
    );
    return [post, ...(await tellAssigned(ctx, task, assigned))];
  },
});

const assign = defineCommand({
  path: ["task", "assign"],
  category: "tasks",
  args: { id: taskId, members: members(1) },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const { task, added } = await ctx.services.tasks.assign(scopeOf(ctx), args.id, args.members);
    const post = announce(ctx, task, (tr) =>
      tmWith(
        tr,
        "task.announce.assigned",
        { actor: actorName(ctx), task: taskLabel(task) },
        { members: peopleSpans(added, true, tr) },
      ),
    );
    return [post, ...(await tellAssigned(ctx, task, added))];
  },
});

const unassign = defineCommand({
  path: ["task", "unassign"],
  category: "tasks",
  args: { id: taskId, members: members(0) },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const { task, removed } = await ctx.services.tasks.unassign(scopeOf(ctx), args.id, args.members);
    const post = announce(ctx, task, (tr) =>
      tmWith(
        tr,
        "task.announce.unassigned",
        { actor: actorName(ctx), task: taskLabel(task) },
        { members: peopleSpans(removed, false, tr) },
      ),
    );
    const notices: OutgoingMessage[] = [];
    for (const m of removed) {
      if (m.id === ctx.member.id) continue;
      notices.push(
        await ctx.toMember(m.ref, ({ tr }) => [
          paragraph(
            ...tr.tm("task.private.unassigned", {
              actor: actorName(ctx),
              task: taskLabel(task),
              room: roomLabel(ctx.team),
            }),
          ),
        ]),
      );
    }
    return [post, ...notices];
  },
});

const take = defineCommand({
  path: ["task", "take"],
  category: "tasks",
  args: { id: taskId },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const task = await ctx.services.tasks.take(scopeOf(ctx), args.id);
    return simple("task.announce.taken")(ctx, task);
  },
});

const due = defineCommand({
  path: ["task", "due"],
  category: "tasks",
  args: { id: taskId, when: when.rest() },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const task = await ctx.services.tasks.setDue(scopeOf(ctx), args.id, dueInput(ctx, args.when));
    return announce(ctx, task, (tr) =>
      tr.tm("task.announce.due", { actor: actorName(ctx), task: taskLabel(task), due: dueSpan(task) }),
    );
  },
});

const start = defineCommand({
  path: ["task", "start"],
  category: "tasks",
  args: { id: taskId },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    return simple("task.announce.started")(ctx, await ctx.services.tasks.start(scopeOf(ctx), args.id));
  },
});

const done = defineCommand({
  path: ["task", "done"],
  category: "tasks",
  args: {
    id: taskId,
    note: arg
      .string({ max: 1000 })
      .optional()
      .rest(),
  },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const task = await ctx.services.tasks.finish(scopeOf(ctx), args.id, args.note);
    return announce(
      ctx,
      task,
      (tr) =>
        tr.tm(args.note ? "task.announce.doneNote" : "task.announce.done", {
          actor: actorName(ctx),
          task: taskLabel(task),
          note: args.note ?? "",
        }),
      { tone: "success" },
    );
  },
});

const reopen = defineCommand({
  path: ["task", "reopen"],
  category: "tasks",
  args: { id: taskId },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    return simple("task.announce.reopened")(ctx, await ctx.services.tasks.reopen(scopeOf(ctx), args.id));
  },
});

const cancel = defineCommand({
  path: ["task", "cancel"],
  category: "tasks",
  args: { id: taskId },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    return simple("task.announce.cancelled")(ctx, await ctx.services.tasks.cancel(scopeOf(ctx), args.id));
  },
});

const note = defineCommand({
  path: ["task", "note"],
  category: "tasks",
  args: {
    id: taskId,
    text: arg.string({ max: 1000 }).rest(),
  },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const task = await ctx.services.tasks.note(scopeOf(ctx), args.id, args.text);
    return announce(ctx, task, (tr) =>
      tr.tm("task.announce.note", { actor: actorName(ctx), task: taskLabel(task), text: args.text }),
    );
  },
});

const listCommand = defineCommand({
  path: ["task", "list"],
  readOnly: true,
  aliases: [["aufgaben"], ["aufgabe", "liste"]],
  category: "tasks",
  args: { filter: listFilter, page: pageArg },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const filter = args.filter ?? { kind: "open" };
    const { tasks, member } = await ctx.services.tasks.list(scopeOf(ctx), filter, args.page);
    const tr = ctx.tr;
    const title =
      filter.kind === "member"
        ? tr.t("task.list.member", { name: member ? displayName(member) : filter.ref.replace(/^[a-z]+:/, "") })
        : tr.t(`task.list.${filter.kind}`);
    if (tasks.total === 0) {
      return ctx.reply([
        heading(title),
        paragraph(...tr.tm(filter.kind === "open" ? "task.list.emptyOpen" : "task.list.empty")),
      ]);
    }
    const blocks: Block[] = [
      heading(`${title} (${tasks.total})`),
      list(tasks.items.map((t) => taskLine(t, ctx.now, tr))),
      ...pageFooter(ctx, tasks, `task list ${filter.kind === "member" ? filter.ref : filter.kind}`),
    ];
    return ctx.reply(blocks);
  },
});

const info = defineCommand({
  path: ["task", "info"],
  readOnly: true,
  category: "tasks",
  args: { id: taskId },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const { task, events } = await ctx.services.tasks.info(scopeOf(ctx), args.id);
    const tr = ctx.tr;
    const assignees = peopleSpans(
      task.assignees.map((a) => a.member),
      false,
      tr,
    );
    const facts: Span[][] = [
      tr.tm("task.info.status", { status: tr.t(`task.status.${statusOf(task)}`) }),
      task.dueAt ? tr.tm("task.info.due", { due: dueSpan(task) }) : tr.tm("task.info.noDue"),
      tmWith(tr, "task.info.assignees", {}, { members: assignees }),
      tr.tm("task.info.creator", { name: displayName(task.creator), at: time(task.createdAt) }),
    ];
    if (task.note) facts.push(tr.tm("task.info.note", { note: task.note }));
    const lines = events.map((e) => historyLine(e, tr));
    return ctx.reply(
      [heading(taskLabel(task)), list(facts), heading(tr.t("task.info.history")), list(lines)],
      { actions: taskActions(task, tr) },
    );
  },
});

const digest = defineCommand({
  path: ["task", "digest"],
  category: "tasks",
  args: {
    rule: arg
      .string({ max: 60 })
      .optional()
      .rest(),
  },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const tr = ctx.tr;
    const zone = ctx.team.timeZone;
    const tasks = ctx.services.tasks;
    if (args.rule === undefined) {
      const { rule, next } = await tasks.digest(scopeOf(ctx));
      if (!rule || !next) return ctx.reply([paragraph(...tr.tm("task.digest.showOff"))]);
      const d = describeDigestRule(rule, ctx.lang);
      return ctx.reply([
        paragraph(
          ...tr.tm("task.digest.show", {
            days: d.days === "*" ? tr.t("task.digest.everyDay") : d.days,
            time: d.time,
            zone,
            next: time(next),
          }),
        ),
        paragraph(...tr.tm("task.digest.hint")),
      ]);
    }
    const { rule, next } = await tasks.setDigest(scopeOf(ctx), args.rule);
    if (!rule || !next) return ctx.toTeam((t) => [paragraph(...t.tm("task.digest.off"))], { tone: "success" });
    return ctx.toTeam(
      (t) => {
        const d = describeDigestRule(rule, t.lang);
        const days = d.days === "*" ? t.t("task.digest.everyDay") : d.days;
        return [paragraph(...t.tm("task.digest.set", { days, time: d.time, zone, next: time(next) }))];
      },
      { tone: "success" },
    );
  },
});

export const taskFamily: Family = {
  name: "task",
  namespace: "task",
  commands: [add, assign, unassign, take, due, start, done, reopen, cancel, note, listCommand, info, digest],
};
