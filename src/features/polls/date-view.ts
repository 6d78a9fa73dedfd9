import type { Translator } from "../../core/i18n.ts";
import { type Action, action, type Block, heading, list, type Span, text, time } from "../../core/message.ts";
import { type DateAnswer, type DateTally, dateAnswers, type OptionShape, type SlotTally } from "./model.ts";
import type { PollRow } from "./store.ts";
import { turnout } from "./view.ts";

const p = (tr: Translator, key: string, params?: Parameters<Translator["tm"]>[1]): Block => ({
  kind: "paragraph",
  spans: tr.tm(key, params),
});

/** A slot as a time span: readers see it in their zone; whole days keep their date everywhere. */
export function slotTime(slot: Pick<OptionShape, "startsAt" | "allDay">): Span {
  const at = slot.startsAt ?? new Date(0);
  return slot.allDay ? time(at, "date", true) : time(at, "datetime");
}

const mark: Record<DateAnswer, string> = { yes: "✔", maybe: "~", no: "✖" };

/** The availability table: per slot yes / if need be / no counts and names, the best slot marked. */
export function tableBlocks(
  tr: Translator,
  poll: PollRow,
  tally: DateTally,
  opts: { final: boolean; missing: number; picked?: OptionShape },
): Block[] {
  const title = opts.final ? "meetingPoll.finalTitle" : "meetingPoll.tableTitle";
  const blocks: Block[] = [heading(...tr.tm(title, { id: poll.number, title: poll.question }))];
  blocks.push(list(tally.slots.map((slot) => slotLine(tr, slot, slot === tally.best))));
  if (opts.picked) blocks.push(p(tr, "meetingPoll.chosen", { slot: slotLabel(opts.picked) }));
  else if (tally.best) blocks.push(p(tr, "meetingPoll.best", { slot: slotLabel(tally.best.option) }));
  else blocks.push(p(tr, "meetingPoll.noBest"));
  blocks.push(turnout(tr, "meetingPoll", tally.voters, opts.missing));
  return blocks;
}

function slotLabel(option: OptionShape): Span {
  return { kind: "bold", spans: [text(`${option.position}) `), slotTime(option)] };
}

function slotLine(tr: Translator, slot: SlotTally, best: boolean): Span[] {
  const spans: Span[] = [];
  if (best) spans.push(text(`${tr.t("meetingPoll.bestMark")} `));
  spans.push(text(`${slot.option.position}) `), slotTime(slot.option), text(" "));
  spans.push(
    ...tr.tm("meetingPoll.slotCounts", {
      yes: slot.yes.length,
      maybe: slot.maybe.length,
      no: slot.no.length,
    }),
  );
  const named = dateAnswers
    .filter((a) => slot[a].length > 0)
    .map((a) =>
      tr.t("meetingPoll.answerNames", {
        answer: `${mark[a]} ${tr.t(`meetingPoll.answer.${a}`)}`,
        names: tr.list(slot[a].map((m) => m.displayName || m.ref)),
      }),
    );
  if (named.length > 0) spans.push(text(` (${named.join("; ")})`));
  return spans;
}

/** The date poll as posted: title, how to answer, the (empty) table. */
export function datePostBlocks(tr: Translator, poll: PollRow, tally: DateTally, missing: number): Block[] {
  const blocks: Block[] = [heading(...tr.tm("meetingPoll.title", { id: poll.number, title: poll.question }))];
  blocks.push(p(tr, "meetingPoll.instructions", { id: poll.number }));
  if (poll.durationMinutes && poll.options.some((o) => !o.allDay)) {
    blocks.push(p(tr, "meetingPoll.duration", { count: poll.durationMinutes }));
  }
  if (poll.closesAt) blocks.push(p(tr, "meetingPoll.closes", { at: time(poll.closesAt) }));
  blocks.push(...tableBlocks(tr, poll, tally, { final: false, missing }).slice(1));
  return blocks;
}

/** Buttons: yes / if need be / no per slot while they fit (25 on Discord), and the table. */
export function dateActions(tr: Translator, poll: PollRow): Action[] {
  const actions: Action[] = [];
  const style: Record<DateAnswer, Action["style"]> = { yes: "success", maybe: "secondary", no: "danger" };
  if (poll.options.length * 3 <= 24) {
    for (const o of poll.options) {
      for (const a of dateAnswers) {
        actions.push(
          action(
            tr.t("meetingPoll.button", {
              slot: o.position,
              answer: `${mark[a]} ${tr.t(`meetingPoll.answer.${a}`)}`,
            }),
            `meeting vote ${poll.number} ${o.position} ${a}`,
            style[a],
          ),
        );
      }
    }
  }
  actions.push(action(tr.t("meetingPoll.tableButton"), `meeting availability ${poll.number}`, "secondary"));
  return actions;
}
