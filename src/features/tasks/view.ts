import { DateTime } from "luxon";
import type { Params, Translator } from "../../core/i18n.ts";
import { type Action, action, bold, mention, type Span, text, time } from "../../core/message.ts";
import type { Member, Task, Team } from "../../generated/prisma/client.ts";
import { deadlineOf, displayName, isOverdue, type LoadedTask, type Person, statusOf } from "./model.ts";

/** "#12 Accompany the family" as plain text (a parameter: always escaped). */
export const taskLabel = (task: Pick<Task, "number" | "title">): string => `#${task.number} ${task.title}`;

export const roomLabel = (team: Pick<Team, "name" | "ref">): string => team.name || team.ref;

/** The due date as a time span: a date for all-day tasks, else date and time (reader's zone). */
export function dueSpan(task: Pick<Task, "dueAt" | "dueAllDay" | "dueZone">): Span {
  if (!task.dueAt) return text("–");
  if (!task.dueAllDay) return time(task.dueAt, "datetime");
  // All-day spans carry the calendar date as UTC midnight (they are rendered in UTC).
  const day = DateTime.fromJSDate(task.dueAt, { zone: task.dueZone ?? "UTC" });
  return time(new Date(Date.UTC(day.year, day.month - 1, day.day)), "date", true);
}

export function dueSpanOf(at: Date, allDay: boolean, zone: string | null): Span {
  return dueSpan({ dueAt: at, dueAllDay: allDay, dueZone: zone });
}

/** Members as mentions (announcements: they are notified) or plain names (lists). */
export function peopleSpans(people: (Member | Person)[], notify: boolean, tr: Translator): Span[] {
  if (people.length === 0) return [text(tr.t("task.line.nobody"))];
  const out: Span[] = [];
  people.forEach((p, i) => {
    if (i > 0) out.push(text(", "));
    const name = "displayName" in p ? displayName(p) : p.name;
    out.push(notify ? mention(p.ref, name) : text(name));
  });
  return out;
}

/**
 * `tr.tm` with some parameters that are several spans (lists of mentions): each is passed
 * as a marker span and replaced afterwards, so mentions stay mentions and text stays text.
 */
export function tmWith(tr: Translator, key: string, params: Params, lists: Record<string, Span[]>): Span[] {
  const markers: Params = { ...params };
  for (const name of Object.keys(lists)) markers[name] = { kind: "code", text: `\u0001${name}` };
  const replace = (spans: Span[]): Span[] =>
    spans.flatMap((s): Span[] => {
      if (s.kind === "code" && s.text.startsWith("\u0001")) return lists[s.text.slice(1)] ?? [];
      if (s.kind === "bold") return [bold(...replace(s.spans))];
      return [s];
    });
  return replace(tr.tm(key, markers));
}

/** One line of a task list: number, title, due date, who, state. */
export function taskLine(task: LoadedTask, now: Date, tr: Translator, notify = false): Span[] {
  const spans: Span[] = [bold(`#${task.number}`), text(` ${task.title}`)];
  const deadline = deadlineOf(task);
  if (deadline) {
    spans.push(text(" – "));
    spans.push(
      ...tr.tm(isOverdue(task, now) ? "task.line.overdue" : "task.line.due", { due: dueSpan(task) }),
    );
  }
  spans.push(
    text(" – "),
    ...peopleSpans(
      task.assignees.map((a) => a.member),
      notify,
      tr,
    ),
  );
  const status = statusOf(task);
  if (status !== "open") spans.push(text(` (${tr.t(`task.status.${status}`)})`));
  return spans;
}

/** Buttons for a task message in the team room: take an unassigned task; start or finish an assigned one. */
export function taskActions(task: LoadedTask, tr: Translator): Action[] {
  const status = statusOf(task);
  if (status === "done" || status === "cancelled") return [];
  const actions: Action[] = [];
  if (task.assignees.length === 0)
    actions.push(action(tr.t("task.buttons.take"), `task take ${task.number}`, "primary"));
  if (status === "open" && task.assignees.length > 0)
    actions.push(action(tr.t("task.buttons.start"), `task start ${task.number}`, "secondary"));
  if (task.assignees.length > 0)
    actions.push(action(tr.t("task.buttons.done"), `task done ${task.number}`, "success"));
  return actions;
}
