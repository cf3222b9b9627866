/**
 * Token check: one token request with the configured client-authentication form (SIGNICAT_TOKEN_AUTH),
 * one with the other, and which of them Signicat accepted. The two differ only for ids and secrets with
 * characters that form-encoding changes (`+`, `/`, `=`, `%`, `:` …), which is exactly when one fails.
 */
import { probeToken, type ProbeResult } from '../assure/token.ts';
import type { Config } from '../config.ts';
import type { CheckResult, TokenAuthForm } from './types.ts';

export interface TokenCheck {
  result: CheckResult;
  /** Forms that worked, the configured one first. */
  accepted: TokenAuthForm[];
}

const DESCRIBE: Record<TokenAuthForm, string> = {
  basic: 'basic (RFC 6749: id and secret form-encoded, then base64)',
  'basic-raw': 'basic-raw (base64 of id:secret as written)',
};

export async function checkToken(
  config: Config,
  options: { fetch: typeof fetch; timeoutMs: number },
): Promise<TokenCheck> {
  const { clientId, clientSecret, tokenUrl, tokenAuth: configured } = config.signicat;
  const other: TokenAuthForm = configured === 'basic' ? 'basic-raw' : 'basic';
  const probe = (tokenAuth: TokenAuthForm): Promise<ProbeResult> =>
    probeToken({
      tokenUrl,
      clientId,
      clientSecret,
      tokenAuth,
      timeoutMs: options.timeoutMs,
      fetch: options.fetch,
      retry: { attempts: 1 },
    });
  const mine = await probe(configured);
  const theirs = await probe(other);
  const accepted = [mine.ok && configured, theirs.ok && other].filter(
    (f): f is TokenAuthForm => f !== false,
  );
  const title = 'Token request';

  if (mine.ok) {
    const detail = theirs.ok
      ? `Signicat issued a token with SIGNICAT_TOKEN_AUTH=${configured}; ${other} works too (the id and secret read the same both ways)`
      : `Signicat issued a token with SIGNICAT_TOKEN_AUTH=${DESCRIBE[configured]}; ${other} was refused, so keep ${configured}`;
    return { result: { id: 'token', title, status: 'pass', detail }, accepted };
  }
  if (theirs.ok) {
    return {
      result: {
        id: 'token',
        title,
        status: 'fail',
        detail: `SIGNICAT_TOKEN_AUTH=${configured} was refused (${failure(mine)}), but ${DESCRIBE[other]} worked`,
        fix: `Set SIGNICAT_TOKEN_AUTH=${other}: that is how Signicat reads your client secret.`,
      },
      accepted,
    };
  }
  return {
    result: {
      id: 'token',
      title,
      status: 'fail',
      detail: `both forms were refused: ${failure(mine)}`,
      fix: tokenFix(mine, tokenUrl),
    },
    accepted,
  };
}

function failure(result: ProbeResult): string {
  if (result.ok) return 'ok';
  return `${result.status !== undefined ? `HTTP ${result.status}, ` : ''}${result.error}`;
}

function tokenFix(result: ProbeResult, tokenUrl: string): string {
  if (result.ok) return '';
  // No status and no AssureError code: the request was never sent (the URL itself was refused).
  if (result.status === undefined && result.code === undefined)
    return `Fix SIGNICAT_TOKEN_URL (${result.error}).`;
  if (result.status === undefined || result.code === 'upstream_timeout') {
    return `This machine could not reach ${new URL(tokenUrl).origin}: check SIGNICAT_TOKEN_URL (default https://api.signicat.com/auth/open/connect/token), DNS, firewall and any outbound proxy.`;
  }
  if (result.status === 401 || result.status === 400 || result.status === 403) {
    return 'Check SIGNICAT_CLIENT_ID and SIGNICAT_CLIENT_SECRET: copy them again from the Signicat Dashboard (Settings → API clients), make sure the secret has not expired or been regenerated, and that the client may use the signicat-api scope.';
  }
  if (result.status === 404)
    return 'SIGNICAT_TOKEN_URL points to no token endpoint: unset it to use https://api.signicat.com/auth/open/connect/token.';
  return "Signicat's token endpoint is failing: try again later, and check https://status.signicat.com.";
}
