import type { NativePollSupport } from "../../core/adapter.ts";
import type { When } from "../../core/args.ts";
import { whenInstant } from "../../core/when-args.ts";
import { UserError } from "../../core/errors.ts";
import type { DbOrTx } from "../../db/client.ts";
import { takeTurns } from "../../db/transaction.ts";
import type { Member } from "../../generated/prisma/client.ts";
import type { Scheduler } from "../../scheduler/port.ts";
import { type Actor, allow, requireCoordinator, type Scope } from "../actor.ts";
import { auditOthers } from "../audit.ts";
import { teamMembers } from "../directory.ts";
import type { Membership } from "../membership.ts";
import { standing } from "./close.ts";
import { closeJobKey, firstDuplicate, foldOption, limits, type NativeMisfit, nativeMisfit, type VoteShape } from "./model.ts";
import {
  assertOpen,
  createPoll,
  findTeamPoll,
  findTeamPollOfKind,
  markClosed,
  type NewPoll,
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
} from "./store.ts";
import { mapPage, type Page } from "../paging.ts";

/** A poll with its votes and how many members of the team have not voted. */
export interface PollStanding {
  poll: PollRow;
  votes: VoteShape[];
  missing: number;
}

export interface NewChoicePoll {
  question: string;
  options: readonly string[];
  /** Answers a member may choose: undefined one, 0 any number, n up to n. */
  multi?: number;
  anonymous: boolean;
  hidden: boolean;
  /** When it closes; a whole day means the end of that day in `timeZone`. */
  closes?: When;
  timeZone: string;
  /** Asked for the platform's own poll. */
  native: boolean;
  /** What the team's platform can show natively (its adapter's capability). */
  nativePolls: NativePollSupport | false;
  /** Votes in the team's room are seen by everyone (Matrix): an anonymous poll then takes ballots privately. */
  publicVotes?: boolean;
}

export interface PollsService {
  /** A choice poll in the team; native where asked for (or the team's or platform's default) and it fits. */
  create(scope: Scope, input: NewChoicePoll): Promise<{ poll: PollRow; misfit?: NativeMisfit }>;
  /** The member's choice becomes exactly these options (numbers or texts), or is added to with `add`. */
  vote(
    scope: Scope,
    pollId: number,
    options: readonly string[],
    add: boolean,
    direct?: boolean,
  ): Promise<{ poll: PollRow; selection: number[] }>;
  /** Withdraws the member's vote, or one option of it. */
  retract(
    scope: Scope,
    pollId: number,
    option?: string,
    direct?: boolean,
  ): Promise<{ poll: PollRow; removed: number; selection: number[]; optionLabel?: string }>;
  /** From a direct conversation: the scope of the team a ballot names, while the caller is its member. */
  teamScope(scope: Scope, teamRef: string): Promise<Scope>;
  /** Who gets a private ballot: the team's current members. */
  ballotMembers(scope: Scope): Promise<Member[]>;
  /** Any poll of the team (choice or date) with its votes. */
  standing(scope: Scope, pollId: number): Promise<PollStanding>;
  /** Creator or coordinator: closes the poll and drops its deadline. */
  close(scope: Scope, pollId: number): Promise<PollStanding>;
  /** A page of the team's open polls with how many members voted in each. */
  openPolls(scope: Scope, page?: number): Promise<Page<{ poll: PollRow; voters: number }>>;
  /** Creator or coordinator: members of the team who have not voted (not the caller). */
  nonVoters(scope: Scope, pollId: number): Promise<{ poll: PollRow; members: Pick<Member, "id" | "ref" | "displayName">[] }>;
  /** Coordinators: new polls of the team are native by default, where they fit. */
  setNativeDefault(scope: Scope, on: boolean): Promise<void>;
}

/** The creator of a poll or a coordinator may manage it. */
export function assertManager(actor: Actor, poll: Pick<PollRow, "createdById">): void {
  allow(poll.createdById === actor.member.id || actor.isCoordinator, "poll.errors.notAllowed");
}

/** A deadline typed as a whole day ("friday") means the end of that day. */
export const deadline = (when: When, zone: string): Date => whenInstant(when, "until", zone);

/** Creates the poll and plans its deadline in one transaction. */
export function postPoll(db: DbOrTx, scheduler: Scheduler, input: NewPoll): Promise<PollRow> {
  return writeTx(db, async (tx) => {
    const created = await createPoll(tx, input);
    if (input.closesAt) {
      const job = { kind: "poll.close", dueAt: input.closesAt, payload: { pollId: created.id }, key: closeJobKey(created.id) };
      await scheduler.schedule(job, tx);
    }
    return created;
  });
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
    const byNumber = /^\d{1,3}$/.test(token) ? poll.options.find((o) => o.position === Number(token)) : undefined;
    const found = byNumber ?? poll.options.find((o) => foldOption(o.label) === foldOption(token));
    if (!found) {
      throw new UserError("poll.errors.unknownOption", {
        id: poll.number,
        option: token.slice(0, 60),
        max: poll.options.length,
      });
    }
    if (!ids.includes(found.id)) ids.push(found.id);
  }
  return ids;
}

function checkOptions(options: readonly string[], multi: number | undefined): number {
  if (options.some((o) => o === "")) throw new UserError("poll.errors.emptyOption");
  if (options.length < limits.minOptions) throw new UserError("poll.errors.tooFewOptions", { count: limits.minOptions });
  if (options.length > limits.maxOptions) throw new UserError("poll.errors.tooManyOptions", { count: limits.maxOptions });
  const duplicate = firstDuplicate(options);
  if (duplicate !== undefined) throw new UserError("poll.errors.duplicateOption", { option: duplicate });
  const maxSelections = multi === undefined ? 1 : multi === 0 ? options.length : multi;
  if (maxSelections > options.length) throw new UserError("poll.errors.multiRange", { max: options.length });
  return maxSelections;
}

/** A poll with private ballots takes votes only in a direct conversation (the room would show who voted what). */
function assertPrivate(poll: PollRow, direct: boolean): void {
  if (poll.privateBallots && !direct) throw new UserError("poll.errors.votePrivately", { id: poll.number });
}

export function createPollsService(db: DbOrTx, scheduler: Scheduler, membership: Membership): PollsService {
  return {
    async create(scope, input) {
      const { options } = input;
      const maxSelections = checkOptions(options, input.multi);
      const asked = input.closes ? deadline(input.closes, input.timeZone) : undefined;
      const support = input.nativePolls;
      const preferred = support !== false && support.preferred;
      // Anonymous where room votes are public: ballots in direct messages, never a native poll.
      const privateBallots = input.anonymous && (input.publicVotes ?? false);
      const wantsNative = !privateBallots && (preferred || input.native || (await nativeDefault(db, scope.team.id)));
      const misfit = wantsNative
        ? nativeMisfit(
            {
              question: input.question,
              options,
              maxSelections,
              anonymous: input.anonymous,
              hidden: input.hidden,
              now: scope.now,
              ...(asked ? { closesAt: asked } : {}),
            },
            support,
          )
        : undefined;
      // A platform that ends its polls by itself (Discord, after 32 days): without a deadline the bot closes it then too.
      const endsByItself =
        wantsNative && misfit === undefined && !asked && support !== false && support.endsByItself && support.maxDays;
      const closesAt = endsByItself ? new Date(scope.now.getTime() + endsByItself * 86_400_000) : asked;
      const poll = await postPoll(db, scheduler, {
        teamId: scope.team.id,
        createdById: scope.actor.member.id,
        kind: "choice",
        question: input.question,
        options: options.map((label) => ({ label })),
        maxSelections,
        anonymous: input.anonymous,
        hidden: input.hidden,
        native: wantsNative && misfit === undefined,
        privateBallots,
        ...(closesAt ? { closesAt } : {}),
      });
      return misfit ? { poll, misfit } : { poll };
    },

    async teamScope(scope, teamRef) {
      const team = await db.team.findUnique({ where: { ref: teamRef } });
      if (!team || !(await membership.isMember(teamRef, scope.actor.member.ref))) {
        throw new UserError("poll.errors.notMember");
      }
      return { team, actor: { member: scope.actor.member, isCoordinator: false }, now: scope.now };
    },

    ballotMembers: (scope) => teamMembers(db, scope.team.id),

    vote(scope, pollId, tokens, add, direct = false) {
      const member = scope.actor.member.id;
      return writeTx(db, async (tx) => {
        const poll = await findTeamPollOfKind(tx, scope.team.id, pollId, "choice");
        assertOpen(poll, scope.now);
        assertPrivate(poll, direct);
        const chosen = resolveOptions(poll, tokens);
        // "At most N options" spans several rows: this member's votes on this poll take turns.
        await takeTurns(db, tx, poll.id, member);
        let selection = chosen;
        if (add) {
          const current = await selectionOf(tx, poll.id, member);
          // One answer only: adding means switching (a platform's "add" may come before its "remove").
          selection = poll.maxSelections === 1 ? chosen.slice(-1) : [...new Set([...current, ...chosen])];
        }
        if (selection.length > poll.maxSelections)
          throw new UserError("poll.errors.tooManySelected", { id: poll.number, count: poll.maxSelections });
        await setSelection(tx, poll.id, member, selection, scope.now);
        return { poll, selection };
      });
    },

    retract(scope, pollId, option, direct = false) {
      const member = scope.actor.member.id;
      return writeTx(db, async (tx) => {
        const poll = await findTeamPollOfKind(tx, scope.team.id, pollId, "choice");
        assertOpen(poll, scope.now);
        assertPrivate(poll, direct);
        const optionId = option === undefined ? undefined : resolveOptions(poll, [option])[0];
        const removed = await removeSelection(tx, poll.id, member, optionId);
        const selection = await selectionOf(tx, poll.id, member);
        const optionLabel = poll.options.find((o) => o.id === optionId)?.label;
        return optionLabel === undefined ? { poll, removed, selection } : { poll, removed, selection, optionLabel };
      });
    },

    async standing(scope, pollId) {
      const poll = await findTeamPoll(db, scope.team.id, pollId);
      return { poll, ...(await standing(db, poll)) };
    },

    async close(scope, pollId) {
      const poll = await writeTx(db, async (tx) => {
        const poll = await findTeamPoll(tx, scope.team.id, pollId);
        assertManager(scope.actor, poll);
        if (!(await markClosed(tx, poll.id, scope.now))) throw new UserError("poll.errors.closed", { id: poll.number });
        await scheduler.cancel(closeJobKey(poll.id), tx);
        await auditOthers(tx, scope, scope.team.id, "poll.close", poll.createdById, { number: poll.number });
        return poll;
      });
      return { poll, ...(await standing(db, poll)) };
    },

    async openPolls(scope, page) {
      const polls = await openPolls(db, scope.team.id, scope.now, page);
      return mapPage(polls, async (items) => {
        const counts = await voterCounts(
          db,
          items.map((p) => p.id),
        );
        return items.map((poll) => ({ poll, voters: counts.get(poll.id) ?? 0 }));
      });
    },

    async nonVoters(scope, pollId) {
      const poll = await findTeamPoll(db, scope.team.id, pollId);
      assertManager(scope.actor, poll);
      assertOpen(poll, scope.now);
      const { votes } = await standing(db, poll);
      const members = (await nonVoters(db, scope.team.id, votes)).filter((m) => m.id !== scope.actor.member.id);
      return { poll, members };
    },

    async setNativeDefault(scope, on) {
      requireCoordinator(scope.actor);
      await setNativeDefault(db, scope.team.id, on);
    },
  };
}
