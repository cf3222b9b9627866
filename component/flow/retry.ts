/**
 * @module
 * When the flow retries a failed proxy call by itself: network failures and 5xx back off exponentially;
 * a `429 rate_limited` waits what the proxy's `Retry-After` asks (capped), a couple of times at most, so
 * a busy proxy is not hammered and the user sees why nothing happens. Pure: the machine schedules the wait.
 */
import type { FlowError, RetryTiming, RetryWait, Tries } from './types.js';

/** How many automatic retries a kind of call gets. */
export interface RetryAllowance {
  transient: number;
  limited: number;
}

/** Uploads and submit: transient failures retry too (shown in the upload step). */
export const UPLOAD_RETRIES: RetryAllowance = { transient: 3, limited: 2 };
/** Reads (session, config, document types): only a `429` is retried; other failures are reported. */
export const READ_RETRIES: RetryAllowance = { transient: 0, limited: 2 };
export const NO_TRIES: Tries = { transient: 0, limited: 0 };

/** The next retry of a call that failed with `error`, or `undefined` when it must not be retried. */
export function planRetry(
  error: FlowError,
  tries: Tries,
  allowed: RetryAllowance,
  timing: RetryTiming,
): { tries: Tries; wait: RetryWait } | undefined {
  if (!error.retryable) return undefined;
  if (error.code === 'rate_limited') {
    if (tries.limited >= allowed.limited) return undefined;
    const attempt = tries.limited + 1;
    const waitMs = Math.min(
      error.retryAfterMs ?? timing.rateLimitDefaultMs,
      timing.retryAfterCapMs,
    );
    return {
      tries: { ...tries, limited: attempt },
      wait: { reason: 'rate_limited', attempt, of: allowed.limited, waitMs },
    };
  }
  if (tries.transient >= allowed.transient) return undefined;
  const attempt = tries.transient + 1;
  const waitMs = timing.retryBaseMs * 2 ** (attempt - 1);
  return {
    tries: { ...tries, transient: attempt },
    wait: { reason: 'transient', attempt, of: allowed.transient, waitMs },
  };
}
