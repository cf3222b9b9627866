/**
 * Access tokens for the Signicat API: OAuth 2.0 client credentials (HTTP Basic client authentication,
 * scope `signicat-api`), cached until shortly before expiry and fetched by at most one request at a time.
 * Signicat recommends exactly this: cache, renew near expiry, retry once when a token is rejected.
 * The token request is idempotent, so transient failures are retried (retry.ts).
 *
 * @module
 */
import * as oauth from 'oauth4webapi';
import { parseRetryAfter } from './errors.ts';
import type { Logger } from './log.ts';
import { nextDelay, remainingMs, retryPolicy, sleep, type RetryOptions } from './retry.ts';
import { checkUpstreamUrl, discard, isAbortOrTimeout, raceAbort } from './transport.ts';
import { AssureError } from './types.ts';

/**
 * How the client id and secret go into the `Authorization: Basic` header of the token request.
 * - `basic`: RFC 6749 §2.3.1: each is form-encoded (`-` → `%2D`, `+` → `%2B`, …) before base64.
 *   IdentityServer-style servers form-decode them again.
 * - `basic-raw`: `base64(id:secret)` as Signicat's documentation shows it, unencoded. A server that
 *   form-decodes reads a raw `+` as a space and a `%` as an escape.
 */
export type TokenAuth = 'basic' | 'basic-raw';

export interface TokenSourceOptions {
  /** Signicat's token endpoint, e.g. `https://api.signicat.com/auth/open/connect/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** @default 'basic' */
  tokenAuth?: TokenAuth;
  /** Timeout of one request, in ms. @default 10000 */
  timeoutMs?: number;
  /** Retries of transient failures (timeouts, network errors, 429, 5xx). */
  retry?: RetryOptions;
  fetch?: typeof fetch;
  log?: Logger;
  /** Clock for token expiry and HTTP-date `Retry-After`, in milliseconds. @default Date.now */
  now?: () => number;
}

export interface TokenSource {
  /** A valid access token; `signal` only stops this caller waiting, never a shared token request. */
  get(signal?: AbortSignal): Promise<string>;
  /** Forgets `token` after Assure rejected it; a newer cached token is kept. */
  invalidate(token: string): void;
}

export const SIGNICAT_SCOPE = 'signicat-api';

/** Refresh this long before expiry at most… */
const MAX_REFRESH_MARGIN_MS = 30_000;
/** …and at most this share of the lifetime, so short-lived tokens (1 s in tests) are still reused. */
const REFRESH_MARGIN_SHARE = 0.1;
/** `expires_in` is optional in OAuth 2.0; Signicat sends it, but if not, assume a short life. */
const DEFAULT_LIFETIME_S = 60;

const OAUTH_ERROR_PATTERN = /^[\w.-]{1,64}$/;

/** The oauth4webapi client authentication for `form` (see {@link TokenAuth}). */
export function clientAuthentication(
  form: TokenAuth,
  clientId: string,
  clientSecret: string,
): oauth.ClientAuth {
  if (form === 'basic') return oauth.ClientSecretBasic(clientSecret);
  if (form !== 'basic-raw') throw new TypeError("tokenAuth must be 'basic' or 'basic-raw'");
  // Unencoded, a colon in the id would move the split between id and secret (RFC 7617 forbids it).
  if (clientId.includes(':'))
    throw new TypeError("tokenAuth 'basic-raw' cannot send a client id that contains ':'");
  return (_as, client, _body, headers) => {
    const credentials = Buffer.from(`${client.client_id}:${clientSecret}`, 'utf8').toString(
      'base64',
    );
    headers.set('authorization', `Basic ${credentials}`);
  };
}

/** What went wrong with one token request, and whether trying again may help. */
class Failure {
  constructor(
    readonly error: AssureError,
    readonly retryable: boolean,
  ) {}
}

export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const { url, insecureLoopback } = checkUpstreamUrl(options.tokenUrl, 'tokenUrl');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  const fetchImpl = options.fetch ?? fetch;
  const policy = retryPolicy(options.retry);
  const as: oauth.AuthorizationServer = { issuer: url.origin, token_endpoint: url.href };
  const client: oauth.Client = { client_id: options.clientId };
  const clientAuth = clientAuthentication(
    options.tokenAuth ?? 'basic',
    options.clientId,
    options.clientSecret,
  );

  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function requestOnce(attemptTimeoutMs: number): Promise<string> {
    const issuedAt = now();
    const started = performance.now();
    let status: number | undefined;
    let retryAfter: number | undefined;
    try {
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        client,
        clientAuth,
        { scope: SIGNICAT_SCOPE },
        {
          // Only the timeout: one caller giving up must not fail the others sharing this request.
          signal: AbortSignal.timeout(attemptTimeoutMs),
          [oauth.customFetch]: (input, init) => fetchImpl(input, init),
          // http is only ever allowed for loopback (checked above); the emulator runs there.
          [oauth.allowInsecureRequests]: insecureLoopback,
        },
      );
      status = response.status;
      if (status === 429 || status === 503)
        retryAfter = parseRetryAfter(response.headers.get('retry-after'), now());
      const result = await oauth.processClientCredentialsResponse(as, client, response);
      const lifetimeS =
        result.expires_in && result.expires_in > 0 ? result.expires_in : DEFAULT_LIFETIME_S;
      const lifetimeMs = lifetimeS * 1000;
      const margin = Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs * REFRESH_MARGIN_SHARE);
      // Counted from when the request started, so network time only makes us refresh earlier.
      cached = { token: result.access_token, refreshAt: issuedAt + lifetimeMs - margin };
      options.log?.({ event: 'assure.token', status, expiresIn: lifetimeS, ms: elapsed(started) });
      return result.access_token;
    } catch (error) {
      const failure = await tokenFailure(error, attemptTimeoutMs, retryAfter);
      options.log?.({
        event: 'assure.token',
        status: status ?? failure.error.upstreamStatus,
        error: failure.error.code,
        ms: elapsed(started),
      });
      throw failure;
    }
  }

  async function requestToken(): Promise<string> {
    const started = performance.now();
    for (let attempt = 1; ; attempt++) {
      const spent = performance.now() - started;
      const attemptTimeoutMs =
        attempt === 1 ? timeoutMs : remainingMs(timeoutMs, policy.budgetMs, spent);
      try {
        return await requestOnce(attemptTimeoutMs);
      } catch (thrown) {
        if (!(thrown instanceof Failure)) throw thrown;
        const { error, retryable } = thrown;
        const delay = retryable
          ? nextDelay(policy, attempt, performance.now() - started, error.retryAfterSeconds)
          : undefined;
        if (delay === undefined) throw error;
        options.log?.({
          event: 'assure.retry',
          method: 'POST',
          path: url.pathname,
          attempt: attempt + 1,
          delayMs: delay,
          error: error.code,
          status: error.upstreamStatus,
          retryAfterSeconds: error.retryAfterSeconds,
        });
        // Not abortable by a caller: others may be waiting for this same request.
        await sleep(delay);
      }
    }
  }

  return {
    get(signal) {
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
      // Single flight: every caller that needs a token meanwhile waits for the same request.
      inflight ??= requestToken().finally(() => {
        inflight = undefined;
      });
      return raceAbort(inflight, signal);
    },
    invalidate(token) {
      if (cached?.token === token) cached = undefined;
    },
  };
}

export type ProbeResult =
  | { ok: true }
  | {
      ok: false;
      /** HTTP status of the token endpoint, when it answered. */
      status?: number;
      /** What went wrong, for people (never the secret or a token). */
      error: string;
      /** The AssureError code, when there is one. */
      code?: AssureError['code'];
    };

/**
 * Requests one token with the given client authentication form and says whether it worked, for
 * `npm run doctor`. Nothing is cached and the token is dropped; no retries unless `options.retry` asks.
 */
export async function probeToken(options: TokenSourceOptions): Promise<ProbeResult> {
  try {
    await createTokenSource({ ...options, retry: options.retry ?? { attempts: 1 } }).get();
    return { ok: true };
  } catch (error) {
    if (error instanceof AssureError) {
      return error.upstreamStatus === undefined
        ? { ok: false, error: error.message, code: error.code }
        : { ok: false, status: error.upstreamStatus, error: error.message, code: error.code };
    }
    // Configuration errors (bad URL, a ':' in a raw id) name the option, never its secret value.
    if (error instanceof TypeError) return { ok: false, error: error.message };
    return { ok: false, error: 'The token request failed' };
  }
}

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

/**
 * Maps every failure of the token request to an AssureError and says whether it is transient. oauth4webapi
 * errors carry the response body (which may hold a token) as `cause`; only the status and the OAuth
 * `error` code are kept.
 */
async function tokenFailure(
  error: unknown,
  timeoutMs: number,
  retryAfter: number | undefined,
): Promise<Failure> {
  if (isAbortOrTimeout(error)) {
    const message = `Signicat token endpoint did not answer within ${Math.round(timeoutMs)} ms`;
    return new Failure(new AssureError('upstream_timeout', message, 504), true);
  }
  if (error instanceof oauth.ResponseBodyError) {
    const code = OAUTH_ERROR_PATTERN.test(error.error) ? error.error : 'error';
    if (error.status === 401 || code === 'invalid_client' || code === 'unauthorized_client') {
      return new Failure(badCredentials(error.status, code), false);
    }
    // oauth4webapi reads an OAuth error body from 4xx answers only; 5xx arrive as OperationProcessingError.
    if (error.status === 429) return new Failure(rateLimited(retryAfter), true);
    const message = `Signicat refused the token request (${code}); check the API client's configuration and permissions`;
    return new Failure(new AssureError('upstream_unauthorized', message, 502, error.status), false);
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    await discard(error.response);
    return new Failure(badCredentials(error.status), false);
  }
  if (error instanceof oauth.OperationProcessingError && error.cause instanceof Response) {
    // Non-OAuth error response (HTML 5xx page, 401 without JSON, …).
    const status = error.cause.status;
    await discard(error.cause);
    if (status === 401 || status === 403) return new Failure(badCredentials(status), false);
    if (status === 429) return new Failure(rateLimited(retryAfter), true);
    return new Failure(unavailable(status, retryAfter), status >= 500);
  }
  if (
    error instanceof oauth.OperationProcessingError ||
    error instanceof oauth.UnsupportedOperationError
  ) {
    const message = 'Signicat token endpoint returned an invalid token response';
    return new Failure(new AssureError('upstream_unavailable', message, 502), false);
  }
  // fetch's TypeError: connection refused, reset, DNS.
  const message = 'Could not reach the Signicat token endpoint';
  return new Failure(new AssureError('upstream_unavailable', message, 502), true);
}

function rateLimited(retryAfter: number | undefined): AssureError {
  const message = 'Signicat token endpoint is rate limiting';
  return new AssureError('upstream_rate_limited', message, 503, 429, undefined, retryAfter);
}

function unavailable(status: number, retryAfter: number | undefined): AssureError {
  const message = `Signicat token endpoint answered HTTP ${status}`;
  return new AssureError('upstream_unavailable', message, 502, status, undefined, retryAfter);
}

function badCredentials(status: number, code = 'invalid_client'): AssureError {
  return new AssureError(
    'upstream_unauthorized',
    `Signicat rejected the API client credentials (${code}); check SIGNICAT_CLIENT_ID and SIGNICAT_CLIENT_SECRET`,
    502,
    status,
  );
}
