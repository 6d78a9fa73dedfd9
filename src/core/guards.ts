import type { Guard } from "./command.ts";
import { UserError } from "./errors.ts";

/** Commands that act for a team must be used in the team's room, not in a direct conversation. */
export const teamRoomOnly: Guard = {
  name: "teamRoomOnly",
  check: (ctx) => (ctx.invocation.isDirect ? new UserError("core.errors.teamRoomOnly") : undefined),
};
