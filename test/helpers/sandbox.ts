/**
 * Starts the real server in sandbox mode on a free loopback port (proxy + emulator, talking over HTTP),
 * with short delays so a whole verification takes milliseconds. Shared by server and e2e tests.
 */
import assert from 'node:assert/strict';
import { loadConfig } from '../../server/config.ts';
import type { ResultPayload, ResultSink } from '../../server/delivery/types.ts';
import { createLogger } from '../../server/log.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '../../server/emulator/index.ts';
import { jpegBytes } from './images.ts';

export interface Sandbox {
  url: string;
  server: RunningServer;
  /** Every result the proxy handed over, in order. */
  results: ResultPayload[];
  /** Every log line the server wrote. */
  logs: string[];
  api(path: string, init?: RequestInit): Promise<Response>;
  /** Calls the emulator's Assure API with a fresh sandbox token (to check what Signicat holds). */
  assure(path: string, init?: RequestInit): Promise<Response>;
  control(path: string, body: unknown): Promise<Response>;
  close(): Promise<void>;
}

/** Fast polling, debug logs, and limits out of the way: every test request comes from 127.0.0.1. */
export const TEST_ENV: Readonly<Record<string, string>> = {
  POLL_INITIAL_MS: '50',
  POLL_MAX_MS: '200',
  LOG_LEVEL: 'debug',
  // The abuse limits get their own tests (security-proxy.test.ts).
  RATE_LIMIT_SESSIONS_PER_MINUTE: '10000',
  RATE_LIMIT_SESSIONS_GLOBAL_PER_MINUTE: '10000',
  RATE_LIMIT_UPLOADS_PER_MINUTE: '10000',
  RATE_LIMIT_SUBMITS_PER_MINUTE: '10000',
};

export interface SandboxOptions {
  env?: Record<string, string>;
  /** Replaces the collecting result sink (e.g. one that fails or is slow); `null` for none at all. */
  onResult?: ResultSink | null;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const results: ResultPayload[] = [];
  const logs: string[] = [];
  const config = loadConfig({ PORT: '0', EMULATOR_DELAY_MS: '0', ...TEST_ENV, ...options.env });
  const collect: ResultSink = async (payload) => {
    results.push(payload);
  };
  const server = await startServer(config, {
    onResult: options.onResult === null ? undefined : (options.onResult ?? collect),
    log: createLogger('debug', (line) => logs.push(line)),
  });
  const url = server.url;
  return {
    url,
    server,
    results,
    logs,
    api: (path, init) => fetch(`${url}/api${path}`, init),
    async assure(path, init = {}) {
      const tokenResponse = await fetch(`${url}/emulator/auth/open/connect/token`, {
        method: 'POST',
        headers: {
          Authorization: `Basic ${Buffer.from(`${SANDBOX_CLIENT_ID}:${SANDBOX_CLIENT_SECRET}`).toString('base64')}`,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials&scope=signicat-api',
      });
      const { access_token } = (await tokenResponse.json()) as { access_token: string };
      return fetch(`${url}/emulator${path}`, {
        ...init,
        headers: { ...init.headers, Authorization: `Bearer ${access_token}` },
      });
    },
    control: (path, body) =>
      fetch(`${url}/emulator/control${path}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      }),
    close: () => server.close(),
  };
}

export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/** Waits for `check` to return a truthy value, polling every 10 ms, failing after `ms`. */
export async function eventually<T>(
  check: () => T | Promise<T>,
  ms = 5000,
  what = 'condition',
): Promise<NonNullable<T>> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Reads an SSE response to its end and returns the `data` of every `status` event. */
export async function readStatusEvents(
  response: Response,
  ms = 10_000,
): Promise<Array<{ status: string; final: boolean }>> {
  const events: Array<{ status: string; final: boolean }> = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const timer = setTimeout(() => void reader.cancel(), ms);
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (!/^event: status$/m.test(block)) continue;
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (data) events.push(JSON.parse(data));
      }
    }
  } finally {
    clearTimeout(timer);
  }
  return events;
}

/** A passport capture session through the proxy API at `origin`: created, front and selfie uploaded, submitted. */
export async function submitPassportCapture(origin: string): Promise<string> {
  const created = await fetch(
    `${origin}/api/sessions`,
    json({ mode: 'capture', documentType: 'passport' }),
  );
  assert.equal(created.status, 201);
  const { session } = (await created.json()) as { session: string };
  for (const side of ['front', 'selfie']) {
    const uploaded = await fetch(`${origin}/api/sessions/${session}/images/${side}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg' },
      body: jpegBytes(),
    });
    assert.equal(uploaded.status, 200);
  }
  assert.equal(
    (await fetch(`${origin}/api/sessions/${session}/submit`, { method: 'POST' })).status,
    202,
  );
  return session;
}

/** A session secret with enough entropy for real mode's check (tests only). */
export const TEST_SESSION_SECRET = 'kQ7vZp2rX9mWc4tLs8yHb3nJf6dGa1eU-test';

/** Real-mode settings for a proxy on `port` whose "Signicat" is the emulator at `upstreamUrl`. */
export function realModeEnv(upstreamUrl: string, port: number): Record<string, string> {
  return {
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    SIGNICAT_CLIENT_ID: SANDBOX_CLIENT_ID,
    SIGNICAT_CLIENT_SECRET: SANDBOX_CLIENT_SECRET,
    SIGNICAT_API_URL: upstreamUrl,
    SIGNICAT_TOKEN_URL: `${upstreamUrl}/auth/open/connect/token`,
    SESSION_SECRET: TEST_SESSION_SECRET,
    // Tests deliver webhooks to receivers on loopback.
    ALLOW_PRIVATE_WEBHOOK: '1',
  };
}
