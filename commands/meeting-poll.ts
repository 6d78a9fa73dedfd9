import { z } from "zod";
import { Arg, arg, type When } from "../src/core/args.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { heading, type OutgoingMessage } from "../src/core/message.ts";
import { finalPost } from "../src/features/polls/close.ts";
import { dateActions, datePostBlocks, slotTime, tableBlocks } from "../src/features/polls/date-view.ts";
import { meetingPollLocales } from "../src/features/polls/locales.ts";
import { type DateAnswer, dateAnswers, limits, parseDateAnswer, postKey, tallyDate } from "../src/features/polls/model.ts";
import { defineCommand, type Family, scopeOf } from "./define.ts";

const pollIdArg = arg
  .integer({ en: "The date poll's number", de: "Die Nummer der Terminumfrage" }, { min: 1 })
  .positional()
  .names({ de: "umfrage" });

const slotDescription = {
  en: "A date and time (“next monday 18:00”, “2026-12-01 18:00”) or a whole day (“2026-12-01”, “friday”)",
  de: "Datum und Uhrzeit („nächsten Montag 18:00“, „01.12. 18 Uhr“) oder ein ganzer Tag („01.12.“, „Freitag“)",
};
const slotsArg = new Arg<When[]>(
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
    const input = { ...args, timeZone: ctx.timeZone };
    const { poll, votes, missing } = await ctx.services.datePolls.create(scopeOf(ctx), input);
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
    const { poll, slots } = await ctx.services.datePolls.answer(scopeOf(ctx), args.pollId, args.slot, args.answer);
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
    const { poll, votes, missing } = await ctx.services.datePolls.availability(scopeOf(ctx), args.pollId);
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
    const picked = await ctx.services.datePolls.pick(scopeOf(ctx), args.pollId, args.slot);
    const { poll, slot, votes, missing, attachments } = picked;
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
    const notice = { title: poll.question, at: slotTime(slot), id: poll.id, team };
    for (const m of saidNo) {
      messages.push(
        await ctx.toMember(m.ref, ({ tr }) => [{ kind: "paragraph", spans: tr.tm("meetingPoll.notifyNo", notice) }]),
      );
    }
    const done = ctx.tr.tm("meetingPoll.pickedDone", { count: saidNo.length });
    messages.push(ctx.ephemeral([{ kind: "paragraph", spans: done }], { tone: "success" }));
    return messages;
  },
});

export const meetingPollFamily: Family = {
  name: "meeting-poll",
  description: { en: "Meeting-date polls", de: "Terminumfragen" },
  commands: [create, vote, availability, pick],
  locales: meetingPollLocales,
};
