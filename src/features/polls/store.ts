import { z } from "zod";
import { UserError } from "../../core/errors.ts";
import type { DbOrTx, Tx } from "../../db/client.ts";
import { retryingTransaction } from "../../db/transaction.ts";
import { type Poll, type PollOption, Prisma } from "../../generated/prisma/client.ts";
import { type Page, readPage } from "../paging.ts";
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

/** A poll row and its options' rows as read by the statements below (the types keep them complete). */
const pollRow = z.object({
  id: z.number(),
  teamId: z.number(),
  number: z.number(),
  kind: z.enum(["choice", "date"]),
  question: z.string(),
  createdById: z.number(),
  maxSelections: z.number(),
  anonymous: z.boolean(),
  hidden: z.boolean(),
  native: z.boolean(),
  privateBallots: z.boolean(),
  durationMinutes: z.number().nullable(),
  closesAt: z.date().nullable(),
  closedAt: z.date().nullable(),
  pickedOptionId: z.number().nullable(),
  meetingId: z.number().nullable(),
  createdAt: z.date(),
}) satisfies z.ZodType<Poll>;
const optionRows = z.array(
  z.object({
    id: z.number(),
    pollId: z.number(),
    position: z.number(),
    label: z.string(),
    startsAt: z.date().nullable(),
    allDay: z.boolean(),
  }) satisfies z.ZodType<PollOption>,
);

/**
 * The team's poll with this number; another team's poll is "not found", never shown.
 * Written out: every vote reads it, and Prisma's two statements cost five times these two.
 */
export async function findTeamPoll(db: DbLike, teamId: number, id: number): Promise<PollRow> {
  const rows = await db.$queryRaw<unknown[]>`SELECT * FROM "Poll" WHERE "number" = ${id} AND "teamId" = ${teamId}`;
  if (rows.length === 0) throw new UserError("poll.errors.notFound", { id });
  const poll: Poll = pollRow.parse(rows[0]);
  const options = optionRows.parse(
    await db.$queryRaw<unknown[]>`SELECT * FROM "PollOption" WHERE "pollId" = ${poll.id} ORDER BY "position"`,
  );
  return { ...poll, options };
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

/**
 * Makes the member's choice exactly these options (one row per option, unique in the
 * database): two statements, the second an `INSERT … ON CONFLICT DO NOTHING` of them all.
 */
export async function setSelection(
  tx: Tx,
  pollId: number,
  memberId: number,
  optionIds: readonly number[],
  now: Date,
): Promise<void> {
  if (optionIds.length === 0) {
    await tx.$executeRaw`DELETE FROM "PollVote" WHERE "pollId" = ${pollId} AND "memberId" = ${memberId}`;
    return;
  }
  await tx.$executeRaw`
    DELETE FROM "PollVote" WHERE "pollId" = ${pollId} AND "memberId" = ${memberId} AND "optionId" NOT IN (${Prisma.join([...optionIds])})`;
  const rows = optionIds.map((optionId) => Prisma.sql`(${pollId}, ${memberId}, ${optionId}, 'yes', ${now}, ${now})`);
  await tx.$executeRaw`
    INSERT INTO "PollVote" ("pollId", "memberId", "optionId", "answer", "createdAt", "updatedAt")
    VALUES ${Prisma.join(rows)} ON CONFLICT ("pollId", "memberId", "optionId") DO NOTHING`;
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

/** One page of the team's open polls, oldest first. */
export function openPolls(db: DbLike, teamId: number, now: Date, page: number | undefined): Promise<Page<PollRow>> {
  const where = { teamId, closedAt: null, OR: [{ closesAt: null }, { closesAt: { gt: now } }] };
  return readPage(
    page,
    () => db.poll.count({ where }),
    (window) => db.poll.findMany({ where, include: withOptions, orderBy: { id: "asc" }, ...window }),
  );
}

/** How many members voted in each poll, counted by the database (not a row per vote). */
export async function voterCounts(db: DbLike, pollIds: number[]): Promise<Map<number, number>> {
  if (pollIds.length === 0) return new Map();
  const rows = await db.$queryRaw<{ pollId: number; voters: number | bigint }[]>`
    SELECT "pollId", COUNT(DISTINCT "memberId") AS "voters" FROM "PollVote"
    WHERE "pollId" IN (${Prisma.join(pollIds)}) GROUP BY "pollId"`;
  return new Map(rows.map((r) => [r.pollId, Number(r.voters)]));
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
