/**
 * The proxy as a library: `createProxy()` wires the session routes, callbacks, Assure Events and the
 * verification lifecycle around an Assure client. It knows nothing about how it is served (see
 * server.ts), so tests and integrators can mount it in their own Hono or Node server.
 */
import { Hono, type Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AssureError, type AssureClient } from './assure/types.ts';
import type { Config } from './config.ts';
import type { ProxyContext } from './context.ts';
import type { ResultSink } from './delivery/types.ts';
import { ApiError, errorBody } from './errors.ts';
import { createLifecycle, type Lifecycle } from './lifecycle/lifecycle.ts';
import { silentLogger, type Logger } from './log.ts';
import { createAdmission, createsAtSignicat } from './middleware/admission.ts';
import { jsonBodyLimit } from './middleware/body-limit.ts';
import { clientAddress, clientKey, UNKNOWN_CLIENT } from './middleware/client-address.ts';
import { concurrencyLimit } from './middleware/concurrency.ts';
import { originGuard } from './middleware/origin-guard.ts';
import { rateLimit } from './middleware/rate-limit.ts';
import { createStreamLimiter } from './middleware/stream-limits.ts';
import { callbackRoutes } from './routes/callbacks.ts';
import { documentTypeRoutes } from './routes/document-types.ts';
import { eventRoutes } from './routes/events.ts';
import { handoffRoutes } from './routes/handoff.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { createExternalReferences } from './session/external-reference.ts';
import { createSessionTokens } from './session/token.ts';
import { createMemoryStore } from './state/memory-store.ts';
import type { SessionStore } from './state/store.ts';
import { StoreUnavailableError } from './state/unavailable.ts';
import { createVerificationService } from './verification/service.ts';

export interface ProxyOptions {
  config: Config;
  assure: AssureClient;
  /** Origin Signicat calls back on; defaults to `config.publicUrl`. */
  publicUrl?: string;
  /** Receives every final result once (library use). A webhook sink is built from config by server.ts. */
  onResult?: ResultSink;
  archive?: (processId: string, zip: Uint8Array) => Promise<string>;
  store?: SessionStore;
  log?: Logger;
  /** Reconcile with Signicat at start and then every this many ms (0: never). @default 15 minutes */
  reconcileEveryMs?: number;
  /** A dossier of ours that never got a process is deleted after this long. @default 10 minutes */
  orphanDossierGraceMs?: number;
  /** How often to look for work another instance left behind (shared store). @default 60 s */
  orphanCheckMs?: number;
  /** Retries of failed deliveries and of zips that are not ready (first delay, longest, give up after). */
  retry?: { baseMs?: number; maxMs?: number; giveUpMs?: number };
}

export interface Proxy {
  /** Serves `/api/*`. */
  app: Hono;
  lifecycle: Lifecycle;
  store: SessionStore;
  close(): void;
}

export function createProxy(options: ProxyOptions): Proxy {
  const { config } = options;
  const publicUrl = options.publicUrl ?? config.publicUrl;
  if (!publicUrl)
    throw new Error(
      'createProxy: publicUrl (or config.publicUrl) is required for Assure callbacks.',
    );
  const log = options.log ?? silentLogger;
  const store = options.store ?? createMemoryStore();
  const references = createExternalReferences(config.sessionSecret);
  const lifecycle = createLifecycle({
    store,
    assure: options.assure,
    sink: options.onResult,
    archive: options.archive,
    deleteAfterDelivery: config.delivery.deleteAfterDelivery,
    exposeResultFields: config.exposeResultFields,
    poll: config.poll,
    references,
    sessionTtlSeconds: config.sessionTtlSeconds,
    sandbox: config.sandbox,
    ...(options.orphanDossierGraceMs !== undefined && {
      orphanDossierGraceMs: options.orphanDossierGraceMs,
    }),
    log,
    ...(options.retry && { retry: options.retry }),
  });
  const allowedOrigins = [...new Set([...config.allowedOrigins, new URL(publicUrl).origin])];
  const tokens = createSessionTokens({
    secret: config.sessionSecret,
    ttlSeconds: config.sessionTtlSeconds,
    cacheEntries: config.sessionTokenCacheEntries,
  });
  const reconcileEveryMs = options.reconcileEveryMs ?? 15 * 60_000;
  const reconcile = () =>
    lifecycle.reconcile().catch((error: unknown) => {
      log('warn', 'reconcile.failed', { error: String(error) });
    });
  // At start: Signicat is the durable record of what an earlier run left unfinished.
  const reconciled = reconcileEveryMs > 0 ? reconcile() : Promise.resolve();
  const addressOf = (c: Context) => {
    const address = clientAddress(c, config.trustProxyHops);
    return address === UNKNOWN_CLIENT ? undefined : address;
  };
  const ctx: ProxyContext = {
    config,
    assure: options.assure,
    store,
    tokens,
    references,
    lifecycle,
    verification: createVerificationService({
      reconciled,
      config,
      assure: options.assure,
      store,
      tokens,
      references,
      lifecycle,
      log,
      publicUrl,
      allowedOrigins,
    }),
    log,
    publicUrl,
    allowedOrigins,
    clientAddress: addressOf,
    clientKey: (c) => clientKey(c, config.trustProxyHops),
    streams: createStreamLimiter({
      perSession: config.limits.ssePerSession,
      perClient: config.limits.ssePerClient,
      total: config.limits.sseTotal,
    }),
  };
  const perClient = (name: string) => (c: Context) =>
    `${name}:${clientKey(c, config.trustProxyHops)}`;
  const admission = createAdmission({ max: config.upstreamConcurrency });
  const limit = (name: string, perMinute: number, key: (c: Context) => string) =>
    rateLimit({ name, limit: perMinute, windowMs: 60_000, key, counter: store });

  const app = new Hono();
  app.use('/api/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  // Every JSON body is small; refuse a large one from its headers, before reading it.
  app.use(
    '/api/*',
    jsonBodyLimit(config.limits.jsonBodyBytes, {
      skip: (c) => c.req.method === 'PUT' && /\/images\//.test(c.req.path),
    }),
  );
  // Server-to-server: Assure sends no Origin, and CORS must not apply.
  app.route('/api/callbacks', callbackRoutes(ctx));
  if (config.signicat.eventsSecret)
    app.route('/api/signicat', eventRoutes(ctx, config.signicat.eventsSecret));
  app.use('/api/*', originGuard(allowedOrigins));
  // Overload: refuse upstream-bound work at once (503 + Retry-After) rather than queue it. Before the
  // rate limits, so a refused attempt does not use up the client's budget for its retry.
  const admitted = admission.guard();
  app.post('/api/sessions', admission.guard(createsAtSignicat));
  app.put('/api/sessions/:session/images/:side', admitted);
  app.post('/api/sessions/:session/submit', admitted);
  app.post('/api/sessions/:session/cancel', admitted);
  app.post('/api/sessions/:session/return', admitted);
  // Abuse limits run before anything can reach Signicat.
  // Per client first: a flooding client is stopped before it can use up everyone's global budget.
  app.post(
    '/api/sessions',
    limit('sessions', config.rateLimit.sessionsPerMinute, perClient('sessions')),
  );
  app.post(
    '/api/sessions',
    limit('sessions-global', config.rateLimit.sessionsGlobalPerMinute, () => 'all'),
  );
  app.put(
    '/api/sessions/:session/images/:side',
    limit('uploads', config.rateLimit.uploadsPerMinute, perClient('uploads')),
  );
  app.put(
    '/api/sessions/:session/images/:side',
    concurrencyLimit({ perKey: config.limits.uploadsPerClient, key: perClient('upload-slots') }),
  );
  app.post(
    '/api/sessions/:session/submit',
    limit('submits', config.rateLimit.submitsPerMinute, perClient('submits')),
  );
  // Cross-device hand-off: /api/sessions/:session/handoff, /api/handoff/claim and the phone's /h/:code page.
  app.route('/', handoffRoutes(ctx));
  app.route('/api/sessions', sessionRoutes(ctx));
  app.route('/api', documentTypeRoutes(ctx));
  app.notFound((c) => c.json(errorBody('not_found', 'No such route.'), 404));
  app.onError((error, c) => toErrorResponse(error, c.req.method, c.req.path, log));

  const sweeper = setInterval(() => void lifecycle.sweep().catch(() => {}), 10 * 60_000);
  sweeper.unref();
  const reconciler =
    reconcileEveryMs > 0 ? setInterval(() => void reconcile(), reconcileEveryMs) : undefined;
  reconciler?.unref();
  const orphans = setInterval(
    () =>
      void lifecycle
        .takeOverOrphans()
        .catch((error: unknown) => log('warn', 'orphans.failed', { error: String(error) })),
    options.orphanCheckMs ?? 60_000,
  );
  orphans.unref();
  // A shared store (Redis) can be down at start: log it, never crash on an unhandled rejection.
  void lifecycle
    .resume()
    .catch((error: unknown) => log('warn', 'resume.failed', { error: String(error) }));

  return {
    app,
    lifecycle,
    store,
    close() {
      clearInterval(sweeper);
      clearInterval(reconciler);
      clearInterval(orphans);
      lifecycle.close();
    },
  };
}

const HTTP_CODES: Partial<Record<number, string>> = {
  400: 'bad_request',
  401: 'unauthorized',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
};

export function toErrorResponse(error: Error, method: string, path: string, log: Logger): Response {
  if (error instanceof ApiError) {
    return Response.json(errorBody(error.code, error.message), {
      status: error.status,
      headers: error.headers,
    });
  }
  if (error instanceof AssureError) {
    // The path can hold a session token: only the route's shape goes into the log.
    log('warn', 'upstream.error', {
      method,
      route: routeShape(path),
      code: error.code,
      upstreamStatus: error.upstreamStatus,
      traceId: error.traceId,
    });
    const headers: Record<string, string> = {};
    if (error.retryAfterSeconds !== undefined)
      headers['Retry-After'] = String(error.retryAfterSeconds);
    else if (error.transient) headers['Retry-After'] = '2';
    return Response.json(errorBody(error.code, error.message), { status: error.status, headers });
  }
  if (error instanceof StoreUnavailableError) {
    // The shared store (REDIS_URL) is down or too slow: a clear, retryable answer instead of a 500.
    log('warn', 'store.unavailable', { method, route: routeShape(path), error: error.message });
    return Response.json(
      errorBody(error.code, 'The service is briefly unavailable; try again shortly.'),
      {
        status: 503,
        headers: { 'Retry-After': String(error.retryAfterSeconds) },
      },
    );
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    if (status === 400 && /JSON/i.test(error.message)) {
      return Response.json(errorBody('invalid_json', 'The request body is not valid JSON.'), {
        status,
      });
    }
    return Response.json(
      errorBody(HTTP_CODES[status] ?? 'http_error', error.message || 'Bad request.'),
      { status },
    );
  }
  log('error', 'internal.error', {
    method,
    route: routeShape(path),
    error: `${error.name}: ${error.message}`,
  });
  return Response.json(errorBody('internal_error', 'Something went wrong on the server.'), {
    status: 500,
  });
}

/** `/api/sessions/<token>/submit` → `/api/sessions/:session/submit`. */
export function routeShape(path: string): string {
  return path.replace(/^(\/api\/sessions\/)[^/]+/, '$1:session');
}
