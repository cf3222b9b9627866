/**
 * Maps Assure's HTTP failures to AssureError. Only the problem body's `title` and `traceId` are kept:
 * `detail` and other fields may echo request data, which can be personal.
 *
 * @module
 */
import { discard } from './transport.ts';
import { AssureError } from './types.ts';

const TRACE_ID_PATTERN = /^[\w-]{1,64}$/;
const MAX_TITLE_LENGTH = 200;
/** Problem bodies are small; a larger error body is not read. */
const MAX_PROBLEM_BYTES = 16 * 1024;

interface Problem {
  title?: string;
  traceId?: string;
}

async function readProblem(response: Response): Promise<Problem> {
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_PROBLEM_BYTES) {
    await discard(response);
    return {};
  }
  try {
    const text = await readCapped(response, MAX_PROBLEM_BYTES);
    if (text === undefined) return {};
    const body: unknown = JSON.parse(text);
    if (typeof body !== 'object' || body === null) return {};
    const { title, traceId } = body as Record<string, unknown>;
    return {
      // Control characters would let an upstream forge log lines.
      title:
        typeof title === 'string'
          ? title.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, MAX_TITLE_LENGTH)
          : undefined,
      traceId: typeof traceId === 'string' && TRACE_ID_PATTERN.test(traceId) ? traceId : undefined,
    };
  } catch {
    return {};
  }
}

/** The body as text, or undefined (and the rest dropped) once it passes `max` bytes: chunked bodies have no length. */
async function readCapped(response: Response, max: number): Promise<string | undefined> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel().catch(() => {});
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Longest `Retry-After` taken at its word; a larger one is cut to this. */
export const MAX_RETRY_AFTER_SECONDS = 24 * 60 * 60;

/**
 * `Retry-After` (RFC 9110 §10.2.3) in whole seconds from now: delay-seconds or an HTTP date (one in the
 * past means now). Undefined when absent or malformed.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  let seconds: number;
  if (/^\d+$/.test(text)) {
    seconds = Number(text);
  } else {
    const at = Date.parse(text);
    // Only the IMF-fixdate form (`Sun, 06 Nov 1994 08:49:37 GMT`; the two obsolete forms are not taken),
    // never whatever else Date.parse happens to accept (`1.5` would be a date in 2001).
    if (
      Number.isNaN(at) ||
      !/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(text)
    )
      return undefined;
    seconds = Math.max(0, Math.ceil((at - now) / 1000));
  }
  return Math.min(seconds, MAX_RETRY_AFTER_SECONDS);
}

/**
 * Builds the AssureError for a non-2xx Assure response (after the 401 retry has been spent). `now` dates
 * an HTTP-date `Retry-After`.
 */
export async function responseError(
  response: Response,
  now: number = Date.now(),
): Promise<AssureError> {
  const status = response.status;
  // Kept for 429 and 503, the statuses RFC 9110 gives it a meaning for.
  const retryAfter =
    status === 429 || status === 503
      ? parseRetryAfter(response.headers.get('retry-after'), now)
      : undefined;
  const { title, traceId } = await readProblem(response);
  const message = (fallback: string) => (title ? `Assure: ${title}` : fallback);

  if (status === 401 || status === 403) {
    // A freshly issued token was refused: the credentials work, but the API client lacks Assure access.
    return new AssureError(
      'upstream_unauthorized',
      message('Assure refused the access token') +
        '; check that the Assure API product is enabled for the API client (SIGNICAT_CLIENT_ID)',
      502,
      status,
      traceId,
    );
  }
  if (status === 404)
    return new AssureError(
      'upstream_not_found',
      message('Assure: not found'),
      404,
      status,
      traceId,
    );
  if (status === 409)
    return new AssureError('upstream_conflict', message('Assure: conflict'), 409, status, traceId);
  if (status === 429) {
    return new AssureError(
      'upstream_rate_limited',
      message('Assure is rate limiting'),
      503,
      status,
      traceId,
      retryAfter,
    );
  }
  if (status >= 500) {
    const text = message(`Assure answered HTTP ${status}`);
    return new AssureError('upstream_unavailable', text, 502, status, traceId, retryAfter);
  }
  if (status >= 400) {
    // The proxy's request was well-formed HTTP, but Assure refused its content.
    const fallback = `Assure rejected the request (HTTP ${status})`;
    return new AssureError('upstream_rejected', message(fallback), 422, status, traceId);
  }
  // 1xx/3xx: redirects are not followed (they would carry the bearer token elsewhere).
  await discard(response);
  return new AssureError('upstream_unavailable', `Assure answered HTTP ${status}`, 502, status);
}

export function invalidResponse(what: string, upstreamStatus?: number): AssureError {
  return new AssureError(
    'upstream_unavailable',
    `Assure returned an unexpected ${what} response`,
    502,
    upstreamStatus,
  );
}
