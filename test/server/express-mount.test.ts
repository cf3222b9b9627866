/**
 * The proxy as a library inside someone else's server (docs/deployment.md, "Library use"): mounted
 * under a path of a Hono app with `parent.route('/verify', proxy.app)`, and in a plain Node server
 * through @hono/node-server's `getRequestListener`, called exactly as Express calls a handler mounted
 * with `app.use('/verify', listener)` (the mount path stripped from `req.url`). Express itself is not a
 * dependency of this project; the Express and Fastify snippets were run against the real frameworks
 * once (see the deployment guide). Each case runs a whole capture verification whose result can only
 * arrive by Signicat's callback under the mount path, over real HTTP against the emulator.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { listen } from '../../server/http/listen.ts';
import {
  createAssureClient,
  createProxy,
  loadConfig,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  startEmulator,
  type Proxy,
  type ResultPayload,
  type RunningEmulator,
} from '../../server/lib.ts';
import { eventually, json, readStatusEvents, submitPassportCapture } from '../helpers/sandbox.ts';

const cleanups: Array<() => unknown> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

let emulator: RunningEmulator;
before(async () => {
  emulator = await startEmulator({ processingDelayMs: 0 });
  cleanups.push(() => emulator.close());
});

/** A proxy whose only way to learn a final status is the callback: polling starts after 10 minutes. */
function makeProxy(publicUrl: string, env: Record<string, string> = {}) {
  const results: ResultPayload[] = [];
  const config = loadConfig({
    POLL_INITIAL_MS: '600000',
    POLL_MAX_MS: '600000',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const assure = createAssureClient({
    apiUrl: emulator.url,
    tokenUrl: `${emulator.url}/auth/open/connect/token`,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    tokenAuth: config.signicat.tokenAuth,
    timeoutMs: config.upstreamTimeoutMs,
  });
  const proxy = createProxy({
    config,
    assure,
    publicUrl,
    reconcileEveryMs: 0,
    onResult: async (payload) => void results.push(payload),
  });
  cleanups.push(() => proxy.close());
  return { proxy, results };
}

/** A whole capture verification through `apiBase` (the element's endpoint minus `/api`), to its result. */
async function verifyThrough(apiBase: string, proxy: Proxy, results: ResultPayload[]) {
  const config = await fetch(`${apiBase}/api/config?mode=capture`);
  assert.equal(config.status, 200, 'GET /api/config under the mount path');
  assert.equal(((await config.json()) as { mode: string }).mode, 'capture');
  const session = await submitPassportCapture(apiBase);
  const statuses = await readStatusEvents(await fetch(`${apiBase}/api/sessions/${session}/events`));
  assert.deepEqual(statuses.at(-1), { status: 'accepted', final: true });
  // The emulator called `${publicUrl}/api/callbacks/assure`: the callback route works under the prefix.
  assert.equal(proxy.lifecycle.counters().callback, 1, 'the result came by callback');
  await eventually(() => results.length === 1, 5000, 'the result delivered once');
  assert.equal(results[0]!.status, 'accepted');
}

describe('mounted under a path of a Hono app', () => {
  it('serves the API, the callbacks and the event stream under /verify; the host keeps its own routes', async () => {
    const parent = new Hono();
    parent.get('/', (c) => c.text('the shop'));
    let mounted: { proxy: Proxy; results: ResultPayload[] } | undefined;
    // The public URL holds the port, known once listening: mount right after.
    const listening = await listen((req, env) => parent.fetch(req, env));
    cleanups.push(() => listening.close());
    mounted = makeProxy(`${listening.url}/verify`);
    parent.route('/verify', mounted.proxy.app);

    assert.equal(await (await fetch(`${listening.url}/`)).text(), 'the shop');
    const bare = await fetch(`${listening.url}/api/config?mode=capture`);
    assert.equal(bare.status, 404, 'nothing outside the mount path');
    await bare.body?.cancel();
    await verifyThrough(`${listening.url}/verify`, mounted.proxy, mounted.results);
  });
});

describe('mounted in a Node server through getRequestListener (as Express does it)', () => {
  /**
   * What `express().use('/verify', listener)` does for a request: strip the mount path from `req.url`
   * and call the listener with Node's request and response; anything else is the host's.
   */
  function expressStyle(
    prefix: string,
    listener: (req: IncomingMessage, res: ServerResponse) => unknown,
  ) {
    return createServer((req, res) => {
      const url = req.url ?? '/';
      if (url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`)) {
        req.url = url.slice(prefix.length) || '/';
        void listener(req, res);
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end('the shop');
    });
  }

  async function serveExpressStyle(env: Record<string, string> = {}) {
    let proxyListener: ((req: IncomingMessage, res: ServerResponse) => unknown) | undefined;
    const server = expressStyle('/verify', (req, res) => proxyListener!(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(
      () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))),
    );
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { proxy, results } = makeProxy(`${origin}/verify`, env);
    // The proxy's app sits at its root: the mount path is gone from req.url by the time it sees it.
    proxyListener = getRequestListener(proxy.app.fetch);
    return { origin, proxy, results };
  }

  it('runs a whole verification under /verify, callback included', async () => {
    const { origin, proxy, results } = await serveExpressStyle();
    assert.equal(await (await fetch(`${origin}/`)).text(), 'the shop');
    await verifyThrough(`${origin}/verify`, proxy, results);
  });

  it('sees the real client address through the mount (rate limits count per socket address)', async () => {
    const { origin } = await serveExpressStyle({ RATE_LIMIT_SESSIONS_PER_MINUTE: '1' });
    const create = (localAddress: string) =>
      new Promise<number>((resolve, reject) => {
        const body = JSON.stringify({ mode: 'capture', documentType: 'passport' });
        const req = request(
          `${origin}/verify/api/sessions`,
          { method: 'POST', localAddress, headers: { 'Content-Type': 'application/json' } },
          (res) => {
            res.resume();
            resolve(res.statusCode ?? 0);
          },
        );
        req.once('error', reject);
        req.end(body);
      });
    assert.equal(await create('127.0.0.1'), 201);
    assert.equal(await create('127.0.0.1'), 429, 'the same socket address is over its limit');
    // Lost socket information would put every client under one key, and this would be 429 too.
    assert.equal(await create('127.0.0.2'), 201, 'another address has its own limit');
  });

  it("answers bad input under the mount path with the proxy's JSON errors", async () => {
    const { origin } = await serveExpressStyle();
    const refused = await fetch(
      `${origin}/verify/api/sessions`,
      json({ mode: 'capture', documentType: 'passport' }, { Origin: 'https://evil.example' }),
    );
    assert.equal(refused.status, 403);
    assert.equal(
      ((await refused.json()) as { error: { code: string } }).error.code,
      'origin_not_allowed',
    );
    const missing = await fetch(`${origin}/verify/api/nope`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'not_found');
  });
});
