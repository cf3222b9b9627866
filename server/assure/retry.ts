/**
 * Retry policy for idempotent upstream requests (GET, DELETE and the token request): capped exponential
 * backoff with full jitter, `Retry-After` honoured as given, and a total time budget per call so that a
 * struggling upstream cannot hold a request for long. POSTs are never retried here: Assure has no
 * idempotency keys, so a repeated Create process or Set images could act twice.
 *
 * @module
 */

export interface RetryOptions {
  /** Tries in all, the first included; `1` turns retries off. @default 3 */
  attempts?: number;
  /**
   * Wall-clock budget of one call, from its start (token included), in ms. A retry starts only if it
   * can start, after its delay, at least {@link MIN_ATTEMPT_MS} before the budget ends, and its timeout
   * is cut to what remains. The first try always gets the full timeout. @default 8000
   */
  budgetMs?: number;
  /** Backoff before the first retry is drawn from [0, baseMs), then doubles. @default 200 */
  baseMs?: number;
}

export interface RetryPolicy {
  attempts: number;
  budgetMs: number;
  baseMs: number;
  /** Source of jitter in [0, 1). */
  random: () => number;
}

/** A retry needs at least this long to be worth starting (less would only time out). */
export const MIN_ATTEMPT_MS = 50;
/** No single backoff grows beyond this (Retry-After aside). */
const MAX_BACKOFF_MS = 5_000;

export function retryPolicy(
  options: RetryOptions = {},
  random: () => number = Math.random,
): RetryPolicy {
  const attempts = options.attempts ?? 3;
  const budgetMs = options.budgetMs ?? 8_000;
  const baseMs = options.baseMs ?? 200;
  if (!Number.isInteger(attempts) || attempts < 1)
    throw new TypeError('retry.attempts must be an integer ≥ 1');
  if (!(budgetMs >= 0)) throw new TypeError('retry.budgetMs must be ≥ 0');
  if (!(baseMs >= 0)) throw new TypeError('retry.baseMs must be ≥ 0');
  return { attempts, budgetMs, baseMs, random };
}

/**
 * The wait before the next try after try number `failedAttempt` failed transiently, or undefined to give
 * up (tries spent, or the budget would be exceeded). `retryAfterSeconds` from the upstream wins over the
 * backoff: waiting less would only be refused again.
 */
export function nextDelay(
  policy: RetryPolicy,
  failedAttempt: number,
  elapsedMs: number,
  retryAfterSeconds: number | undefined,
): number | undefined {
  if (failedAttempt >= policy.attempts) return undefined;
  const delay =
    retryAfterSeconds !== undefined
      ? retryAfterSeconds * 1000
      : Math.floor(
          policy.random() * Math.min(MAX_BACKOFF_MS, policy.baseMs * 2 ** (failedAttempt - 1)),
        );
  if (elapsedMs + delay + MIN_ATTEMPT_MS > policy.budgetMs) return undefined;
  return delay;
}

/** Timeout of a retry: what is left of the budget, at most `timeoutMs`, in whole ms (AbortSignal.timeout wants them). */
export function remainingMs(timeoutMs: number, budgetMs: number, elapsedMs: number): number {
  return Math.max(1, Math.floor(Math.min(timeoutMs, budgetMs - elapsedMs)));
}

/** Waits `ms`; rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
