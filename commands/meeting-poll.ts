import { z } from "zod";
import { Arg, arg, type When } from "../src/core/args.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { heading, type OutgoingMessage } from "../src/core/message.ts";
import { finalPost } from "../src/features/polls/close.ts";
import { dateActions, datePostBlocks, slotTime, tableBlocks } from "../src/features/polls/date-view.ts";
import { type DateAnswer, dateAnswers, limits, parseDateAnswer, postKey, tallyDate } from "../src/features/polls/model.ts";
import { defineCommand, type Family, scopeOf } from "./define.ts";
import { asLanguage } from "../src/core/time.ts";

const pollIdArg = arg
  .integer({ min: 1 })
  .positional();

const slotsArg = new Arg<When[]>(
  arg.when().positional().many(limits.minSlots, limits.maxSlots).meta,
  arg.when().positional().many(0, 100).schema,
);

const answerArg = new Arg<DateAnswer>(
  arg
    .choice(dateAnswers)
    .positional().meta,
  (pc) =>
    z.string().transform((v, ctx) => {
      const answer = parseDateAnswer(v);
      if (answer) return answer;
      ctx.addIssue({ code: "custom", message: pc.tr.t("meetingPoll.errors.unknownAnswer", { value: v }) });
      return z.NEVER;
    }),
);

const slotArg = arg
  .string({ max: 10 })
  .positional();

const create = defineCommand({
  path: ["meeting", "poll"],
  category: "meetings",
  args: {
    title: arg.string({ max: 200 }).positional(),
    slots: slotsArg,
    duration: arg
      .duration({ maxDays: 1 })
      .optional(),
    closes: arg.when().optional(),
  },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const input = { ...args, timeZone: ctx.timeZone };
    const { poll, votes, missing } = await ctx.services.datePolls.create(scopeOf(ctx), input);
    const teamTr = ctx.translator(asLanguage(ctx.team.language));
    return [
      ctx.toTeam((tr) => datePostBlocks(tr, poll, tallyDate(poll, votes), missing), {
        key: postKey(poll.number),
        actions: dateActions(teamTr, poll),
      }),
      ctx.ephemeral([{ kind: "paragraph", spans: ctx.tr.tm("meetingPoll.created", { id: poll.number }) }], {
        tone: "success",
        whenHeld: [{ kind: "paragraph", spans: ctx.tr.tm("meetingPoll.createdHeld", { id: poll.id }) }],
      }),
    ];
  },
});

const vote = defineCommand({
  path: ["meeting", "vote"],
  category: "meetings",
  args: { pollId: pollIdArg, slot: slotArg, answer: answerArg },
  async handler(ctx, args) {
    const { poll, slots } = await ctx.services.datePolls.answer(scopeOf(ctx), args.pollId, args.slot, args.answer);
    const spans = ctx.tr.tm("meetingPoll.answered", {
      id: poll.number,
      slots: slots.map((s) => s.position).join(", "),
      answer: ctx.tr.t(`meetingPoll.answer.${args.answer}`),
    });
    return ctx.ephemeral([{ kind: "paragraph", spans }], { tone: "success" });
  },
});

const availability = defineCommand({
  path: ["meeting", "availability"],
  category: "meetings",
  args: { pollId: pollIdArg },
  async handler(ctx, args) {
    const { poll, votes, missing } = await ctx.services.datePolls.availability(scopeOf(ctx), args.pollId);
    const final = poll.closedAt !== null;
    return ctx.reply(tableBlocks(ctx.tr, poll, tallyDate(poll, votes), { final, missing }));
  },
});

const pick = defineCommand({
  path: ["meeting", "pick"],
  category: "meetings",
  args: { pollId: pollIdArg, slot: slotArg },
  guards: [teamRoomOnly],
  slow: true,
  async handler(ctx, args) {
    const picked = await ctx.services.datePolls.pick(scopeOf(ctx), args.pollId, args.slot);
    const { poll, slot, votes, missing, attachments } = picked;
    const name = ctx.member.displayName || ctx.member.ref;
    const team = ctx.team.name || ctx.team.ref;
    const saidNo = votes.filter((v) => v.optionId === slot.id && v.answer === "no").map((v) => v.member);
    const messages: OutgoingMessage[] = [
      ctx.toTeam((tr) => finalPost(tr, poll, votes, missing, {}).blocks, { key: postKey(poll.number) }),
      ctx.toTeam(
        (tr) => [
          heading(...tr.tm("meetingPoll.pickedTitle", { title: poll.question, at: slotTime(slot) })),
          { kind: "paragraph", spans: tr.tm("meetingPoll.picked", { id: poll.number, name }) },
        ],
        { attachments, tone: "success" },
      ),
    ];
    const notice = { title: poll.question, at: slotTime(slot), id: poll.number, team };
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
  namespace: "meetingPoll",
  commands: [create, vote, availability, pick],
};
