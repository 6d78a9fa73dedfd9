import type { InvocationInput } from "./command.ts";
import { UserError } from "./errors.ts";
import { bindArguments, normalizeInput, tokenize } from "./parse.ts";
import type { Registry } from "./registry.ts";

/**
 * What pressing a button (or picking a numbered choice) runs: the command its action
 * carries, as a structured invocation with the command's path and values. Adapters keep an
 * action's command where the platform lets them (a button's custom id, an event's content)
 * and hand it back through this when it is pressed, never composing commands themselves.
 * An action the registry cannot read (a stale button) goes to the core as typed, which
 * explains what is wrong.
 */
export function actionInput(registry: Registry, command: string): InvocationInput {
  try {
    const found = registry.resolve(tokenize(normalizeInput(command)));
    // Sentence-like arguments need the member's language and zone to split: the core reads those.
    if (found && !Object.values(found.command.args).some((a) => a.meta.take)) {
      return { kind: "structured", path: found.command.path, values: bindArguments(found.command, found.rest) };
    }
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
  }
  return { kind: "text", text: command, requirePrefix: false };
}
