import type { Attachment } from "../../core/message.ts";
import type { When } from "../../core/when/index.ts";
import type { Tx } from "../../db/client.ts";

/** A meeting another feature (meeting-date polls) plans. */
export interface MeetingInput {
  /** Team room reference. */
  teamRef: string;
  title: string;
  /** An instant, or the first day of a whole-day meeting (a calendar date, the same in every zone). */
  start: When;
  /** Whole-day meetings: whole days (1440 minutes each). */
  durationMinutes: number;
  location?: string;
  /** A series: its DTSTART and RRULE lines (the meetings feature writes them; see series.ts). */
  series?: string;
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
