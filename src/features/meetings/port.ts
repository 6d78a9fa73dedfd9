import type { Attachment } from "../../core/message.ts";
import type { Tx } from "../../db/client.ts";

/** What other features (meeting-date polls) need from the meetings feature. */
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

export interface MeetingsService {
  /** Creates the meeting and plans its reminders at the team's offsets, in the given transaction. */
  create(input: MeetingInput, tx?: Tx): Promise<{ id: number }>;
  /** The meeting as an iCalendar (.ics) file. */
  ics(meetingId: number): Promise<Attachment>;
}

declare module "../../core/services.ts" {
  interface Services {
    meetings: MeetingsService;
  }
}
