/**
 * A real-mode rehearsal: the proxy runs as its own process in real mode (credentials, PUBLIC_URL,
 * webhook, archive, events secret) against the emulator run on its own, in strict spec behaviour:
 * no legacy callbacks (the spec has no notificationUrl), Assure Events signed with the events secret,
 * and an API client whose id and secret hold the characters that break naive Basic encoding. All three
 * modes reach every final status; each result arrives once, the archive is never empty, and the dossier
 * is deleted only after both.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { FINAL_STATUSES, type FinalStatus } from '../../component/contract/index.ts';
import { verifyWebhookSignature, type ResultPayload } from '../../server/delivery/index.ts';
import { listen, type Listening } from '../../server/http/listen.ts';
import { startChild, type Child } from '../helpers/child.ts';
import { jpegBytes } from '../helpers/images.ts';
import { eventually, json, TEST_SESSION_SECRET } from '../helpers/sandbox.ts';

const CLIENT_ID = 'acme-client-1';
const CLIENT_SECRET = 's3-cr+t/x=y:z%-Q';
const WEBHOOK_SECRET = 'wH7kP2xQ9vL4mZ8cR3tY6bN1dF5gJ0sA';
const EVENTS_SECRET = 'eV3nT5sK8pL1qW7zX4cM9bR2yH6gD0fJ';

let emulator: Child;
let proxy: Child;
let receiver: Listening;
let archiveDir: string;
let emulatorToken: string;
/** Every webhook, with whether the dossier still existed at Signicat when it arrived. */
const deliveries: Array<{ payload: ResultPayload; dossierExisted: boolean; deliveryId: string }> =
  [];

async function assure(path: string, init: RequestInit = {}) {
  return fetch(`${emulator.url}${path}`, {
    ...init,
    headers: { ...init.headers, Authorization: `Bearer ${emulatorToken}` },
  });
}

before(async () => {
  archiveDir = await mkdtemp(join(tmpdir(), 'sv-rehearsal-'));
  emulator = await startChild(
    'server/emulator/main.ts',
    {
      EMULATOR_CLIENTS: JSON.stringify({ [CLIENT_ID]: CLIENT_SECRET }),
      EMULATOR_LEGACY_CALLBACKS: '0',
      EMULATOR_DELAY_MS: '20',
    },
    /listening on (http:\/\/127\.0\.0\.1:\d+)/,
  );
  // The RFC 6749 form of Basic (what the proxy sends by default), so the emulator's form-decoding accepts it.
  const basic = Buffer.from(
    `${encodeURIComponent(CLIENT_ID)}:${encodeURIComponent(CLIENT_SECRET)}`,
  ).toString('base64');
  const tokenAnswer = await fetch(`${emulator.url}/auth/open/connect/token`, {
    method: 'POST',
    headers: {
      Authorization: `Basic ${basic}`,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&scope=signicat-api',
  });
  assert.equal(tokenAnswer.status, 200);
  emulatorToken = ((await tokenAnswer.json()) as { access_token: string }).access_token;

  const hooks = new Hono();
  hooks.post('/hooks', async (c) => {
    const body = await c.req.text();
    const signature = c.req.header('Signicat-Verify-Signature') ?? '';
    if (!verifyWebhookSignature(WEBHOOK_SECRET, body, signature))
      return c.text('bad signature', 401);
    const payload = JSON.parse(body) as ResultPayload;
    const dossier = await assure(`/assure/dossiers/${payload.dossierId}`);
    deliveries.push({
      payload,
      dossierExisted: dossier.status === 200,
      deliveryId: c.req.header('Signicat-Verify-Delivery') ?? '',
    });
    return c.body(null, 204);
  });
  receiver = await listen(hooks.fetch, { port: 0, hostname: '127.0.0.1' });

  proxy = await startChild(
    'server/index.ts',
    {
      PORT: '0',
      SIGNICAT_CLIENT_ID: CLIENT_ID,
      SIGNICAT_CLIENT_SECRET: CLIENT_SECRET,
      SIGNICAT_API_URL: emulator.url,
      SIGNICAT_TOKEN_URL: `${emulator.url}/auth/open/connect/token`,
      SIGNICAT_EVENTS_SECRET: EVENTS_SECRET,
      SESSION_SECRET: TEST_SESSION_SECRET,
      // PUBLIC_URL must be known before the port is: the proxy's own loopback name, patched below.
      PUBLIC_URL: 'http://127.0.0.1:1',
      ALLOWED_ORIGINS: 'http://127.0.0.1:1',
      RESULT_WEBHOOK_URL: `${receiver.url}/hooks`,
      RESULT_WEBHOOK_SECRET: WEBHOOK_SECRET,
      ALLOW_PRIVATE_WEBHOOK: '1',
      RESULT_ARCHIVE_DIR: archiveDir,
      DEFAULT_DOCUMENT_COUNTRY: 'NO',
      POLL_INITIAL_MS: '2000',
      POLL_MAX_MS: '4000',
      RATE_LIMIT_SESSIONS_PER_MINUTE: '1000',
      LOG_LEVEL: 'info',
    },
    /open (http:\/\/127\.0\.0\.1:\d+)\//,
  );
  const events = await fetch(`${emulator.url}/control/events`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ url: `${proxy.url}/api/signicat/events`, secret: EVENTS_SECRET }),
  });
  assert.ok(events.ok, `events control answered ${events.status}`);
});

after(async () => {
  await proxy?.stop();
  await emulator?.stop();
  await receiver?.close();
  await rm(archiveDir, { recursive: true, force: true });
});

const api = (path: string, init?: RequestInit) => fetch(`${proxy.url}/api${path}`, init);

async function setOutcome(status: FinalStatus) {
  const answer = await fetch(`${emulator.url}/control/outcome`, {
    method: 'PUT',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ status, delayMs: 20 }),
  });
  assert.ok(answer.ok);
}

async function created(body: Record<string, unknown>) {
  const answer = await api('/sessions', json(body));
  assert.equal(answer.status, 201, await answer.clone().text());
  return (await answer.json()) as {
    session: string;
    images: { required: string[] };
    captureUrl?: string;
    providerToken?: string;
    consentRequired?: boolean;
  };
}

async function finalStatus(session: string): Promise<string> {
  return eventually(
    async () => {
      const state = (await (await api(`/sessions/${session}`)).json()) as {
        status: string;
        final: boolean;
      };
      return state.final ? state.status : undefined;
    },
    15_000,
    'a final status',
  );
}

async function capture(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const session = await created({ mode: 'capture', ...body });
  let token = session.session;
  for (const side of session.images.required) {
    const answer = await api(`/sessions/${token}/images/${side}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg', ...headers },
      body: jpegBytes(),
    });
    assert.equal(answer.status, 200, await answer.clone().text());
    token = ((await answer.json()) as { session: string }).session;
  }
  assert.equal((await api(`/sessions/${token}/submit`, { method: 'POST' })).status, 202);
  // The token the browser held first keeps working while the process runs.
  return finalStatus(session.session);
}

async function redirect(outcome: FinalStatus) {
  const session = await created({ mode: 'redirect', redirectUrl: 'http://127.0.0.1:1/done' });
  assert.ok(session.captureUrl);
  const action = outcome === 'canceled' ? 'cancel' : outcome === 'failed' ? 'fail' : 'complete';
  const page = await fetch(session.captureUrl!, {
    method: 'POST',
    body: new URLSearchParams({ action }),
    redirect: 'manual',
  });
  assert.equal(page.status, 303);
  const back = new URL(page.headers.get('Location')!);
  const returned = await api(
    `/sessions/${session.session}/return`,
    json({
      dossierId: back.searchParams.get('dossierId'),
      processId: back.searchParams.get('processId'),
      status: back.searchParams.get('status'),
    }),
  );
  assert.equal(returned.status, 200, await returned.clone().text());
  return finalStatus(session.session);
}

async function providerSdk() {
  const session = await created({
    mode: 'provider-sdk',
    provider: 'onfido',
    pageUrl: 'http://127.0.0.1:1/shop',
  });
  assert.ok(session.providerToken);
  const dataUrl = `data:image/jpeg;base64,${Buffer.from(jpegBytes()).toString('base64')}`;
  const uploaded = await fetch(`${emulator.url}/provider-sdk/onfido/images`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${session.providerToken}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({ front: dataUrl, selfie: dataUrl }),
  });
  assert.ok(uploaded.ok, `provider SDK upload answered ${uploaded.status}`);
  assert.equal((await api(`/sessions/${session.session}/submit`, { method: 'POST' })).status, 202);
  return finalStatus(session.session);
}

describe('real-mode rehearsal against the emulator run on its own', () => {
  for (const outcome of FINAL_STATUSES) {
    it(`capture with Signicat Paper (identity card) reaches ${outcome}`, async () => {
      await setOutcome(outcome);
      assert.equal(
        await capture({ provider: 'signicatpaper', documentType: 'identityCard' }),
        outcome,
      );
    });
    it(`capture with Onfido (passport, consent given) reaches ${outcome}`, async () => {
      await setOutcome(outcome);
      assert.equal(
        await capture(
          { provider: 'onfido', documentType: 'passport' },
          { 'Signicat-Verify-Consent': 'granted' },
        ),
        outcome,
      );
    });
    it(`redirect through the hosted page reaches ${outcome}`, async () => {
      await setOutcome(outcome);
      assert.equal(await redirect(outcome), outcome);
    });
    it(`provider-sdk (Onfido web SDK stand-in) reaches ${outcome}`, async () => {
      await setOutcome(outcome);
      assert.equal(await providerSdk(), outcome);
    });
  }

  it('delivered every result once, before deleting its dossier, with an archive only for accepted ones', async () => {
    const expected = FINAL_STATUSES.length * 4;
    await eventually(() => deliveries.length >= expected, 20_000, `${expected} webhooks`);
    const byProcess = new Map<string, number>();
    for (const { payload } of deliveries)
      byProcess.set(payload.processId, (byProcess.get(payload.processId) ?? 0) + 1);
    assert.equal(byProcess.size, expected);
    assert.ok(
      [...byProcess.values()].every((n) => n === 1),
      'one webhook per process',
    );
    assert.ok(
      deliveries.every((d) => d.dossierExisted),
      'the dossier still existed when its result arrived',
    );
    assert.ok(
      deliveries.every((d) => d.deliveryId === d.payload.deliveryId && d.deliveryId.length > 0),
      'a stable delivery id',
    );
    // Deleted at Signicat afterwards (archive first for accepted ones).
    for (const { payload } of deliveries) {
      await eventually(
        async () => (await assure(`/assure/dossiers/${payload.dossierId}`)).status === 404,
        10_000,
        'dossier deletion',
      );
    }
    const accepted = deliveries
      .filter((d) => d.payload.status === 'accepted')
      .map((d) => `${d.payload.processId}.zip`);
    const files = await readdir(archiveDir);
    assert.deepEqual(files.sort(), accepted.sort());
    for (const file of files)
      assert.ok((await readFile(join(archiveDir, file))).byteLength > 0, `${file} is not empty`);
    // With no legacy callbacks, events and polling brought every result.
    const health = (await (await fetch(`${proxy.url}/healthz`)).json()) as {
      results?: Record<string, number>;
    };
    assert.ok(health.results, 'healthz counts the result sources');
    assert.equal(health.results.callback, 0);
    assert.ok((health.results.event ?? 0) > 0, 'events delivered results');
  });
});
