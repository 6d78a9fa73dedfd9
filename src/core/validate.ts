import type { ParseContext, RawValue } from "./args.ts";
import type { AnyCommand } from "./command.ts";
import { UserError } from "./errors.ts";
import type { Registry } from "./registry.ts";
import { zodErrorMap } from "./zod-errors.ts";

/** Validates raw values against a command's arguments; one user error lists every problem. */
export function validateArguments<S>(
  registry: Registry<S>,
  command: AnyCommand<S>,
  raw: Record<string, RawValue>,
  pc: ParseContext,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  const errorMap = zodErrorMap(pc.tr);
  for (const [key, spec] of Object.entries(command.args)) {
    const input = raw[key];
    // Named only in an error (translating every argument's name cost a vote storm a tenth of its time).
    const label = () => registry.argLabel(command, key, pc.tr);
    if (input === undefined && spec.meta.required) {
      problems.push(pc.tr.t("core.errors.missingArgument", { name: label() }));
      continue;
    }
    const result = spec.schema(pc).safeParse(input, { error: errorMap });
    if (result.success) values[key] = result.data;
    else problems.push(`${label()}: ${result.error.issues[0]?.message ?? ""}`);
  }
  if (problems.length > 0) {
    throw new UserError("core.errors.invalidArguments", { problems: problems.join("; ") }, [
      registry.usage(command, pc.tr),
    ]);
  }
  return values;
}
