/**
 * The whole server (startServer) as security sees it: no fail-open at the process entry, emulator
 * control only for loopback clients unless SANDBOX=1, sandbox webhooks marked inside the signature,
 * and security headers on every response (API, emulator, static files, errors).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { loadConfig } from '../../server/config.ts';
import { createWebhookDelivery, verifyWebhookSignature } from '../../server/delivery/index.ts';
import type { ResultPayload } from '../../server/delivery/types.ts';
import { listen } from '../../server/http/listen.ts';
import { createLogger } from '../../server/log.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { eventually, submitPassportCapture } from '../helpers/sandbox.ts';

const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

const STRONG = 'pQ7vX2mK9sLr4TzW8nBc3HdYf6JgE1uA5oRiMkNw0eS=';
const WEBHOOK_SECRET = 'wH7kP2xQ9vL4mZ8cR3tY6bN1dF5gJ0sA-webhook';
const FOREIGN = { 'X-Forwarded-For': '203.0.113.50' };

async function start(env: Record<string, string>, options: { staticRoot?: string } = {}) {
  const logs: string[] = [];
  const server = await startServer(
    loadConfig({
      PORT: '0',
      EMULATOR_DELAY_MS: '0',
      POLL_INITIAL_MS: '50',
      POLL_MAX_MS: '200',
      ...env,
    }),
    {
      log: createLogger('debug', (line) => logs.push(line)),
      staticRoot: options.staticRoot,
    },
  );
  cleanups.push(() => server.close());
  return { server, logs };
}

const control = (server: RunningServer, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/emulator/control/outcome`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ status: 'accepted' }),
  });

function runEntry(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanups.push(async () => child.kill('SIGKILL'));
  let stdout = '',
    stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { child, exited, out: () => stdout, err: () => stderr };
}

describe('no fail-open at the process entry', () => {
  it('refuses to start when production-like settings come without credentials (a failed secret mount)', async () => {
    const run = runEntry({
      PUBLIC_URL: 'https://verify.bank.example',
      SESSION_SECRET: STRONG,
      RESULT_WEBHOOK_URL: 'https://backend.bank.example/hooks',
      RESULT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    });
    assert.equal(await run.exited, 1);
    assert.match(run.err(), /SIGNICAT_CLIENT_ID and SIGNICAT_CLIENT_SECRET: missing/);
    assert.match(run.err(), /set SANDBOX=1/);
    assert.ok(
      !run.err().includes(STRONG) && !run.err().includes(WEBHOOK_SECRET),
      'no secret in the message',
    );
    assert.equal(run.out(), '', 'nothing started');
  });

  it('warns loudly when SANDBOX=1 forces sandbox mode', async () => {
    const run = runEntry({ SANDBOX: '1', SESSION_SECRET: STRONG, LOG_LEVEL: 'silent' });
    await eventually(() => /open http/.test(run.out()), 15_000, 'the start line');
    assert.match(
      run.err(),
      /SANDBOX=1: sandbox mode forced\. Results are FAKE/,
      'printed even with LOG_LEVEL=silent',
    );
    run.child.kill('SIGTERM');
    assert.equal(await run.exited, 0);
  });

  it('logs the forced sandbox and ignored credentials at start', async () => {
    const { logs } = await start({
      SANDBOX: '1',
      SIGNICAT_CLIENT_ID: 'id',
      SIGNICAT_CLIENT_SECRET: 'the-real-secret',
    });
    const text = logs.join('\n');
    assert.match(text, /"level":"warn","event":"sandbox.forced"/);
    assert.match(text, /"event":"config.warning".*are ignored/);
    assert.ok(!text.includes('the-real-secret'));
  });
});

describe('emulator control routes', () => {
  it('sandbox mode (not forced): loopback clients only', async () => {
    const { server } = await start({});
    assert.notEqual((await control(server)).status, 403, 'this machine may steer the emulator');
    const refused = await control(server, FOREIGN);
    assert.equal(refused.status, 403);
    assert.equal(
      ((await refused.json()) as { error: { code: string } }).error.code,
      'loopback_only',
    );
    const faults = await fetch(`${server.url}/emulator/control/faults`, {
      method: 'DELETE',
      headers: FOREIGN,
    });
    assert.equal(faults.status, 403, 'every control route');
    const token = await fetch(`${server.url}/emulator/auth/open/connect/token`, {
      method: 'POST',
      headers: FOREIGN,
    });
    assert.notEqual(token.status, 403, 'the Assure API surface itself is not restricted');
  });

  it('SANDBOX=1: open to every client, as asked', async () => {
    const { server } = await start({ SANDBOX: '1' });
    assert.notEqual((await control(server, FOREIGN)).status, 403);
  });

  it('real mode: not mounted at all', async () => {
    const upstream = await listen(new Hono().fetch);
    cleanups.push(() => upstream.close());
    const { server } = await start({
      SIGNICAT_CLIENT_ID: 'id',
      SIGNICAT_CLIENT_SECRET: 'secret',
      SIGNICAT_API_URL: upstream.url,
      SIGNICAT_TOKEN_URL: `${upstream.url}/token`,
      SESSION_SECRET: STRONG,
      PUBLIC_URL: 'http://127.0.0.1:9',
    });
    assert.equal(server.emulator, undefined);
    assert.equal((await control(server)).status, 404);
  });
});

describe('sandbox webhooks', () => {
  const payload: ResultPayload = {
    event: 'verification.completed',
    deliveryId: '0b8e3c5e-3f43-4c4e-9d59-2a8a64c0f6a1',
    dossierId: 'c03e66c7-8230-4020-a084-5a34a925d5fe',
    processId: '8a303665-c94a-47c1-be8d-5df65f64a0ad',
    mode: 'capture',
    status: 'accepted',
    completedAt: '2026-01-01T00:00:00Z',
    result: {
      processId: '8a303665-c94a-47c1-be8d-5df65f64a0ad',
      status: 'accepted',
    } as ResultPayload['result'],
  };

  async function deliverOnce(sandbox: boolean) {
    const received: Array<{ body: string; signature: string }> = [];
    const sink = createWebhookDelivery({
      url: 'https://hooks.example/verify',
      secret: WEBHOOK_SECRET,
      sandbox,
      fetch: async (_url, init) => {
        received.push({
          body: String(init!.body),
          signature: new Headers(init!.headers).get('Signicat-Verify-Signature')!,
        });
        return new Response(null, { status: 204 });
      },
    });
    await sink(payload);
    return received[0]!;
  }

  it('carry "sandbox": true inside the signed body', async () => {
    const { body, signature } = await deliverOnce(true);
    assert.equal((JSON.parse(body) as { sandbox?: boolean }).sandbox, true);
    assert.ok(verifyWebhookSignature(WEBHOOK_SECRET, body, signature));
    const stripped = JSON.stringify({ ...JSON.parse(body), sandbox: undefined });
    assert.ok(
      !verifyWebhookSignature(WEBHOOK_SECRET, stripped, signature),
      'removing the marker breaks the signature',
    );
  });

  it('real-mode webhooks have no sandbox field', async () => {
    const { body } = await deliverOnce(false);
    assert.equal('sandbox' in (JSON.parse(body) as object), false);
  });

  it('the sandbox server marks the results it delivers', async () => {
    const received: string[] = [];
    const receiver = await listen(
      new Hono().post('/hooks', async (c) => (received.push(await c.req.text()), c.body(null, 204)))
        .fetch,
    );
    cleanups.push(() => receiver.close());
    const { server } = await start({
      RESULT_WEBHOOK_URL: `${receiver.url}/hooks`,
      RESULT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      RATE_LIMIT_SESSIONS_PER_MINUTE: '1000',
      RATE_LIMIT_UPLOADS_PER_MINUTE: '1000',
      RATE_LIMIT_SUBMITS_PER_MINUTE: '1000',
    });
    assert.equal(server.emulator !== undefined, true);
    await submitPassportCapture(server.url);
    const body = await eventually(() => received[0], 10_000, 'the webhook');
    assert.equal((JSON.parse(body) as { sandbox?: boolean }).sandbox, true);
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as {
      ok: boolean;
      results: Record<string, number>;
    };
    assert.equal(health.ok, true);
    assert.deepEqual(
      Object.keys(health.results).sort(),
      ['callback', 'event', 'poll'],
      '/healthz counts result sources',
    );
    assert.equal(
      Object.values(health.results).reduce((a, b) => a + b, 0),
      1,
    );
  });
});

describe('webhook delivery', () => {
  it('does not follow a redirect with the personal data', async () => {
    const elsewhere: string[] = [];
    const target = await listen(
      new Hono().post(
        '/stolen',
        async (c) => (elsewhere.push(await c.req.text()), c.body(null, 204)),
      ).fetch,
    );
    cleanups.push(() => target.close());
    const redirecting = await listen(
      new Hono().post('/hooks', (c) => c.redirect(`${target.url}/stolen`, 307)).fetch,
    );
    cleanups.push(() => redirecting.close());
    const sink = createWebhookDelivery({
      url: `${redirecting.url}/hooks`,
      secret: WEBHOOK_SECRET,
      retries: 0,
    });
    await assert.rejects(
      sink({
        event: 'verification.completed',
        deliveryId: 'd',
        dossierId: 'x',
        processId: 'y',
        mode: 'capture',
        status: 'accepted',
        completedAt: '2026-01-01T00:00:00Z',
        result: {} as ResultPayload['result'],
      }),
      /HTTP 307/,
    );
    assert.deepEqual(elsewhere, []);
  });
});

describe('security headers on every response', () => {
  it('API, emulator, static files, pages and errors all carry them; only the element files are public', async () => {
    const root = await mkdtemp(join(tmpdir(), 'signicat-verify-static-'));
    cleanups.push(() => rm(root, { recursive: true, force: true }));
    await mkdir(join(root, 'dist/cdn/chunks'), { recursive: true });
    await mkdir(join(root, 'dist/demo'), { recursive: true });
    await writeFile(join(root, 'dist/cdn/signicat-verify.js'), 'export {};');
    await writeFile(join(root, 'dist/cdn/chunks/capture-abc123.js'), 'export {};');
    await writeFile(join(root, 'dist/demo/index.html'), '<!doctype html><title>demo</title>');
    const { server } = await start({}, { staticRoot: root });

    const requests: Array<[string, RequestInit?]> = [
      ['/healthz'],
      [
        '/api/sessions',
        { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{not json' },
      ],
      [
        '/api/sessions',
        {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example' },
          body: '{}',
        },
      ],
      ['/api/no-such-route'],
      ['/emulator/auth/open/connect/token', { method: 'POST' }],
      ['/emulator/control/outcome', { method: 'PUT', headers: FOREIGN }],
      ['/emulator/no-such-route'],
      ['/no-such-page'],
      ['/'],
      ['/signicat-verify.js'],
      ['/chunks/capture-abc123.js'],
    ];
    for (const [path, init] of requests) {
      const response = await fetch(`${server.url}${path}`, init);
      const what = `${init?.method ?? 'GET'} ${path} (${response.status})`;
      assert.equal(response.headers.get('X-Content-Type-Options'), 'nosniff', what);
      assert.ok(response.headers.get('X-Frame-Options'), what);
      assert.ok(response.headers.get('Referrer-Policy'), what);
      assert.ok(response.headers.get('Strict-Transport-Security'), what);
      const type = response.headers.get('Content-Type') ?? '';
      if (/json|text\/plain/.test(type))
        assert.match(
          response.headers.get('Content-Security-Policy') ?? '',
          /default-src 'none'/,
          what,
        );
      if (/text\/html/.test(type))
        assert.match(
          response.headers.get('Content-Security-Policy') ?? '',
          /frame-ancestors 'none'/,
          what,
        );
      const elementFile = path.startsWith('/signicat-verify') || path.startsWith('/chunks/');
      assert.equal(
        response.headers.get('Cross-Origin-Resource-Policy'),
        elementFile ? 'cross-origin' : null,
        what,
      );
      if (elementFile) assert.equal(response.headers.get('Access-Control-Allow-Origin'), '*', what);
      else assert.notEqual(response.headers.get('Access-Control-Allow-Origin'), '*', what);
      await response.body?.cancel();
    }
  });
});
