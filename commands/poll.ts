import { z } from "zod";
import { Arg, arg } from "../src/core/args.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { heading, list, type OutgoingMessage, type Span, time } from "../src/core/message.ts";
import { finalPost } from "../src/features/polls/close.ts";
import { tableBlocks } from "../src/features/polls/date-view.ts";
import {
  limits,
  misfitLimit,
  pollFeature,
  postKey,
  tallyChoice,
  tallyDate,
} from "../src/features/polls/model.ts";
import type { PollRow } from "../src/features/polls/store.ts";
import { ballotActions, ballotBlocks, nativePoll, postActions, postBlocks, resultBlocks } from "../src/features/polls/view.ts";
import { type Ctx, defineCommand, type Family, scopeOf } from "./define.ts";
import { pageArg, pageFooter } from "./paging.ts";
import { asLanguage } from "../src/core/time.ts";

const pollIdArg = arg.integer({ min: 1 }).positional();

/** `--multi` alone: any number of options (0 here); `--multi 3` / `--multi=3`: up to 3. */
const multiArg = new Arg<number | undefined>(
  {
    kind: "integer",
    positional: false,
    required: false,
    variadic: false,
    min: 1,
    max: limits.maxOptions,
    bareValue: "all",
  },
  (pc) =>
    z.union([z.undefined(), z.boolean(), z.number(), z.string()]).transform((v, ctx) => {
      if (v === undefined || v === false) return undefined;
      if (v === true || (typeof v === "string" && ["all", "alle", "any"].includes(v.trim().toLowerCase())))
        return 0;
      const n = typeof v === "number" ? v : /^\d{1,3}$/.test(v.trim()) ? Number(v.trim()) : Number.NaN;
      if (Number.isInteger(n) && n >= 1 && n <= limits.maxOptions) return n;
      ctx.addIssue({
        code: "custom",
        message: pc.tr.t("poll.errors.multiRange", { max: limits.maxOptions }),
      });
      return z.NEVER;
    }),
);

/** Options: checked by the handler (empty, duplicate, how many) for clear errors; the metadata says 2-20. */
const optionsArg = new Arg<string[]>(
  arg.string({ min: 0, max: limits.maxOptionLength }).positional().many(2, limits.maxOptions).meta,
  arg.string({ min: 0, max: limits.maxOptionLength }).positional().many(0, 100).schema,
);

const create = defineCommand({
  path: ["poll", "create"],
  category: "polls",
  args: {
    question: arg.string({ max: limits.maxQuestionLength }).positional(),
    options: optionsArg,
    multi: multiArg,
    anonymous: arg.flag(),
    hidden: arg.flag(),
    closes: arg.when().optional(),
    native: arg.flag(),
  },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const nativePolls = ctx.capabilities?.nativePolls ?? false;
    const input = { ...args, timeZone: ctx.timeZone, nativePolls, publicVotes: ctx.capabilities?.publicVotes ?? false };
    const { poll, misfit } = await ctx.services.polls.create(scopeOf(ctx), input);
    const native = nativePoll(poll);
    const post = ctx.toTeam((tr) => postBlocks(tr, poll), {
      key: postKey(poll.number),
      actions: postActions(ctx.translator(asLanguage(ctx.team.language)), poll),
      ...(native ? { poll: native } : {}),
    });
    const skipped: Span[] = [];
    // Only tell when asked for explicitly; the team's default just falls back to buttons.
    if (misfit && args.native) {
      const reason = ctx.tr.t(`poll.misfit.${misfit}`, { count: misfitLimit(misfit, nativePolls) ?? 0 });
      skipped.push({ kind: "text", text: " " }, ...ctx.tr.tm("poll.nativeSkipped", { reason }));
    }
    const note = (key: string): Span[] => [...ctx.tr.tm(key, { id: poll.number }), ...skipped];
    return [
      post,
      ...(await ballots(ctx, poll)),
      ctx.ephemeral([{ kind: "paragraph", spans: note("poll.created") }], {
        tone: "success",
        whenHeld: [{ kind: "paragraph", spans: note("poll.createdHeld") }],
      }),
    ];
  },
});

/** An anonymous poll where room votes are public: every member gets a ballot in a direct message. */
async function ballots(ctx: Ctx, poll: PollRow): Promise<OutgoingMessage[]> {
  if (!poll.privateBallots) return [];
  const members = await ctx.services.polls.ballotMembers(scopeOf(ctx));
  const team = ctx.team.name || ctx.team.ref;
  return Promise.all(
    members.map(async (m) => {
      const ballot = await ctx.toMember(m.ref, ({ tr }) => ballotBlocks(tr, poll, team));
      return { ...ballot, actions: ballotActions(ctx.translator(ballot.lang), poll, ctx.team.ref) };
    }),
  );
}

function voteAck(ctx: Ctx, poll: PollRow, selection: readonly number[]): OutgoingMessage {
  const labels = poll.options.filter((o) => selection.includes(o.id)).map((o) => o.label);
  const spans =
    labels.length === 0
      ? ctx.tr.tm("poll.votedNone", { id: poll.number })
      : ctx.tr.tm("poll.voted", { id: poll.number, choices: ctx.tr.list(labels) });
  return ctx.ephemeral([{ kind: "paragraph", spans }], { tone: "success" });
}

/** The team (its room) a private ballot names, when voting from a direct conversation. */
const teamOption = () => arg.string({ max: 300 }).optional();

/** Where a vote counts: this room's team, or from a direct conversation the team a ballot names. */
async function voteScope(ctx: Ctx, team: string | undefined) {
  const direct = ctx.invocation.isDirect;
  return { scope: direct && team ? await ctx.services.polls.teamScope(scopeOf(ctx), team) : scopeOf(ctx), direct };
}

const vote = defineCommand({
  path: ["poll", "vote"],
  category: "polls",
  args: {
    pollId: pollIdArg,
    options: arg.string({ max: 200 }).positional().many(1, limits.maxOptions),
    add: arg.flag(),
    team: teamOption(),
  },
  async handler(ctx, args) {
    const { scope, direct } = await voteScope(ctx, args.team);
    const { poll, selection } = await ctx.services.polls.vote(scope, args.pollId, args.options, args.add, direct);
    return voteAck(ctx, poll, selection);
  },
});

const retract = defineCommand({
  path: ["poll", "retract"],
  category: "polls",
  args: {
    pollId: pollIdArg,
    option: arg.string({ max: 200 }).positional().optional(),
    team: teamOption(),
  },
  async handler(ctx, args) {
    const { scope, direct } = await voteScope(ctx, args.team);
    const retracted = await ctx.services.polls.retract(scope, args.pollId, args.option, direct);
    const { poll, removed, selection, optionLabel } = retracted;
    if (removed === 0)
      return ctx.ephemeral([{ kind: "paragraph", spans: ctx.tr.tm("poll.nothingToRetract", { id: poll.number }) }]);
    if (optionLabel !== undefined && selection.length > 0) {
      return ctx.ephemeral(
        [{ kind: "paragraph", spans: ctx.tr.tm("poll.retractedOne", { id: poll.number, option: optionLabel }) }],
        { tone: "success" },
      );
    }
    return voteAck(ctx, poll, selection);
  },
});

const results = defineCommand({
  path: ["poll", "results"],
  readOnly: true,
  category: "polls",
  args: { pollId: pollIdArg },
  async handler(ctx, args) {
    const { poll, votes, missing } = await ctx.services.polls.standing(scopeOf(ctx), args.pollId);
    const final = poll.closedAt !== null;
    if (poll.kind === "date")
      return ctx.reply(tableBlocks(ctx.tr, poll, tallyDate(poll, votes), { final, missing }));
    return ctx.reply(resultBlocks(ctx.tr, poll, tallyChoice(poll, votes), { final, missing }));
  },
});

const close = defineCommand({
  path: ["poll", "close"],
  category: "polls",
  args: { pollId: pollIdArg },
  async handler(ctx, args) {
    const { poll, votes, missing } = await ctx.services.polls.close(scopeOf(ctx), args.pollId);
    const name = ctx.member.displayName || ctx.member.ref;
    return ctx.toTeam(
      (tr) => finalPost(tr, poll, votes, missing, { closedBy: name }).blocks,
      finalPost(ctx.tr, poll, votes, missing, {}).extra,
    );
  },
});

const listOpen = defineCommand({
  path: ["poll", "list"],
  readOnly: true,
  isDefault: true,
  category: "polls",
  args: { page: pageArg },
  async handler(ctx, args) {
    const polls = await ctx.services.polls.openPolls(scopeOf(ctx), args.page);
    if (polls.total === 0) return ctx.reply([{ kind: "paragraph", spans: ctx.tr.tm("poll.listEmpty") }]);
    const items = polls.items.map(({ poll: p, voters }) => {
      const key = p.kind === "date" ? "poll.listItemDate" : "poll.listItem";
      const spans = ctx.tr.tm(key, { id: p.number, question: p.question, count: voters });
      if (p.closesAt) spans.push(...ctx.tr.tm("poll.listCloses", { at: time(p.closesAt) }));
      return spans;
    });
    return ctx.reply([heading(ctx.tr.t("poll.listTitle")), list(items), ...pageFooter(ctx, polls, "poll list")]);
  },
});

const nudge = defineCommand({
  path: ["poll", "nudge"],
  category: "polls",
  args: { pollId: pollIdArg },
  async handler(ctx, args) {
    const { poll, members } = await ctx.services.polls.nonVoters(scopeOf(ctx), args.pollId);
    if (members.length === 0) return ctx.ephemeral([{ kind: "paragraph", spans: ctx.tr.tm("poll.nudgedNone") }]);
    const team = ctx.team.name || ctx.team.ref;
    // The example is written for each member: "meeting vote 3 1 ja" in German.
    const exampleKey = poll.kind === "date" ? "poll.nudgeExampleDate" : "poll.nudgeExample";
    const reminders = await Promise.all(
      members.map((m) =>
        ctx.toMember(m.ref, ({ tr }) => {
          const params = { id: poll.number, question: poll.question, team, example: tr.t(exampleKey, { id: poll.number }) };
          return [{ kind: "paragraph", spans: tr.tm("poll.nudge", params) }];
        }),
      ),
    );
    const done = ctx.tr.tm("poll.nudged", { count: members.length });
    return [...reminders, ctx.ephemeral([{ kind: "paragraph", spans: done }], { tone: "success" })];
  },
});

const native = defineCommand({
  path: ["poll", "native"],
  category: "polls",
  args: {
    state: arg.choice(["on", "off", "an", "aus"]).positional(),
  },
  guards: [teamRoomOnly],
  async handler(ctx, args) {
    const on = args.state === "on" || args.state === "an";
    await ctx.services.polls.setNativeDefault(scopeOf(ctx), on);
    return ctx.reply([{ kind: "paragraph", spans: ctx.tr.tm(on ? "poll.nativeOn" : "poll.nativeOff") }], {
      tone: "success",
    });
  },
});

export const pollFamily: Family = {
  name: "poll",
  namespace: "poll",
  commands: [create, vote, retract, results, close, listOpen, nudge, native],
  // A native poll's answers are "1".."N" in order: an added answer is added to the vote,
  // a removed one withdrawn, a whole new choice (Matrix) replaces the vote.
  nativePollVotes: {
    feature: pollFeature,
    call(pollId, change) {
      if (change.kind === "add") return { path: ["poll", "vote"], values: { pollId, options: [change.answer], add: true } };
      if (change.kind === "remove") return { path: ["poll", "retract"], values: { pollId, option: change.answer } };
      if (change.answers.length === 0) return { path: ["poll", "retract"], values: { pollId } };
      return { path: ["poll", "vote"], values: { pollId, options: [...change.answers] } };
    },
  },
};
