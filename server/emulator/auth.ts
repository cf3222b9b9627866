/**
 * OAuth2 client-credentials token endpoint (`/auth/open/connect/token`, an IdentityServer-style path;
 * not in the OpenAPI description) and the bearer check of `/assure/*`. Client authentication is HTTP
 * Basic only (`client_secret_basic`), as Signicat documents.
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono, type MiddlewareHandler } from 'hono';
import type { EmulatorDeps } from './context.ts';
import { opaqueToken } from './ids.ts';
import { problem } from './problem.ts';

export const TOKEN_SCOPE = 'signicat-api';

const secretsEqual = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};

/** application/x-www-form-urlencoded decoding of one part: `+` is a space, `%XX` a byte; bad escapes fail. */
function formDecode(part: string): string | undefined {
  try {
    return decodeURIComponent(part.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/**
 * `Basic base64(id:secret)` → credentials, or undefined. The decoded text is split at the FIRST `:`
 * (an id has none; a secret may). `form` then form-decodes each part, as IdentityServer-style servers
 * do (RFC 6749 §2.3.1 clients form-encode before base64); `raw` takes the parts as they are.
 */
export function basicCredentials(
  header: string | undefined,
  decoding: 'form' | 'raw',
): { clientId: string; clientSecret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/]+={0,2})$/i.exec(header?.trim() ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  const [id, secret] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  if (decoding === 'raw') return { clientId: id, clientSecret: secret };
  const clientId = formDecode(id);
  const clientSecret = formDecode(secret);
  return clientId === undefined || clientSecret === undefined
    ? undefined
    : { clientId, clientSecret };
}

/** `POST /token`, mounted at `/auth/open/connect`. Errors use the OAuth2 shape, not problem bodies. */
export function createAuthRouter({ state, faults, options }: EmulatorDeps): Hono {
  const router = new Hono();
  // Token endpoint (no operationId: Signicat's OAuth server, not the Assure API)
  router.post('/token', faults.middleware('token'), async (c) => {
    // RFC 6749 §5.1: token responses must not be cached.
    c.header('Cache-Control', 'no-store');
    c.header('Pragma', 'no-cache');
    const oauthError = (status: 400 | 401, error: string, description: string) => {
      options.log({ type: 'token.rejected', reason: error });
      if (status === 401) c.header('WWW-Authenticate', 'Basic realm="signicat-api"');
      return c.json({ error, error_description: description }, status);
    };

    const credentials = basicCredentials(c.req.header('Authorization'), options.basicAuthDecoding);
    const expected = credentials && options.clients.get(credentials.clientId);
    if (
      !credentials ||
      expected === undefined ||
      !secretsEqual(credentials.clientSecret, expected)
    ) {
      return oauthError(
        401,
        'invalid_client',
        'Client authentication failed: use HTTP Basic with a known client ID and secret.',
      );
    }
    const contentType = c.req.header('Content-Type') ?? '';
    if (!/^application\/x-www-form-urlencoded\b/i.test(contentType)) {
      return oauthError(
        400,
        'invalid_request',
        'The body must be application/x-www-form-urlencoded.',
      );
    }
    const form = new URLSearchParams(await c.req.text());
    if (form.has('client_secret')) {
      return oauthError(
        401,
        'invalid_client',
        'Send the client secret only in the Authorization header (HTTP Basic).',
      );
    }
    const grantType = form.get('grant_type');
    if (grantType === null) return oauthError(400, 'invalid_request', 'grant_type is required.');
    if (grantType !== 'client_credentials') {
      return oauthError(
        400,
        'unsupported_grant_type',
        'Only grant_type=client_credentials is supported.',
      );
    }
    const scope = form.get('scope');
    if (scope === null || scope.split(' ').some((s) => s !== TOKEN_SCOPE) || scope.trim() === '') {
      return oauthError(400, 'invalid_scope', `The scope must be ${TOKEN_SCOPE}.`);
    }

    const accessToken = opaqueToken();
    const now = options.now();
    for (const [token, { expiresAt }] of state.accessTokens)
      if (expiresAt <= now) state.accessTokens.delete(token);
    state.accessTokens.set(accessToken, {
      clientId: credentials.clientId,
      expiresAt: now + options.tokenLifetimeSeconds * 1000,
    });
    options.log({ type: 'token.issued', clientId: credentials.clientId });
    return c.json({
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: options.tokenLifetimeSeconds,
      scope: TOKEN_SCOPE,
    });
  });
  return router;
}

/**
 * Requires a valid, unexpired access token. Missing or malformed header → 400 (the spec's
 * `StandardExceptionBadRequest` example: "Malformed Authorization header."); unknown or expired token → 401.
 */
export function bearerAuth({ state, options }: EmulatorDeps): MiddlewareHandler {
  return async function bearerAuth(c, next) {
    const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/.exec(
      c.req.header('Authorization')?.trim() ?? '',
    );
    if (!match) {
      throw problem(
        400,
        'Malformed Authorization header.',
        'Please provide a valid Bearer authentication.',
      );
    }
    const token = state.accessTokens.get(match[1]!);
    if (!token || token.expiresAt <= options.now()) {
      throw problem(
        401,
        'Invalid authentication token.',
        'The access token is unknown or has expired; get a new one.',
        {
          'WWW-Authenticate': 'Bearer error="invalid_token"',
        },
      );
    }
    await next();
  };
}
