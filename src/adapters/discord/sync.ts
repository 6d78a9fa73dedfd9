import { z } from "zod";
import type { SlashCommand } from "./commands.ts";

/**
 * Compares the commands we derive with what Discord has, as Sapphire does: both sides are
 * read through the same schema, which keeps only the fields we set and fills Discord's
 * defaults, so ids, versions and permission fields never count as a change.
 */
const localizations = z
  .record(z.string(), z.string())
  .nullish()
  .transform((v) => Object.fromEntries(Object.entries(v ?? {}).sort(([a], [b]) => a.localeCompare(b))));

interface NormalOption {
  type: number;
  name: string;
  name_localizations: Record<string, string>;
  description: string;
  description_localizations: Record<string, string>;
  required: boolean;
  autocomplete: boolean;
  choices: { name: string; value: string | number }[];
  min_value: number | null;
  max_value: number | null;
  min_length: number | null;
  max_length: number | null;
  options: NormalOption[];
}

const optionSchema: z.ZodType<NormalOption> = z.lazy(() =>
  z.object({
    type: z.number().int(),
    name: z.string(),
    name_localizations: localizations,
    description: z.string(),
    description_localizations: localizations,
    required: z
      .boolean()
      .nullish()
      .transform((v) => v ?? false),
    autocomplete: z
      .boolean()
      .nullish()
      .transform((v) => v ?? false),
    choices: z
      .array(z.object({ name: z.string(), value: z.union([z.string(), z.number()]) }))
      .nullish()
      .transform((v) => v ?? []),
    min_value: z
      .number()
      .nullish()
      .transform((v) => v ?? null),
    max_value: z
      .number()
      .nullish()
      .transform((v) => v ?? null),
    min_length: z
      .number()
      .nullish()
      .transform((v) => v ?? null),
    max_length: z
      .number()
      .nullish()
      .transform((v) => v ?? null),
    options: z
      .array(optionSchema)
      .nullish()
      .transform((v) => v ?? []),
  }),
);

const numbers = z.array(z.number().int()).nullish();

const commandSchema = z.object({
  type: z
    .number()
    .int()
    .nullish()
    .transform((v) => v ?? 1),
  name: z.string(),
  name_localizations: localizations,
  description: z.string(),
  description_localizations: localizations,
  options: z
    .array(optionSchema)
    .nullish()
    .transform((v) => v ?? []),
  // Defaults as Discord fills them: every context, installed to servers.
  contexts: numbers.transform((v) => (v ? [...v].sort() : null)),
  integration_types: numbers.transform((v) => (v ? [...v].sort() : [0])),
});

function canonical(list: unknown): string {
  const parsed = z.array(commandSchema).parse(list);
  return JSON.stringify(parsed.sort((a, b) => a.name.localeCompare(b.name)));
}

/** True when Discord's commands (the GET answer, read `?with_localizations=true`) already match ours. */
export function sameCommands(local: SlashCommand[], remote: unknown): boolean {
  const result = z.array(z.unknown()).safeParse(remote);
  if (!result.success) return false;
  try {
    return canonical(local) === canonical(result.data);
  } catch {
    return false;
  }
}
