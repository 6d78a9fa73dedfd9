import type { AnyJobHandler, AnySentHandler, Scheduler } from "../scheduler/port.ts";
import type { DeliveriesService } from "./deliveries/service.ts";
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
import { reminderJob, reminderSent } from "./reminders/job.ts";
import type { RemindersService } from "./reminders/service.ts";
import { digestJob, remindJob } from "./tasks/reminders.ts";
import type { TasksService } from "./tasks/use-cases.ts";

/**
 * Everything command handlers may use, built in `src/app.ts` on the command's transaction:
 * one use-case service per feature and the scheduler's port. Messages to other rooms or
 * members are not sent from here: handlers return them, and the core writes them to the
 * outbox with the command's changes.
 */
export interface Services {
  scheduler: Scheduler;
  deliveries: DeliveriesService;
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

/** What features record once one of their messages was sent (a reminder becomes delivered). */
export const featureSentHandlers: readonly AnySentHandler[] = [reminderSent];
