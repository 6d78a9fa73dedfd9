import { DateTime } from "luxon";
import { z } from "zod";
import { Arg, arg } from "../src/core/args.ts";
import { type CommandContext, type CommandFamily, defineCommand } from "../src/core/command.ts";
import { UserError } from "../src/core/errors.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { type Attachment, heading, type OutgoingMessage } from "../src/core/message.ts";
import type { ParsedWhen } from "../src/core/when.ts";
import type { MeetingsService } from "../src/features/meetings/port.ts";
import { finalPost, standing } from "../src/features/polls/close.ts";
import { dateActions, datePostBlocks, slotTime, tableBlocks } from "../src/features/polls/date-view.ts";
import { meetingPollLocales } from "../src/features/polls/locales.ts";
import {
  closeJobKey,
  type DateAnswer,
  dateAnswers,
  limits,
  parseDateAnswer,
  postKey,
  tallyDate,
} from "../src/features/polls/model.ts";
import {
  assertOpen,
  createPoll,
  findTeamPollOfKind,
  markClosed,
  type PollRow,
  setDateAnswers,
  writeTx,
} from "../src/features/polls/store.ts";
import type { Scheduler } from "../src/scheduler/port.ts";
import { assertManager } from "./poll.ts";

const pollIdArg = arg
  .integer({ en: "The date poll's number", de: "Die Nummer der Terminumfrage" }, { min: 1 })
  .positional()
  .names({ de: "umfrage" });

const slotDescription = {
  en: "A date and time (“next monday 18:00”, “2026-12-01 18:00”) or a whole day (“2026-12-01”, “friday”)",
  de: "Datum und Uhrzeit („nächsten Montag 18:00“, „01.12. 18 Uhr“) oder ein ganzer Tag („01.12.“, „Freitag“)",
};
const slotsArg = new Arg<ParsedWhen[]>(
  arg.when(slotDescription).positional().many(limits.minSlots, limits.maxSlots).meta,
  arg.when(slotDescription).positional().many(0, 100).schema,
).names({ de: "termine" });

const answerArg = new Arg<DateAnswer>(
  arg
    .choice({ en: "yes, maybe (if need be) or no", de: "ja, vielleicht (wenn nötig) oder nein" }, dateAnswers)
    .positional()
    .names({ de: "antwort" }).meta,
  (pc) =>
    z.string().transform((v, ctx) => {
      const answer = parseDateAnswer(v);
      if (answer) return answer;
      ctx.addIssue({ code: "custom", message: pc.tr.t("meetingPoll.errors.unknownAnswer", { value: v }) });
      return z.NEVER;
    }),
);

const slotArg = arg
  .string({ en: "Slot number (or “all”)", de: "Nummer des Termins (oder „alle“)" }, { max: 10 })
  .positional()
  .names({ de: "termin" });

const schedulerOf = (ctx: CommandContext): Scheduler | undefined =>
  (ctx.services as { scheduler?: Scheduler }).scheduler;

/** Whole days are stored as UTC midnight of their date, so they keep their date in every zone. */
function normalizeSlot(slot: ParsedWhen, zone: string): { startsAt: Date; allDay: boolean } {
  if (!slot.allDay) return { startsAt: slot.at, allDay: false };
  const local = DateTime.fromJSDate(slot.at, { zone });
  return {
    startsAt: DateTime.utc(local.year, local.month, local.day).toJSDate(),
    allDay: true,
  };
}

const create = defineCommand({
  path: ["meeting", "poll"],
  aliases: [["treffen", "umfrage"]],
  names: { de: "umfrage" },
  category: "meetings",
  description: {
    en: "Find a meeting date: members answer each slot with yes, if need be or no",
    de: "Einen Termin finden: alle beantworten jeden Termin mit ja, wenn nötig oder nein",
  },
  args: {
    title: arg.string({ en: "What the meeting is", de: "Worum es geht" }, { max: 200 }).positional().names({
      de: "titel",
    }),
    slots: slotsArg,
    duration: arg
      .duration({ en: "How long the meeting takes", de: "Wie lange das Treffen dauert" }, { maxDays: 1 })
      .optional(),
    closes: arg.when({ en: "When answering ends", de: "Bis wann geantwortet werden kann" }).optional(),
  },
  guards: [teamRoomOnly],
  examples: [
    'meeting poll "Team meeting" "next monday 18:00" "next tuesday 18:00" --duration 90m',
    'meeting poll "Summer party" 2027-07-02 2027-07-09 --closes "2027-06-20 12:00"',
  ],
  async handler(ctx, args) {
    if (args.slots.length < limits.minSlots)
      throw new UserError("meetingPoll.errors.tooFewSlots", { min: limits.minSlots });
    if (args.slots.length > limits.maxSlots)
      throw new UserError("meetingPoll.errors.tooManySlots", { max: limits.maxSlots });
    const slots = args.slots.map((s) => normalizeSlot(s, ctx.timeZone));
    const seen = new Set<string>();
    slots.forEach((s, i) => {
      const key = `${s.allDay}:${s.startsAt.getTime()}`;
      if (seen.has(key)) throw new UserError("meetingPoll.errors.duplicateSlot", { slot: i + 1 });
      seen.add(key);
    });
    const closesAt = args.closes
      ? args.closes.allDay
        ? DateTime.fromJSDate(args.closes.at, { zone: ctx.timeZone }).endOf("day").toJSDate()
        : args.closes.at
      : undefined;
    const durationMinutes = Math.round(args.duration?.as("minutes") ?? 60);

    const poll = await writeTx(ctx.db, async (tx) => {
      const created = await createPoll(tx, {
        teamId: ctx.team.id,
        createdById: ctx.member.id,
        kind: "date",
        question: args.title,
        options: slots.map((s) => ({
          label: s.allDay ? s.startsAt.toISOString().slice(0, 10) : s.startsAt.toISOString(),
          startsAt: s.startsAt,
          allDay: s.allDay,
        })),
        maxSelections: slots.length,
        anonymous: false,
        hidden: false,
        native: false,
        durationMinutes,
        ...(closesAt ? { closesAt } : {}),
      });
      if (closesAt) {
        await schedulerOf(ctx)?.schedule(
          {
            kind: "poll.close",
            dueAt: closesAt,
            payload: { pollId: created.id },
            key: closeJobKey(created.id),
          },
          tx,
        );
      }
      return created;
    });
    const { votes, missing } = await standing(ctx.db, poll);
    const teamTr = ctx.translator(ctx.team.language === "en" ? "en" : "de");
    return [
      ctx.toTeam((tr) => datePostBlocks(tr, poll, tallyDate(poll, votes), missing), {
        key: postKey(poll.id),
        actions: dateActions(teamTr, poll),
      }),
      ctx.ephemeral([{ kind: "paragraph", spans: ctx.tr.tm("meetingPoll.created", { id: poll.id }) }], {
        tone: "success",
      }),
    ];
  },
});

/** "2" -> that slot; "all"/"alle" -> every slot. */
function resolveSlots(poll: PollRow, token: string, allowAll: boolean): PollRow["options"] {
  const word = token.trim().toLowerCase();
  if (allowAll && ["all", "alle"].includes(word)) return poll.options;
  const found = /^\d{1,2}$/.test(word) ? poll.options.find((o) => o.position === Number(word)) : undefined;
  if (!found)
    throw new UserError("meetingPoll.errors.unknownSlot", {
      id: poll.id,
      slot: token.slice(0, 20),
      max: poll.options.length,
    });
  return [found];
}

const vote = defineCommand({
  path: ["meeting", "vote"],
  aliases: [["treffen", "abstimmen"]],
  names: { de: "abstimmen" },
  category: "meetings",
  description: {
    en: "Answer a slot of a date poll: yes, maybe or no",
    de: "Einen Termin einer Terminumfrage beantworten: ja, vielleicht oder nein",
  },
  args: { pollId: pollIdArg, slot: slotArg, answer: answerArg },
  examples: ["meeting vote 4 2 yes", "meeting vote 4 3 vielleicht", "meeting vote 4 all no"],
  async handler(ctx, args) {
    const { poll, slots } = await writeTx(ctx.db, async (tx) => {
      const poll = await findTeamPollOfKind(tx, ctx.team.id, args.pollId, "date");
      assertOpen(poll, ctx.now);
      const slots = resolveSlots(poll, args.slot, true);
      await setDateAnswers(
        tx,
        poll.id,
        ctx.member.id,
        slots.map((s) => s.id),
        args.answer,
      );
      return { poll, slots };
    });
    const spans = ctx.tr.tm("meetingPoll.answered", {
      id: poll.id,
      slots: slots.map((s) => s.position).join(", "),
      answer: ctx.tr.t(`meetingPoll.answer.${args.answer}`),
    });
    return ctx.ephemeral([{ kind: "paragraph", spans }], { tone: "success" });
  },
});

const availability = defineCommand({
  path: ["meeting", "availability"],
  aliases: [["treffen", "verfuegbarkeit"]],
  names: { de: "verfuegbarkeit" },
  category: "meetings",
  description: {
    en: "The availability table of a date poll, in your time zone",
    de: "Die Verfügbarkeit einer Terminumfrage, in deiner Zeitzone",
  },
  args: { pollId: pollIdArg },
  examples: ["meeting availability 4"],
  async handler(ctx, args) {
    const poll = await findTeamPollOfKind(ctx.db, ctx.team.id, args.pollId, "date");
    const { votes, missing } = await standing(ctx.db, poll);
    const final = poll.closedAt !== null;
    return ctx.reply(tableBlocks(ctx.tr, poll, tallyDate(poll, votes), { final, missing }));
  },
});

const pick = defineCommand({
  path: ["meeting", "pick"],
  aliases: [["treffen", "festlegen"]],
  names: { de: "festlegen" },
  category: "meetings",
  description: {
    en: "Pick the date: closes the poll and plans the meeting (creator or coordinators)",
    de: "Den Termin festlegen: beendet die Umfrage und plant das Treffen (Ersteller*in oder Koordination)",
  },
  args: { pollId: pollIdArg, slot: slotArg },
  guards: [teamRoomOnly],
  examples: ["meeting pick 4 2"],
  slow: true,
  async handler(ctx, args) {
    const meetings = (ctx.services as { meetings?: MeetingsService }).meetings;
    if (!meetings) throw new UserError("meetingPoll.errors.meetingsUnavailable");
    const { poll, slot, meetingId } = await writeTx(ctx.db, async (tx) => {
      const poll = await findTeamPollOfKind(tx, ctx.team.id, args.pollId, "date");
      assertManager(ctx, poll);
      const [slot] = resolveSlots(poll, args.slot, false);
      if (!slot?.startsAt)
        throw new UserError("meetingPoll.errors.unknownSlot", {
          id: poll.id,
          slot: args.slot,
          max: poll.options.length,
        });
      const claimed = await tx.poll.updateMany({
        where: { id: poll.id, pickedOptionId: null },
        data: { pickedOptionId: slot.id },
      });
      if (claimed.count === 0) throw new UserError("meetingPoll.errors.alreadyPicked", { id: poll.id });
      await markClosed(tx, poll.id, ctx.now);
      await schedulerOf(ctx)?.cancel(closeJobKey(poll.id), tx);
      const startsAt = slot.allDay
        ? DateTime.fromObject(
            {
              year: slot.startsAt.getUTCFullYear(),
              month: slot.startsAt.getUTCMonth() + 1,
              day: slot.startsAt.getUTCDate(),
            },
            { zone: ctx.team.timeZone },
          ).toJSDate()
        : slot.startsAt;
      const { id: meetingId } = await meetings.create(
        {
          teamRef: ctx.team.ref,
          title: poll.question,
          startsAt,
          durationMinutes: poll.durationMinutes ?? (slot.allDay ? 1440 : 60),
          allDay: slot.allDay,
          createdBy: ctx.member.ref,
        },
        tx,
      );
      await tx.poll.update({ where: { id: poll.id }, data: { meetingId } });
      return { poll: { ...poll, pickedOptionId: slot.id }, slot, meetingId };
    });

    let attachments: Attachment[] = [];
    try {
      attachments = [await meetings.ics(meetingId)];
    } catch (error) {
      ctx.log.error({ err: error, meetingId }, "could not build the meeting's .ics");
    }
    const { votes, missing } = await standing(ctx.db, poll);
    const name = ctx.member.displayName || ctx.member.ref;
    const team = ctx.team.name || ctx.team.ref;
    const saidNo = votes.filter((v) => v.optionId === slot.id && v.answer === "no").map((v) => v.member);
    const messages: OutgoingMessage[] = [
      ctx.toTeam((tr) => finalPost(tr, poll, votes, missing, {}).blocks, { key: postKey(poll.id) }),
      ctx.toTeam(
        (tr) => [
          heading(...tr.tm("meetingPoll.pickedTitle", { title: poll.question, at: slotTime(slot) })),
          { kind: "paragraph", spans: tr.tm("meetingPoll.picked", { id: poll.id, name }) },
        ],
        { attachments, tone: "success" },
      ),
    ];
    for (const m of saidNo) {
      messages.push(
        await ctx.toMember(m.ref, ({ tr }) => [
          {
            kind: "paragraph",
            spans: tr.tm("meetingPoll.notifyNo", {
              title: poll.question,
              at: slotTime(slot),
              id: poll.id,
              team,
            }),
          },
        ]),
      );
    }
    messages.push(
      ctx.ephemeral(
        [{ kind: "paragraph", spans: ctx.tr.tm("meetingPoll.pickedDone", { count: saidNo.length }) }],
        {
          tone: "success",
        },
      ),
    );
    return messages;
  },
});

export const meetingPollFamily: CommandFamily = {
  name: "meeting-poll",
  description: { en: "Meeting-date polls", de: "Terminumfragen" },
  commands: [create, vote, availability, pick],
  locales: meetingPollLocales,
};
