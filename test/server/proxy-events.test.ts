/**
 * Assure Events (the way Signicat's current docs notify integrators) and restarts: the receiver checks
 * the payload signature and acts once per event id; a restarted proxy with an empty store rebuilds
 * sessions from their tokens, adopts processes it hears about from their sealed externalReference, and
 * reconciles with Signicat's process list, delivering each result once with the integrator's reference.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { signEventBody, EVENT_SIGNATURE_HEADER } from '../../server/events/signature.ts';
import { jpegBytes } from '../helpers/images.ts';
import { startHarness, type Harness } from '../helpers/proxy-harness.ts';
import { eventually, json } from '../helpers/sandbox.ts';

const EVENTS_SECRET = 'eV3nT5sK8pL1qW7zX4cM9bR2yH6gD0fJ';
const API_KEY = 'integrator-key-0123456789abcdefXYZ';

let h: Harness;
before(async () => {
  h = await startHarness({
    env: {
      SIGNICAT_EVENTS_SECRET: EVENTS_SECRET,
      PROXY_API_KEY: API_KEY,
      POLL_INITIAL_MS: '60000',
      POLL_MAX_MS: '60000',
    },
    emulator: { legacyCallbacks: false } as never,
  });
  await h.control('/events', { url: `${h.url}/api/signicat/events`, secret: EVENTS_SECRET });
});
after(() => h.close());

const post = (body: string, headers: Record<string, string> = {}) =>
  h.api('/signicat/events', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body,
  });

function signed(event: Record<string, unknown>) {
  const body = JSON.stringify(event);
  return { body, headers: { [EVENT_SIGNATURE_HEADER]: signEventBody(EVENTS_SECRET, body) } };
}

/** A backend-created passport capture session, uploaded (front + selfie) and submitted. */
async function submittedSession(reference: string) {
  const created = await h.api(
    '/sessions',
    json(
      { mode: 'capture', documentType: 'passport', reference },
      { Authorization: `Bearer ${API_KEY}` },
    ),
  );
  assert.equal(created.status, 201, await created.clone().text());
  const session = (await created.json()) as { session: string; images: { required: string[] } };
  let token = session.session;
  for (const side of session.images.required) {
    const answer = await h.api(`/sessions/${token}/images/${side}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg' },
      body: jpegBytes(),
    });
    assert.equal(answer.status, 200);
    token = ((await answer.json()) as { session: string }).session;
  }
  assert.equal((await h.api(`/sessions/${token}/submit`, { method: 'POST' })).status, 202);
  return { first: session.session, latest: token };
}

describe('the Assure Events receiver', () => {
  it('is not there without SIGNICAT_EVENTS_SECRET', async () => {
    const plain = await startHarness();
    try {
      assert.equal(
        (await plain.api('/signicat/events', json({ id: 'x', eventName: 'process.complete' })))
          .status,
        404,
      );
    } finally {
      await plain.close();
    }
  });

  it('refuses unsigned and badly signed events with 401, and reads nothing at Signicat', async () => {
    const event = {
      id: 'a'.repeat(32),
      eventName: 'process.complete',
      eventData: { dossierId: 'd', processId: 'p' },
    };
    const count = h.requests.length;
    assert.equal((await post(JSON.stringify(event))).status, 401);
    assert.equal(
      (
        await post(JSON.stringify(event), {
          [EVENT_SIGNATURE_HEADER]: signEventBody(
            'wrong-secret-wrong-secret',
            JSON.stringify(event),
          ),
        })
      ).status,
      401,
    );
    const { body, headers } = signed(event);
    assert.equal(
      (await post(body.replace('"p"', '"q"'), headers)).status,
      401,
      'a changed body breaks the signature',
    );
    assert.equal(h.requests.length, count);
  });

  it('delivers a result brought by an event, with polling out of the way, and counts it', async () => {
    await h.control('/outcome', { status: 'accepted', delayMs: 50 });
    const before = h.proxy.lifecycle.counters().event;
    await submittedSession('order-1');
    const result = await eventually(
      () => h.results.find((r) => r.reference === 'order-1'),
      5000,
      'the result',
    );
    assert.equal(result.status, 'accepted');
    assert.equal(h.proxy.lifecycle.counters().event, before + 1);
  });

  it('acts on one event id once: a duplicate answers 200 and does nothing', async () => {
    await h.control('/events', undefined, 'DELETE');
    await h.control('/outcome', { status: 'rejected', delayMs: 0 });
    await submittedSession('order-2');
    // Build the event the emulator would have sent: Set images names the dossier and the process.
    const images = h.requests
      .filter((r) => r.method === 'POST' && /\/images$/.test(r.path))
      .at(-1)!;
    const [, , , dossierId, , processId] = images.path.split('/');
    const event = {
      id: 'b'.repeat(32),
      eventName: 'process.complete',
      eventData: { dossierId, processId, status: 'rejected' },
    };
    const { body, headers } = signed(event);
    const reads = () =>
      h.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/processes/${processId}`))
        .length;
    const first = await post(body, headers);
    assert.equal(first.status, 200);
    await eventually(() => h.results.find((r) => r.reference === 'order-2'), 5000, 'the result');
    await h.proxy.lifecycle.idle();
    const afterFirst = reads();
    const second = await post(body, headers);
    assert.equal(second.status, 200);
    assert.equal(((await second.json()) as { duplicate?: boolean }).duplicate, true);
    assert.equal(reads(), afterFirst, 'the duplicate read nothing');
    await eventually(() => h.results.find((r) => r.reference === 'order-2'), 5000, 'the result');
    await h.control('/events', { url: `${h.url}/api/signicat/events`, secret: EVENTS_SECRET });
  });
});

describe('restarts with the in-memory store', () => {
  it('keeps the uploaded sides across a restart between uploads (they travel in the refreshed token)', async () => {
    const created = await h.api(
      '/sessions',
      json({ mode: 'capture', documentType: 'identityCard' }),
    );
    const session = (await created.json()) as { session: string };
    const front = await h.api(`/sessions/${session.session}/images/front`, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg' },
      body: jpegBytes(),
    });
    const { session: refreshed } = (await front.json()) as { session: string };
    await h.restart();
    let token = refreshed;
    for (const side of ['back', 'selfie']) {
      const answer = await h.api(`/sessions/${token}/images/${side}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'image/jpeg' },
        body: jpegBytes(),
      });
      assert.equal(answer.status, 200, await answer.clone().text());
      token = ((await answer.json()) as { session: string }).session;
    }
    assert.equal((await h.api(`/sessions/${token}/submit`, { method: 'POST' })).status, 202);
    const dossiers = h.requests.filter(
      (r) => r.method === 'POST' && /\/assure\/dossiers$/.test(r.path),
    );
    assert.ok(dossiers.length >= 1);
  });

  it('adopts a process it never saw when its event arrives after a restart, and delivers it with the reference', async () => {
    await h.control('/outcome', { status: 'accepted', delayMs: 300 });
    await submittedSession('order-restart');
    await h.restart(); // the store is empty now; the event finds the dossier's sealed reference
    const result = await eventually(
      () => h.results.find((r) => r.reference === 'order-restart'),
      8000,
      'the adopted result',
    );
    assert.equal(result.status, 'accepted');
    assert.equal(h.results.filter((r) => r.reference === 'order-restart').length, 1);
    await eventually(
      () =>
        h.requests.some(
          (r) =>
            r.method === 'DELETE' &&
            r.path.endsWith(`/dossiers/${result.dossierId}`) &&
            r.status === 204,
        ),
      5000,
      'the dossier deleted after delivery',
    );
  });

  it('reconciles after finishing while the proxy was down: delivered once with the reference, dossier deleted', async () => {
    await h.control('/events', undefined, 'DELETE'); // nothing tells the proxy; only the reconciliation can
    await h.control('/outcome', { status: 'inconclusive', delayMs: 0 });
    await submittedSession('order-down');
    await h.restart();
    const outcome = await h.proxy.lifecycle.reconcile(1);
    assert.ok(outcome.adopted >= 1, JSON.stringify(outcome));
    const result = await eventually(
      () => h.results.find((r) => r.reference === 'order-down'),
      5000,
      'the reconciled result',
    );
    assert.equal(result.status, 'inconclusive');
    await h.proxy.lifecycle.idle();
    assert.equal(h.results.filter((r) => r.reference === 'order-down').length, 1);
    assert.ok(
      h.requests.some(
        (r) => r.method === 'DELETE' && r.path.endsWith(`/dossiers/${result.dossierId}`),
      ),
    );
    // A second reconciliation finds nothing left to do.
    const again = await h.proxy.lifecycle.reconcile(1);
    assert.equal(again.adopted, 0);
    await h.control('/events', { url: `${h.url}/api/signicat/events`, secret: EVENTS_SECRET });
  });
});
