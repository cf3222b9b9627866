/**
 * A cap on requests in flight per key (per client for uploads): one client cannot hold many upload
 * bodies open at once. Over the cap: `429 too_many_uploads` with `Retry-After: 1`; the slot is given
 * back in `finally`, whatever the handler does.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { errorBody } from '../errors.ts';

export interface ConcurrencyLimitOptions {
  /** Requests one key may have in flight. */
  perKey: number;
  key: (c: Context) => string;
  /** Error code of the refusal. @default 'too_many_uploads' */
  code?: string;
}

export interface ConcurrencyLimit extends MiddlewareHandler {
  /** Requests in flight for `key` (tests, healthz). */
  inFlight(key: string): number;
}

export function concurrencyLimit(options: ConcurrencyLimitOptions): ConcurrencyLimit {
  const { perKey } = options;
  if (!Number.isInteger(perKey) || perKey < 1)
    throw new TypeError('concurrencyLimit: perKey must be a positive integer');
  const code = options.code ?? 'too_many_uploads';
  const active = new Map<string, number>();

  const middleware: MiddlewareHandler = async (c, next) => {
    const key = options.key(c);
    const current = active.get(key) ?? 0;
    if (current >= perKey) {
      return c.json(
        errorBody(code, `At most ${perKey} at a time; wait for the others to finish.`),
        429,
        { 'Retry-After': '1' },
      );
    }
    active.set(key, current + 1);
    try {
      await next();
    } finally {
      const left = (active.get(key) ?? 1) - 1;
      if (left > 0) active.set(key, left);
      else active.delete(key);
    }
  };
  return Object.assign(middleware, { inFlight: (key: string) => active.get(key) ?? 0 });
}
