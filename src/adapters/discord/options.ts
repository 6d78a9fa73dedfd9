import { z } from "zod";
import type { RawValue } from "../../core/args.ts";
import type { AnyCommand } from "../../core/command.ts";
import { UserError } from "../../core/errors.ts";
import { optionName, tokenize } from "../../core/parse.ts";
import { isListOption } from "./commands.ts";

/** An interaction's option tree as Discord sends it (validated: it is external input). */
export interface OptionNode {
  name: string;
  type: number;
  value?: string | number | boolean | undefined;
  options?: OptionNode[] | undefined;
  focused?: boolean | undefined;
}

const optionNodeSchema: z.ZodType<OptionNode> = z.lazy(() =>
  z.object({
    name: z.string(),
    type: z.number().int(),
    value: z.union([z.string(), z.number(), z.boolean()]).optional(),
    options: z.array(optionNodeSchema).optional(),
    focused: z.boolean().optional(),
  }),
);
export const optionTreeSchema = z.array(optionNodeSchema);

const subcommand = 1;
const subcommandGroup = 2;
const userType = 6;

/** The command path ("settings team timezone") and the leaf options of a slash command. */
export function flattenOptions(
  commandName: string,
  options: OptionNode[],
): { path: string[]; leaves: OptionNode[] } {
  const path = [commandName];
  let leaves = options;
  for (;;) {
    const first = leaves[0];
    if (!first || (first.type !== subcommand && first.type !== subcommandGroup)) break;
    path.push(first.name);
    leaves = first.options ?? [];
  }
  return { path, leaves };
}

/** A list typed in one option: split on ";" when there is one, else like a command line. */
export function splitList(value: string): string[] {
  if (value.includes(";")) {
    return value
      .split(";")
      .map((v) => v.trim())
      .filter((v) => v !== "");
  }
  try {
    return tokenize(value).map((t) => t.value);
  } catch (error) {
    if (!(error instanceof UserError)) throw error;
    return value.split(/\s+/).filter((v) => v !== "");
  }
}

/** Maps option values to the command's argument keys, as raw values the core validates. */
export function valuesFor(command: AnyCommand, leaves: OptionNode[]): Record<string, RawValue> {
  const values: Record<string, RawValue> = {};
  for (const [key, spec] of Object.entries(command.args)) {
    const node = leaves.find((o) => o.name === optionName(key));
    if (!node || node.value === undefined) continue;
    const value = node.value;
    if (node.type === userType) values[key] = `<@${String(value)}>`;
    else if (isListOption(spec.meta)) values[key] = splitList(String(value));
    else values[key] = value;
  }
  return values;
}
