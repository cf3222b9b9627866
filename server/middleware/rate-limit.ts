/**
 * Fixed-window rate limits on `hono-rate-limiter`, counting through a `RateCounter`: the in-memory one
 * here, or the session store's `hit` so several instances share counters (a Redis store). Over the
 * limit the request ends with `429 {error:{code:'rate_limited'}}` and `Retry-After`; nothing after
 * this middleware runs, so no Signicat call can follow.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { rateLimiter, type RateLimitInfo, type Store } from 'hono-rate-limiter';
import { errorBody } from '../errors.ts';

/** One hit on `key` in the window that contains now; resolves to the hits so far and when the window ends. */
export interface RateCounter {
  hit(key: string, windowMs: number): Promise<{ count: number; resetAt: number }>;
}

export interface MemoryRateCounter extends RateCounter {
  /** Keys currently held (tests, healthz). */
  size(): number;
}

/**
 * Counters in this process. Expired windows are swept as keys are hit, so memory follows the number of
 * clients seen within one window; past `maxKeys` the oldest windows are dropped first.
 */
export function createMemoryRateCounter(
  options: { now?: () => number; maxKeys?: number } = {},
): MemoryRateCounter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 100_000;
  const windows = new Map<string, { count: number; resetAt: number }>();
  let nextSweep = 0;

  function sweep(at: number) {
    for (const [key, window] of windows) if (window.resetAt <= at) windows.delete(key);
    // Map order is insertion order: the first entries are the oldest windows.
    for (const key of windows.keys()) {
      if (windows.size <= maxKeys) break;
      windows.delete(key);
    }
  }

  return {
    async hit(key, windowMs) {
      const at = now();
      if (at >= nextSweep || windows.size > maxKeys) {
        sweep(at);
        nextSweep = at + Math.min(windowMs, 60_000);
      }
      let window = windows.get(key);
      if (!window || window.resetAt <= at) {
        windows.delete(key);
        window = { count: 0, resetAt: at + windowMs };
        windows.set(key, window);
      }
      window.count++;
      return { count: window.count, resetAt: window.resetAt };
    },
    size: () => windows.size,
  };
}

/** hono-rate-limiter's Store over a RateCounter; only `increment` is ever used (no skip options). */
function counterStore(counter: RateCounter, windowMs: number): Store {
  return {
    async increment(key) {
      const { count, resetAt } = await counter.hit(key, windowMs);
      return { totalHits: count, resetTime: new Date(resetAt) };
    },
    // A fixed window simply ends; the shared counter has nothing to undo or reset early.
    decrement: () => {},
    resetKey: () => {},
    localKeys: false,
  };
}

export interface RateLimitOptions {
  /** Names the counter (keys are `<name>:<key>`) and the context variable. */
  name: string;
  /** Requests allowed per window and key. */
  limit: number;
  windowMs: number;
  /** What to count by: e.g. `(c) => clientKey(c, hops)` per client, `() => 'all'` globally. */
  key: (c: Context) => string;
  counter: RateCounter;
  /** Requests that do not count at all (e.g. CORS preflights). */
  skip?: (c: Context) => boolean;
}

export function rateLimit(options: RateLimitOptions): MiddlewareHandler {
  const { name, limit, windowMs, counter } = options;
  if (!Number.isInteger(limit) || limit < 1)
    throw new TypeError('rateLimit: limit must be a positive integer');
  if (!Number.isFinite(windowMs) || windowMs < 1)
    throw new TypeError('rateLimit: windowMs must be positive');
  const infoKey = `rateLimit:${name}`;
  const limiter = rateLimiter({
    windowMs,
    limit,
    // One Retry-After of our own on refusals; RateLimit-* headers from several limiters would clash.
    standardHeaders: false,
    requestPropertyName: infoKey,
    requestStorePropertyName: `${infoKey}:store`,
    keyGenerator: (c) => `${name}:${options.key(c)}`,
    skip: (c) => options.skip?.(c) ?? false,
    store: counterStore(counter, windowMs),
    handler: (c) => {
      const info = (c as Context<{ Variables: Record<string, RateLimitInfo | undefined> }>).get(
        infoKey,
      );
      const untilReset = info?.resetTime ? info.resetTime.getTime() - Date.now() : windowMs;
      const retryAfter = Math.max(1, Math.ceil(untilReset / 1000));
      return c.json(
        errorBody('rate_limited', `Too many requests; try again in ${retryAfter} s.`),
        429,
        {
          'Retry-After': String(retryAfter),
        },
      );
    },
  });
  return limiter as MiddlewareHandler;
}
