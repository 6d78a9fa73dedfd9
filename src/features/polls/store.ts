import { UserError } from "../../core/errors.ts";
import type { DbOrTx, Tx } from "../../db/client.ts";
import { retryingTransaction } from "../../db/transaction.ts";
import type { Poll, PollOption } from "../../generated/prisma/client.ts";
import { teamMembers } from "../directory.ts";
import { nextNumber } from "../numbers.ts";
import { type DateAnswer, isOpen, type PollKind, type VoteShape } from "./model.ts";

export type PollRow = Poll & { options: PollOption[] };
type DbLike = DbOrTx;

export interface NewPoll {
  teamId: number;
  createdById: number;
  kind: PollKind;
  question: string;
  options: { label: string; startsAt?: Date; allDay?: boolean }[];
  maxSelections: number;
  anonymous: boolean;
  hidden: boolean;
  native: boolean;
  privateBallots?: boolean;
  durationMinutes?: number;
  closesAt?: Date;
}

const withOptions = { options: { orderBy: { position: "asc" } } } as const;

export async function createPoll(tx: Tx, input: NewPoll): Promise<PollRow> {
  return tx.poll.create({
    data: {
      teamId: input.teamId,
      number: await nextNumber(tx, input.teamId, "poll"),
      createdById: input.createdById,
      kind: input.kind,
      question: input.question,
      maxSelections: input.maxSelections,
      anonymous: input.anonymous,
      hidden: input.hidden,
      native: input.native,
      privateBallots: input.privateBallots ?? false,
      durationMinutes: input.durationMinutes ?? null,
      closesAt: input.closesAt ?? null,
      options: {
        create: input.options.map((o, i) => ({
          position: i + 1,
          label: o.label,
          startsAt: o.startsAt ?? null,
          allDay: o.allDay ?? false,
        })),
      },
    },
    include: withOptions,
  });
}

/** The team's poll with this number; another team's poll is "not found", never shown. */
export async function findTeamPoll(db: DbLike, teamId: number, id: number): Promise<PollRow> {
  const poll = await db.poll.findFirst({ where: { number: id, teamId }, include: withOptions });
  if (!poll) throw new UserError("poll.errors.notFound", { id });
  return poll;
}

/** Like findTeamPoll, and the poll must be of this kind. */
export async function findTeamPollOfKind(
  db: DbLike,
  teamId: number,
  id: number,
  kind: PollKind,
): Promise<PollRow> {
  const poll = await findTeamPoll(db, teamId, id);
  if (poll.kind !== kind) {
    throw new UserError(kind === "choice" ? "poll.errors.isDatePoll" : "poll.errors.isChoicePoll", { id });
  }
  return poll;
}

export function assertOpen(poll: PollRow, now: Date): void {
  if (!isOpen(poll, now)) throw new UserError("poll.errors.closed", { id: poll.number });
}

export async function loadVotes(db: DbLike, pollId: number): Promise<VoteShape[]> {
  return db.pollVote.findMany({
    where: { pollId },
    select: {
      optionId: true,
      memberId: true,
      answer: true,
      member: { select: { id: true, ref: true, displayName: true } },
    },
    orderBy: { id: "asc" },
  });
}

/** The member's options in a poll (option ids). */
export async function selectionOf(db: DbLike, pollId: number, memberId: number): Promise<number[]> {
  const rows = await db.pollVote.findMany({ where: { pollId, memberId }, select: { optionId: true } });
  return rows.map((r) => r.optionId);
}

/** Makes the member's choice exactly these options (one row per option, unique in the database). */
export async function setSelection(
  tx: Tx,
  pollId: number,
  memberId: number,
  optionIds: readonly number[],
): Promise<void> {
  await tx.pollVote.deleteMany({ where: { pollId, memberId, optionId: { notIn: [...optionIds] } } });
  const existing = new Set(await selectionOf(tx, pollId, memberId));
  for (const optionId of optionIds) {
    if (!existing.has(optionId)) await tx.pollVote.create({ data: { pollId, memberId, optionId } });
  }
}

export async function removeSelection(
  tx: Tx,
  pollId: number,
  memberId: number,
  optionId?: number,
): Promise<number> {
  const result = await tx.pollVote.deleteMany({
    where: optionId === undefined ? { pollId, memberId } : { pollId, memberId, optionId },
  });
  return result.count;
}

export async function setDateAnswers(
  tx: Tx,
  pollId: number,
  memberId: number,
  optionIds: readonly number[],
  answer: DateAnswer,
): Promise<void> {
  for (const optionId of optionIds) {
    await tx.pollVote.upsert({
      where: { pollId_memberId_optionId: { pollId, memberId, optionId } },
      create: { pollId, memberId, optionId, answer },
      update: { answer },
    });
  }
}

/** Closes the poll if it is still unclosed; false when someone else closed it first. */
export async function markClosed(tx: Tx, pollId: number, at: Date): Promise<boolean> {
  const result = await tx.poll.updateMany({ where: { id: pollId, closedAt: null }, data: { closedAt: at } });
  return result.count === 1;
}

export function openPolls(db: DbLike, teamId: number, now: Date): Promise<PollRow[]> {
  return db.poll.findMany({
    where: { teamId, closedAt: null, OR: [{ closesAt: null }, { closesAt: { gt: now } }] },
    include: withOptions,
    orderBy: { id: "asc" },
  });
}

export async function voterCounts(db: DbLike, pollIds: number[]): Promise<Map<number, number>> {
  const rows = await db.pollVote.findMany({
    where: { pollId: { in: pollIds } },
    select: { pollId: true, memberId: true },
    distinct: ["pollId", "memberId"],
  });
  const counts = new Map<number, number>();
  for (const r of rows) counts.set(r.pollId, (counts.get(r.pollId) ?? 0) + 1);
  return counts;
}

/** Members seen in the team who have not answered the poll. */
export async function nonVoters(
  db: DbOrTx,
  teamId: number,
  votes: readonly VoteShape[],
): Promise<{ id: number; ref: string; displayName: string }[]> {
  const voted = new Set(votes.map((v) => v.memberId));
  return (await teamMembers(db, teamId)).filter((m) => !voted.has(m.id));
}

/** One write transaction, repeated when it lost a race with another writer (main's helper). */
export function writeTx<T>(db: DbOrTx, work: (tx: Tx) => Promise<T>): Promise<T> {
  return retryingTransaction(db, work);
}

/** Whether the team wants native polls without --native. */
export async function nativeDefault(db: DbLike, teamId: number): Promise<boolean> {
  const row = await db.pollSettings.findUnique({ where: { teamId } });
  return row?.nativeDefault ?? false;
}

export async function setNativeDefault(db: DbOrTx, teamId: number, on: boolean): Promise<void> {
  await db.pollSettings.upsert({
    where: { teamId },
    create: { teamId, nativeDefault: on },
    update: { nativeDefault: on },
  });
}
