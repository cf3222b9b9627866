/**
 * The proxy (createProxy) and the emulator, each on its own loopback port, talking real HTTP, with
 * every request the proxy sends to "Signicat" recorded. For tests that look at what the proxy asks
 * Signicat for, inject upstream faults through the emulator's control routes, or restart the proxy
 * in-process (a second createProxy over a fresh store).
 */
import { createAssureClient } from '../../server/assure/client.ts';
import { createProxy, type Proxy } from '../../server/app.ts';
import { loadConfig, type Config } from '../../server/config.ts';
import type { ResultPayload, ResultSink } from '../../server/delivery/types.ts';
import {
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  startEmulator,
  type RunningEmulator,
  type StartEmulatorOptions,
} from '../../server/emulator/index.ts';
import { listen, type Listening } from '../../server/http/listen.ts';
import { createLogger } from '../../server/log.ts';
import { createMemoryStore } from '../../server/state/memory-store.ts';
import type { SessionStore } from '../../server/state/store.ts';
import { TEST_ENV } from './sandbox.ts';

export interface Recorded {
  method: string;
  path: string;
  body: unknown;
  status: number;
}

export interface Harness {
  url: string;
  config: Config;
  emulatorUrl: string;
  emulator: RunningEmulator;
  proxy: Proxy;
  store: SessionStore;
  requests: Recorded[];
  results: ResultPayload[];
  logs: string[];
  api(path: string, init?: RequestInit): Promise<Response>;
  control(path: string, body: unknown, method?: string): Promise<Response>;
  /** Stops this proxy and starts another on the same port with an empty store (a restart). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  emulator?: StartEmulatorOptions;
  onResult?: ResultSink | null;
  archive?: (processId: string, zip: Uint8Array) => Promise<string>;
  retry?: { baseMs?: number; maxMs?: number; giveUpMs?: number };
  /** Timeout of each call to the emulator, in ms. @default 2000 */
  timeoutMs?: number;
  /** Reconcile with the emulator at start and then every this many ms. @default 0 (never) */
  reconcileEveryMs?: number;
  /** createProxy's orphanDossierGraceMs (default: the proxy's own). */
  orphanDossierGraceMs?: number;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const emulator = await startEmulator({ processingDelayMs: 0, ...options.emulator });
  const requests: Recorded[] = [];
  const results: ResultPayload[] = [];
  const logs: string[] = [];
  const recording: typeof fetch = async (input, init) => {
    const response = await fetch(input, init);
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
    );
    let body: unknown = init?.body;
    if (typeof body === 'string' && body.startsWith('{')) {
      try {
        body = JSON.parse(body);
      } catch {
        /* keep the text */
      }
    }
    requests.push({
      method: init?.method ?? 'GET',
      path: url.pathname + url.search,
      body,
      status: response.status,
    });
    return response;
  };
  const config = loadConfig({ ...TEST_ENV, ...options.env });
  const assure = createAssureClient({
    apiUrl: emulator.url,
    tokenUrl: `${emulator.url}/auth/open/connect/token`,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    fetch: recording,
    timeoutMs: options.timeoutMs ?? 2000,
  });
  const log = createLogger('debug', (line) => logs.push(line));
  const onResult: ResultSink | undefined =
    options.onResult === null
      ? undefined
      : (options.onResult ?? (async (payload) => void results.push(payload)));

  let store = createMemoryStore();
  let listening: Listening | undefined;
  let proxy!: Proxy;
  let port = 0;
  const start = async () => {
    let url = port ? `http://127.0.0.1:${port}` : '';
    // The env carries Node's socket: the proxy reads the client's address from it.
    listening = await listen((request, env) => proxy.app.fetch(request, env), {
      port,
      hostname: '127.0.0.1',
    });
    port = listening.port;
    url = listening.url;
    proxy = createProxy({
      config: { ...config, allowedOrigins: [...config.allowedOrigins, url] },
      assure,
      publicUrl: url,
      onResult,
      archive: options.archive,
      store,
      log,
      reconcileEveryMs: options.reconcileEveryMs ?? 0,
      ...(options.orphanDossierGraceMs !== undefined && {
        orphanDossierGraceMs: options.orphanDossierGraceMs,
      }),
      ...(options.retry && { retry: options.retry }),
    });
    return url;
  };
  let url = await start();

  const harness: Harness = {
    get url() {
      return url;
    },
    config,
    emulatorUrl: emulator.url,
    emulator,
    get proxy() {
      return proxy;
    },
    get store() {
      return store;
    },
    requests,
    results,
    logs,
    api: (path, init) => fetch(`${url}/api${path}`, init),
    control: (path, body, method = 'PUT') =>
      fetch(`${emulator.url}/control${path}`, {
        method,
        headers: { 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }),
    async restart() {
      proxy.close();
      await listening?.close();
      // Let clients see their pooled connections close before the next request goes out.
      await new Promise((resolve) => setTimeout(resolve, 50));
      store = createMemoryStore();
      url = await start();
    },
    async close() {
      proxy.close();
      await listening?.close();
      await emulator.close();
    },
  };
  return harness;
}
