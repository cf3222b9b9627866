/**
 * The proxy end to end over real HTTP, in sandbox mode: proxy and emulator on one loopback port, talking
 * HTTP to each other as in production. Each flow goes from session creation to a final status.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FINAL_STATUSES } from '../../server/statuses.ts';
import { jpegBytes } from '../helpers/images.ts';
import {
  eventually,
  json,
  readStatusEvents,
  startSandbox,
  type Sandbox,
} from '../helpers/sandbox.ts';

const API_KEY = 'integrator-key-0123456789abcdef';

let sandbox: Sandbox;
before(async () => {
  sandbox = await startSandbox({
    env: { PROXY_API_KEY: API_KEY, EXPOSE_RESULT_FIELDS: 'firstName,dateOfBirth' },
  });
});
after(() => sandbox.close());

async function createSession(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const response = await sandbox.api('/sessions', json(body, headers));
  assert.equal(response.status, 201, await response.clone().text());
  return (await response.json()) as {
    session: string;
    mode: string;
    provider: string;
    documentType: string | null;
    images: { required: string[]; optional: string[] };
    captureUrl?: string;
    providerToken?: string;
    expiresAt: string;
  };
}

async function upload(session: string, side: string, bytes: Uint8Array<ArrayBuffer> = jpegBytes()) {
  return sandbox.api(`/sessions/${session}/images/${side}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'image/jpeg' },
    body: bytes,
  });
}

/** Capture mode through the proxy API alone, as `curl` would do it. */
async function captureToFinal(outcome: string, documentType = 'passport') {
  await sandbox.control('/outcome', { status: outcome, delayMs: 0 });
  const created = await createSession(
    { mode: 'capture', documentType },
    { Authorization: `Bearer ${API_KEY}` },
  );
  for (const side of created.images.required)
    assert.equal((await upload(created.session, side)).status, 200);
  const events = sandbox.api(`/sessions/${created.session}/events`);
  const submitted = await sandbox.api(`/sessions/${created.session}/submit`, { method: 'POST' });
  assert.equal(submitted.status, 202);
  const statuses = await readStatusEvents(await events);
  const state = (await (await sandbox.api(`/sessions/${created.session}`)).json()) as Record<
    string,
    unknown
  >;
  return { created, statuses, state };
}

describe('capture mode (A → C → D2 → E → F)', () => {
  for (const outcome of FINAL_STATUSES) {
    it(`reaches ${outcome} and streams every change`, async () => {
      const { statuses, state } = await captureToFinal(outcome);
      assert.deepEqual(statuses.at(-1), { status: outcome, final: true });
      assert.ok(
        statuses.every((s, i) => i === statuses.length - 1 || !s.final),
        'only the last event is final',
      );
      assert.equal(state.status, outcome);
      assert.equal(state.final, true);
      assert.match(String(state.updatedAt), /^\d{4}-\d\d-\d\dT/);
    });
  }

  it('asks for the back of two-sided documents and refuses to submit without it', async () => {
    const created = await createSession({ mode: 'capture', documentType: 'driversLicense' });
    assert.deepEqual(created.images, { required: ['front', 'back', 'selfie'], optional: [] });
    await upload(created.session, 'front');
    await upload(created.session, 'selfie');
    const early = await sandbox.api(`/sessions/${created.session}/submit`, { method: 'POST' });
    assert.equal(early.status, 409);
    assert.equal(((await early.json()) as any).error.code, 'images_missing');
    assert.equal((await upload(created.session, 'back')).status, 200);
    const state = (await (await sandbox.api(`/sessions/${created.session}`)).json()) as Record<
      string,
      unknown
    >;
    assert.deepEqual(state.images, {
      required: ['front', 'back', 'selfie'],
      optional: [],
      uploaded: ['front', 'selfie', 'back'],
    });
    assert.equal(state.documentType, 'driversLicense');
    assert.equal(
      (await sandbox.api(`/sessions/${created.session}/submit`, { method: 'POST' })).status,
      202,
    );
  });

  it('is idempotent on submit and refuses uploads after it', async () => {
    await sandbox.control('/outcome', { status: 'accepted', delayMs: 300 });
    const created = await createSession({ mode: 'capture' });
    await upload(created.session, 'front');
    await upload(created.session, 'selfie');
    const answers = await Promise.all(
      [1, 2, 3].map(() => sandbox.api(`/sessions/${created.session}/submit`, { method: 'POST' })),
    );
    assert.deepEqual(
      answers.map((a) => a.status),
      [202, 202, 202],
    );
    const late = await upload(created.session, 'front');
    assert.equal(late.status, 409);
    assert.equal(((await late.json()) as any).error.code, 'already_submitted');
    await readStatusEvents(await sandbox.api(`/sessions/${created.session}/events`));
  });

  it('hands the full result with the reference to the integrator once, then deletes the dossier', async () => {
    const before = sandbox.results.length;
    await sandbox.control('/outcome', { status: 'accepted', delayMs: 0 });
    const response = await sandbox.api(
      '/sessions',
      json({ mode: 'capture', reference: 'customer-42' }, { Authorization: `Bearer ${API_KEY}` }),
    );
    const created = (await response.json()) as { session: string };
    await upload(created.session, 'front');
    await upload(created.session, 'selfie');
    await sandbox.api(`/sessions/${created.session}/submit`, { method: 'POST' });
    const payload = await eventually(() =>
      sandbox.results.slice(before).find((r) => r.reference === 'customer-42'),
    );
    assert.equal(payload.status, 'accepted');
    assert.equal(payload.event, 'verification.completed');
    assert.equal(payload.mode, 'capture');
    assert.equal(payload.result.status, 'accepted');
    assert.match(String(payload.result.finalResult?.dateOfBirth), /^\d{4}-\d\d-\d\d$/);
    assert.match(String(payload.result.finalResult?.nationality), /^[A-Z]{3}$/);
    // Deleted at Signicat only after delivery.
    await eventually(
      async () => (await sandbox.assure(`/assure/dossiers/${payload.dossierId}`)).status === 404,
      5000,
      'dossier deletion',
    );
    // The browser sees only the fields the operator exposed.
    const state = (await (await sandbox.api(`/sessions/${created.session}`)).json()) as {
      result: Record<string, unknown>;
    };
    assert.deepEqual(Object.keys(state.result).sort(), ['dateOfBirth', 'firstName']);
    assert.equal(sandbox.results.filter((r) => r.processId === payload.processId).length, 1);
  });
});

describe('redirect mode (A → G → F)', () => {
  async function throughHostedPage(button: 'complete' | 'cancel' | 'fail') {
    const redirectUrl = `${sandbox.url}/shop/checkout?step=verify`;
    const created = await createSession({ mode: 'redirect', redirectUrl });
    assert.ok(created.captureUrl?.startsWith(`${sandbox.url}/emulator/`), created.captureUrl);
    const page = await fetch(created.captureUrl!);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.doesNotMatch(html, /<script/i, 'the hosted page works without JavaScript');
    assert.match(html, /<form[^>]*method="post"/i, 'the page has a form');
    // A form without an action posts to the page's own URL.
    const action =
      /<form[^>]*action="([^"]+)"/i.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? created.captureUrl!;
    const buttonName =
      /<button[^>]*name="([^"]+)"[^>]*value="complete"/i.exec(html)?.[1] ?? 'action';
    const posted = await fetch(new URL(action, created.captureUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `${buttonName}=${button}`,
      redirect: 'manual',
    });
    assert.equal(posted.status, 303);
    const back = new URL(posted.headers.get('Location')!);
    assert.equal(back.origin + back.pathname, `${sandbox.url}/shop/checkout`);
    assert.equal(back.searchParams.get('step'), 'verify', 'the page keeps its own query');
    return { created, back };
  }

  /** What the element does on return: hand the query parameters (`status` as given) to the proxy. */
  async function returnFrom(session: string, back: URL, status = back.searchParams.get('status')) {
    const response = await sandbox.api(
      `/sessions/${session}/return`,
      json({
        dossierId: back.searchParams.get('dossierId'),
        processId: back.searchParams.get('processId'),
        status,
      }),
    );
    return { status: response.status, body: (await response.json()) as any };
  }

  it('goes through the hosted page and back to accepted', async () => {
    await sandbox.control('/outcome', { status: 'accepted', delayMs: 50 });
    const { created, back } = await throughHostedPage('complete');
    assert.equal(back.searchParams.get('status'), 'processing');
    assert.equal((await returnFrom(created.session, back)).status, 200);
    const statuses = await readStatusEvents(
      await sandbox.api(`/sessions/${created.session}/events`),
    );
    assert.deepEqual(statuses.at(-1), { status: 'accepted', final: true });
  });

  for (const [button, status] of [
    ['cancel', 'canceled'],
    ['fail', 'failed'],
  ] as const) {
    it(`ends ${status} when the hosted page says ${button}`, async () => {
      const { created, back } = await throughHostedPage(button);
      assert.equal(back.searchParams.get('status'), status);
      const returned = await returnFrom(created.session, back);
      assert.deepEqual([returned.body.status, returned.body.final], [status, true]);
    });
  }

  it('asks Signicat rather than trusting a status edited in the address bar', async () => {
    await sandbox.control('/outcome', { status: 'rejected', delayMs: 60_000 });
    const { created, back } = await throughHostedPage('complete');
    const returned = await returnFrom(created.session, back, 'accepted');
    assert.deepEqual(
      [returned.status, returned.body.status, returned.body.final],
      [200, 'processing', false],
    );
  });

  it('refuses ids that belong to another session', async () => {
    const one = await throughHostedPage('complete');
    const other = await createSession({ mode: 'redirect', redirectUrl: `${sandbox.url}/` });
    const mismatch = await returnFrom(other.session, one.back);
    assert.equal(mismatch.status, 409);
    assert.equal(mismatch.body.error.code, 'redirect_mismatch');
    const state = (await (await sandbox.api(`/sessions/${other.session}`)).json()) as {
      status: string;
    };
    assert.equal(state.status, 'pending');
  });
});

describe('provider-sdk mode (A → C → D1 → E → F)', () => {
  it('hands out the process token, accepts the SDK upload and ends final', async () => {
    await sandbox.control('/outcome', { status: 'accepted', delayMs: 0 });
    const created = await createSession({
      mode: 'provider-sdk',
      provider: 'onfido',
      documentType: 'passport',
    });
    assert.equal(created.provider, 'onfido');
    assert.ok(created.providerToken && created.providerToken.length >= 16);
    const dataUrl = `data:image/jpeg;base64,${Buffer.from(jpegBytes()).toString('base64')}`;
    const sdkUpload = await fetch(`${sandbox.url}/emulator/provider-sdk/onfido/images`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${created.providerToken}`,
      },
      body: JSON.stringify({ front: dataUrl, selfie: dataUrl }),
    });
    assert.ok(sdkUpload.ok, `stand-in upload: ${sdkUpload.status}`);
    const events = sandbox.api(`/sessions/${created.session}/events`);
    assert.equal(
      (await sandbox.api(`/sessions/${created.session}/submit`, { method: 'POST' })).status,
      202,
    );
    assert.deepEqual((await readStatusEvents(await events)).at(-1), {
      status: 'accepted',
      final: true,
    });
  });

  it('refuses providers the operator did not allow for the path', async () => {
    const response = await sandbox.api(
      '/sessions',
      json({ mode: 'provider-sdk', provider: 'webid' }),
    );
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as any).error.code, 'provider_not_allowed');
  });
});
