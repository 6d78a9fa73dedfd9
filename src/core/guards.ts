import type { Guard } from "./command.ts";
import { UserError } from "./errors.ts";

/** Coordinators: Discord Manage Server/Channels, Matrix power level >= 50, console `:coord on`. */
export const coordinatorOnly: Guard = {
  name: "coordinatorOnly",
  check: (ctx) => (ctx.isCoordinator ? undefined : new UserError("core.errors.coordinatorOnly")),
};

/** Commands that act for a team must be used in the team's room, not in a direct conversation. */
export const teamRoomOnly: Guard = {
  name: "teamRoomOnly",
  check: (ctx) => (ctx.invocation.isDirect ? new UserError("core.errors.teamRoomOnly") : undefined),
};
