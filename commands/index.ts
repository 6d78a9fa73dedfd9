import { helpFamily } from "./help.ts";
import { meetingFamily } from "./meeting.ts";
import { meetingPollFamily } from "./meeting-poll.ts";
import { outboxFamily } from "./outbox.ts";
import { pollFamily } from "./poll.ts";
import { privacyFamily } from "./privacy.ts";
import { remindFamily } from "./remind.ts";
import { rrFamily } from "./rr.ts";
import { settingsFamily } from "./settings.ts";
import { taskFamily } from "./task.ts";
import type { Family } from "./define.ts";

/** Every command family the bot offers, in help order. */
export const families: Family[] = [
  helpFamily,
  settingsFamily,
  pollFamily,
  rrFamily,
  taskFamily,
  remindFamily,
  meetingFamily,
  meetingPollFamily,
  outboxFamily,
  privacyFamily,
];
