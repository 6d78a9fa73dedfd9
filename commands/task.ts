import { arg } from "../src/core/args.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { type Block, heading, list, type OutgoingMessage, paragraph, type Span, time } from "../src/core/message.ts";
import { describeDigestRule } from "../src/features/tasks/digest-rule.ts";
import { taskLocales } from "../src/features/tasks/locales.ts";
import { displayName, statusOf } from "../src/features/tasks/model.ts";
import { dueSpan, peopleSpans, roomLabel, taskActions, taskLabel, taskLine, tmWith } from "../src/features/tasks/view.ts";
import { defineCommand, type Family, scopeOf } from "./define.ts";
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
  aliases: [["aufgabe", "neu"]],
  names: { de: "neu" },
  category: "tasks",
  description: {
    en: "Create a task, optionally assigned and with a due date",
    de: "Eine Aufgabe anlegen, wahlweise zugeteilt und mit Frist",
  },
  args: {
    title: arg
      .string({ en: "What is to be done", de: "Was zu tun ist" }, { max: 200 })
      .positional()
      .names({ de: "titel" }),
    assignees: members(0),
    due: when.optional(),
    note: arg.string({ en: "Details", de: "Einzelheiten" }, { max: 1000 }).optional(),
  },
  guards: [teamRoomOnly],
  examples: [
    'task add "Accompany the Haddad family to the Ausländerbehörde" @bob --due "thursday 9:00"',
    'task add "Translate the letter from the Jobcenter" --due friday --note "Arabic"',
  ],
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
  aliases: [["aufgabe", "zuteilen"]],
  names: { de: "zuteilen" },
  category: "tasks",
  description: { en: "Give a task to members", de: "Eine Aufgabe Mitgliedern zuteilen" },
  args: { id: taskId, members: members(1) },
  guards: [teamRoomOnly],
  examples: ["task assign 12 @bob @carla"],
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
  aliases: [["aufgabe", "abgeben"]],
  names: { de: "abgeben" },
  category: "tasks",
  description: {
    en: "Take members (or yourself) off a task",
    de: "Mitglieder (oder dich) von einer Aufgabe abziehen",
  },
  args: { id: taskId, members: members(0) },
  guards: [teamRoomOnly],
  examples: ["task unassign 12", "task unassign 12 @bob"],
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
  aliases: [["aufgabe", "nehmen"]],
  names: { de: "nehmen" },
  category: "tasks",
  description: { en: "Take an open task yourself", de: "Eine offene Aufgabe selbst übernehmen" },
  args: { id: taskId },
  guards: [teamRoomOnly],
  examples: ["task take 12"],
  async handler(ctx, args) {
    const task = await ctx.services.tasks.take(scopeOf(ctx), args.id);
    return simple("task.announce.taken")(ctx, task);
  },
});

const due = defineCommand({
  path: ["task", "due"],
  aliases: [["aufgabe", "frist"]],
  names: { de: "frist" },
  category: "tasks",
  description: { en: "Set or change a task's due date", de: "Die Frist einer Aufgabe setzen oder ändern" },
  args: { id: taskId, when: when.rest().names({ de: "wann" }) },
  guards: [teamRoomOnly],
  examples: ["task due 12 friday 14:00", "task due 12 2026-12-01"],
  async handler(ctx, args) {
    const task = await ctx.services.tasks.setDue(scopeOf(ctx), args.id, dueInput(ctx, args.when));
    return announce(ctx, task, (tr) =>
      tr.tm("task.announce.due", { actor: actorName(ctx), task: taskLabel(task), due: dueSpan(task) }),
    );
  },
});

const start = defineCommand({
  path: ["task", "start"],
  aliases: [["aufgabe", "anfangen"]],
  names: { de: "anfangen" },
  category: "tasks",
  description: { en: "Mark a task as in progress", de: "Eine Aufgabe als in Arbeit markieren" },
  args: { id: taskId },
  guards: [teamRoomOnly],
  examples: ["task start 12"],
  async handler(ctx, args) {
    return simple("task.announce.started")(ctx, await ctx.services.tasks.start(scopeOf(ctx), args.id));
  },
});

const done = defineCommand({
  path: ["task", "done"],
  aliases: [["aufgabe", "erledigt"]],
  names: { de: "erledigt" },
  category: "tasks",
  description: {
    en: "Mark a task as done, with an optional note",
    de: "Eine Aufgabe als erledigt markieren, wahlweise mit Notiz",
  },
  args: {
    id: taskId,
    note: arg
      .string({ en: "How it went", de: "Wie es lief" }, { max: 1000 })
      .optional()
      .rest()
      .names({ de: "notiz" }),
  },
  guards: [teamRoomOnly],
  examples: ["task done 12", "task done 12 appointment moved to 3 Dec"],
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
  aliases: [["aufgabe", "oeffnen"]],
  names: { de: "oeffnen" },
  category: "tasks",
  description: {
    en: "Reopen a finished or cancelled task",
    de: "Eine erledigte oder abgesagte Aufgabe wieder öffnen",
  },
  args: { id: taskId },
  guards: [teamRoomOnly],
  examples: ["task reopen 12"],
  async handler(ctx, args) {
    return simple("task.announce.reopened")(ctx, await ctx.services.tasks.reopen(scopeOf(ctx), args.id));
  },
});

const cancel = defineCommand({
  path: ["task", "cancel"],
  aliases: [["aufgabe", "absagen"]],
  names: { de: "absagen" },
  category: "tasks",
  description: { en: "Cancel a task", de: "Eine Aufgabe absagen" },
  args: { id: taskId },
  guards: [teamRoomOnly],
  examples: ["task cancel 12"],
  async handler(ctx, args) {
    return simple("task.announce.cancelled")(ctx, await ctx.services.tasks.cancel(scopeOf(ctx), args.id));
  },
});

const note = defineCommand({
  path: ["task", "note"],
  aliases: [["aufgabe", "notiz"]],
  names: { de: "notiz" },
  category: "tasks",
  description: { en: "Add a note to a task", de: "Eine Notiz zu einer Aufgabe schreiben" },
  args: {
    id: taskId,
    text: arg.string({ en: "The note", de: "Die Notiz" }, { max: 1000 }).rest().names({ de: "text" }),
  },
  guards: [teamRoomOnly],
  examples: ['task note 12 "The family needs an Arabic interpreter"'],
  async handler(ctx, args) {
    const task = await ctx.services.tasks.note(scopeOf(ctx), args.id, args.text);
    return announce(ctx, task, (tr) =>
      tr.tm("task.announce.note", { actor: actorName(ctx), task: taskLabel(task), text: args.text }),
    );
  },
});

const listCommand = defineCommand({
  path: ["task", "list"],
  aliases: [["aufgaben"], ["aufgabe", "liste"]],
  names: { de: "liste" },
  category: "tasks",
  description: {
    en: "List open, my, overdue or finished tasks",
    de: "Offene, meine, überfällige oder erledigte Aufgaben zeigen",
  },
  args: { filter: listFilter },
  guards: [teamRoomOnly],
  examples: ["task list", "task list mine", "task list overdue", "task list @bob"],
  async handler(ctx, args) {
    const filter = args.filter ?? { kind: "open" };
    const { tasks, member } = await ctx.services.tasks.list(scopeOf(ctx), filter);
    const tr = ctx.tr;
    const title =
      filter.kind === "member"
        ? tr.t("task.list.member", { name: member ? displayName(member) : filter.ref.replace(/^[a-z]+:/, "") })
        : tr.t(`task.list.${filter.kind}`);
    if (tasks.length === 0) {
      return ctx.reply([
        heading(title),
        paragraph(...tr.tm(filter.kind === "open" ? "task.list.emptyOpen" : "task.list.empty")),
      ]);
    }
    const shown = tasks.slice(0, 25);
    const blocks: Block[] = [
      heading(`${title} (${tasks.length})`),
      list(shown.map((t) => taskLine(t, ctx.now, tr))),
    ];
    if (tasks.length > shown.length)
      blocks.push(paragraph(tr.t("task.list.more", { count: tasks.length - shown.length })));
    return ctx.reply(blocks);
  },
});

const info = defineCommand({
  path: ["task", "info"],
  aliases: [["aufgabe", "info"]],
  category: "tasks",
  description: { en: "A task with its history", de: "Eine Aufgabe mit ihrem Verlauf" },
  args: { id: taskId },
  guards: [teamRoomOnly],
  examples: ["task info 12"],
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
  aliases: [["aufgabe", "uebersicht"]],
  names: { de: "uebersicht" },
  category: "tasks",
  description: {
    en: "Show or set when the team gets its overdue digest (coordinators set)",
    de: "Zeigen oder festlegen, wann das Team die Übersicht der überfälligen Aufgaben bekommt (Koordination)",
  },
  args: {
    rule: arg
      .string(
        {
          en: "e.g. weekdays 9:00, daily 8:30, mon,thu 9, off",
          de: "z. B. werktags 9:00, täglich 8:30, mo,do 9, aus",
        },
        { max: 60 },
      )
      .optional()
      .rest()
      .names({ de: "zeit" }),
  },
  guards: [teamRoomOnly],
  examples: ["task digest", "task digest weekdays 9:00", "task digest off"],
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
  description: { en: "Tasks: who does what by when", de: "Aufgaben: wer macht was bis wann" },
  commands: [add, assign, unassign, take, due, start, done, reopen, cancel, note, listCommand, info, digest],
  locales: taskLocales,
};
