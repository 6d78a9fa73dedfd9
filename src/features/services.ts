import type { OutgoingMessage } from "../core/message.ts";
import type { AnyJobHandler, Scheduler } from "../scheduler/port.ts";
import type { Directory } from "./directory.ts";
import { meetingRemindJob } from "./meetings/job.ts";
import type { MeetingsService } from "./meetings/service.ts";
import { pollCloseJob } from "./polls/close.ts";
import type { DatePollsService } from "./polls/dates.ts";
import type { PollsService } from "./polls/service.ts";
import type { PrivacyService } from "./privacy/service.ts";
import { rapidJobs } from "./rapid/jobs.ts";
import type { RapidService } from "./rapid/service.ts";
import { retentionJob } from "./privacy/retention.ts";
import { reminderJob } from "./reminders/job.ts";
import type { RemindersService } from "./reminders/service.ts";
import { digestJob, remindJob } from "./tasks/reminders.ts";
import type { TasksService } from "./tasks/use-cases.ts";

/**
 * Everything command handlers may use, built once in `src/app.ts`: one use-case service
 * per feature, the scheduler's port, and delivery of messages outside the current reply.
 */
export interface Services {
  /** Sends messages to other rooms or members (failures are recorded, never thrown). */
  deliver(messages: OutgoingMessage[]): Promise<void>;
  scheduler: Scheduler;
  directory: Directory;
  polls: PollsService;
  datePolls: DatePollsService;
  tasks: TasksService;
  rapid: RapidService;
  reminders: RemindersService;
  meetings: MeetingsService;
  privacy: PrivacyService;
}

/** The scheduled job kinds the features run (reminders, deadlines, escalations). */
export const featureJobs: readonly AnyJobHandler[] = [
  pollCloseJob,
  ...rapidJobs,
  remindJob,
  digestJob,
  reminderJob,
  meetingRemindJob,
  retentionJob,
];
