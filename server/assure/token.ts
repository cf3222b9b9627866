/**
 * Access tokens for the Signicat API: OAuth 2.0 client credentials (`client_secret_basic`, scope
 * `signicat-api`), cached until shortly before expiry and fetched by at most one request at a time.
 * Signicat recommends exactly this: cache, renew near expiry, retry once when a token is rejected.
 *
 * @module
 */
import * as oauth from 'oauth4webapi';
import type { Logger } from './log.ts';
import { checkUpstreamUrl, discard, isAbortOrTimeout, raceAbort } from './transport.ts';
import { AssureError } from './types.ts';

export interface TokenSourceOptions {
  /** Signicat's token endpoint, e.g. `https://api.signicat.com/auth/open/connect/token`. */
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  /** @default 10000 */
  timeoutMs?: number;
  fetch?: typeof fetch;
  log?: Logger;
  /** Clock for token expiry, in milliseconds. @default Date.now */
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

export function createTokenSource(options: TokenSourceOptions): TokenSource {
  const { url, insecureLoopback } = checkUpstreamUrl(options.tokenUrl, 'tokenUrl');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const now = options.now ?? Date.now;
  const fetchImpl = options.fetch ?? fetch;
  const as: oauth.AuthorizationServer = { issuer: url.origin, token_endpoint: url.href };
  const client: oauth.Client = { client_id: options.clientId };
  const clientAuth = oauth.ClientSecretBasic(options.clientSecret);

  let cached: { token: string; refreshAt: number } | undefined;
  let inflight: Promise<string> | undefined;

  async function requestToken(): Promise<string> {
    const issuedAt = now();
    const started = performance.now();
    let status: number | undefined;
    try {
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        client,
        clientAuth,
        { scope: SIGNICAT_SCOPE },
        {
          // Only the timeout: one caller giving up must not fail the others sharing this request.
          signal: AbortSignal.timeout(timeoutMs),
          [oauth.customFetch]: (input, init) => fetchImpl(input, init),
          // http is only ever allowed for loopback (checked above); the emulator runs there.
          [oauth.allowInsecureRequests]: insecureLoopback,
        },
      );
      status = response.status;
      const result = await oauth.processClientCredentialsResponse(as, client, response);
      const lifetimeS = result.expires_in && result.expires_in > 0 ? result.expires_in : DEFAULT_LIFETIME_S;
      const lifetimeMs = lifetimeS * 1000;
      const margin = Math.min(MAX_REFRESH_MARGIN_MS, lifetimeMs * REFRESH_MARGIN_SHARE);
      // Counted from when the request started, so network time only makes us refresh earlier.
      cached = { token: result.access_token, refreshAt: issuedAt + lifetimeMs - margin };
      options.log?.({ event: 'assure.token', status, expiresIn: lifetimeS, ms: elapsed(started) });
      return result.access_token;
    } catch (error) {
      const mapped = await tokenError(error, timeoutMs);
      options.log?.({
        event: 'assure.token',
        status: status ?? mapped.upstreamStatus,
        error: mapped.code,
        ms: elapsed(started),
      });
      throw mapped;
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

function elapsed(started: number): number {
  return Math.round(performance.now() - started);
}

/**
 * Maps every failure of the token request to an AssureError. oauth4webapi errors carry the response body
 * (which may hold a token) as `cause`; only the status and the OAuth `error` code are kept.
 */
async function tokenError(error: unknown, timeoutMs: number): Promise<AssureError> {
  if (isAbortOrTimeout(error)) {
    return new AssureError('upstream_timeout', `Signicat token endpoint did not answer within ${timeoutMs} ms`, 504);
  }
  if (error instanceof oauth.ResponseBodyError) {
    const code = OAUTH_ERROR_PATTERN.test(error.error) ? error.error : 'error';
    if (error.status === 401 || code === 'invalid_client' || code === 'unauthorized_client') {
      return badCredentials(error.status, code);
    }
    if (error.status === 429) return rateLimited();
    return new AssureError(
      'upstream_unauthorized',
      `Signicat refused the token request (${code}); check the API client's configuration and permissions`,
      502,
      error.status,
    );
  }
  if (error instanceof oauth.WWWAuthenticateChallengeError) {
    await discard(error.response);
    return badCredentials(error.status);
  }
  if (error instanceof oauth.OperationProcessingError && error.cause instanceof Response) {
    // Non-OAuth error response (HTML 5xx page, 401 without JSON, …).
    const status = error.cause.status;
    await discard(error.cause);
    if (status === 401 || status === 403) return badCredentials(status);
    if (status === 429) return rateLimited();
    return new AssureError('upstream_unavailable', `Signicat token endpoint answered HTTP ${status}`, 502, status);
  }
  if (error instanceof oauth.OperationProcessingError || error instanceof oauth.UnsupportedOperationError) {
    return new AssureError('upstream_unavailable', 'Signicat token endpoint returned an invalid token response', 502);
  }
  return new AssureError('upstream_unavailable', 'Could not reach the Signicat token endpoint', 502);
}

function rateLimited(): AssureError {
  return new AssureError('upstream_unavailable', 'Signicat token endpoint is rate limiting', 503, 429);
}

function badCredentials(status: number, code = 'invalid_client'): AssureError {
  return new AssureError(
    'upstream_unauthorized',
    `Signicat rejected the API client credentials (${code}); check SIGNICAT_CLIENT_ID and SIGNICAT_CLIENT_SECRET`,
    502,
    status,
  );
}
