import type { CommandFamily } from "../src/core/command.ts";
import { helpFamily } from "./help.ts";
import { meetingFamily } from "./meeting.ts";
import { meetingPollFamily } from "./meeting-poll.ts";
import { pollFamily } from "./poll.ts";
import { remindFamily } from "./remind.ts";
import { rrFamily } from "./rr.ts";
import { settingsFamily } from "./settings.ts";
import { taskFamily } from "./task.ts";

/** Every command family the bot offers, in help order. */
export const families: CommandFamily[] = [
  helpFamily,
  settingsFamily,
  pollFamily,
  rrFamily,
  taskFamily,
  remindFamily,
  meetingFamily,
  meetingPollFamily,
];
