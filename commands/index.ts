import type { CommandFamily } from "../src/core/command.ts";
import { helpFamily } from "./help.ts";
import { meetingPollFamily } from "./meeting-poll.ts";
import { pollFamily } from "./poll.ts";
import { settingsFamily } from "./settings.ts";

/** Every command family the bot offers, in help order. */
export const families: CommandFamily[] = [helpFamily, settingsFamily, pollFamily, meetingPollFamily];
