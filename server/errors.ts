/**
 * The proxy's one error shape: `{ "error": { "code", "message" } }` with a stable snake_case code.
 * Routes throw `ApiError`; `onError` in app.ts turns anything into that shape and never leaks internals.
 */
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    options: { cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(status, { message, cause: options.cause });
    this.headers = options.headers;
  }
  headers?: Record<string, string>;
}

export function errorBody(code: string, message: string) {
  return { error: { code, message } };
}
