import type { ServerResponse } from "node:http";

/** What the fake answers: a status, a JSON body, and extra headers (rate limits). */
export interface Answer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A rule broken by a request, in Discord's words where it has them. */
export interface Problem {
  /** Where in the body ("components[0].components[1].label"), or "" for the whole request. */
  path: string;
  message: string;
}

export const ok = (body: unknown, status = 200): Answer => ({ status, body });
export const noContent = (): Answer => ({ status: 204 });
export const fail = (status: number, code: number, message: string): Answer => ({
  status,
  body: { message, code },
});

/** 400 Invalid Form Body with Discord's nested `errors` object (discord.js flattens it into its message). */
export function invalidForm(problems: Problem[]): Answer {
  const errors: Record<string, unknown> = {};
  for (const p of problems) {
    const keys = p.path === "" ? ["_root"] : p.path.replace(/\[(\d+)\]/g, ".$1").split(".");
    let node = errors;
    for (const key of keys) {
      node[key] ??= {};
      node = node[key] as Record<string, unknown>;
    }
    const list = (node._errors ??= []) as { code: string; message: string }[];
    list.push({ code: "INVALID", message: p.message });
  }
  return { status: 400, body: { message: "Invalid Form Body", code: 50035, errors } };
}

export function send(res: ServerResponse, answer: Answer): void {
  const headers = { ...answer.headers };
  if (answer.status === 204 || answer.body === undefined) {
    res.writeHead(answer.status, headers).end();
    return;
  }
  res.writeHead(answer.status, { ...headers, "content-type": "application/json" }).end(JSON.stringify(answer.body));
}

/** Reads a JSON body, or the payload_json part of a multipart body (requests with files). */
export function parseBody(raw: string, contentType: string): { body: unknown; files: string[]; bad?: string } {
  if (raw === "") return { body: undefined, files: [] };
  try {
    if (contentType.startsWith("multipart/form-data")) {
      const payload = /name="payload_json"\r\n(?:[^\r\n]+\r\n)*\r\n([\s\S]*?)\r\n--/.exec(raw)?.[1];
      const files = [...raw.matchAll(/name="files\[\d+\]"; filename="([^"]+)"/g)].map((m) => m[1] ?? "");
      return { body: payload ? (JSON.parse(payload) as unknown) : undefined, files };
    }
    return { body: JSON.parse(raw) as unknown, files: [] };
  } catch {
    return { body: undefined, files: [], bad: "The request body contains invalid JSON." };
  }
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Strings with a lone surrogate (half an emoji): Discord refuses the whole request. */
export function brokenUnicode(value: unknown, path = ""): Problem[] {
  if (typeof value === "string") {
    return loneSurrogate.test(value) ? [{ path, message: "Invalid unicode: a lone surrogate." }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => brokenUnicode(v, `${path}[${i}]`));
  if (value && typeof value === "object") {
    return Object.entries(value).flatMap(([k, v]) => brokenUnicode(v, path === "" ? k : `${path}.${k}`));
  }
  return [];
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
