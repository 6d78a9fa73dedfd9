import pino, { type Logger } from "pino";

export type { Logger };

/**
 * Structured logs on stderr (stdout belongs to the console adapter). Secrets and message
 * contents are redacted wherever they might be passed in by mistake.
 */
export function createLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { app: "teambot", pid: process.pid },
      redact: {
        paths: [
          "token",
          "*.token",
          "password",
          "*.password",
          "accessToken",
          "*.accessToken",
          "*.DISCORD_TOKEN",
          "*.MATRIX_ACCESS_TOKEN",
          "*.MATRIX_PASSWORD",
          "*.MATRIX_STORE_KEY",
          "*.MATRIX_RECOVERY_KEY",
          "recoveryKey",
          "*.recoveryKey",
          "authorization",
          "*.authorization",
          "headers.authorization",
        ],
        censor: "[redacted]",
      },
    },
    pino.destination(2),
  );
}
