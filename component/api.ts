/**
 * @module
 * Typed client for the signicat-verify proxy API (docs/api.md). Plain TypeScript, no Lit: it can be used
 * on its own by integrators who build their own UI. Every call takes an `AbortSignal`, and every failure
 * is an {@link ApiError} with a stable snake_case {@link ErrorCode}. The shapes and codes come from the
 * shared contract (`./contract/index.js`); the names below are kept for existing imports.
 */
import {
  CONSENT_HEADER,
  ELEMENT_ERROR_CODES,
  type ClientConfigResponse,
  type CreateSessionRequest,
  type CreateSessionResponse,
  type DocumentTypeEntry,
  type ElementErrorCode,
  type ReturnRequest,
  type SessionStatusResponse,
  type Side,
  type Status,
  type UploadResponse,
} from './contract/index.js';

export {
  ANY_PASSPORT_COUNTRY,
  CONSENT_HEADER,
  DOCUMENT_KINDS,
  FINAL_STATUSES,
  MODES,
  SIDES,
  STATUSES,
  isDocumentKind,
  isFinalStatus,
  isStatus,
  requiredSides,
  type ClientConfigResponse,
  type DocumentKind,
  type DocumentTypeEntry,
  type FinalStatus,
  type ImageRequirements,
  type Mode,
  type Side,
  type Status,
  type UploadResponse,
} from './contract/index.js';

/** Stable error codes carried by `signicat-verify-error` and {@link ApiError}. */
export const ERROR_CODES = ELEMENT_ERROR_CODES;
/** A stable error code. */
export type ErrorCode = ElementErrorCode;
/** Body of `POST /sessions`. */
export type CreateSessionInput = CreateSessionRequest;
/** Answer of `POST /sessions` (201). */
export type CreatedSession = CreateSessionResponse;
/** Answer of `GET /sessions/{session}` (and of `POST /sessions/{session}/return`). */
export type SessionState = SessionStatusResponse;
/** One entry of `GET /document-types`. */
export type DocumentTypeInfo = DocumentTypeEntry;
/** The query parameters the hosted capture flow appends to `redirectUrl`. */
export type ReturnParams = ReturnRequest;

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Upload options: progress is reported as a fraction between 0 and 1. */
export interface UploadOptions extends CallOptions {
  onProgress?: (fraction: number) => void;
  /** The user ticked the provider's consent line: sends {@link CONSENT_HEADER} `granted`. */
  consent?: boolean;
}

/** A proxy call that failed, mapped to a stable code. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** Stable code for the host page and the UI. */
    readonly code: ErrorCode,
    message: string,
    /** HTTP status; 0 when the request never got an answer. */
    readonly httpStatus = 0,
    /** Whether trying the same request again may succeed (network failure, 5xx, 429). */
    readonly retryable = false,
    /** The proxy's own `error.code`, when it sent one. */
    readonly serverCode?: string,
    /** From a 429's `Retry-After`: how long the proxy asked us to wait, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** True when `error` comes from an aborted request (the caller moved on; nothing to report). */
export function isAbortError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

function abortError(): DOMException {
  return new DOMException('The operation was aborted.', 'AbortError');
}

type CallKind = 'create' | 'list' | 'config' | 'session' | 'image' | 'submit' | 'return';

// The server's codes that mean the same thing in the browser pass through unchanged.
const PASS_THROUGH: ReadonlySet<string> = new Set([
  'session_expired',
  'upload_rejected',
  'redirect_mismatch',
  'invalid_config',
  'rate_limited',
]);

/**
 * `Retry-After` (delta seconds or an HTTP date) in milliseconds; `undefined` when absent or unreadable.
 * Cross-origin, the proxy must list it in `Access-Control-Expose-Headers` for the browser to show it.
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function originMessage(): string {
  const origin = typeof location === 'undefined' ? 'this page' : location.origin;
  return `The proxy refuses requests from ${origin}: add this origin to ALLOWED_ORIGINS in the proxy's settings.`;
}

/** Maps an HTTP error answer to a stable {@link ApiError}. Exported for tests and custom clients. */
export function errorFromResponse(
  httpStatus: number,
  body: unknown,
  kind: CallKind,
  retryAfter?: string | null,
): ApiError {
  const err = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const serverCode = typeof err?.code === 'string' ? err.code : undefined;
  const message =
    typeof err?.message === 'string' ? err.message : `The server answered ${httpStatus}.`;
  const make = (code: ErrorCode, retryable = false, text = message) =>
    new ApiError(
      code,
      text,
      httpStatus,
      retryable,
      serverCode,
      code === 'rate_limited' ? parseRetryAfter(retryAfter) : undefined,
    );
  // Readable since the proxy sends CORS headers with this refusal; without them it looks like `network`.
  if (serverCode === 'origin_not_allowed') return make('invalid_config', false, originMessage());
  // A proxy at its upstream cap (`503 overloaded`) asks for the same patience as a rate limit.
  if (httpStatus === 429 || serverCode === 'overloaded') return make('rate_limited', true);
  if (serverCode && PASS_THROUGH.has(serverCode)) return make(serverCode as ErrorCode);
  if (httpStatus >= 500) return make('server_error', true);
  const aboutSession = kind !== 'create' && kind !== 'list' && kind !== 'config';
  if (aboutSession && (httpStatus === 401 || httpStatus === 404 || httpStatus === 410))
    return make('session_expired');
  if (kind === 'return' && httpStatus === 409) return make('redirect_mismatch');
  if (kind === 'image' || kind === 'submit') return make('upload_rejected');
  if (kind === 'create' || kind === 'list' || kind === 'config') return make('invalid_config');
  return make('server_error');
}

function networkError(): ApiError {
  return new ApiError('network', 'The proxy could not be reached.', 0, true);
}

async function readJson(res: Response): Promise<unknown> {
  try {
    return await res.json();
  } catch {
    return null;
  }
}

/**
 * Client for one proxy endpoint.
 *
 * @example
 * const api = new ProxyClient('/api');
 * const created = await api.createSession({ mode: 'capture', documentType: 'passport', pageUrl: location.href });
 */
export class ProxyClient {
  /** Base URL without a trailing slash. */
  readonly endpoint: string;

  constructor(endpoint = '/api') {
    this.endpoint = endpoint.replace(/\/+$/, '');
  }

  /** `POST /sessions`. */
  createSession(input: CreateSessionInput, options: CallOptions = {}): Promise<CreatedSession> {
    return this.json<CreatedSession>('POST', '/sessions', 'create', options.signal, input);
  }

  /** `GET /sessions/{session}`. */
  getSession(session: string, options: CallOptions = {}): Promise<SessionState> {
    return this.json<SessionState>('GET', this.sessionPath(session), 'session', options.signal);
  }

  /** `GET /config?mode=&provider=`: what the element must ask before it creates a session. */
  config(
    mode: string,
    provider?: string,
    options: CallOptions = {},
  ): Promise<ClientConfigResponse> {
    const query = new URLSearchParams({ mode });
    if (provider) query.set('provider', provider);
    return this.json<ClientConfigResponse>('GET', `/config?${query}`, 'config', options.signal);
  }

  /** `GET /document-types?provider=X`. */
  documentTypes(provider?: string, options: CallOptions = {}): Promise<DocumentTypeInfo[]> {
    const query = provider ? `?provider=${encodeURIComponent(provider)}` : '';
    return this.json<DocumentTypeInfo[]>('GET', `/document-types${query}`, 'list', options.signal);
  }

  /** `POST /sessions/{session}/submit`: starts verification (idempotent). */
  submit(session: string, options: CallOptions = {}): Promise<{ status: Status }> {
    return this.json<{ status: Status }>(
      'POST',
      `${this.sessionPath(session)}/submit`,
      'submit',
      options.signal,
    );
  }

  /** `POST /sessions/{session}/cancel`: ends the session as `canceled` (409 `already_submitted` once verification runs). */
  cancel(session: string, options: CallOptions = {}): Promise<SessionState> {
    return this.json<SessionState>(
      'POST',
      `${this.sessionPath(session)}/cancel`,
      'session',
      options.signal,
    );
  }

  /**
   * `POST /sessions/{session}/return`: hands the hosted flow's redirect parameters to the proxy, which checks
   * they belong to the session (409 `redirect_mismatch` otherwise) and answers with the current status.
   */
  returnFromCapture(
    session: string,
    params: ReturnParams,
    options: CallOptions = {},
  ): Promise<SessionState> {
    return this.json<SessionState>(
      'POST',
      `${this.sessionPath(session)}/return`,
      'return',
      options.signal,
      params,
    );
  }

  /**
   * `PUT /sessions/{session}/images/{side}` with the raw bytes. Resolves with the refreshed session token
   * when the proxy sends one (`200 {session}`; use it for every later call), `undefined` on `204`. Uses
   * XMLHttpRequest because `fetch` cannot report upload progress in every browser yet.
   */
  uploadImage(
    session: string,
    side: Side,
    image: Blob,
    options: UploadOptions = {},
  ): Promise<UploadResponse | undefined> {
    const { signal, onProgress } = options;
    return new Promise<UploadResponse | undefined>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      const xhr = new XMLHttpRequest();
      const onAbort = () => xhr.abort();
      const done = () => signal?.removeEventListener('abort', onAbort);
      xhr.open('PUT', `${this.endpoint}${this.sessionPath(session)}/images/${side}`);
      xhr.setRequestHeader('Content-Type', image.type === 'image/png' ? 'image/png' : 'image/jpeg');
      if (options.consent) xhr.setRequestHeader(CONSENT_HEADER, 'granted');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) onProgress?.(Math.min(1, e.loaded / e.total));
      };
      xhr.onload = () => {
        done();
        let body: unknown = null;
        try {
          body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
        } catch {
          /* not JSON: keep the status only */
        }
        if (xhr.status >= 200 && xhr.status < 300) {
          onProgress?.(1);
          const token = (body as { session?: unknown } | null)?.session;
          resolve(typeof token === 'string' && token ? { session: token } : undefined);
          return;
        }
        reject(errorFromResponse(xhr.status, body, 'image', xhr.getResponseHeader('Retry-After')));
      };
      xhr.onerror = xhr.ontimeout = () => {
        done();
        reject(networkError());
      };
      xhr.onabort = () => {
        done();
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      xhr.send(image);
    });
  }

  /** URL of `GET /sessions/{session}/events` (Server-Sent Events). */
  eventsUrl(session: string): string {
    return `${this.endpoint}${this.sessionPath(session)}/events`;
  }

  private sessionPath(session: string): string {
    return `/sessions/${encodeURIComponent(session)}`;
  }

  private async json<T>(
    method: string,
    path: string,
    kind: CallKind,
    signal?: AbortSignal,
    body?: unknown,
  ): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.endpoint}${path}`, {
        method,
        signal,
        headers:
          body === undefined
            ? { Accept: 'application/json' }
            : { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      if (signal?.aborted || isAbortError(error)) throw abortError();
      throw networkError();
    }
    const data = await readJson(res);
    if (signal?.aborted) throw abortError();
    if (!res.ok) throw errorFromResponse(res.status, data, kind, res.headers.get('Retry-After'));
    return data as T;
  }
}
