/**
 * The token endpoint (`/auth/open/connect/token`) is not in the Assure OpenAPI file, so its exchanges
 * are checked against OAuth 2.0 client credentials as Signicat documents them: a form body with
 * `grant_type=client_credentials` and `scope`, client authentication by HTTP Basic only, and a JSON
 * answer with `access_token` and `token_type: Bearer` (or an OAuth error object).
 */
import { isObject } from './document.ts';
import { mediaType, type RecordedExchange } from './record.ts';

export const TOKEN_PATH = '/auth/open/connect/token';
export const SIGNICAT_SCOPE = 'signicat-api';

export function isTokenUrl(path: string): boolean {
  return path.endsWith(TOKEN_PATH);
}

export function checkTokenExchange(exchange: RecordedExchange): {
  requestOk: boolean;
  responseOk: boolean;
  requestProblems: string[];
  responseProblems: string[];
} {
  const requestProblems: string[] = [];
  if (exchange.method !== 'POST')
    requestProblems.push(`request: token requests are POST, not ${exchange.method}`);
  if (mediaType(exchange.requestContentType) !== 'application/x-www-form-urlencoded') {
    requestProblems.push(
      `request: the body must be application/x-www-form-urlencoded (got ${mediaType(exchange.requestContentType) || 'none'})`,
    );
  }
  const form = isObject(exchange.requestBody) ? exchange.requestBody : {};
  if (form.grant_type !== 'client_credentials')
    requestProblems.push('request: grant_type must be client_credentials');
  if (typeof form.scope !== 'string' || form.scope.trim() === '')
    requestProblems.push('request: scope is missing');
  else if (!form.scope.split(' ').includes(SIGNICAT_SCOPE))
    requestProblems.push(`request: scope does not include ${SIGNICAT_SCOPE}`);
  if ('client_secret' in form)
    requestProblems.push(
      'request: the client secret must go in the Authorization header only (HTTP Basic), not the body',
    );
  const scheme = (exchange.requestHeaders.authorization ?? '').split(' ')[0]!.toLowerCase();
  if (scheme !== 'basic')
    requestProblems.push('request: no Authorization: Basic header (client_secret_basic)');

  const responseProblems: string[] = [];
  const body = isObject(exchange.responseBody) ? exchange.responseBody : undefined;
  if (exchange.status === 0)
    responseProblems.push(`response: none (${exchange.error ?? 'request failed'})`);
  else if (exchange.status === 200) {
    if (mediaType(exchange.responseContentType) !== 'application/json')
      responseProblems.push('response: not application/json');
    if (typeof body?.access_token !== 'string') responseProblems.push('response: no access_token');
    if (typeof body?.token_type !== 'string' || body.token_type.toLowerCase() !== 'bearer')
      responseProblems.push('response: token_type is not Bearer');
    if (body?.expires_in !== undefined && typeof body.expires_in !== 'number')
      responseProblems.push('response: expires_in is not a number');
  } else if (exchange.status === 400 || exchange.status === 401) {
    // RFC 6749 §5.2: an error answer is a JSON object with an `error` code.
    if (typeof body?.error !== 'string')
      responseProblems.push(`response: ${exchange.status} without an OAuth error object`);
  } else {
    responseProblems.push(
      `response: status ${exchange.status} is not a token endpoint answer (200, 400 or 401)`,
    );
  }
  return {
    requestOk: requestProblems.length === 0,
    responseOk: responseProblems.length === 0,
    requestProblems,
    responseProblems,
  };
}
