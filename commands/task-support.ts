/** Arguments and message helpers of the task commands (commands/task.ts). */
import { z } from "zod";
import { Arg, type ArgMeta, arg } from "../src/core/args.ts";
import type { Translator } from "../src/core/i18n.ts";
import { type Block, type OutgoingMessage, paragraph, type Span, text, time } from "../src/core/message.ts";
import { asLanguage, type Language } from "../src/core/time.ts";
import { whenInstant } from "../src/core/when-args.ts";
import type { When } from "../src/core/args.ts";
import { displayName, type LoadedTask } from "../src/features/tasks/model.ts";
import type { DueInput, ListFilter } from "../src/features/tasks/service.ts";
import type { TaskEventView } from "../src/features/tasks/model.ts";
import {
  dueSpan,
  dueSpanOf,
  peopleSpans,
  roomLabel,
  taskActions,
  taskLabel,
  tmWith,
} from "../src/features/tasks/view.ts";
import type { Member } from "../src/generated/prisma/client.ts";
import type { Ctx } from "./define.ts";

// ---- arguments ----

const meta = (kind: ArgMeta["kind"], extra: Partial<ArgMeta> = {}): ArgMeta => ({
  kind,
  positional: true,
  required: true,
  variadic: false,
  ...extra,
});

/** A task's short number in this team: "12" or "#12". */
export const taskId = new Arg<number>(
  meta("integer", { min: 1 }),
  (pc) =>
    z.union([z.number(), z.string()]).transform((v, ctx) => {
      const m = /^#?(\d{1,9})$/.exec(String(v).trim());
      if (m && Number(m[1]) > 0) return Number(m[1]);
      ctx.addIssue({ code: "custom", message: pc.tr.t("task.errors.badId", { value: String(v) }) });
      return z.NEVER;
    }),
);

const filterWords: Record<string, ListFilter["kind"]> = {
  mine: "mine",
  my: "mine",
  meine: "mine",
  open: "open",
  offen: "open",
  offene: "open",
  overdue: "overdue",
  überfällig: "overdue",
  ueberfaellig: "overdue",
  done: "done",
  erledigt: "done",
};

export const listFilter = new Arg<ListFilter | undefined>(
  meta("string", { required: false, autocomplete: () => ["mine", "open", "overdue", "done"] }),
  (pc) =>
    z.union([z.string(), z.undefined()]).transform((v, ctx): ListFilter | undefined => {
      if (v === undefined) return undefined;
      const word = v.trim().toLowerCase();
      const kind = filterWords[word];
      if (kind && kind !== "member") return { kind };
      const ref = /^[@<]/.test(word) || word.includes(":") ? pc.parseMember(v.trim()) : undefined;
      if (ref) return { kind: "member", ref };
      ctx.addIssue({ code: "custom", message: pc.tr.t("task.errors.badFilter", { value: v }) });
      return z.NEVER;
    }),
);

export const members = (min: number) =>
  arg
    .member()
    .positional()
    .many(min, 10);

export const when = arg.when();

// ---- helpers ----

export const teamLang = (ctx: Ctx): Language => asLanguage(ctx.team.language);

/** A due date as the tasks feature stores it: an instant, or a whole day as its start in the member's zone. */
export const dueInput = (ctx: Ctx, due: When): DueInput =>
  due.kind === "date"
    ? { at: whenInstant(due, "start", ctx.timeZone), allDay: true, zone: ctx.timeZone }
    : { at: due.at, allDay: false, zone: ctx.timeZone };

export const actorName = (ctx: Ctx): string => displayName(ctx.member);

/** A brief post in the team room about a change, with the task's buttons. */
export function announce(
  ctx: Ctx,
  task: LoadedTask,
  build: (tr: Translator) => Span[],
  options: { details?: boolean; tone?: OutgoingMessage["tone"] } = {},
): OutgoingMessage {
  const tr = ctx.translator(teamLang(ctx));
  return ctx.toTeam(
    (t) => {
      const blocks: Block[] = [paragraph(...build(t))];
      if (options.details) blocks.push(paragraph(...details(task, t)));
      return blocks;
    },
    { actions: taskActions(task, tr), tone: options.tone ?? "info" },
  );
}

export function details(task: LoadedTask, tr: Translator): Span[] {
  if (task.assignees.length === 0) {
    const open = tr.tm("task.announce.open");
    return task.dueAt ? [...tr.tm("task.line.due", { due: dueSpan(task) }), text(". "), ...open] : open;
  }
  return tmWith(
    tr,
    "task.announce.details",
    { due: dueSpan(task) },
    {
      members: peopleSpans(
        task.assignees.map((a) => a.member),
        true,
        tr,
      ),
    },
  );
}

/** Tells members privately that someone else gave them a task (not when they took it themselves). */
export async function tellAssigned(
  ctx: Ctx,
  task: LoadedTask,
  added: Member[],
): Promise<OutgoingMessage[]> {
  const out: OutgoingMessage[] = [];
  for (const m of added) {
    if (m.id === ctx.member.id) continue;
    out.push(
      await ctx.toMember(m.ref, ({ tr }) => [
        paragraph(
          ...tr.tm(task.dueAt ? "task.private.assignedDue" : "task.private.assigned", {
            actor: actorName(ctx),
            task: taskLabel(task),
            room: roomLabel(ctx.team),
            due: dueSpan(task),
          }),
        ),
        paragraph(...tr.tm("task.private.hint", { id: task.number })),
      ]),
    );
  }
  return out;
}

export const simple = (key: string) => (ctx: Ctx, task: LoadedTask) =>
  announce(ctx, task, (tr) => tr.tm(key, { actor: actorName(ctx), task: taskLabel(task) }));

export function historyLine(e: TaskEventView, tr: Translator): Span[] {
  const base = { at: time(e.at), actor: displayName(e.actor) };
  switch (e.kind) {
    case "assigned":
    case "unassigned":
      return tmWith(tr, `task.history.${e.kind}`, base, { members: peopleSpans(e.data.members, false, tr) });
    case "due":
      return tr.tm("task.history.due", { ...base, due: dueSpanOf(e.data.to, e.data.allDay, e.data.zone) });
    case "done":
      return e.data.note
        ? tr.tm("task.history.doneNote", { ...base, note: e.data.note })
        : tr.tm("task.history.done", base);
    case "note":
      return tr.tm("task.history.note", { ...base, text: e.data.text });
    default:
      return tr.tm(`task.history.${e.kind}`, base);
  }
}
