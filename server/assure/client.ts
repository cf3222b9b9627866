/**
 * HTTP client for Signicat's Assure API: one typed function per operation (comments name the spec's
 * `operationId`s), bearer tokens from a cached, single-flight token source, a timeout on every request,
 * retries of idempotent requests (retry.ts), and upstream failures mapped to AssureError.
 *
 * @example
 * ```ts
 * const assure = createAssureClient({
 *   apiUrl: 'https://api.signicat.com',
 *   tokenUrl: 'https://api.signicat.com/auth/open/connect/token',
 *   clientId: process.env.SIGNICAT_CLIENT_ID!,
 *   clientSecret: process.env.SIGNICAT_CLIENT_SECRET!,
 * })
 * const { dossierId } = await assure.createDossier()
 * ```
 *
 * @module
 */
import type { z } from 'zod';
import { invalidResponse, responseError } from './errors.ts';
import { setImagesBody } from './images-body.ts';
import { assurePaths } from './paths.ts';
import { nextDelay, remainingMs, retryPolicy, sleep } from './retry.ts';
import {
  captureFlowSchema,
  createdProcessSchema,
  documentType,
  dossierListSchema,
  dossierResponseSchema,
  dossierSchema,
  dropUndefined,
  listedProcess,
  processListSchema,
  processSchema,
  slimProcess,
  verifyResponseSchema,
} from './schemas.ts';
import { createTokenSource, type TokenSourceOptions } from './token.ts';
import { checkUpstreamUrl, discard, isAbortOrTimeout, requestSignal } from './transport.ts';
import {
  AssureError,
  type AssureClient,
  type CallOptions,
  type DocumentType,
  type ListProcessesQuery,
} from './types.ts';

export type { LogEvent } from './log.ts';
export { probeToken, type ProbeResult, type TokenAuth } from './token.ts';
export type { RetryOptions } from './retry.ts';

/**
 * The token source's options (credentials, `tokenAuth`, token URL, timeout, `retry`, fetch, log, clock)
 * plus the API's base URL. `retry` applies to the token request and to Assure's GET and DELETE calls.
 */
export interface AssureClientOptions extends TokenSourceOptions {
  /** Origin (plus optional prefix) that `/assure/...` is appended to, e.g. `https://api.signicat.com`. */
  apiUrl: string;
}

type Method = 'GET' | 'POST' | 'DELETE';

interface AssureRequest {
  method: Method;
  path: string;
  /** The JSON body, as text or (Set images: megabytes of base64) as its UTF-8 bytes. */
  body?: string | Uint8Array<ArrayBuffer>;
  accept?: string;
  /** Non-2xx statuses that `read` handles as an answer (e.g. 404 for a delete). */
  accepted?: readonly number[];
}

/** What one try came to. */
type Outcome<T> = { value: T } | { refreshToken: true } | { error: unknown; retryable: boolean };

/** `getAllProcess` limits (spec: offset 0..200000, limit 1..2000). */
const MAX_LIST_OFFSET = 200_000;
const MAX_LIST_LIMIT = 2_000;

export function createAssureClient(options: AssureClientOptions): AssureClient {
  const { url: apiUrl } = checkUpstreamUrl(options.apiUrl, 'apiUrl');
  const base = apiUrl.href.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const fetchImpl = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const log = options.log;
  const policy = retryPolicy(options.retry);
  const tokens = createTokenSource({ ...options, timeoutMs, fetch: fetchImpl });

  /**
   * Sends one Assure request and hands the answer to `read`, within the same timeout.
   * - A 401 means the cached token was revoked or expired early: it is dropped and the request sent once
   *   more with a new one. That is safe for a POST too, because the request was refused.
   * - GET and DELETE are retried on timeouts, network errors, 429 and 5xx, within the retry policy.
   *   POSTs never are: Assure has no idempotency keys, so a lost answer may hide a done Create process.
   */
  async function call<T>(
    request: AssureRequest,
    callOptions: CallOptions | undefined,
    read: (response: Response) => Promise<T>,
  ): Promise<T> {
    const caller = callOptions?.signal;
    const idempotent = request.method !== 'POST';
    const started = performance.now();
    let refreshed = false;
    let transientFailures = 0;
    for (let attempt = 1; ; attempt++) {
      const token = await tokens.get(caller);
      // A retry may only use what is left of the budget; the first try and the 401 retry get the full timeout.
      const attemptTimeoutMs =
        transientFailures === 0
          ? timeoutMs
          : remainingMs(timeoutMs, policy.budgetMs, performance.now() - started);
      const outcome = await send(
        request,
        token,
        attempt,
        attemptTimeoutMs,
        caller,
        !refreshed,
        read,
      );
      if ('value' in outcome) return outcome.value;
      if ('refreshToken' in outcome) {
        refreshed = true;
        tokens.invalidate(token);
        log?.({ event: 'assure.token_rejected', method: request.method, path: request.path });
        continue;
      }
      const { error, retryable } = outcome;
      if (!(error instanceof AssureError) || !retryable || !idempotent) throw error;
      transientFailures++;
      const delay = nextDelay(
        policy,
        transientFailures,
        performance.now() - started,
        error.retryAfterSeconds,
      );
      if (delay === undefined) throw error;
      log?.({
        event: 'assure.retry',
        method: request.method,
        path: request.path,
        attempt: attempt + 1,
        delayMs: delay,
        error: error.code,
        status: error.upstreamStatus,
        retryAfterSeconds: error.retryAfterSeconds,
      });
      await sleep(delay, caller);
    }
  }

  /** One try of `request`, logged. Never throws: the outcome says what happened. */
  async function send<T>(
    request: AssureRequest,
    token: string,
    attempt: number,
    attemptTimeoutMs: number,
    caller: AbortSignal | undefined,
    mayRefreshToken: boolean,
    read: (response: Response) => Promise<T>,
  ): Promise<Outcome<T>> {
    const started = performance.now();
    let status: number | undefined;
    let outcome: Outcome<T>;
    try {
      const headers: Record<string, string> = {
        accept: request.accept ?? 'application/json',
        authorization: `Bearer ${token}`,
      };
      if (request.body !== undefined) headers['content-type'] = 'application/json';
      const response = await fetchImpl(base + request.path, {
        method: request.method,
        headers,
        body: request.body,
        // A redirect would carry the bearer token to wherever it points: it fails the request. With
        // `redirect: 'error'` and no window, fetch also sends the request as it is instead of cloning
        // it first, which tees the body and copies every byte (a Set images body: megabytes).
        redirect: 'error',
        window: null,
        signal: requestSignal(attemptTimeoutMs, caller),
      });
      status = response.status;
      if (status === 401 && mayRefreshToken) {
        await discard(response);
        outcome = { refreshToken: true };
      } else if ((status >= 200 && status <= 299) || request.accepted?.includes(status)) {
        outcome = { value: await read(response) };
      } else {
        outcome = {
          error: await responseError(response, now()),
          retryable: status === 429 || status >= 500,
        };
      }
    } catch (error) {
      // Our own response checks are final; anything else here is the network or a timeout.
      const mapped = mapError(error, caller, status, attemptTimeoutMs);
      outcome = {
        error: mapped,
        retryable:
          !(error instanceof AssureError) && mapped instanceof AssureError && !isRedirect(error),
      };
    }
    const failure =
      'error' in outcome
        ? outcome.error instanceof AssureError
          ? outcome.error.code
          : 'aborted'
        : undefined;
    log?.({
      event: 'assure.request',
      method: request.method,
      path: request.path,
      status,
      error: failure,
      attempt,
      ms: Math.round(performance.now() - started),
    });
    return outcome;
  }

  function mapError(
    error: unknown,
    caller: AbortSignal | undefined,
    status: number | undefined,
    attemptTimeoutMs: number,
  ): unknown {
    if (error instanceof AssureError) return error;
    if (isRedirect(error))
      return new AssureError('upstream_unavailable', 'Assure answered with a redirect', 502);
    // The caller gave up (client disconnected, …): that is theirs to handle, not an upstream failure.
    if (caller?.aborted) return caller.reason;
    if (isAbortOrTimeout(error)) {
      const message = `Assure did not answer within ${Math.round(attemptTimeoutMs)} ms`;
      return new AssureError('upstream_timeout', message, 504, status);
    }
    return new AssureError('upstream_unavailable', 'Could not reach Assure', 502, status);
  }

  async function readJson<S extends z.ZodType>(
    response: Response,
    schema: S,
    what: string,
  ): Promise<z.output<S>> {
    const parsed = schema.safeParse(await readBody(response, what));
    // The body may hold personal data: neither it nor zod's issues (which quote values) go into the error.
    if (!parsed.success) throw invalidResponse(what, response.status);
    return parsed.data;
  }

  /** The parsed JSON body; undefined for 204 or an empty body. */
  async function readBody(response: Response, what: string): Promise<unknown> {
    if (response.status === 204) {
      await discard(response);
      return undefined;
    }
    const text = await response.text();
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw invalidResponse(what, response.status);
    }
  }

  /** Logs how many list items were unusable (an upstream change worth noticing), never their content. */
  function skipped(path: string, total: number, kept: number): void {
    if (kept < total) log?.({ event: 'assure.skipped_items', path, count: total - kept });
  }

  // Methods are async so invalid ids and images reject like upstream failures instead of throwing.
  const client: AssureClient = {
    /** `createDossier`: POST /dossiers → 201 `DossierResponse`. */
    async createDossier(input, callOptions) {
      const body = JSON.stringify(dropUndefined({ externalReference: input?.externalReference }));
      return call(
        { method: 'POST', path: assurePaths.dossiers(), body },
        callOptions,
        async (response) => {
          const { dossierId } = await readJson(response, dossierSchema, 'create dossier');
          return { dossierId };
        },
      );
    },

    /** `getDossier`: GET /dossiers/{d} → 200 `DossierResponse` with `processes: SlimProcess[]`. */
    async getDossier(dossierId, callOptions) {
      const path = assurePaths.dossier(dossierId);
      return call({ method: 'GET', path }, callOptions, async (response) => {
        const dossier = await readJson(response, dossierResponseSchema, 'get dossier');
        const items = dossier.processes ?? [];
        const processes = items.flatMap((item) => slimProcess(item) ?? []);
        skipped(path, items.length, processes.length);
        return dropUndefined({
          dossierId: dossier.dossierId,
          externalReference: dossier.externalReference,
          createdAt: dossier.createdAt,
          processes,
        });
      });
    },

    /** `getDossiers`: GET /dossiers → 200 `Dossier[]`; items without a usable id are skipped. */
    async listDossiers(callOptions) {
      const path = assurePaths.dossiers();
      return call({ method: 'GET', path }, callOptions, async (response) => {
        const items = await readJson(response, dossierListSchema, 'get dossiers');
        const dossiers = items.flatMap((item) => {
          const parsed = dossierResponseSchema.safeParse(item);
          return parsed.success
            ? [
                dropUndefined({
                  dossierId: parsed.data.dossierId,
                  externalReference: parsed.data.externalReference,
                  createdAt: parsed.data.createdAt,
                }),
              ]
            : [];
        });
        skipped(path, items.length, dossiers.length);
        return dossiers;
      });
    },

    /** `deleteDossier`: DELETE /dossiers/{d} → 204; 404 means it is gone already, which is the goal. */
    async deleteDossier(dossierId, callOptions) {
      const request = {
        method: 'DELETE',
        path: assurePaths.dossier(dossierId),
        accepted: [404],
      } as const;
      return call(request, callOptions, discard);
    },

    /** `createProcess`: POST /dossiers/{d}/processes `ProcessRequest` → 201 `ProcessResponse`. */
    async createProcess(dossierId, input, callOptions) {
      const body = JSON.stringify(
        dropUndefined({
          provider: input.provider,
          documentType: input.documentType,
          documentCountry: input.documentCountry,
          processType: input.processType,
          processParameters: input.processParameters,
          notificationUrl: input.notificationUrl,
          authorizationHeader: input.authorizationHeader,
        }),
      );
      return call(
        { method: 'POST', path: assurePaths.processes(dossierId), body },
        callOptions,
        async (response) =>
          dropUndefined(await readJson(response, createdProcessSchema, 'create process')),
      );
    },

    /** `getProcess`: GET /dossiers/{d}/processes/{p} → 200 `Process`. */
    async getProcess(dossierId, processId, callOptions) {
      return call(
        { method: 'GET', path: assurePaths.process(dossierId, processId) },
        callOptions,
        async (response) => dropUndefined(await readJson(response, processSchema, 'get process')),
      );
    },

    /** `getAllProcess`: GET /processes?startCreationDate&endCreationDate&status…&offset&limit → `ListAllProcesses`. */
    async listProcesses(query, callOptions) {
      const path = `${assurePaths.allProcesses()}?${listQuery(query)}`;
      return call({ method: 'GET', path }, callOptions, async (response) => {
        const page = await readJson(response, processListSchema, 'list processes');
        const processes = page.processes.flatMap((item) => listedProcess(item) ?? []);
        const left = page.processes.length - processes.length;
        skipped(assurePaths.allProcesses(), page.processes.length, processes.length);
        return dropUndefined({
          processes,
          totalResults: page.totalResults,
          skipped: left > 0 ? left : undefined,
        });
      });
    },

    /** `setImages`: POST …/images `UploadImageRequest` → 201 (any 2xx is taken). */
    async setImages(dossierId, processId, images, callOptions) {
      const path = assurePaths.images(dossierId, processId);
      return call({ method: 'POST', path, body: setImagesBody(images) }, callOptions, discard);
    },

    /**
     * `startVerification`: POST /dossiers/{d}/processes/{p} → 200 `VerifyResponse {processId, status}`, or
     * 204 for readid and webid. An unreadable 2xx body still means the verification started.
     */
    async startVerification(dossierId, processId, callOptions) {
      const path = assurePaths.process(dossierId, processId);
      return call({ method: 'POST', path, body: '{}' }, callOptions, async (response) => {
        let body: unknown;
        try {
          body = await readBody(response, 'start verification');
        } catch (error) {
          if (error instanceof AssureError) return {};
          throw error;
        }
        const parsed = verifyResponseSchema.safeParse(body);
        return parsed.success && parsed.data.status !== undefined
          ? { status: parsed.data.status }
          : {};
      });
    },

    /** `setFailedProcess`: POST …/fail → 200 `ProcessStatusResponse` (409 unless pending). */
    async failProcess(dossierId, processId, callOptions) {
      return call(
        { method: 'POST', path: assurePaths.fail(dossierId, processId) },
        callOptions,
        discard,
      );
    },

    /**
     * `createArtifact` (Start capture flow): POST /dossiers/{d}/capture `CaptureRequest` → 201 `WebURL {url}`.
     * Nothing else is promised: the process id comes from Get dossier or the redirect's query.
     */
    async startCaptureFlow(dossierId, input, callOptions) {
      const body = JSON.stringify(
        dropUndefined({
          providers: [dropUndefined({ provider: input.provider, processType: input.processType })],
          redirectUrl: input.redirectUrl,
          sdk: 'capture',
          notificationUrl: input.notificationUrl,
          authorizationHeader: input.authorizationHeader,
          captureParameters: input.captureParameters,
        }),
      );
      return call(
        { method: 'POST', path: assurePaths.capture(dossierId), body },
        callOptions,
        async (response) => {
          const { url } = await readJson(response, captureFlowSchema, 'start capture flow');
          return { url };
        },
      );
    },

    /**
     * `getDocumentTypes`: GET /{provider}/document-types → 200 `EidCountryAndDocumentType[]`, or 204 when
     * there are none. Entries without `country` or `type` are left out; the rest is still usable.
     */
    async getDocumentTypes(provider, callOptions) {
      const path = assurePaths.documentTypes(provider);
      return call(
        { method: 'GET', path },
        callOptions,
        async (response): Promise<DocumentType[]> => {
          const body = await readBody(response, 'document types');
          if (body === undefined) return [];
          if (!Array.isArray(body)) throw invalidResponse('document types', response.status);
          const types = body.flatMap((item: unknown) => documentType(item) ?? []);
          skipped(path, body.length, types.length);
          return types;
        },
      );
    },

    /** `getZipFile`: GET …/download → 200 `application/zip`, or 204 until the zip is ready. */
    async downloadProcess(dossierId, processId, callOptions) {
      const path = assurePaths.download(dossierId, processId);
      return call(
        { method: 'GET', path, accept: 'application/zip' },
        callOptions,
        async (response) => {
          if (response.status === 204) {
            await discard(response);
            return { ready: false };
          }
          const zip = new Uint8Array(await response.arrayBuffer());
          // Not ready yet, whatever the status says: never archive (and then delete for) an empty file.
          if (zip.byteLength === 0) return { ready: false };
          // Every zip starts with a "PK" record signature; anything else would be archived as garbage.
          if (zip[0] !== 0x50 || zip[1] !== 0x4b)
            throw invalidResponse('download', response.status);
          return { ready: true, zip };
        },
      );
    },
  };
  return client;
}

/** fetch's failure for a 3xx under `redirect: 'error'` (no status is exposed then). */
function isRedirect(error: unknown): boolean {
  const cause = error instanceof TypeError ? (error as { cause?: unknown }).cause : undefined;
  return cause instanceof Error && cause.message === 'unexpected redirect';
}

/** The `getAllProcess` query; `status` repeats once per value, as OpenAPI's default form style does. */
function listQuery(query: ListProcessesQuery): string {
  const params = new URLSearchParams();
  if (query.startCreationDate !== undefined)
    params.set('startCreationDate', query.startCreationDate);
  if (query.endCreationDate !== undefined) params.set('endCreationDate', query.endCreationDate);
  for (const status of new Set(query.statusList ?? [])) params.append('status', status);
  if (query.offset !== undefined)
    params.set('offset', String(checkedInteger(query.offset, 0, MAX_LIST_OFFSET, 'offset')));
  if (query.limit !== undefined)
    params.set('limit', String(checkedInteger(query.limit, 1, MAX_LIST_LIMIT, 'limit')));
  return params.toString();
}

function checkedInteger(value: number, min: number, max: number, name: string): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`listProcesses ${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}
