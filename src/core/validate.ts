import type { ParseContext, RawValue } from "./args.ts";
import type { AnyCommand } from "./command.ts";
import { UserError } from "./errors.ts";
import { optionName } from "./parse.ts";
import { usage } from "./registry.ts";
import type { Language } from "./time.ts";
import { zodErrorMap } from "./zod-errors.ts";

/** How an argument is named in an error: `<question>` or `--closes`. */
function argLabel(key: string, positional: boolean, lang: Language, names?: Partial<Record<Language, string>>) {
  return positional ? `<${names?.[lang] ?? optionName(key)}>` : `--${optionName(key)}`;
}

/** Validates raw values against a command's arguments; one user error lists every problem. */
export function validateArguments(
  command: AnyCommand,
  raw: Record<string, RawValue>,
  pc: ParseContext,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  const errorMap = zodErrorMap(pc.tr);
  for (const [key, spec] of Object.entries(command.args)) {
    const input = raw[key];
    const label = argLabel(key, spec.meta.positional, pc.lang, spec.meta.names);
    if (input === undefined && spec.meta.required) {
      problems.push(pc.tr.t("core.errors.missingArgument", { name: label }));
      continue;
    }
    const result = spec.schema(pc).safeParse(input, { error: errorMap });
    if (result.success) values[key] = result.data;
    else problems.push(`${label}: ${result.error.issues[0]?.message ?? ""}`);
  }
  if (problems.length > 0) {
    throw new UserError("core.errors.invalidArguments", { problems: problems.join("; ") }, [
      usage(command, pc.lang),
    ]);
  }
  return values;
}
