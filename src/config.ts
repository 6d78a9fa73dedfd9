import { z } from "zod";
import { isValidTimeZone, languages } from "./core/time.ts";

const optionalText = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const booleanText = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((v) => v === "true" || v === "1" || v === "yes");

/** A switch that is on unless set to false, 0 or no. */
const booleanOnText = z
  .enum(["true", "false", "1", "0", "yes", "no", ""])
  .optional()
  .transform((v) => !(v === "false" || v === "0" || v === "no"));

/** Every environment variable the bot reads; `.env.example` documents each one. */
export const configSchema = z
  .object({
    DATABASE_URL: z
      .string()
      .trim()
      .default("file:./data/teambot.db")
      .refine((v) => v.startsWith("file:") || /^postgres(ql)?:\/\/[^/]/.test(v), {
        message: "must be a file: URL (SQLite file) or a postgresql:// URL",
      }),
    LOG_LEVEL: optionalText.pipe(
      z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).optional(),
    ),
    DEFAULT_LANGUAGE: z.enum(languages).default("de"),
    DEFAULT_TIMEZONE: z
      .string()
      .default("Europe/Berlin")
      .refine(isValidTimeZone, { message: "must be an IANA time zone such as Europe/Berlin" }),
    CONSOLE: booleanText,
    CONSOLE_MEMBER: z
      .string()
      .regex(/^[\p{L}\p{N}_.-]{1,32}$/u, "must be a simple name (letters, digits, _ . -)")
      .default("me"),
    CONSOLE_ROOM: z
      .string()
      .regex(/^[\p{L}\p{N}_.-]{1,32}$/u, "must be a simple name (letters, digits, _ . -)")
      .default("main"),
    DISCORD_TOKEN: optionalText,
    DISCORD_APPLICATION_ID: optionalText.pipe(
      z
        .string()
        .regex(/^\d{5,25}$/, "must be a numeric id")
        .optional(),
    ),
    DISCORD_GUILD_ID: optionalText.pipe(
      z
        .string()
        .regex(/^\d{5,25}$/, "must be a numeric id")
        .optional(),
    ),
    DISCORD_API_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    MATRIX_HOMESERVER_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
    MATRIX_ACCESS_TOKEN: optionalText,
    MATRIX_USER_ID: optionalText.pipe(
      z
        .string()
        .regex(/^@[^:\s]+:\S+$/, "must look like @bot:example.org")
        .optional(),
    ),
    MATRIX_PASSWORD: optionalText,
    MATRIX_INVITE_ALLOW: optionalText,
    MATRIX_ENCRYPTION: booleanOnText,
    MATRIX_STORE_PATH: z.string().trim().default("./data/matrix-session.bin"),
    MATRIX_STORE_KEY: optionalText.pipe(
      z.string().min(32, "must be a random secret of at least 32 characters (openssl rand -base64 32)").optional(),
    ),
    MATRIX_RECOVERY_KEY: optionalText.pipe(
      z
        .string()
        .regex(/^[1-9A-HJ-NP-Za-km-z ]{40,80}$/, "must be a recovery key as Element shows it (EsT... in groups of four)")
        .optional(),
    ),
    SHUTDOWN_TIMEOUT_SECONDS: z
      .string()
      .optional()
      .transform((v) => (v?.trim() ? Number(v) : 20))
      .pipe(z.number().int().min(1).max(600)),
    DELIVERY_RETRY_HOURS: z
      .string()
      .optional()
      .transform((v) => (v?.trim() ? Number(v) : 24))
      .pipe(z.number({ message: "must be a number of hours" }).min(0.1, "must be at least 0.1 hours").max(720, "may be at most 720 hours (30 days)")),
    MATRIX_COORDINATOR_POWER_LEVEL: z
      .string()
      .optional()
      .transform((v) => (v?.trim() ? Number(v) : 50))
      .pipe(z.number().int().min(0).max(100)),
    REMINDERS_MAX_RECURRING: z
      .string()
      .optional()
      .transform((v) => (v?.trim() ? Number(v) : 20))
      .pipe(z.number().int().min(0).max(1000)),
    REMINDERS_MIN_INTERVAL_MINUTES: z
      .string()
      .optional()
      .transform((v) => (v?.trim() ? Number(v) : 15))
      .pipe(z.number().int().min(1).max(1440)),
    HEALTH_PORT: optionalText.pipe(
      z.coerce
        .number<string>({ message: "must be a port number" })
        .int("must be a port number")
        .min(1, "must be a port number (1-65535)")
        .max(65535, "must be a port number (1-65535)")
        .optional(),
    ),
  })
  .superRefine((c, ctx) => {
    if (c.DISCORD_TOKEN && !c.DISCORD_APPLICATION_ID) {
      ctx.addIssue({
        code: "custom",
        path: ["DISCORD_APPLICATION_ID"],
        message: "is required with DISCORD_TOKEN",
      });
    }
    if (c.DISCORD_APPLICATION_ID && !c.DISCORD_TOKEN) {
      ctx.addIssue({
        code: "custom",
        path: ["DISCORD_TOKEN"],
        message: "is required with DISCORD_APPLICATION_ID",
      });
    }
    if (c.MATRIX_HOMESERVER_URL && !c.MATRIX_ACCESS_TOKEN && !(c.MATRIX_USER_ID && c.MATRIX_PASSWORD)) {
      ctx.addIssue({
        code: "custom",
        path: ["MATRIX_ACCESS_TOKEN"],
        message: "or MATRIX_USER_ID and MATRIX_PASSWORD are required with MATRIX_HOMESERVER_URL",
      });
    }
    if (c.MATRIX_HOMESERVER_URL && !c.MATRIX_STORE_KEY) {
      ctx.addIssue({
        code: "custom",
        path: ["MATRIX_STORE_KEY"],
        message:
          "is required with MATRIX_HOMESERVER_URL (it encrypts the bot's session and keys; openssl rand -base64 32)",
      });
    }
    if (!c.MATRIX_HOMESERVER_URL && (c.MATRIX_ACCESS_TOKEN || c.MATRIX_PASSWORD)) {
      ctx.addIssue({
        code: "custom",
        path: ["MATRIX_HOMESERVER_URL"],
        message: "is required for Matrix credentials",
      });
    }
  });

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.problems = problems;
  }
}

/** Validates the environment; a wrong value yields one line per problem naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = configSchema.safeParse(env);
  if (result.success) return result.data;
  throw new ConfigError(
    result.error.issues.map((issue) => `${issue.path.join(".") || "environment"}: ${issue.message}`),
  );
}

export function discordEnabled(c: Config): boolean {
  return Boolean(c.DISCORD_TOKEN && c.DISCORD_APPLICATION_ID);
}

export function matrixEnabled(c: Config): boolean {
  return Boolean(
    c.MATRIX_HOMESERVER_URL && (c.MATRIX_ACCESS_TOKEN || (c.MATRIX_USER_ID && c.MATRIX_PASSWORD)),
  );
}
