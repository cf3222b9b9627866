/**
 * One server for `npm start`: the proxy API, the element's script-tag build and the demo, and in
 * sandbox mode the Assure API emulator at /emulator. The proxy reaches the emulator over real HTTP on
 * this same port, exactly as it reaches Signicat in real mode.
 */
import { Hono } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { createAssureClient } from './assure/client.ts';
import type { AssureClient } from './assure/types.ts';
import { createProxy, type Proxy } from './app.ts';
import type { Config } from './config.ts';
import { createArchive, createWebhookDelivery } from './delivery/index.ts';
import type { ResultSink } from './delivery/types.ts';
import { createEmulator, SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET, type AssureEmulator } from './emulator/index.ts';
import { listen } from './http/listen.ts';
import { createLogger, type Logger } from './log.ts';
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

export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? createLogger(config.logLevel);
  const root = new Hono();
  let proxy: Proxy | undefined;

  root.use('*', secureHeaders({ crossOriginResourcePolicy: false, crossOriginEmbedderPolicy: false, contentSecurityPolicy: undefined }));
  root.get('/healthz', (c) => c.json({ ok: true }));
  const emulator = config.sandbox ? createEmulator({ processingDelayMs: config.emulatorDelayMs }) : undefined;
  if (emulator) root.route('/emulator', emulator.app);
  root.all('/api/*', (c) => (proxy ? proxy.app.fetch(c.req.raw) : c.json({ error: { code: 'starting', message: 'Starting up.' } }, 503)));
  root.route('/', staticRoutes({ root: options.staticRoot }));

  const listening = await listen(root.fetch, { port: config.port, hostname: config.host });
  const publicUrl = config.publicUrl ?? listening.url;
  const assure: AssureClient = createAssureClient(
    config.sandbox
      ? {
          apiUrl: `${listening.url}/emulator`,
          tokenUrl: `${listening.url}/emulator/auth/open/connect/token`,
          clientId: SANDBOX_CLIENT_ID,
          clientSecret: SANDBOX_CLIENT_SECRET,
          timeoutMs: config.upstreamTimeoutMs,
          log: (event) => log('debug', 'assure.call', { ...event }),
        }
      : { ...config.signicat, timeoutMs: config.upstreamTimeoutMs, log: (event) => log('debug', 'assure.call', { ...event }) },
  );

  const webhook = config.delivery.webhookUrl
    ? createWebhookDelivery({ url: config.delivery.webhookUrl, secret: config.delivery.webhookSecret!, log: (event) => log('info', 'webhook', { ...event }) })
    : undefined;
  const onResult = options.onResult ?? webhook;
  const allowedOrigins = config.sandbox ? sandboxOrigins(listening.port, config.allowedOrigins) : config.allowedOrigins;
  proxy = createProxy({
    config: { ...config, allowedOrigins },
    assure,
    publicUrl,
    onResult,
    archive: config.delivery.archiveDir ? createArchive({ dir: config.delivery.archiveDir }) : undefined,
    store: options.store,
    log,
  });

  log('info', 'server.started', { url: listening.url, mode: config.sandbox ? 'sandbox' : 'real' });
  if (!onResult) log('warn', 'delivery.not_configured', { note: 'no RESULT_WEBHOOK_URL: results are not delivered and nothing is deleted at Signicat' });
  if (config.sessionSecretGenerated) log('warn', 'session.secret_generated', { note: 'SESSION_SECRET not set: sessions end when the server stops' });

  return {
    url: listening.url,
    proxy,
    emulator,
    async close() {
      proxy?.close();
      emulator?.close();
      await listening.close();
    },
  };
}

/** In sandbox mode the server's own origin, under every loopback name a browser may use. */
function sandboxOrigins(port: number, configured: readonly string[]): string[] {
  return [...new Set([...configured, `http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`])];
}
