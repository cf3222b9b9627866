/**
 * One server for `npm start`: the proxy API, the element's script-tag build and the demo, and in
 * sandbox mode the Assure API emulator at /emulator. The proxy reaches the emulator over real HTTP on
 * this same port, exactly as it reaches Signicat in real mode. Every response carries the security
 * headers; socket limits come from config (`limits`); the emulator's control routes answer only
 * loopback clients unless SANDBOX=1 was set on purpose.
 */
import { Hono, type Context, type Next } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { createAssureClient } from './assure/client.ts';
import type { AssureClient } from './assure/types.ts';
import { createProxy, type Proxy } from './app.ts';
import type { Config } from './config.ts';
import { createArchive, createWebhookDelivery } from './delivery/index.ts';
import type { ResultSink } from './delivery/types.ts';
import {
  createEmulator,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  type AssureEmulator,
} from './emulator/index.ts';
import { listen } from './http/listen.ts';
import { errorBody } from './errors.ts';
import { createLogger, type Logger } from './log.ts';
import { loopbackOnly } from './middleware/loopback-only.ts';
import { openSharedStore } from './state/index.ts';
import type { SessionStore } from './state/store.ts';
import { staticRoutes } from './static.ts';

export interface ServerOptions {
  onResult?: ResultSink;
  store?: SessionStore;
  log?: Logger;
  /** Serve static files from another project root (tests). */
  staticRoot?: string;
}

export interface RunningServer {
  url: string;
  proxy: Proxy;
  emulator?: AssureEmulator;
  close(): Promise<void>;
}

export async function startServer(
  config: Config,
  options: ServerOptions = {},
): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel);
  const root = new Hono();
  let proxy: Proxy | undefined;

  root.use(
    '*',
    secureHeaders({
      crossOriginResourcePolicy: false,
      crossOriginEmbedderPolicy: false,
      contentSecurityPolicy: undefined,
    }),
  );
  root.use('*', dataResponsePolicy);
  // Additive counters: which source brought final statuses first (callback, event, poll).
  root.get('/healthz', (c) =>
    c.json(proxy ? { ok: true, results: proxy.lifecycle.counters() } : { ok: true }),
  );
  const emulator = config.sandbox
    ? createEmulator({
        processingDelayMs: config.emulatorDelayMs,
        documentCountryFormat: config.signicat.documentCountryFormat,
      })
    : undefined;
  if (emulator) {
    // The control routes decide outcomes: from another machine only when SANDBOX=1 said so.
    if (!config.sandboxForced) {
      root.use(
        '/emulator/control/*',
        loopbackOnly(
          'Emulator control is only reachable from this machine; set SANDBOX=1 to open it to other clients.',
        ),
      );
    }
    root.route('/emulator', emulator.app);
  }
  // c.env carries the Node socket: the proxy reads client addresses from it (rate limits, caps).
  root.all('/api/*', (c) =>
    proxy ? proxy.app.fetch(c.req.raw, c.env) : c.json(errorBody('starting', 'Starting up.'), 503),
  );
  // The page a phone opens from a hand-off link belongs to the proxy (server/routes/handoff.ts).
  root.get('/h/:code', (c) =>
    proxy ? proxy.app.fetch(c.req.raw, c.env) : c.json(errorBody('starting', 'Starting up.'), 503),
  );
  root.route('/', staticRoutes({ root: options.staticRoot }));
  root.notFound((c) => c.json(errorBody('not_found', 'No such route.'), 404));
  root.onError((error, c) => {
    log('error', 'internal.error', {
      method: c.req.method,
      path: c.req.path,
      error: `${error.name}: ${error.message}`,
    });
    return c.json(errorBody('internal_error', 'Something went wrong on the server.'), 500);
  });

  const listening = await listen(root.fetch, {
    port: config.port,
    hostname: config.host,
    requestTimeoutMs: config.limits.requestTimeoutMs,
    headersTimeoutMs: config.limits.headersTimeoutMs,
    keepAliveTimeoutMs: config.limits.keepAliveTimeoutMs,
    maxConnections: config.limits.maxConnections,
  });
  const publicUrl = config.publicUrl ?? listening.url;
  // Sandbox with an events secret: the emulator delivers Assure Events to this server, as Signicat would.
  if (emulator && config.signicat.eventsSecret) {
    emulator.events.set({
      url: `${listening.url}/api/signicat/events`,
      secret: config.signicat.eventsSecret,
    });
  }
  const upstream = config.sandbox
    ? {
        apiUrl: `${listening.url}/emulator`,
        tokenUrl: `${listening.url}/emulator/auth/open/connect/token`,
        clientId: SANDBOX_CLIENT_ID,
        clientSecret: SANDBOX_CLIENT_SECRET,
      }
    : {
        apiUrl: config.signicat.apiUrl,
        tokenUrl: config.signicat.tokenUrl,
        clientId: config.signicat.clientId,
        clientSecret: config.signicat.clientSecret,
      };
  const assure: AssureClient = createAssureClient({
    ...upstream,
    tokenAuth: config.signicat.tokenAuth,
    timeoutMs: config.upstreamTimeoutMs,
    // Retries and skipped list items say something about Signicat's health: worth a warning.
    log: ({ event, ...fields }) =>
      log(event === 'assure.request' || event === 'assure.token' ? 'debug' : 'warn', event, fields),
  });

  const webhook = config.delivery.webhookUrl
    ? createWebhookDelivery({
        url: config.delivery.webhookUrl,
        secret: config.delivery.webhookSecret!,
        // Sandbox results are marked inside the signed body: receivers reject them in production.
        sandbox: config.sandbox,
        // The quick retries within one delivery attempt scale with DELIVERY_RETRY_BASE_MS (1 s at its default).
        retryBaseMs: Math.min(1000, Math.max(1, Math.round(config.delivery.retryBaseMs / 30))),
        log: (event) => log('info', 'webhook', { ...event }),
      })
    : undefined;
  const onResult = options.onResult ?? webhook;
  // REDIS_URL: state shared with the other instances (docs/scale-out.md). Unreachable at start: refuse to start.
  const shared = options.store
    ? undefined
    : await openSharedStore(config.redisUrl, log).catch(async (error: unknown) => {
        await listening.close();
        throw error;
      });
  const allowedOrigins = config.sandbox
    ? sandboxOrigins(listening.port, config.allowedOrigins)
    : config.allowedOrigins;
  proxy = createProxy({
    config: { ...config, allowedOrigins },
    assure,
    publicUrl,
    onResult,
    archive: config.delivery.archiveDir
      ? createArchive({ dir: config.delivery.archiveDir })
      : undefined,
    store: options.store ?? shared,
    log,
    // Failed deliveries (and deletions) are retried with backoff for hours, not given up after one round.
    retry: { baseMs: config.delivery.retryBaseMs, giveUpMs: config.delivery.giveUpSeconds * 1000 },
    orphanDossierGraceMs: config.delivery.orphanGraceSeconds * 1000,
  });

  log('info', 'server.started', { url: listening.url, mode: config.sandbox ? 'sandbox' : 'real' });
  if (config.sandboxForced) {
    log('warn', 'sandbox.forced', {
      note: 'SANDBOX=1: the Assure API emulator stands in for Signicat, results are fake (webhooks carry "sandbox": true) and /emulator/control is open to every client. Never run this in production.',
    });
  }
  for (const warning of config.startupWarnings ?? [])
    log('warn', 'config.warning', { note: warning });
  if (!onResult)
    log('warn', 'delivery.not_configured', {
      note: 'no RESULT_WEBHOOK_URL: results are not delivered and nothing is deleted at Signicat',
    });
  if (config.sessionSecretGenerated)
    log('warn', 'session.secret_generated', {
      note: 'SESSION_SECRET not set: sessions end when the server stops',
    });

  return {
    url: listening.url,
    proxy,
    emulator,
    async close() {
      proxy?.close();
      emulator?.close();
      await listening.close();
      await shared?.close();
    },
  };
}

/**
 * API, emulator and error answers are data, never documents: a policy that forbids everything if one
 * is ever rendered or framed. HTML pages (static.ts, the emulator's pages) set their own policy.
 */
async function dataResponsePolicy(c: Context, next: Next) {
  await next();
  const type = c.res.headers.get('Content-Type') ?? '';
  if (
    !c.res.headers.has('Content-Security-Policy') &&
    /^(application\/([\w.+-]*json|problem\+json)|text\/(plain|event-stream))/i.test(type)
  ) {
    c.res.headers.set(
      'Content-Security-Policy',
      "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    );
  }
}

/** In sandbox mode the server's own origin, under every loopback name a browser may use. */
function sandboxOrigins(port: number, configured: readonly string[]): string[] {
  return [
    ...new Set([
      ...configured,
      `http://127.0.0.1:${port}`,
      `http://localhost:${port}`,
      `http://[::1]:${port}`,
    ]),
  ];
}
