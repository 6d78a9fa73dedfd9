import { DateTime } from "luxon";
import { z } from "zod";
import { Arg, arg } from "../src/core/args.ts";
import { type CommandContext, type CommandFamily, defineCommand } from "../src/core/command.ts";
import { UserError } from "../src/core/errors.ts";
import { coordinatorOnly, teamRoomOnly } from "../src/core/guards.ts";
import { heading, list, type OutgoingMessage, type Span, time } from "../src/core/message.ts";
import type { Tx } from "../src/db/client.ts";
import { takeTurns } from "../src/db/transaction.ts";
import { finalPost, pollCloseJob, standing } from "../src/features/polls/close.ts";
import { tableBlocks } from "../src/features/polls/date-view.ts";
import { pollLocales } from "../src/features/polls/locales.ts";
import {
  closeJobKey,
  firstDuplicate,
  foldOption,
  limits,
  matrixMisfit,
  nativeMisfit,
  postKey,
  tallyChoice,
  tallyDate,
} from "../src/features/polls/model.ts";
import {
  assertOpen,
  createPoll,
  findTeamPoll,
  findTeamPollOfKind,
  markClosed,
  nativeDefault,
  nonVoters,
  openPolls,
  type PollRow,
  removeSelection,
  selectionOf,
  setNativeDefault,
  setSelection,
  voterCounts,
  writeTx,
} from "../src/features/polls/store.ts";
import { nativePoll, postActions, postBlocks, resultBlocks } from "../src/features/polls/view.ts";
import type { Scheduler } from "../src/scheduler/port.ts";

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

const schedulerOf = (ctx: CommandContext): Scheduler | undefined =>
  (ctx.services as { scheduler?: Scheduler }).scheduler;

/** A deadline typed as a whole day ("friday") means the end of that day. */
const deadline = (when: { at: Date; allDay: boolean }, zone: string): Date =>
  when.allDay ? DateTime.fromJSDate(when.at, { zone }).endOf("day").toJSDate() : when.at;

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
    const options = args.options;
    if (options.some((o) => o === "")) throw new UserError("poll.errors.emptyOption");
    if (options.length < limits.minOptions)
      throw new UserError("poll.errors.tooFewOptions", { min: limits.minOptions });
    if (options.length > limits.maxOptions)
      throw new UserError("poll.errors.tooManyOptions", { max: limits.maxOptions });
    const duplicate = firstDuplicate(options);
    if (duplicate !== undefined) throw new UserError("poll.errors.duplicateOption", { option: duplicate });
    const maxSelections = args.multi === undefined ? 1 : args.multi === 0 ? options.length : args.multi;
    if (maxSelections > options.length)
      throw new UserError("poll.errors.multiRange", { max: options.length });
    const closesAt = args.closes ? deadline(args.closes, ctx.timeZone) : undefined;
    // On Matrix the MSC3381 poll is the voting path (README, Matrix section): native by default.
    const onMatrix = ctx.team.ref.startsWith("matrix:");
    const wantsNative = onMatrix || args.native || (await nativeDefault(ctx.db, ctx.team.id));
    const misfit = !wantsNative
      ? undefined
      : onMatrix
        ? matrixMisfit({ anonymous: args.anonymous })
        : nativeMisfit({
            question: args.question,
            options,
            maxSelections,
            anonymous: args.anonymous,
            hidden: args.hidden,
            now: ctx.now,
            ...(closesAt ? { closesAt } : {}),
          });

    const poll = await writeTx(ctx.db, async (tx) => {
      const created = await createPoll(tx, {
        teamId: ctx.team.id,
        createdById: ctx.member.id,
        kind: "choice",
        question: args.question,
        options: options.map((label) => ({ label })),
        maxSelections,
        anonymous: args.anonymous,
        hidden: args.hidden,
        native: wantsNative && misfit === undefined,
        ...(closesAt ? { closesAt } : {}),
      });
      if (closesAt) await scheduleClose(ctx, tx, created.id, closesAt);
      return created;
    });

    const native = nativePoll(poll);
    const post = ctx.toTeam((tr) => postBlocks(tr, poll), {
      key: postKey(poll.id),
      actions: postActions(ctx.translator(ctx.team.language === "en" ? "en" : "de"), poll),
      ...(native ? { poll: native } : {}),
    });
    const note: Span[] = ctx.tr.tm("poll.created", { id: poll.id });
    // Only tell when asked for explicitly; the team's default just falls back to buttons.
    if (misfit && args.native)
      note.push(
        { kind: "text", text: " " },
        ...ctx.tr.tm("poll.nativeSkipped", { reason: ctx.tr.t(`poll.misfit.${misfit}`) }),
      );
    return [post, ctx.ephemeral([{ kind: "paragraph", spans: note }], { tone: "success" })];
  },
});

async function scheduleClose(ctx: CommandContext, tx: Tx, pollId: number, dueAt: Date): Promise<void> {
  const scheduler = schedulerOf(ctx);
  if (!scheduler) {
    ctx.log.warn({ pollId }, "no scheduler: the poll will not close by itself");
    return;
  }
  await scheduler.schedule({ kind: "poll.close", dueAt, payload: { pollId }, key: closeJobKey(pollId) }, tx);
}

/** Option ids "1".."N", or an option's text; unknown ones are a user error. */
function resolveOptions(poll: PollRow, tokens: readonly string[]): number[] {
  // Unquoted words may spell one option's text: "poll vote 3 salad bowl".
  const whole =
    tokens.length > 1
      ? poll.options.find((o) => foldOption(o.label) === foldOption(tokens.join(" ")))
      : undefined;
  if (whole) return [whole.id];
  const ids: number[] = [];
  for (const token of tokens) {
    const byNumber = /^\d{1,3}$/.test(token)
      ? poll.options.find((o) => o.position === Number(token))
      : undefined;
    const found = byNumber ?? poll.options.find((o) => foldOption(o.label) === foldOption(token));
    if (!found) {
      throw new UserError("poll.errors.unknownOption", {
        id: poll.id,
        option: token.slice(0, 60),
        max: poll.options.length,
      });
    }
    if (!ids.includes(found.id)) ids.push(found.id);
  }
  return ids;
}

function voteAck(ctx: CommandContext, poll: PollRow, selection: readonly number[]): OutgoingMessage {
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
    const { poll, selection } = await writeTx(ctx.db, async (tx) => {
      const poll = await findTeamPollOfKind(tx, ctx.team.id, args.pollId, "choice");
      assertOpen(poll, ctx.now);
      const chosen = resolveOptions(poll, args.options);
      await takeTurns(ctx.db, tx, poll.id, ctx.member.id);
      let selection = chosen;
      if (args.add) {
        const current = await selectionOf(tx, poll.id, ctx.member.id);
        // One answer only: adding means switching (a platform's "add" may come before its "remove").
        selection = poll.maxSelections === 1 ? chosen.slice(-1) : [...new Set([...current, ...chosen])];
      }
      if (selection.length > poll.maxSelections)
        throw new UserError("poll.errors.tooManySelected", { id: poll.id, max: poll.maxSelections });
      await setSelection(tx, poll.id, ctx.member.id, selection);
      return { poll, selection };
    });
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
    const { poll, removed, selection, optionLabel } = await writeTx(ctx.db, async (tx) => {
      const poll = await findTeamPollOfKind(tx, ctx.team.id, args.pollId, "choice");
      assertOpen(poll, ctx.now);
      const optionId = args.option === undefined ? undefined : resolveOptions(poll, [args.option])[0];
      const removed = await removeSelection(tx, poll.id, ctx.member.id, optionId);
      const selection = await selectionOf(tx, poll.id, ctx.member.id);
      const optionLabel = poll.options.find((o) => o.id === optionId)?.label;
      return { poll, removed, selection, optionLabel };
    });
    if (removed === 0)
      return ctx.ephemeral([
        { kind: "paragraph", spans: ctx.tr.tm("poll.nothingToRetract", { id: poll.id }) },
      ]);
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
    const poll = await findTeamPoll(ctx.db, ctx.team.id, args.pollId);
    const { votes, missing } = await standing(ctx.db, poll);
    const final = poll.closedAt !== null;
    if (poll.kind === "date")
      return ctx.reply(tableBlocks(ctx.tr, poll, tallyDate(poll, votes), { final, missing }));
    return ctx.reply(resultBlocks(ctx.tr, poll, tallyChoice(poll, votes), { final, missing }));
  },
});

/** Creator or coordinator. */
export function assertManager(ctx: CommandContext, poll: PollRow): void {
  if (poll.createdById !== ctx.member.id && !ctx.isCoordinator) throw new UserError("poll.errors.notAllowed");
}

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
    const poll = await writeTx(ctx.db, async (tx) => {
      const poll = await findTeamPoll(tx, ctx.team.id, args.pollId);
      assertManager(ctx, poll);
      if (!(await markClosed(tx, poll.id, ctx.now)))
        throw new UserError("poll.errors.closed", { id: poll.id });
      await schedulerOf(ctx)?.cancel(closeJobKey(poll.id), tx);
      return poll;
    });
    const { votes, missing } = await standing(ctx.db, poll);
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
    const polls = await openPolls(ctx.db, ctx.team.id, ctx.now);
    if (polls.length === 0) return ctx.reply([{ kind: "paragraph", spans: ctx.tr.tm("poll.listEmpty") }]);
    const counts = await voterCounts(
      ctx.db,
      polls.map((p) => p.id),
    );
    const items = polls.map((p) => {
      const key = p.kind === "date" ? "poll.listItemDate" : "poll.listItem";
      const spans = ctx.tr.tm(key, { id: p.id, question: p.question, voters: counts.get(p.id) ?? 0 });
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
    const poll = await findTeamPoll(ctx.db, ctx.team.id, args.pollId);
    assertManager(ctx, poll);
    assertOpen(poll, ctx.now);
    const { votes } = await standing(ctx.db, poll);
    const missing = (await nonVoters(ctx.db, ctx.team.id, votes)).filter((m) => m.id !== ctx.member.id);
    if (missing.length === 0)
      return ctx.ephemeral([{ kind: "paragraph", spans: ctx.tr.tm("poll.nudgedNone") }]);
    const example = poll.kind === "date" ? `meeting vote ${poll.id} 1 yes` : `poll vote ${poll.id} 1`;
    const team = ctx.team.name || ctx.team.ref;
    const reminders = await Promise.all(
      missing.map((m) =>
        ctx.toMember(m.ref, ({ tr }) => [
          {
            kind: "paragraph",
            spans: tr.tm("poll.nudge", { id: poll.id, question: poll.question, team, example }),
          },
        ]),
      ),
    );
    return [
      ...reminders,
      ctx.ephemeral([{ kind: "paragraph", spans: ctx.tr.tm("poll.nudged", { count: missing.length }) }], {
        tone: "success",
      }),
    ];
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
  guards: [teamRoomOnly, coordinatorOnly],
  examples: ["poll native on", "poll native off"],
  async handler(ctx, args) {
    const on = args.state === "on" || args.state === "an";
    await setNativeDefault(ctx.db, ctx.team.id, on);
    return ctx.reply([{ kind: "paragraph", spans: ctx.tr.tm(on ? "poll.nativeOn" : "poll.nativeOff") }], {
      tone: "success",
    });
  },
});

export const pollFamily: CommandFamily = {
  name: "poll",
  description: { en: "Polls", de: "Umfragen" },
  commands: [create, vote, retract, results, close, listOpen, nudge, native],
  locales: pollLocales,
  jobs: [pollCloseJob],
};
