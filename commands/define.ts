import type { ArgShape } from "../src/core/args.ts";
import {
  type AnyCommand,
  type CommandContext,
  type CommandFamily,
  type CommandSpec,
  defineCommand as defineCoreCommand,
} from "../src/core/command.ts";
import type { Scope } from "../src/features/actor.ts";
import type { Services } from "../src/features/services.ts";

/** A handler's context with the app's feature services. */
export type Ctx = CommandContext<Services>;
export type Command = AnyCommand<Services>;
export type Family = CommandFamily<Services>;

/** Declares a command whose handler gets the app's services (`ctx.services.polls` …). */
export function defineCommand<A extends ArgShape>(spec: CommandSpec<A, Services>): Command {
  return defineCoreCommand(spec);
}

/** Who acts in which team and when, as the feature services take it. */
export const scopeOf = (ctx: Ctx): Scope => ({ team: ctx.team, actor: ctx.actor, now: ctx.now });
