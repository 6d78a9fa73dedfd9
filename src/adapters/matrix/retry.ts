import { ConnectionError, MatrixError } from "matrix-js-sdk";

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** First wait after a failure without a server hint; doubles each time. */
  baseDelayMs: number;
  /** Longest single wait, also for a server's retry_after_ms. */
  maxDelayMs: number;
}

export const defaultRetry: RetryPolicy = { attempts: 6, baseDelayMs: 500, maxDelayMs: 30_000 };

/**
 * How long to wait before trying again, or undefined to give up: rate limits (429
 * M_LIMIT_EXCEEDED, honouring retry_after_ms / Retry-After), server errors (5xx) and lost
 * connections (a homeserver restarting) are retried; everything else is final.
 */
export function retryDelay(error: unknown, attempt: number, policy: RetryPolicy): number | undefined {
  const backoff = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
  if (error instanceof MatrixError) {
    if (error.errcode === "M_LIMIT_EXCEEDED" || error.httpStatus === 429) {
      let hinted: number | null;
      try {
        hinted = error.getRetryAfterMs();
      } catch {
        hinted = null;
      }
      return Math.min(Math.max(hinted ?? backoff, 0), policy.maxDelayMs);
    }
    return error.httpStatus !== undefined && error.httpStatus >= 500 ? backoff : undefined;
  }
  if (error instanceof ConnectionError) return backoff;
  if (error instanceof Error && (error.name === "ConnectionError" || error.name === "TypeError"))
    return backoff;
  return undefined;
}

/** Runs `work` until it succeeds, the error is final, the attempts are used up or `stopped()`. */
export async function withRetry<T>(
  work: () => Promise<T>,
  policy: RetryPolicy,
  stopped: () => boolean = () => false,
  onRetry?: (error: unknown, delayMs: number, attempt: number) => void,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      const delay = attempt < policy.attempts && !stopped() ? retryDelay(error, attempt, policy) : undefined;
      if (delay === undefined) throw error;
      onRetry?.(error, delay, attempt);
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
