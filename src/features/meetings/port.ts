import type { Attachment } from "../../core/message.ts";
import type { Tx } from "../../db/client.ts";

/** A meeting another feature (meeting-date polls) plans. */
export interface MeetingInput {
  /** Team room reference. */
  teamRef: string;
  title: string;
  startsAt: Date;
  durationMinutes: number;
  /** A whole-day meeting: `startsAt` is that day's midnight in the team's zone. */
  allDay: boolean;
  location?: string;
  /** Member reference of who created it. */
  createdBy: string;
}

/** What other features need from the meetings feature (the meetings service offers it). */
export interface MeetingsPort {
  /** Creates the meeting and plans its reminders at the team's offsets, in the given transaction. */
  create(input: MeetingInput, tx?: Tx): Promise<{ id: number; number: number }>;
  /** The meeting as an iCalendar (.ics) file. */
  ics(meetingId: number): Promise<Attachment>;
}
