/**
 * Admission control for upstream-bound work: at most `max` such requests in flight per instance
 * (uploads, submits, cancels, returns, session creations that call Signicat). Past the cap the answer
 * is `503 overloaded` with `Retry-After` at once, instead of letting work queue in the event loop
 * until UPSTREAM_TIMEOUT_MS fires and memory grows with every upload body held meanwhile. One
 * counter for all guarded routes; a slot is taken before the body is read and given back in
 * `finally`, whatever the handler does.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { errorBody } from '../errors.ts';

export interface AdmissionOptions {
  /** Guarded requests in flight at once; 0 turns the cap off. */
  max: number;
  /** Seconds sent in `Retry-After`. @default 1 */
  retryAfterSeconds?: number;
}

export interface Admission {
  /**
   * Middleware taking a slot for the request; `when` picks the requests that need one (e.g. only
   * session creations that call Signicat), the rest pass untouched.
   */
  guard(when?: (c: Context) => boolean | Promise<boolean>): MiddlewareHandler;
  /** Slots taken now (tests, health). */
  inFlight(): number;
  /** Requests refused since start. */
  refused(): number;
}

export function createAdmission(options: AdmissionOptions): Admission {
  const { max } = options;
  if (!Number.isInteger(max) || max < 0)
    throw new TypeError('createAdmission: max must be a non-negative integer');
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  let active = 0;
  let refusedCount = 0;

  return {
    guard(when) {
      return async function admission(c, next) {
        if (max === 0 || (when && !(await when(c)))) return next();
        if (active >= max) {
          refusedCount++;
          const headers: Record<string, string> = {
            'Retry-After': retryAfter,
            'Cache-Control': 'no-store',
          };
          // An upload refused before its body was read: close the connection. Kept open, Node would
          // read and drop the rest of the body, and under load that can outlast REQUEST_TIMEOUT_MS,
          // after which Node writes a bare 408 that the client takes for the answer to its next request.
          if (unreadBody(c)) headers.Connection = 'close';
          const body = errorBody('overloaded', 'The service is busy; try again in a moment.');
          return c.json(body, 503, headers);
        }
        active++;
        try {
          await next();
        } finally {
          active--;
        }
      };
    },
    inFlight: () => active,
    refused: () => refusedCount,
  };
}

function unreadBody(c: Context): boolean {
  const length = c.req.header('Content-Length');
  const chunked = c.req.header('Transfer-Encoding') !== undefined;
  return ((length !== undefined && length !== '0') || chunked) && !c.req.raw.bodyUsed;
}

/**
 * For `POST /api/sessions`: true unless the body asks for a capture session (the default mode), which
 * creates nothing at Signicat until its first upload. Reads the JSON body, which Hono keeps for the
 * validator after it; a body that cannot be read is left for the validator to refuse.
 */
export async function createsAtSignicat(c: Context): Promise<boolean> {
  try {
    const body = (await c.req.json()) as { mode?: unknown } | null;
    const mode = body && typeof body === 'object' ? body.mode : undefined;
    return mode !== undefined && mode !== 'capture';
  } catch {
    return false;
  }
}
