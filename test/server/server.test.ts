/**
 * The server as an operator runs it: real mode against an Assure API on another port (the standalone
 * emulator stands in for Signicat), the signed result webhook, the archive, /healthz and the process
 * entry itself.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { Hono } from 'hono';
import { VERSION as ELEMENT_VERSION } from '../../component/version.ts';
import { loadConfig } from '../../server/config.ts';
import { startEmulator, SANDBOX_CLIENT_SECRET } from '../../server/emulator/index.ts';
import { listen } from '../../server/http/listen.ts';
import { createLogger } from '../../server/log.ts';
import { startServer } from '../../server/server.ts';
import {
  eventually,
  readStatusEvents,
  realModeEnv,
  submitPassportCapture,
} from '../helpers/sandbox.ts';

const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function freePort(): Promise<number> {
  const probe = await listen(() => new Response(null));
  await probe.close();
  return probe.port;
}

/** What an integrator's backend would write, as docs/webhooks.md shows it. */
function integratorVerifies(secret: string, rawBody: string, header: string): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=') as [string, string]));
  if (Math.abs(Date.now() / 1000 - Number(parts.t)) > 300) return false;
  const expected = createHmac('sha256', secret).update(`${parts.t}.${rawBody}`).digest();
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe('real mode against a separate Assure API', () => {
  it('runs a capture verification, delivers a signed webhook, archives the zip and then deletes the dossier', async () => {
    const upstream = await startEmulator({ processingDelayMs: 20 });
    cleanups.push(() => upstream.close());

    const received: Array<{ body: string; signature: string; delivery: string }> = [];
    const receiver = new Hono().post('/hooks/verify', async (c) => {
      received.push({
        body: await c.req.text(),
        signature: c.req.header('Signicat-Verify-Signature') ?? '',
        delivery: c.req.header('Signicat-Verify-Delivery') ?? '',
      });
      return c.body(null, received.length === 1 ? 503 : 204); // the first attempt fails: retried
    });
    const hook = await listen(receiver.fetch);
    cleanups.push(() => hook.close());

    const archiveDir = await mkdtemp(join(tmpdir(), 'signicat-verify-archive-'));
    cleanups.push(() => rm(archiveDir, { recursive: true, force: true }));

    const port = await freePort();
    const webhookSecret = 'wH7kP2xQ9vL4mZ8cR3tY6bN1dF5gJ0sA-webhook';
    const logs: string[] = [];
    const config = loadConfig({
      ...realModeEnv(upstream.url, port),
      RESULT_WEBHOOK_URL: `${hook.url}/hooks/verify`,
      RESULT_WEBHOOK_SECRET: webhookSecret,
      RESULT_ARCHIVE_DIR: archiveDir,
      POLL_INITIAL_MS: '100',
    });
    const server = await startServer(config, {
      log: createLogger('debug', (line) => logs.push(line)),
    });
    cleanups.push(() => server.close());
    assert.equal(server.emulator, undefined, 'no emulator in real mode');
    assert.equal((await fetch(`${server.url}/emulator/control/outcome`)).status, 404);

    const created = { session: await submitPassportCapture(server.url) };
    const statuses = await readStatusEvents(
      await fetch(`${server.url}/api/sessions/${created.session}/events`),
    );
    assert.deepEqual(statuses.at(-1), { status: 'accepted', final: true });

    await eventually(() => received.length === 2, 10_000, 'webhook retry');
    const [first, second] = received;
    assert.equal(first!.delivery, second!.delivery, 'one delivery id across retries');
    assert.ok(
      integratorVerifies(webhookSecret, second!.body, second!.signature),
      'the documented snippet verifies it',
    );
    assert.ok(
      !integratorVerifies('another-secret-that-is-long-enough!', second!.body, second!.signature),
    );
    assert.ok(
      !integratorVerifies(
        webhookSecret,
        second!.body.replace('accepted', 'rejected'),
        second!.signature,
      ),
    );
    const payload = JSON.parse(second!.body);
    assert.equal(payload.status, 'accepted');
    assert.equal(payload.result.finalResult.lastName.length > 0, true);

    await server.proxy.lifecycle.idle();
    const files = await readdir(archiveDir);
    assert.deepEqual(files, [`${payload.processId}.zip`]);
    const zip = unzipSync(new Uint8Array(await readFile(join(archiveDir, files[0]!))));
    assert.ok(zip['result.json'] && zip['front.jpg'] && zip['selfie.jpg'], Object.keys(zip).join());
    assert.ok(logs.some((l) => l.includes('"dossier.deleted"')));
    assert.ok(!logs.join('\n').includes(SANDBOX_CLIENT_SECRET));
    assert.ok(!logs.join('\n').includes(webhookSecret));
  });
});

describe('restarts', () => {
  it("a restarted proxy still knows the browser's session and brings it to its final status", async () => {
    const upstream = await startEmulator({ processingDelayMs: 600 });
    cleanups.push(() => upstream.close());
    const port = await freePort();
    const env = {
      ...realModeEnv(upstream.url, port),
      POLL_INITIAL_MS: '50',
      POLL_MAX_MS: '100',
      LOG_LEVEL: 'silent',
    };
    const first = await startServer(loadConfig(env));
    const created = { session: await submitPassportCapture(first.url) };
    await first.close(); // all in-memory state is gone

    const second = await startServer(loadConfig(env));
    cleanups.push(() => second.close());
    // The client's pooled connections died with the first server: like a browser, try again on a new one.
    const state = await eventually(
      () => fetch(`${second.url}/api/sessions/${created.session}`).catch(() => undefined),
      2000,
      'the new server',
    );
    assert.equal(state.status, 200);
    assert.equal(((await state.json()) as { status: string }).status, 'processing');
    const statuses = await readStatusEvents(
      await fetch(`${second.url}/api/sessions/${created.session}/events`),
    );
    assert.deepEqual(statuses.at(-1), { status: 'accepted', final: true });
  });
});

describe('serving', () => {
  it('answers /healthz and sends security headers', async () => {
    const server = await startServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }));
    cleanups.push(() => server.close());
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(((await health.json()) as { ok: boolean }).ok, true);
    assert.equal(health.headers.get('X-Content-Type-Options'), 'nosniff');
    const api = await fetch(`${server.url}/api/document-types`);
    assert.equal(api.headers.get('Cache-Control'), 'no-store');
  });

  it('serves the script-tag build with long-lived caching and a versioned URL, and pages under a strict CSP', async () => {
    const server = await startServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }));
    cleanups.push(() => server.close());
    const { version } = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    const latest = await fetch(`${server.url}/signicat-verify.js`);
    assert.equal(latest.status, 200, 'run npm run build first (npm test does)');
    assert.match(latest.headers.get('Content-Type') ?? '', /javascript/);
    assert.match(latest.headers.get('Cache-Control') ?? '', /max-age=\d+/);
    const body = await latest.text();
    const pinned = await fetch(`${server.url}/signicat-verify@${version}.js`);
    assert.equal(pinned.status, 200);
    assert.match(pinned.headers.get('Cache-Control') ?? '', /immutable/);
    // Its own build, not a copy of /signicat-verify.js: its lazy chunks import the pinned URL itself.
    assert.equal(
      await pinned.text(),
      await readFile(
        new URL(`../../dist/cdn/signicat-verify@${version}.js`, import.meta.url),
        'utf8',
      ),
    );
    assert.ok(!body.includes(SANDBOX_CLIENT_SECRET), 'no secret in the bundle');
    const page = await fetch(`${server.url}/`);
    assert.equal(page.status, 200);
    const csp = page.headers.get('Content-Security-Policy') ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.doesNotMatch(await page.text(), /<script>|style="/, 'no inline script or style');
    assert.equal((await fetch(`${server.url}/signicat-verify@0.0.0-nope.js`)).status, 404);
    assert.equal(ELEMENT_VERSION, version, 'component/version.ts follows package.json');
  });

  it('starts from the process entry with no configuration and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      env: { ...process.env, PORT: '0', SIGNICAT_CLIENT_ID: '', SIGNICAT_CLIENT_SECRET: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanups.push(async () => child.kill('SIGKILL'));
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    const url = await eventually(
      () => /open (http:\/\/\S+?)\/ /.exec(output)?.[1],
      15_000,
      'the start line',
    );
    assert.match(output, /sandbox mode/);
    assert.match(output, /delivery\.not_configured/);
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  });

  it('refuses to start with a bad configuration and names the variable', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/index.ts'], {
      env: { ...process.env, PORT: '0', SIGNICAT_CLIENT_ID: 'only-the-id' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk) => (errors += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(code, 1);
    assert.match(errors, /SIGNICAT_CLIENT_SECRET: missing/);
  });
});
