/**
 * HTTP client for Signicat's Assure API: one typed function per call, bearer tokens from a cached,
 * single-flight token source, a timeout on every request, and upstream failures mapped to AssureError.
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
import { DEPICTIONS } from '../statuses.ts';
import { invalidResponse, responseError } from './errors.ts';
import { assurePaths } from './paths.ts';
import {
  captureFlowSchema,
  createdProcessSchema,
  documentTypesSchema,
  dossierSchema,
  processSchema,
} from './schemas.ts';
import { createTokenSource, type TokenSourceOptions } from './token.ts';
import { checkUpstreamUrl, discard, isAbortOrTimeout, requestSignal } from './transport.ts';
import {
  AssureError,
  type AssureClient,
  type AssureProcess,
  type CallOptions,
  type ImageSet,
} from './types.ts';

export type { LogEvent } from './log.ts';

/** The token source's options (credentials, token URL, timeout, fetch, log, clock) plus the API's base URL. */
export interface AssureClientOptions extends TokenSourceOptions {
  /** Origin (plus optional prefix) that `/assure/...` is appended to, e.g. `https://api.signicat.com`. */
  apiUrl: string;
}

type Method = 'GET' | 'POST' | 'DELETE';

interface AssureRequest {
  method: Method;
  path: string;
  json?: unknown;
  accept?: string;
}

const IMAGE_MIMES = new Set(['image/jpeg', 'image/png']);

export function createAssureClient(options: AssureClientOptions): AssureClient {
  const { url: apiUrl } = checkUpstreamUrl(options.apiUrl, 'apiUrl');
  const base = apiUrl.href.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const fetchImpl = options.fetch ?? fetch;
  const log = options.log;
  const tokens = createTokenSource({
    tokenUrl: options.tokenUrl,
    clientId: options.clientId,
    clientSecret: options.clientSecret,
    timeoutMs,
    fetch: fetchImpl,
    log,
    now: options.now,
  });

  /**
   * Sends one Assure request and hands the 2xx response to `read`, within the same timeout. A 401 means
   * the cached token was revoked or expired early: it is dropped and the call retried once with a new one.
   */
  async function call<T>(
    request: AssureRequest,
    callOptions: CallOptions | undefined,
    read: (response: Response) => Promise<T>,
  ): Promise<T> {
    const caller = callOptions?.signal;
    for (let attempt = 1; ; attempt++) {
      const token = await tokens.get(caller);
      const started = performance.now();
      let status: number | undefined;
      let failure: AssureError['code'] | 'aborted' | undefined;
      try {
        const headers: Record<string, string> = {
          accept: request.accept ?? 'application/json',
          authorization: `Bearer ${token}`,
        };
        if (request.json !== undefined) headers['content-type'] = 'application/json';
        const response = await fetchImpl(base + request.path, {
          method: request.method,
          headers,
          body: request.json === undefined ? undefined : JSON.stringify(request.json),
          // A redirect would carry the bearer token to wherever it points.
          redirect: 'manual',
          signal: requestSignal(timeoutMs, caller),
        });
        status = response.status;
        if (status === 401 && attempt === 1) {
          await discard(response);
          tokens.invalidate(token);
          log?.({ event: 'assure.token_rejected', method: request.method, path: request.path });
          continue;
        }
        if (status < 200 || status > 299) throw await responseError(response);
        return await read(response);
      } catch (error) {
        const mapped = mapError(error, caller, status);
        failure = mapped instanceof AssureError ? mapped.code : 'aborted';
        throw mapped;
      } finally {
        log?.({
          event: 'assure.request',
          method: request.method,
          path: request.path,
          status,
          error: failure,
          attempt,
          ms: Math.round(performance.now() - started),
        });
      }
    }
  }

  function mapError(error: unknown, caller: AbortSignal | undefined, status: number | undefined): unknown {
    if (error instanceof AssureError) return error;
    // The caller gave up (client disconnected, …): that is theirs to handle, not an upstream failure.
    if (caller?.aborted) return caller.reason;
    if (isAbortOrTimeout(error)) {
      return new AssureError('upstream_timeout', `Assure did not answer within ${timeoutMs} ms`, 504, status);
    }
    return new AssureError('upstream_unavailable', 'Could not reach Assure', 502, status);
  }

  async function readJson<S extends z.ZodType>(response: Response, schema: S, what: string): Promise<z.output<S>> {
    let body: unknown;
    try {
      body = JSON.parse(await response.text());
    } catch (error) {
      if (isAbortOrTimeout(error)) throw error;
      throw invalidResponse(what, response.status);
    }
    const parsed = schema.safeParse(body);
    // The body may hold personal data: neither it nor zod's issues (which quote values) go into the error.
    if (!parsed.success) throw invalidResponse(what, response.status);
    return parsed.data;
  }

  // Methods are async so invalid ids and images reject like upstream failures instead of throwing.
  const client: AssureClient = {
    async createDossier(callOptions) {
      return call({ method: 'POST', path: assurePaths.dossiers(), json: {} }, callOptions, async (response) => {
        const { dossierId } = await readJson(response, dossierSchema, 'create dossier');
        return { dossierId };
      });
    },

    async deleteDossier(dossierId, callOptions) {
      return call({ method: 'DELETE', path: assurePaths.dossier(dossierId) }, callOptions, discard);
    },

    async createProcess(dossierId, input, callOptions) {
      const json = {
        provider: input.provider,
        documentType: input.documentType,
        processType: input.processType,
        notificationUrl: input.notificationUrl,
        authorizationHeader: input.authorizationHeader,
      };
      return call({ method: 'POST', path: assurePaths.processes(dossierId), json }, callOptions, (response) =>
        readJson(response, createdProcessSchema, 'create process'),
      );
    },

    async getProcess(dossierId, processId, callOptions) {
      return call({ method: 'GET', path: assurePaths.process(dossierId, processId) }, callOptions, (response) =>
        readJson(response, processSchema, 'get process'),
      );
    },

    async setImages(dossierId, processId, images, callOptions) {
      return call(
        { method: 'POST', path: assurePaths.images(dossierId, processId), json: toDataUrls(images) },
        callOptions,
        discard,
      );
    },

    async startVerification(dossierId, processId, callOptions) {
      const started = await call(
        { method: 'POST', path: assurePaths.process(dossierId, processId), json: {} },
        callOptions,
        async (response): Promise<AssureProcess | undefined> => {
          // The response body is undocumented (the emulator sends the process); don't depend on it.
          const text = await response.text();
          try {
            const parsed = processSchema.safeParse(JSON.parse(text));
            return parsed.success ? parsed.data : undefined;
          } catch {
            return undefined;
          }
        },
      );
      return started ?? client.getProcess(dossierId, processId, callOptions);
    },

    async startCaptureFlow(dossierId, input, callOptions) {
      const json = {
        providers: [{ provider: input.provider, processType: input.processType }],
        redirectUrl: input.redirectUrl,
        sdk: 'capture',
        notificationUrl: input.notificationUrl,
        authorizationHeader: input.authorizationHeader,
        captureParameters: input.captureParameters,
      };
      return call({ method: 'POST', path: assurePaths.capture(dossierId), json }, callOptions, async (response) => {
        const flow = await readJson(response, captureFlowSchema, 'start capture flow');
        const processId = flow.processId ?? flow.id;
        if (!processId) throw invalidResponse('start capture flow', response.status);
        return { url: flow.url, dossierId: flow.dossierId ?? dossierId, processId };
      });
    },

    async getDocumentTypes(provider, callOptions) {
      return call({ method: 'GET', path: assurePaths.documentTypes(provider) }, callOptions, (response) =>
        readJson(response, documentTypesSchema, 'document types'),
      );
    },

    async downloadProcess(dossierId, processId, callOptions) {
      return call(
        { method: 'GET', path: assurePaths.download(dossierId, processId), accept: 'application/zip' },
        callOptions,
        async (response) => new Uint8Array(await response.arrayBuffer()),
      );
    },
  };
  return client;
}

/** Assure takes images as dataURLs in JSON; the proxy holds raw bytes until this upstream hop. */
function toDataUrls(images: ImageSet): Record<string, string> {
  const body: Record<string, string> = {};
  for (const depiction of DEPICTIONS) {
    const image = images[depiction];
    if (!image) continue;
    if (!IMAGE_MIMES.has(image.mime)) throw new TypeError(`Unsupported image type for ${depiction}`);
    const base64 = Buffer.from(image.bytes.buffer, image.bytes.byteOffset, image.bytes.byteLength).toString('base64');
    body[depiction] = `data:${image.mime};base64,${base64}`;
  }
  return body;
}
