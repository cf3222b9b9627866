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
    const body: unknown = JSON.parse(await response.text());
    if (typeof body !== 'object' || body === null) return {};
    const { title, traceId } = body as Record<string, unknown>;
    return {
      // Control characters would let an upstream forge log lines.
      title:
        typeof title === 'string' ? title.replace(/[\u0000-\u001f\u007f]/g, ' ').slice(0, MAX_TITLE_LENGTH) : undefined,
      traceId: typeof traceId === 'string' && TRACE_ID_PATTERN.test(traceId) ? traceId : undefined,
    };
  } catch {
    return {};
  }
}

/** Builds the AssureError for a non-2xx Assure response (after the 401 retry has been spent). */
export async function responseError(response: Response): Promise<AssureError> {
  const status = response.status;
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
  if (status === 404) return new AssureError('upstream_not_found', message('Assure: not found'), 404, status, traceId);
  if (status === 409) return new AssureError('upstream_conflict', message('Assure: conflict'), 409, status, traceId);
  if (status === 429) {
    return new AssureError('upstream_unavailable', message('Assure is rate limiting'), 503, status, traceId);
  }
  if (status >= 500) {
    return new AssureError('upstream_unavailable', message(`Assure answered HTTP ${status}`), 502, status, traceId);
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
  return new AssureError('upstream_unavailable', `Assure returned an unexpected ${what} response`, 502, upstreamStatus);
}
