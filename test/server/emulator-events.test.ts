/** Assure emulator: Assure Events delivery (`process.complete`), signed, retried until 2xx or expiry, with faults. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { EVENT_SIGNATURE_HEADER, verifyEventSignature } from '../../server/events/signature.ts';
import { SANDBOX_ACCOUNT_ID, type EmulatorEvent } from '../../server/emulator/index.ts';
import {
  PAPER,
  sleep,
  startHarness,
  startReceiver,
  waitUntil,
  type Harness,
  type ReceivedCallback,
  type Receiver,
  type ReceiverBehaviour,
} from './emulator-fixtures.ts';

const SECRET = 'whsec-sandbox-events';
const header = (received: ReceivedCallback) => (name: string) => {
  const value = received.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
};

describe('Assure emulator: Assure Events', () => {
  const events: EmulatorEvent[] = [];
  const receivers: Receiver[] = [];
  let h: Harness;
  before(async () => {
    h = await startHarness({
      processingDelayMs: 0,
      eventRetryBaseMs: 20,
      log: (e) => events.push(e),
    });
  });
  beforeEach(async () => {
    events.length = 0;
    await h.call('POST', '/control/reset');
  });
  after(async () => {
    await h.close();
    await Promise.all(receivers.map((r) => r.close()));
  });

  async function receiver(behaviours?: ReceiverBehaviour[]) {
    const r = await startReceiver(behaviours);
    receivers.push(r);
    return r;
  }

  it('POSTs a signed process.complete envelope once a process is final', async () => {
    const r = await receiver(['ok']);
    const set = await h.call('PUT', '/control/events', { url: r.url, secret: SECRET });
    assert.equal(set.status, 200);
    assert.deepEqual(set.body, { url: r.url, signed: true });
    assert.ok(
      !JSON.stringify((await h.call('GET', '/control/events')).body).includes(SECRET),
      'the secret is never shown',
    );
    const { body: dossier } = await h.call('POST', '/assure/dossiers', {
      externalReference: 'order-42',
    });
    const processId = await h.startProcess(dossier.dossierId, {
      ...PAPER,
      eventTags: ['shop', 'eu'],
    });
    const [delivery] = await r.waitFor(1);
    assert.equal(delivery!.method, 'POST');
    assert.equal(delivery!.headers['content-type'], 'application/json');
    assert.ok(
      verifyEventSignature(SECRET, delivery!.body, header(delivery!)),
      'verifiable with the subscription secret',
    );
    assert.ok(
      !verifyEventSignature('another-secret', delivery!.body, header(delivery!)),
      "!verifyEventSignature('another-secret', delivery!.body, header(delivery!))",
    );
    assert.match(String(delivery!.headers[EVENT_SIGNATURE_HEADER.toLowerCase()]), /^[0-9a-f]{64}$/);
    const event = JSON.parse(delivery!.body);
    assert.deepEqual(Object.keys(event).sort(), [
      'accountId',
      'eventData',
      'eventName',
      'expiresAt',
      'id',
      'organizationId',
      'sender',
      'tags',
      'timestamp',
    ]);
    assert.match(event.id, /^[0-9a-f]{32}$/);
    assert.equal(event.sender, 'assure-api');
    assert.equal(event.eventName, 'process.complete');
    assert.equal(event.accountId, SANDBOX_ACCOUNT_ID);
    assert.equal(event.organizationId, null);
    assert.deepEqual(event.tags, ['shop', 'eu']);
    assert.deepEqual(event.eventData, {
      dossierId: dossier.dossierId,
      processId,
      status: 'accepted',
      provider: 'signicatpaper',
      externalReference: 'order-42',
    });
    assert.equal(new Date(event.timestamp).toISOString(), event.timestamp);
    assert.equal(Date.parse(event.expiresAt) - Date.parse(event.timestamp), 30_000);
    // The process is already final when the receiver hears about it.
    assert.equal(
      (await h.call('GET', `/assure/dossiers/${dossier.dossierId}/processes/${processId}`)).body
        .status,
      'accepted',
    );
    await waitUntil(
      () => events.some((e) => e.type === 'event.delivered' && e.processId === processId),
      'event.delivered',
    );
    assert.ok(!JSON.stringify(events).includes(SECRET), 'the secret is never logged');
  });

  it('sends every final status, without externalReference or signature when there is none', async () => {
    const r = await receiver(['ok']);
    await h.call('PUT', '/control/events', { url: r.url });
    assert.deepEqual((await h.call('GET', '/control/events')).body, { url: r.url, signed: false });
    const dossierId = await h.createDossier();
    const failed = await h.createProcess(dossierId, PAPER);
    await h.call('POST', `/assure/dossiers/${dossierId}/processes/${failed.processId}/fail`);
    await h.call('PUT', '/control/outcome', { status: 'rejected' });
    const rejected = await h.startProcess(dossierId, PAPER);
    const received = await r.waitFor(2);
    const data = received.map((d) => JSON.parse(d.body).eventData);
    assert.deepEqual(data, [
      { dossierId, processId: failed.processId, status: 'failed', provider: 'signicatpaper' },
      { dossierId, processId: rejected, status: 'rejected', provider: 'signicatpaper' },
    ]);
    for (const delivery of received)
      assert.equal(delivery.headers[EVENT_SIGNATURE_HEADER.toLowerCase()], undefined);
  });

  it('retries with backoff until a 2xx (201 counts), same id and body each time', async () => {
    const r = await receiver(['error', 'error', 'created']);
    await h.call('PUT', '/control/events', { url: r.url, secret: SECRET });
    const dossierId = await h.createDossier();
    const processId = await h.startProcess(dossierId, PAPER);
    const received = await r.waitFor(3);
    assert.ok(received[1]!.at - received[0]!.at >= 18, 'first retry after ~20 ms');
    assert.ok(received[2]!.at - received[1]!.at >= 38, 'second retry after ~40 ms');
    for (const delivery of received) assert.equal(delivery.body, received[0]!.body);
    await waitUntil(
      () =>
        events.some(
          (e) => e.type === 'event.delivered' && e.processId === processId && e.attempt === 2,
        ),
      'delivered on attempt 2',
    );
    assert.deepEqual(
      events
        .filter((e) => e.type === 'event.retry')
        .map((e) => e.type === 'event.retry' && e.retryInMs),
      [20, 40],
    );
  });

  it('stops retrying once the event expires', async () => {
    const local: EmulatorEvent[] = [];
    const short = await startHarness({
      processingDelayMs: 0,
      eventRetryBaseMs: 20,
      eventTtlMs: 200,
      log: (e) => local.push(e),
    });
    try {
      const r = await receiver(['error']);
      short.emulator.events.set({ url: r.url, secret: SECRET });
      const d = await short.createDossier();
      const processId = await short.startProcess(d, PAPER);
      await waitUntil(() => local.some((e) => e.type === 'event.dropped'), 'event.dropped');
      const dropped = local.find((e) => e.type === 'event.dropped');
      assert.ok(
        dropped?.type === 'event.dropped' &&
          dropped.processId === processId &&
          dropped.reason === 'HTTP 500',
        "dropped?.type === 'event.dropped' && dropped.processId === processId && dropped.reason === 'HT...",
      );
      // Attempts at ~0, 20, 60 and 140 ms; the next (300 ms) would be past the 200 ms expiry. A slow
      // machine fits fewer in.
      assert.ok(dropped.attempts >= 2 && dropped.attempts <= 4, `attempts: ${dropped.attempts}`);
      assert.equal(r.received.length, dropped.attempts);
    } finally {
      await short.close();
    }
  });

  it('event fault rules drop (status 0), duplicate (same id) and delay deliveries', async () => {
    const r = await receiver(['ok']);
    await h.call('PUT', '/control/events', { url: r.url, secret: SECRET });
    await h.call('PUT', '/control/faults', {
      rules: [
        { operation: 'event', status: 0, times: 1 },
        { operation: 'event', duplicate: true, times: 1 },
        { operation: 'event', delayMs: 150, times: 1 },
      ],
    });
    const dossierId = await h.createDossier();
    const dropped = await h.startProcess(dossierId, PAPER);
    await h.waitForStatus(dossierId, dropped, 'accepted');
    assert.ok(
      events.some((e) => e.type === 'event.suppressed' && e.processId === dropped),
      "events.some((e) => e.type === 'event.suppressed' && e.processId === dropped)",
    );
    const twice = await h.startProcess(dossierId, PAPER);
    const pair = await r.waitFor(2);
    assert.equal(pair[0]!.body, pair[1]!.body, 'the same event (same id) twice');
    assert.equal(JSON.parse(pair[0]!.body).eventData.processId, twice);
    const finishedAt = Date.now();
    const late = await h.startProcess(dossierId, PAPER);
    const received = await r.waitFor(3);
    assert.equal(JSON.parse(received[2]!.body).eventData.processId, late);
    assert.ok(received[2]!.at - finishedAt >= 140, 'delayed by delayMs');
  });

  it('DELETE /control/events stops deliveries; legacy callbacks are independent', async () => {
    const r = await receiver(['ok']);
    const cb = await receiver(['ok']);
    await h.call('PUT', '/control/events', { url: r.url });
    assert.equal((await h.call('DELETE', '/control/events')).status, 204);
    assert.deepEqual((await h.call('GET', '/control/events')).body, { url: null, signed: false });
    const dossierId = await h.createDossier();
    await h.startProcess(dossierId, { ...PAPER, notificationUrl: cb.url });
    await cb.waitFor(1);
    await sleep(50); // a negative assertion: give a wrongly sent event time to arrive
    assert.equal(r.received.length, 0);
  });

  it('validates PUT /control/events', async () => {
    for (const body of [
      {},
      { url: 'ftp://x' },
      { url: '/relative' },
      { url: 'http://127.0.0.1/', secret: '' },
      { url: 'http://127.0.0.1/', extra: 1 },
      { url: 5 },
    ]) {
      const res = await h.call('PUT', '/control/events', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.instance, '/control/events');
    }
    assert.throws(() => h.emulator.events.set({ url: 'javascript:alert(1)' }), RangeError);
  });

  it('the events option delivers from the start; DELETE turns it off', async () => {
    const r = await receiver(['ok']);
    const local = await startHarness({
      processingDelayMs: 0,
      legacyCallbacks: false,
      events: { url: r.url, secret: SECRET },
    });
    try {
      assert.deepEqual((await local.call('GET', '/control/events')).body, {
        url: r.url,
        signed: true,
      });
      const d = await local.createDossier();
      const first = await local.startProcess(d, PAPER);
      const [delivery] = await r.waitFor(1);
      assert.equal(JSON.parse(delivery!.body).eventData.processId, first);
      assert.ok(
        verifyEventSignature(SECRET, delivery!.body, header(delivery!)),
        'verifyEventSignature(SECRET, delivery!.body, header(delivery!))',
      );
      await local.call('DELETE', '/control/events');
      const second = await local.startProcess(d, PAPER);
      await local.waitForStatus(d, second, 'accepted');
      await sleep(50); // negative assertion
      assert.equal(r.received.length, 1);
      // Reset goes back to the option's target.
      await local.call('POST', '/control/reset');
      const third = await local.startProcess(d, PAPER);
      await r.waitFor(2);
      assert.equal(JSON.parse(r.received[1]!.body).eventData.processId, third);
    } finally {
      await local.close();
    }
  });
});
