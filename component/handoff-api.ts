/**
 * @module
 * The proxy's hand-off calls (docs/api.md, "Cross-device hand-off"), in the lazily loaded capture
 * chunk: the first screen does not pay for them. Errors map like every other call (`ApiError`), with
 * the proxy's `handoff_*` code kept in `serverCode`.
 */
import { ApiError, errorFromResponse, isAbortError } from './api.js';
import type {
  ClaimHandoffResponse,
  CreateHandoffResponse,
  HandoffProgress,
} from './contract/index.js';

export interface HandoffApi {
  create(session: string, signal?: AbortSignal): Promise<CreateHandoffResponse>;
  cancel(session: string, signal?: AbortSignal): Promise<{ handoff?: HandoffProgress }>;
  claim(code: string, signal?: AbortSignal): Promise<ClaimHandoffResponse>;
}

export function handoffApi(endpoint: string): HandoffApi {
  const base = endpoint.replace(/\/+$/, '');
  async function call<T>(method: string, path: string, signal?: AbortSignal, body?: unknown) {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        signal,
        headers: {
          Accept: 'application/json',
          ...(body !== undefined && { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      if (signal?.aborted || isAbortError(error)) throw error;
      throw new ApiError('network', 'The proxy could not be reached.', 0, true);
    }
    const data: unknown = await res.json().catch(() => null);
    if (!res.ok)
      throw errorFromResponse(res.status, data, 'session', res.headers.get('Retry-After'));
    return data as T;
  }
  const path = (session: string) => `/sessions/${encodeURIComponent(session)}/handoff`;
  return {
    create: (session, signal) => call('POST', path(session), signal),
    cancel: (session, signal) => call('DELETE', path(session), signal),
    claim: (code, signal) => call('POST', '/handoff/claim', signal, { code }),
  };
}
