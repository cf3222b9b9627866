/**
 * CORS for the browser-facing API, by allow-list only: never `*`, never a reflected foreign origin.
 * Requests that carry a foreign Origin are refused outright, so a simple (non-preflighted) request from
 * another site cannot create sessions or upload on a user's behalf either.
 */
import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import { ApiError } from '../errors.ts';

export function originGuard(allowedOrigins: readonly string[]): MiddlewareHandler {
  const allowed = new Set(allowedOrigins);
  const corsHandler = cors({
    origin: (origin) => (allowed.has(origin) ? origin : null),
    allowMethods: ['GET', 'POST', 'PUT', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization'],
    maxAge: 600,
  });
  return async function originGuard(c, next) {
    const origin = c.req.header('Origin');
    if (origin !== undefined && !allowed.has(origin)) {
      throw new ApiError(403, 'origin_not_allowed', 'This origin may not use the verification API (see ALLOWED_ORIGINS).');
    }
    return corsHandler(c, next);
  };
}
