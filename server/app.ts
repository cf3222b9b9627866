/**
 * The proxy as a library: `createProxy()` wires the session routes, callbacks and the verification
 * lifecycle around an Assure client. It knows nothing about how it is served (see server.ts), so tests
 * and integrators can mount it in their own Hono or Node server.
 */
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AssureError, type AssureClient } from './assure/types.ts';
import type { Config } from './config.ts';
import type { ProxyContext } from './context.ts';
import type { ResultSink } from './delivery/types.ts';
import { ApiError, errorBody } from './errors.ts';
import { createLifecycle, type Lifecycle } from './lifecycle/lifecycle.ts';
import { silentLogger, type Logger } from './log.ts';
import { originGuard } from './middleware/origin-guard.ts';
import { callbackRoutes } from './routes/callbacks.ts';
import { documentTypeRoutes } from './routes/document-types.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { createSessionTokens } from './session/token.ts';
import { createMemoryStore } from './state/memory-store.ts';
import type { SessionStore } from './state/store.ts';

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
  if (!publicUrl) throw new Error('createProxy: publicUrl (or config.publicUrl) is required for Assure callbacks.');
  const log = options.log ?? silentLogger;
  const store = options.store ?? createMemoryStore();
  const lifecycle = createLifecycle({
    store,
    assure: options.assure,
    sink: options.onResult,
    archive: options.archive,
    deleteAfterDelivery: config.delivery.deleteAfterDelivery,
    exposeResultFields: config.exposeResultFields,
    poll: config.poll,
    log,
  });
  const allowedOrigins = [...new Set([...config.allowedOrigins, new URL(publicUrl).origin])];
  const ctx: ProxyContext = {
    config,
    assure: options.assure,
    store,
    tokens: createSessionTokens({ secret: config.sessionSecret, ttlSeconds: config.sessionTtlSeconds }),
    lifecycle,
    log,
    publicUrl,
    allowedOrigins,
  };

  const app = new Hono();
  app.use('/api/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  // Server-to-server: Assure sends no Origin, and CORS must not apply.
  app.route('/api/callbacks', callbackRoutes(ctx));
  app.use('/api/*', originGuard(allowedOrigins));
  app.route('/api/sessions', sessionRoutes(ctx));
  app.route('/api/document-types', documentTypeRoutes(ctx));
  app.notFound((c) => c.json(errorBody('not_found', 'No such route.'), 404));
  app.onError((error, c) => toErrorResponse(error, c.req.method, c.req.path, log));

  const sweeper = setInterval(() => void lifecycle.sweep().catch(() => {}), 10 * 60_000);
  sweeper.unref();
  void lifecycle.resume();

  return {
    app,
    lifecycle,
    store,
    close() {
      clearInterval(sweeper);
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
    return Response.json(errorBody(error.code, error.message), { status: error.status, headers: error.headers });
  }
  if (error instanceof AssureError) {
    log('warn', 'upstream.error', { method, path, code: error.code, upstreamStatus: error.upstreamStatus, traceId: error.traceId });
    return Response.json(errorBody(error.code, error.message), { status: error.status });
  }
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    if (status === 400 && /JSON/i.test(error.message)) {
      return Response.json(errorBody('invalid_json', 'The request body is not valid JSON.'), { status });
    }
    return Response.json(errorBody(HTTP_CODES[status] ?? 'http_error', error.message || 'Bad request.'), { status });
  }
  log('error', 'internal.error', { method, path, error: `${error.name}: ${error.message}` });
  return Response.json(errorBody('internal_error', 'Something went wrong on the server.'), { status: 500 });
}
