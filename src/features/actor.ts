import type { Actor } from "../core/command.ts";
import { UserError } from "../core/errors.ts";
import type { Params } from "../core/i18n.ts";
import type { Team } from "../generated/prisma/client.ts";

export type { Actor };

/** Who acts, in which team, and when: what a use case needs to know about its caller. */
export interface Scope {
  team: Team;
  actor: Actor;
  now: Date;
}

/**
 * The one way use cases refuse: a permission rule that does not hold ends the use case
 * with its localized reason, before anything is changed.
 */
export function allow(allowed: boolean, key: string, params?: Params): asserts allowed {
  if (!allowed) throw new UserError(key, params);
}

/** Coordinators: Discord Manage Server/Channels, Matrix power level >= 50, console `:coord on`. */
export function requireCoordinator(actor: Actor): void {
  allow(actor.isCoordinator, "core.errors.coordinatorOnly");
}
