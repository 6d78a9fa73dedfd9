import { z } from "zod";

/**
 * One line of the doctor's report. `fail` is a problem someone must fix (exit code 1);
 * `warn` deserves a look; `unknown` could not be checked.
 */
export type CheckStatus = "ok" | "warn" | "fail" | "unknown";

export interface Check {
  status: CheckStatus;
  /** What was checked: "database", "discord token", "matrix rooms". */
  topic: string;
  /** What was found and, unless ok, what to do. */
  text: string;
}

export const ok = (topic: string, text: string): Check => ({ status: "ok", topic, text });
export const warn = (topic: string, text: string): Check => ({ status: "warn", topic, text });
export const fail = (topic: string, text: string): Check => ({ status: "fail", topic, text });
export const unknown = (topic: string, text: string): Check => ({ status: "unknown", topic, text });

const labels: Record<CheckStatus, string> = { ok: "ok", warn: "WARNING", fail: "PROBLEM", unknown: "UNKNOWN" };

/** "ok       database        …", one line per check, aligned for a terminal. */
export function formatChecks(checks: readonly Check[]): string {
  const width = Math.max(0, ...checks.map((c) => c.topic.length));
  return checks.map((c) => `${labels[c.status].padEnd(8)} ${c.topic.padEnd(width)}  ${c.text}`).join("\n");
}

/** "12 ok, 1 warning, 2 problems" */
export function summarize(checks: readonly Check[]): string {
  const count = (s: CheckStatus) => checks.filter((c) => c.status === s).length;
  const parts = [`${count("ok")} ok`];
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  if (count("warn") > 0) parts.push(plural(count("warn"), "warning", "warnings"));
  if (count("unknown") > 0) parts.push(`${count("unknown")} unknown`);
  parts.push(plural(count("fail"), "problem", "problems"));
  return parts.join(", ");
}

export function hasProblems(checks: readonly Check[]): boolean {
  return checks.some((c) => c.status === "fail");
}

export type HttpAnswer = { status: number; body: unknown } | { status: "unreachable"; error: string };

const timeoutMs = 10_000;

/** One JSON request for a check: never throws; a network failure or timeout is an answer too. */
export async function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown; signal?: AbortSignal | undefined } = {},
): Promise<HttpAnswer> {
  const signals = [AbortSignal.timeout(timeoutMs), ...(init.signal ? [init.signal] : [])];
  try {
    const response = await fetch(url, {
      method: init.method ?? "GET",
      headers: { accept: "application/json", ...(init.body ? { "content-type": "application/json" } : {}), ...init.headers },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      signal: AbortSignal.any(signals),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? (JSON.parse(text) as unknown) : undefined;
    } catch {
      // Not JSON (a proxy's error page, say): the status tells enough.
    }
    return { status: response.status, body };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : "";
    return { status: "unreachable", error: `${error instanceof Error ? error.message : String(error)}${cause}` };
  }
}

/** The body of a 2xx answer parsed by `schema`, or undefined. */
export function bodyOf<T>(answer: HttpAnswer, schema: z.ZodType<T>): T | undefined {
  if (answer.status === "unreachable" || answer.status < 200 || answer.status >= 300) return undefined;
  const parsed = schema.safeParse(answer.body);
  return parsed.success ? parsed.data : undefined;
}

const errorBody = z.object({ message: z.string().optional(), errcode: z.string().optional(), error: z.string().optional() });

/** "401 M_UNKNOWN_TOKEN Unknown access token", "unreachable: connect ECONNREFUSED …" */
export function describeAnswer(answer: HttpAnswer): string {
  if (answer.status === "unreachable") return `unreachable (${answer.error})`;
  const parsed = errorBody.safeParse(answer.body);
  const detail = parsed.success
    ? [parsed.data.errcode, parsed.data.error ?? parsed.data.message].filter((s) => s !== undefined).join(" ")
    : "";
  return `${answer.status}${detail ? ` ${detail}` : ""}`;
}
