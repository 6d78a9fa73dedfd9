import type { Translator } from "../../core/i18n.ts";
import {
  type Action,
  action,
  type Block,
  heading,
  list,
  type NativePoll,
  type OutgoingMessage,
  pre,
  time,
} from "../../core/message.ts";
import { asLanguage } from "../../core/time.ts";
import { bar, type ChoiceTally } from "./model.ts";
import type { PollRow } from "./store.ts";

const p = (tr: Translator, key: string, params?: Parameters<Translator["tm"]>[1]): Block => ({
  kind: "paragraph",
  spans: tr.tm(key, params),
});

function ruleKey(poll: PollRow): [string, Record<string, number>] {
  if (poll.maxSelections <= 1) return ["poll.single", {}];
  if (poll.maxSelections >= poll.options.length) return ["poll.multiAll", {}];
  return ["poll.multiN", { count: poll.maxSelections }];
}

/** The poll as posted in the team room: question, rules, options, how to vote. */
export function postBlocks(tr: Translator, poll: PollRow): Block[] {
  const [rule, ruleParams] = ruleKey(poll);
  const blocks: Block[] = [heading(...tr.tm("poll.title", { id: poll.number, question: poll.question }))];
  blocks.push(p(tr, rule, ruleParams));
  if (poll.anonymous) blocks.push(p(tr, "poll.anonymousNote"));
  if (poll.hidden) blocks.push(p(tr, "poll.hiddenNote"));
  if (poll.closesAt) blocks.push(p(tr, "poll.closes", { at: time(poll.closesAt) }));
  // A native poll shows its answers and takes the votes itself: no second list, no other way.
  if (poll.native) {
    blocks.push(p(tr, "poll.howToNative"));
    return blocks;
  }
  blocks.push(
    list(
      poll.options.map((o) => [o.label]),
      true,
    ),
  );
  blocks.push(p(tr, poll.privateBallots ? "poll.howToPrivate" : "poll.howTo", { id: poll.number }));
  return blocks;
}

/** The answer buttons; `team` for a ballot in a direct conversation (the command then names the team). */
function voteActions(poll: PollRow, team?: string): Action[] {
  const multi = poll.maxSelections > 1;
  const suffix = `${multi ? " --add" : ""}${team ? ` --team ${team}` : ""}`;
  return poll.options.map((o) => ({
    // Not cut here: each platform fits labels to its own limit without splitting characters.
    ...action(`${o.position}. ${o.label}`, `poll vote ${poll.number} ${o.position}${suffix}`, "primary"),
    pollAnswer: true,
  }));
}

/** Buttons run commands as the member who presses them. Private ballots: only the (counted) results in the room. */
export function postActions(tr: Translator, poll: PollRow): Action[] {
  const actions: Action[] = poll.privateBallots ? [] : voteActions(poll);
  actions.push(action(tr.t("poll.resultsButton"), `poll results ${poll.number}`, "secondary"));
  if (poll.privateBallots) return actions;
  actions.push(action(tr.t("poll.retractButton"), `poll retract ${poll.number}`, "danger"));
  return actions;
}

/** A private ballot of an anonymous poll, sent to each member directly. */
export function ballotBlocks(tr: Translator, poll: PollRow, teamName: string): Block[] {
  return [
    heading(...tr.tm("poll.title", { id: poll.number, question: poll.question })),
    p(tr, "poll.ballot", { team: teamName }),
    list(
      poll.options.map((o) => [o.label]),
      true,
    ),
  ];
}

export function ballotActions(tr: Translator, poll: PollRow, teamRef: string): Action[] {
  return [...voteActions(poll, teamRef), action(tr.t("poll.retractButton"), `poll retract ${poll.number} --team ${teamRef}`, "danger")];
}

export function nativePoll(poll: PollRow, ended = false): NativePoll | undefined {
  if (!poll.native) return undefined;
  const native: NativePoll = {
    pollId: String(poll.id),
    question: poll.question,
    answers: poll.options.map((o) => ({ id: String(o.position), text: o.label })),
    maxSelections: Math.min(poll.maxSelections, poll.options.length),
    disclosed: !poll.hidden,
  };
  if (poll.closesAt) native.closesAt = poll.closesAt;
  if (ended) native.ended = true;
  return native;
}

export interface ResultOptions {
  final: boolean;
  /** Members seen in the team who have not voted. */
  missing: number;
  closedBy?: string;
  atDeadline?: boolean;
  /** The deadline passed while the bot was down: say when it was. */
  lateFrom?: Date;
}

/** Counts, bars, percentages, names unless anonymous, turnout; hidden polls show only turnout while open. */
export function resultBlocks(
  tr: Translator,
  poll: PollRow,
  tally: ChoiceTally,
  opts: ResultOptions,
): Block[] {
  const titleKey = opts.final ? "poll.finalTitle" : "poll.resultsTitle";
  const blocks: Block[] = [heading(...tr.tm(titleKey, { id: poll.number, question: poll.question }))];
  if (opts.closedBy) blocks.push(p(tr, "poll.closedBy", { name: opts.closedBy }));
  if (opts.lateFrom) blocks.push(p(tr, "poll.closedLate", { at: time(opts.lateFrom) }));
  else if (opts.atDeadline) blocks.push(p(tr, "poll.closedAtDeadline"));
  if (poll.hidden && !opts.final) {
    blocks.push(p(tr, "poll.hiddenResults", { count: tally.voters }));
    return blocks;
  }
  // Code points, not graphemes: enough to never cut a surrogate pair, which would make the message invalid.
  // eslint-disable-next-line @typescript-eslint/no-misused-spread
  const width = Math.min(28, Math.max(...tally.options.map((o) => [...o.option.label].length)));
  const cut = (s: string) => {
    // eslint-disable-next-line @typescript-eslint/no-misused-spread
    const points = [...s];
    return points.length > width ? `${points.slice(0, width - 1).join("")}…` : s.padEnd(width + s.length - points.length);
  };
  blocks.push(
    pre(
      tally.options
        .map(
          (o) =>
            `${String(o.option.position).padStart(2)}) ${cut(o.option.label)} ${bar(o.percent)} ${tr.t(
              "poll.votes",
              { count: o.count },
            )} (${tr.number(o.percent / 100, { style: "percent" })})`,
        )
        .join("\n"),
    ),
  );
  if (poll.anonymous) blocks.push(p(tr, "poll.namesHidden"));
  else {
    blocks.push(
      list(
        tally.options.map((o) =>
          tr.tm("poll.optionVoters", {
            option: o.option.label,
            names: o.voters.length > 0 ? tr.list(o.voters.map((m) => m.displayName || m.ref)) : tr.t("poll.nobody"),
          }),
        ),
      ),
    );
  }
  if (opts.final) blocks.push(winner(tr, tally));
  blocks.push(turnout(tr, "poll", tally.voters, opts.missing));
  return blocks;
}

/** "3 voted, 2 of the team have not voted yet": each count with its own plural form. */
export function turnout(tr: Translator, namespace: "poll" | "meetingPoll", voters: number, missing: number): Block {
  return p(tr, `${namespace}.turnout`, {
    voted: tr.t(`${namespace}.turnoutVoted`, { count: voters }),
    missing: tr.t(`${namespace}.turnoutMissing`, { count: missing }),
  });
}

function winner(tr: Translator, tally: ChoiceTally): Block {
  const top = Math.max(0, ...tally.options.map((o) => o.count));
  if (top === 0) return p(tr, "poll.noVotes");
  const leaders = tally.options.filter((o) => o.count === top).map((o) => o.option.label);
  if (leaders.length === 1) return p(tr, "poll.winner", { option: leaders[0] ?? "" });
  return p(tr, "poll.tie", { options: tr.list(leaders) });
}

/** A message to the team room outside a command (scheduled jobs), in the team's language and zone. */
export function roomMessage(
  team: { ref: string; language: string; timeZone: string },
  blocks: Block[],
  extra: Partial<OutgoingMessage> = {},
): OutgoingMessage {
  return {
    audience: { kind: "room", room: team.ref },
    lang: asLanguage(team.language),
    timeZone: team.timeZone,
    tone: "info",
    blocks,
    actions: [],
    attachments: [],
    ...extra,
  };
}
