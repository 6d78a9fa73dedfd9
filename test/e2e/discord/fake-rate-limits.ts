/**
 * Rate limits as Discord documents them: per-route buckets (per top-level resource: channel,
 * guild, webhook) announced in X-RateLimit-* headers, and a global limit of 50 requests per
 * second per bot that interaction endpoints are exempt from. Exceeding one answers 429 with
 * Retry-After. Discord says its numbers change and must not be hard-coded; the defaults
 * below are the ones commonly observed, and tests may set others.
 */
export interface BucketRule {
  name: string;
  method: string;
  pattern: RegExp;
  limit: number;
  windowMs: number;
}

export const defaultRules: BucketRule[] = [
  { name: "channel-messages-post", method: "POST", pattern: /^\/channels\/(\d+)\/messages$/, limit: 5, windowMs: 5000 },
  { name: "channel-message-patch", method: "PATCH", pattern: /^\/channels\/(\d+)\/messages\/\d+$/, limit: 5, windowMs: 5000 },
  { name: "channel-message-delete", method: "DELETE", pattern: /^\/channels\/(\d+)\/messages\/\d+$/, limit: 5, windowMs: 1000 },
  { name: "poll-expire", method: "POST", pattern: /^\/channels\/(\d+)\/polls\/\d+\/expire$/, limit: 5, windowMs: 5000 },
  { name: "channel-get", method: "GET", pattern: /^\/channels\/(\d+)$/, limit: 5, windowMs: 1000 },
  { name: "dm-create", method: "POST", pattern: /^\/users\/@me\/channels$/, limit: 5, windowMs: 1000 },
  { name: "user-get", method: "GET", pattern: /^\/users\/\d+$/, limit: 5, windowMs: 1000 },
  { name: "member-get", method: "GET", pattern: /^\/guilds\/(\d+)\/members\/\d+$/, limit: 5, windowMs: 1000 },
  { name: "commands-get", method: "GET", pattern: /^\/applications\/\d+(?:\/guilds\/(\d+))?\/commands$/, limit: 5, windowMs: 1000 },
  { name: "commands-put", method: "PUT", pattern: /^\/applications\/\d+(?:\/guilds\/(\d+))?\/commands$/, limit: 10, windowMs: 20_000 },
  { name: "webhook", method: "*", pattern: /^\/webhooks\/(\d+\/[^/]+)/, limit: 5, windowMs: 2000 },
];

/** Interaction endpoints are not bound to the global limit. */
const exemptFromGlobal = [/^\/interactions\/\d+\/[^/]+\/callback$/, /^\/webhooks\/\d+\/[^/]+/];

interface Window {
  count: number;
  resetAt: number;
}

export type RateDecision =
  | { limited: false; headers: Record<string, string> }
  | { limited: true; scope: "user" | "global"; retryAfterMs: number; headers: Record<string, string> };

export class RateLimits {
  rules: BucketRule[] = defaultRules.map((r) => ({ ...r }));
  globalPerSecond = 50;
  private readonly windows = new Map<string, Window>();
  private global: Window = { count: 0, resetAt: 0 };

  /** Changes one bucket's limit (tests that post a lot to one channel). */
  set(name: string, limit: number, windowMs: number): void {
    const rule = this.rules.find((r) => r.name === name);
    if (!rule) throw new Error(`no rate limit bucket ${name}`);
    rule.limit = limit;
    rule.windowMs = windowMs;
  }

  /** Counts a request and says whether it may pass, with the headers to send either way. */
  take(method: string, path: string, now: number): RateDecision {
    if (!exemptFromGlobal.some((p) => p.test(path))) {
      if (now >= this.global.resetAt) this.global = { count: 0, resetAt: now + 1000 };
      if (this.global.count >= this.globalPerSecond) {
        const retryAfterMs = this.global.resetAt - now;
        return {
          limited: true,
          scope: "global",
          retryAfterMs,
          headers: {
            "retry-after": String(Math.ceil(retryAfterMs / 1000)),
            "x-ratelimit-global": "true",
            "x-ratelimit-scope": "global",
          },
        };
      }
      this.global.count++;
    }
    for (const rule of this.rules) {
      if (rule.method !== "*" && rule.method !== method) continue;
      const match = rule.pattern.exec(path);
      if (!match) continue;
      const key = `${rule.name}:${match[1] ?? ""}`;
      let window = this.windows.get(key);
      if (!window || now >= window.resetAt) {
        window = { count: 0, resetAt: now + rule.windowMs };
        this.windows.set(key, window);
      }
      const resetAfter = (window.resetAt - now) / 1000;
      const headers = (remaining: number): Record<string, string> => ({
        "x-ratelimit-limit": String(rule.limit),
        "x-ratelimit-remaining": String(remaining),
        "x-ratelimit-reset": (window.resetAt / 1000).toFixed(3),
        "x-ratelimit-reset-after": resetAfter.toFixed(3),
        "x-ratelimit-bucket": rule.name,
      });
      if (window.count >= rule.limit) {
        return {
          limited: true,
          scope: "user",
          retryAfterMs: window.resetAt - now,
          headers: { ...headers(0), "retry-after": resetAfter.toFixed(3), "x-ratelimit-scope": "user" },
        };
      }
      window.count++;
      return { limited: false, headers: headers(rule.limit - window.count) };
    }
    return { limited: false, headers: {} };
  }
}
