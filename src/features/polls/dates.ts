import type { Duration } from "luxon";
import type { When } from "../../core/args.ts";
import { dateAsUtcMidnight, dateOf } from "../../core/when/index.ts";
import { UserError } from "../../core/errors.ts";
import type { Logger } from "../../core/log.ts";
import type { Attachment } from "../../core/message.ts";
import type { DbOrTx } from "../../db/client.ts";
import type { PollOption } from "../../generated/prisma/client.ts";
import type { Scheduler } from "../../scheduler/port.ts";
import type { Scope } from "../actor.ts";
import type { MeetingsPort } from "../meetings/port.ts";
import { standing } from "./close.ts";
import { closeJobKey, type DateAnswer, limits } from "./model.ts";
import { assertManager, deadline, type PollStanding, postPoll } from "./service.ts";
import {
  assertOpen,
  findTeamPollOfKind,
  markClosed,
  type PollRow,
  setDateAnswers,
  writeTx,
} from "./store.ts";

export interface NewDatePoll {
  title: string;
  slots: readonly When[];
  /** How long the meeting takes (60 minutes by default). */
  duration?: Duration;
  closes?: When;
  /** The zone the slots were typed in. */
  timeZone: string;
}

export interface PickedDate extends PollStanding {
  slot: PollOption;
  meetingId: number;
  /** The meeting's .ics, unless it could not be built. */
  attachments: Attachment[];
}

export interface DatePollsService {
  /** A poll for a meeting date: members answer each slot with yes, if need be or no. */
  create(scope: Scope, input: NewDatePoll): Promise<PollStanding>;
  /** The member's answer for one slot ("2") or every slot ("all"). */
  answer(scope: Scope, pollId: number, slot: string, answer: DateAnswer): Promise<{ poll: PollRow; slots: PollOption[] }>;
  availability(scope: Scope, pollId: number): Promise<PollStanding>;
  /** Creator or coordinator: closes the poll and plans the meeting at the slot. */
  pick(scope: Scope, pollId: number, slot: string): Promise<PickedDate>;
}

/** Whole days are stored as UTC midnight of their date, so they keep their date in every zone. */
function normalizeSlot(slot: When): { startsAt: Date; allDay: boolean } {
  return slot.kind === "date"
    ? { startsAt: dateAsUtcMidnight(slot.date), allDay: true }
    : { startsAt: slot.at, allDay: false };
}

/** "2" -> that slot; "all"/"alle" -> every slot. */
function resolveSlots(poll: PollRow, token: string, allowAll: boolean): PollOption[] {
  const word = token.trim().toLowerCase();
  if (allowAll && ["all", "alle"].includes(word)) return poll.options;
  const found = /^\d{1,2}$/.test(word) ? poll.options.find((o) => o.position === Number(word)) : undefined;
  if (!found)
    throw new UserError("meetingPoll.errors.unknownSlot", {
      id: poll.number,
      slot: token.slice(0, 20),
      max: poll.options.length,
    });
  return [found];
}

export function createDatePollsService(
  db: DbOrTx,
  scheduler: Scheduler,
  meetings: MeetingsPort,
  log: Logger,
): DatePollsService {
  return {
    async create(scope, input) {
      if (input.slots.length < limits.minSlots)
        throw new UserError("meetingPoll.errors.tooFewSlots", { count: limits.minSlots });
      if (input.slots.length > limits.maxSlots)
        throw new UserError("meetingPoll.errors.tooManySlots", { count: limits.maxSlots });
      const slots = input.slots.map(normalizeSlot);
      const seen = new Set<string>();
      slots.forEach((s, i) => {
        const key = `${s.allDay}:${s.startsAt.getTime()}`;
        if (seen.has(key)) throw new UserError("meetingPoll.errors.duplicateSlot", { slot: i + 1 });
        seen.add(key);
      });
      const closesAt = input.closes ? deadline(input.closes, input.timeZone) : undefined;
      const poll = await postPoll(db, scheduler, {
        teamId: scope.team.id,
        createdById: scope.actor.member.id,
        kind: "date",
        question: input.title,
        options: slots.map((s) => ({
          label: s.allDay ? s.startsAt.toISOString().slice(0, 10) : s.startsAt.toISOString(),
          startsAt: s.startsAt,
          allDay: s.allDay,
        })),
        maxSelections: slots.length,
        anonymous: false,
        hidden: false,
        native: false,
        durationMinutes: Math.round(input.duration?.as("minutes") ?? 60),
        ...(closesAt ? { closesAt } : {}),
      });
      return { poll, ...(await standing(db, poll)) };
    },

    answer(scope, pollId, slot, answer) {
      return writeTx(db, async (tx) => {
        const poll = await findTeamPollOfKind(tx, scope.team.id, pollId, "date");
        assertOpen(poll, scope.now);
        const slots = resolveSlots(poll, slot, true);
        await setDateAnswers(
          tx,
          poll.id,
          scope.actor.member.id,
          slots.map((s) => s.id),
          answer,
        );
        return { poll, slots };
      });
    },

    async availability(scope, pollId) {
      const poll = await findTeamPollOfKind(db, scope.team.id, pollId, "date");
      return { poll, ...(await standing(db, poll)) };
    },

    async pick(scope, pollId, slotWord) {
      const { poll, slot, meetingId } = await writeTx(db, async (tx) => {
        const poll = await findTeamPollOfKind(tx, scope.team.id, pollId, "date");
        assertManager(scope.actor, poll);
        const [slot] = resolveSlots(poll, slotWord, false);
        if (!slot?.startsAt)
          throw new UserError("meetingPoll.errors.unknownSlot", { id: poll.number, slot: slotWord, max: poll.options.length });
        const claimed = await tx.poll.updateMany({
          where: { id: poll.id, pickedOptionId: null },
          data: { pickedOptionId: slot.id },
        });
        if (claimed.count === 0) throw new UserError("meetingPoll.errors.alreadyPicked", { id: poll.number });
        await markClosed(tx, poll.id, scope.now);
        await scheduler.cancel(closeJobKey(poll.id), tx);
        const { id: meetingId } = await meetings.create(
          {
            teamRef: scope.team.ref,
            title: poll.question,
            start: slot.allDay
              ? { kind: "date", date: dateOf(slot.startsAt, "UTC") }
              : { kind: "instant", at: slot.startsAt },
            durationMinutes: slot.allDay ? 1440 : (poll.durationMinutes ?? 60),
            createdBy: scope.actor.member.ref,
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
        log.error({ err: error, meetingId }, "could not build the meeting's .ics");
      }
      return { poll, slot, meetingId, attachments, ...(await standing(db, poll)) };
    },
  };
}
