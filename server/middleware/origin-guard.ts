/**
 * CORS for the browser-facing API, by allow-list only: never `*`. Requests that carry a foreign Origin
 * are refused outright (403 `origin_not_allowed`), so a simple request from another site cannot create
 * sessions or upload on a user's behalf. The refusal, and the preflight that leads to it, carry CORS
 * headers for that origin: the page can read the error code (and the element report `invalid_config`
 * naming ALLOWED_ORIGINS) but nothing else, since nothing else is ever answered to it.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { errorBody } from '../errors.ts';

const METHODS = ['GET', 'POST', 'PUT', 'OPTIONS'];
const HEADERS = ['Content-Type', 'Authorization', 'Signicat-Verify-Consent'];

export function originGuard(allowedOrigins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(allowedOrigins);
  const corsHandler = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: METHODS,
    allowHeaders: HEADERS,
    exposeHeaders: ['Retry-After'],
    maxAge: 600,
  });
  return async function originGuard(c, next) {
    const origin = c.req.header('Origin');
    if (origin !== undefined && !allowed.has(origin)) {
      const headers = {
        'Access-Control-Allow-Origin': origin,
        Vary: 'Origin',
        'Cache-Control': 'no-store',
      };
      if (c.req.method === 'OPTIONS') {
        return c.body(null, 204, {
          ...headers,
          'Access-Control-Allow-Methods': METHODS.join(','),
          'Access-Control-Allow-Headers': HEADERS.join(','),
        });
      }
      return c.json(
        errorBody(
          'origin_not_allowed',
          'This origin may not use the verification API (see ALLOWED_ORIGINS).',
        ),
        403,
        headers,
      );
    }
    return corsHandler(c, next);
  };
}
