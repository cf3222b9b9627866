/**
 * @module
 * Automatic retries of idempotent proxy calls: transient failures (network, 5xx) back off exponentially;
 * a `429 rate_limited` waits what the proxy's `Retry-After` asks (capped), a couple of times at most,
 * so a busy proxy is not hammered and the user sees why nothing happens.
 */
import { ApiError } from './api.js';
import { delay } from './request-controller.js';

export interface RetryPolicy {
  /** Retries after network failures and 5xx answers (0: none). */
  transient: number;
  /** Retries after `429 rate_limited`. */
  rateLimited: number;
  /** First backoff delay for transient failures; doubles each time. */
  baseMs: number;
  /** Longest `Retry-After` honoured; a longer one is cut to this. */
  retryAfterCapMs: number;
  /** Wait after a 429 without a readable `Retry-After` (cross-origin, the header must be exposed). */
  rateLimitDefaultMs: number;
}

/** What the caller shows while a retry waits. */
export interface RetryWait {
  reason: 'transient' | 'rate_limited';
  /** 1-based number of this retry, and how many are allowed for this reason. */
  attempt: number;
  of: number;
  waitMs: number;
}

/** Runs `work`, retrying as `policy` allows; `onWait` is told before each wait and with `null` after it. */
export async function withRetries<T>(
  work: () => Promise<T>,
  signal: AbortSignal,
  policy: RetryPolicy,
  onWait?: (wait: RetryWait | null) => void,
): Promise<T> {
  let transient = 0;
  let limited = 0;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof ApiError) || !error.retryable) throw error;
      let wait: RetryWait;
      if (error.code === 'rate_limited') {
        if (limited >= policy.rateLimited) throw error;
        const asked = error.retryAfterMs ?? policy.rateLimitDefaultMs;
        wait = { reason: 'rate_limited', attempt: ++limited, of: policy.rateLimited, waitMs: Math.min(asked, policy.retryAfterCapMs) };
      } else {
        if (transient >= policy.transient) throw error;
        wait = { reason: 'transient', attempt: ++transient, of: policy.transient, waitMs: policy.baseMs * 2 ** (transient - 1) };
      }
      onWait?.(wait);
      try {
        await delay(wait.waitMs, signal);
      } finally {
        onWait?.(null);
      }
    }
  }
}
