import { z } from "zod";
import { Arg, arg } from "../src/core/args.ts";
import { teamRoomOnly } from "../src/core/guards.ts";
import { heading, list, type OutgoingMessage, type Span, time } from "../src/core/message.ts";
import { finalPost } from "../src/features/polls/close.ts";
import { tableBlocks } from "../src/features/polls/date-view.ts";
import { pollLocales } from "../src/features/polls/locales.ts";
import {
  limits,
  misfitLimit,
  pollFeature,
  postKey,
  tallyChoice,
  tallyDate,
} from "../src/features/polls/model.ts";
import type { PollRow } from "../src/features/polls/store.ts";
import { nativePoll, postActions, postBlocks, resultBlocks } from "../src/features/polls/view.ts";
import { type Ctx, defineCommand, type Family, scopeOf } from "./define.ts";

const pollIdArg = arg
  .integer({ en: "The poll's number", de: "Die Nummer der Umfrage" }, { min: 1 })
  .positional()
  .names({ de: "umfrage" });

/** `--multi` alone: any number of options (0 here); `--multi 3` / `--multi=3`: up to 3. */
const multiArg = new Arg<number | undefined>(
  {
    kind: "integer",
    description: {
      en: "Allow several answers: alone for any number, or the most allowed",
      de: "Mehrere Antworten erlauben: allein für beliebig viele, oder die Höchstzahl",
    },
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
const optionText = { en: "An answer to choose", de: "Eine Antwort zur Auswahl" };
const optionsArg = new Arg<string[]>(
  arg.string(optionText, { min: 0, max: limits.maxOptionLength }).positional().many(2, limits.maxOptions)
    .meta,
  arg.string(optionText, { min: 0, max: limits.maxOptionLength }).positional().many(0, 100).schema,
).names({ de: "optionen" });

const create = defineCommand({
  path: ["poll", "create"],
  aliases: [["umfrage", "neu"]],
  names: { de: "neu" },
  category: "polls",
  description: { en: "Start a poll in this team", de: "Eine Umfrage im Team starten" },
  args: {
    question: arg
      .string({ en: "The question", de: "Die Frage" }, { max: limits.maxQuestionLength })
      .positional()
      .names({ de: "frage" }),
    options: optionsArg,
    multi: multiArg,
    anonymous: arg.flag({
      en: "Never show who voted what",
      de: "Nie zeigen, wer was gewählt hat",
    }),
    hidden: arg.flag({ en: "Hide results until the poll closes", de: "Ergebnisse bis zum Ende verbergen" }),
    closes: arg.when({ en: "When the poll closes", de: "Wann die Umfrage endet" }).optional(),
    native: arg.flag({
      en: "Use the platform's own poll where it fits",
      de: "Die eigene Umfrage der Plattform nutzen, wo sie passt",
    }),
  },
  guards: [teamRoomOnly],
  examples: [
    'poll create "Pizza or soup?" Pizza Soup',
    'poll create "Which topics?" Housing Jobs Language --multi 2 --closes "friday 18:00"',
    'poll create "How was the training?" Good OK Bad --anonymous --hidden',
  ],
  async handler(ctx, args) {
    const nativePolls = ctx.capabilities?.nativePolls ?? false;
    const input = { ...args, timeZone: ctx.timeZone, nativePolls };
    const { poll, misfit } = await ctx.services.polls.create(scopeOf(ctx), input);
    const native = nativePoll(poll);
    const post = ctx.toTeam((tr) => postBlocks(tr, poll), {
      key: postKey(poll.id),
      actions: postActions(ctx.translator(ctx.team.language === "en" ? "en" : "de"), poll),
      ...(native ? { poll: native } : {}),
    });
    const note: Span[] = ctx.tr.tm("poll.created", { id: poll.id });
    // Only tell when asked for explicitly; the team's default just falls back to buttons.
    if (misfit && args.native) {
      const reason = ctx.tr.t(`poll.misfit.${misfit}`, { max: misfitLimit(misfit, nativePolls) ?? "" });
      note.push({ kind: "text", text: " " }, ...ctx.tr.tm("poll.nativeSkipped", { reason }));
    }
    return [post, ctx.ephemeral([{ kind: "paragraph", spans: note }], { tone: "success" })];
  },
});

function voteAck(ctx: Ctx, poll: PollRow, selection: readonly number[]): OutgoingMessage {
  const labels = poll.options.filter((o) => selection.includes(o.id)).map((o) => o.label);
  const spans =
    labels.length === 0
      ? ctx.tr.tm("poll.votedNone", { id: poll.id })
      : ctx.tr.tm("poll.voted", { id: poll.id, choices: labels.join(", ") });
  return ctx.ephemeral([{ kind: "paragraph", spans }], { tone: "success" });
}

const vote = defineCommand({
  path: ["poll", "vote"],
  aliases: [["umfrage", "abstimmen"]],
  names: { de: "abstimmen" },
  category: "polls",
  description: {
    en: "Vote: your choice becomes exactly these options",
    de: "Abstimmen: deine Wahl sind genau diese Optionen",
  },
  args: {
    pollId: pollIdArg,
    options: arg
      .string({ en: "Option numbers (or texts)", de: "Nummern (oder Texte) der Optionen" }, { max: 200 })
      .positional()
      .many(1, limits.maxOptions)
      .names({ de: "optionen" }),
    add: arg.flag({
      en: "Add to your vote instead of replacing it",
      de: "Zur Stimme hinzufügen statt ersetzen",
    }),
  },
  examples: ["poll vote 3 1", "poll vote 3 1 4", "poll vote 3 2 --add"],
  async handler(ctx, args) {
    const { poll, selection } = await ctx.services.polls.vote(scopeOf(ctx), args.pollId, args.options, args.add);
    return voteAck(ctx, poll, selection);
  },
});

const retract = defineCommand({
  path: ["poll", "retract"],
  aliases: [["umfrage", "zurueckziehen"]],
  names: { de: "zurueckziehen" },
  category: "polls",
  description: {
    en: "Withdraw your vote or one option of it",
    de: "Deine Stimme oder eine Option davon zurückziehen",
  },
  args: {
    pollId: pollIdArg,
    option: arg
      .string({ en: "Only this option", de: "Nur diese Option" }, { max: 200 })
      .positional()
      .optional()
      .names({ de: "option" }),
  },
  examples: ["poll retract 3", "poll retract 3 2"],
  async handler(ctx, args) {
    const retracted = await ctx.services.polls.retract(scopeOf(ctx), args.pollId, args.option);
    const { poll, removed, selection, optionLabel } = retracted;
    if (removed === 0)
      return ctx.ephemeral([{ kind: "paragraph", spans: ctx.tr.tm("poll.nothingToRetract", { id: poll.id }) }]);
    if (optionLabel !== undefined && selection.length > 0) {
      return ctx.ephemeral(
        [{ kind: "paragraph", spans: ctx.tr.tm("poll.retractedOne", { id: poll.id, option: optionLabel }) }],
        { tone: "success" },
      );
    }
    return voteAck(ctx, poll, selection);
  },
});

const results = defineCommand({
  path: ["poll", "results"],
  aliases: [["umfrage", "ergebnis"]],
  names: { de: "ergebnis" },
  category: "polls",
  description: { en: "Show a poll's results", de: "Das Ergebnis einer Umfrage zeigen" },
  args: { pollId: pollIdArg },
  examples: ["poll results 3"],
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
  aliases: [["umfrage", "beenden"]],
  names: { de: "beenden" },
  category: "polls",
  description: {
    en: "Close a poll and post the result (creator or coordinators)",
    de: "Eine Umfrage beenden und das Ergebnis zeigen (Ersteller*in oder Koordination)",
  },
  args: { pollId: pollIdArg },
  examples: ["poll close 3"],
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
  aliases: [["umfrage", "liste"]],
  isDefault: true,
  names: { de: "liste" },
  category: "polls",
  description: { en: "Open polls of this team", de: "Offene Umfragen dieses Teams" },
  args: {},
  async handler(ctx) {
    const polls = await ctx.services.polls.openPolls(scopeOf(ctx));
    if (polls.length === 0) return ctx.reply([{ kind: "paragraph", spans: ctx.tr.tm("poll.listEmpty") }]);
    const items = polls.map(({ poll: p, voters }) => {
      const key = p.kind === "date" ? "poll.listItemDate" : "poll.listItem";
      const spans = ctx.tr.tm(key, { id: p.id, question: p.question, voters });
      if (p.closesAt) spans.push(...ctx.tr.tm("poll.listCloses", { at: time(p.closesAt) }));
      return spans;
    });
    return ctx.reply([heading(ctx.tr.t("poll.listTitle")), list(items)]);
  },
});

const nudge = defineCommand({
  path: ["poll", "nudge"],
  aliases: [["umfrage", "erinnern"]],
  names: { de: "erinnern" },
  category: "polls",
  description: {
    en: "Privately remind members who have not voted (creator or coordinators)",
    de: "Wer noch nicht abgestimmt hat, privat erinnern (Ersteller*in oder Koordination)",
  },
  args: { pollId: pollIdArg },
  examples: ["poll nudge 3"],
  async handler(ctx, args) {
    const { poll, members } = await ctx.services.polls.nonVoters(scopeOf(ctx), args.pollId);
    if (members.length === 0) return ctx.ephemeral([{ kind: "paragraph", spans: ctx.tr.tm("poll.nudgedNone") }]);
    const example = poll.kind === "date" ? `meeting vote ${poll.id} 1 yes` : `poll vote ${poll.id} 1`;
    const team = ctx.team.name || ctx.team.ref;
    const params = { id: poll.id, question: poll.question, team, example };
    const reminders = await Promise.all(
      members.map((m) => ctx.toMember(m.ref, ({ tr }) => [{ kind: "paragraph", spans: tr.tm("poll.nudge", params) }])),
    );
    const done = ctx.tr.tm("poll.nudged", { count: members.length });
    return [...reminders, ctx.ephemeral([{ kind: "paragraph", spans: done }], { tone: "success" })];
  },
});

const native = defineCommand({
  path: ["poll", "native"],
  aliases: [["umfrage", "nativ"]],
  names: { de: "nativ" },
  category: "polls",
  description: {
    en: "Post polls as native platform polls by default, where they fit (coordinators)",
    de: "Umfragen standardmäßig als native Umfragen der Plattform posten, wo sie passen (Koordination)",
  },
  args: {
    state: arg.choice({ en: "on or off", de: "an oder aus" }, ["on", "off", "an", "aus"]).positional(),
  },
  guards: [teamRoomOnly],
  examples: ["poll native on", "poll native off"],
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
  description: { en: "Polls", de: "Umfragen" },
  commands: [create, vote, retract, results, close, listOpen, nudge, native],
  locales: pollLocales,
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
