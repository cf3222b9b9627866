/**
 * @module
 * Typed client for the signicat-verify proxy API (interfaces.md §3). Plain TypeScript, no Lit: it can
 * be used on its own by integrators who build their own UI. Every call takes an `AbortSignal`, and every
 * failure is an {@link ApiError} with a stable snake_case {@link ErrorCode}.
 */

/** Statuses that end a verification. */
export const FINAL_STATUSES = ['accepted', 'rejected', 'inconclusive', 'failed', 'canceled'] as const;
/** A final Assure status. */
export type FinalStatus = (typeof FINAL_STATUSES)[number];
/** Any Assure process status, as the proxy passes it on. */
export type Status = 'pending' | 'processing' | FinalStatus;
/** An image side the proxy accepts. */
export type Side = 'front' | 'back' | 'selfie';
/** How the element runs the capture. */
export type Mode = 'capture' | 'redirect' | 'provider-sdk';

/** Stable error codes carried by `signicat-verify-error` and {@link ApiError}. */
export const ERROR_CODES = [
  'camera_denied',
  'camera_unavailable',
  'network',
  'session_expired',
  'upload_rejected',
  'invalid_config',
  'server_error',
  'provider_failed',
  'redirect_mismatch',
] as const;
/** A stable error code. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** True for the five statuses that end a verification. */
export function isFinalStatus(status: string): status is FinalStatus {
  return (FINAL_STATUSES as readonly string[]).includes(status);
}

/** Body of `POST /sessions`. */
export interface CreateSessionInput {
  mode: Mode;
  provider?: string;
  documentType?: string;
  redirectUrl?: string;
}

/** Which image sides a session needs. */
export interface ImageRequirements {
  required: Side[];
  optional: Side[];
  /** In `GET /sessions/{s}`: sides the proxy already holds, so a resumed session skips them. */
  uploaded?: Side[];
}

/** Answer of `POST /sessions` (201). */
export interface CreatedSession {
  session: string;
  mode: Mode;
  provider: string;
  documentType?: string | null;
  images: ImageRequirements;
  /** Redirect mode: where the hosted capture flow starts. */
  captureUrl?: string;
  /** Provider-SDK mode: the token the provider's SDK uploads with. */
  providerToken?: string;
  expiresAt: string;
}

/** Answer of `GET /sessions/{session}` (and of `POST /sessions/{session}/return`). */
export interface SessionState {
  status: Status;
  final: boolean;
  updatedAt?: string;
  result?: Record<string, unknown>;
  /** Sent by this project's proxy beyond the documented contract; used when present. */
  images?: ImageRequirements;
  /** Sent by this project's proxy beyond the documented contract; used when present. */
  documentType?: string | null;
}

/** One entry of `GET /document-types`. */
export interface DocumentTypeInfo {
  id: string | number;
  country: string;
  countryName: string;
  type: string;
  subType?: string;
}

/** The query parameters the hosted capture flow appends to `redirectUrl`. */
export interface ReturnParams {
  dossierId: string;
  processId: string;
  status: string;
}

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Upload options: progress is reported as a fraction between 0 and 1. */
export interface UploadOptions extends CallOptions {
  onProgress?: (fraction: number) => void;
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

type CallKind = 'create' | 'list' | 'session' | 'image' | 'submit' | 'return';

// The server's codes that mean the same thing in the browser pass through unchanged.
const PASS_THROUGH: ReadonlySet<string> = new Set(['session_expired', 'upload_rejected', 'redirect_mismatch', 'invalid_config']);

/** Maps an HTTP error answer to a stable {@link ApiError}. Exported for tests and custom clients. */
export function errorFromResponse(httpStatus: number, body: unknown, kind: CallKind): ApiError {
  const err = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  const serverCode = typeof err?.code === 'string' ? err.code : undefined;
  const message = typeof err?.message === 'string' ? err.message : `The server answered ${httpStatus}.`;
  const make = (code: ErrorCode, retryable = false) => new ApiError(code, message, httpStatus, retryable, serverCode);
  if (serverCode && PASS_THROUGH.has(serverCode)) return make(serverCode as ErrorCode);
  if (httpStatus === 429 || httpStatus >= 500) return make('server_error', true);
  const aboutSession = kind !== 'create' && kind !== 'list';
  if (aboutSession && (httpStatus === 401 || httpStatus === 404 || httpStatus === 410)) return make('session_expired');
  if (kind === 'return' && httpStatus === 409) return make('redirect_mismatch');
  if (kind === 'image' || kind === 'submit') return make('upload_rejected');
  if (kind === 'create' || kind === 'list') return make('invalid_config');
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
 * const created = await api.createSession({ mode: 'capture', documentType: 'passport' });
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

  /** `GET /document-types?provider=X`. */
  documentTypes(provider?: string, options: CallOptions = {}): Promise<DocumentTypeInfo[]> {
    const query = provider ? `?provider=${encodeURIComponent(provider)}` : '';
    return this.json<DocumentTypeInfo[]>('GET', `/document-types${query}`, 'list', options.signal);
  }

  /** `POST /sessions/{session}/submit`: starts verification (idempotent). */
  submit(session: string, options: CallOptions = {}): Promise<{ status: Status }> {
    return this.json<{ status: Status }>('POST', `${this.sessionPath(session)}/submit`, 'submit', options.signal);
  }

  /**
   * `POST /sessions/{session}/return`: hands the hosted flow's redirect parameters to the proxy, which checks
   * they belong to the session (409 `redirect_mismatch` otherwise) and answers with the current status.
   */
  returnFromCapture(session: string, params: ReturnParams, options: CallOptions = {}): Promise<SessionState> {
    return this.json<SessionState>('POST', `${this.sessionPath(session)}/return`, 'return', options.signal, params);
  }

  /**
   * `PUT /sessions/{session}/images/{side}` with the raw bytes. Uses XMLHttpRequest because `fetch` cannot
   * report upload progress in every browser yet.
   */
  uploadImage(session: string, side: Side, image: Blob, options: UploadOptions = {}): Promise<void> {
    const { signal, onProgress } = options;
    return new Promise<void>((resolve, reject) => {
      if (signal?.aborted) return reject(abortError());
      const xhr = new XMLHttpRequest();
      const onAbort = () => xhr.abort();
      const done = () => signal?.removeEventListener('abort', onAbort);
      xhr.open('PUT', `${this.endpoint}${this.sessionPath(session)}/images/${side}`);
      xhr.setRequestHeader('Content-Type', image.type === 'image/png' ? 'image/png' : 'image/jpeg');
      xhr.upload.onprogress = (e) => {
        if (e.lengthComputable && e.total > 0) onProgress?.(Math.min(1, e.loaded / e.total));
      };
      xhr.onload = () => {
        done();
        if (xhr.status >= 200 && xhr.status < 300) {
          onProgress?.(1);
          resolve();
          return;
        }
        let body: unknown = null;
        try {
          body = JSON.parse(xhr.responseText);
        } catch {
          /* not JSON: keep the status only */
        }
        reject(errorFromResponse(xhr.status, body, 'image'));
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

  private async json<T>(method: string, path: string, kind: CallKind, signal?: AbortSignal, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.endpoint}${path}`, {
        method,
        signal,
        headers: body === undefined ? { Accept: 'application/json' } : { Accept: 'application/json', 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      if (signal?.aborted || isAbortError(error)) throw abortError();
      throw networkError();
    }
    const data = await readJson(res);
    if (signal?.aborted) throw abortError();
    if (!res.ok) throw errorFromResponse(res.status, data, kind);
    return data as T;
  }
}
