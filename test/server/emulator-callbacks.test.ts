/**
 * Assure emulator: legacy notificationUrl callbacks (not in the OpenAPI description), retries with
 * backoff, the older drop/duplicate switches, and `legacyCallbacks: false`.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { EmulatorEvent } from '../../server/emulator/index.ts';
import {
  PAPER,
  sleep,
  startHarness,
  startReceiver,
  waitUntil,
  type Harness,
  type Receiver,
  type ReceiverBehaviour,
} from './emulator-fixtures.ts';

describe('Assure emulator: callbacks', () => {
  const events: EmulatorEvent[] = [];
  const receivers: Receiver[] = [];
  let h: Harness;
  let dossierId: string;
  before(async () => {
    h = await startHarness({
      processingDelayMs: 0,
      // Generous, so a loaded machine never turns a slow answer into a retry; the timeout test has its own.
      callbackTimeoutMs: 2000,
      callbackRetryBaseMs: 20,
      callbackMaxRetries: 3,
      log: (event) => events.push(event),
    });
    dossierId = await h.createDossier();
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

  /** Creates a process with images and starts it; returns its ID. */
  const run = (fields: Record<string, unknown>) =>
    h.startProcess(dossierId, { ...PAPER, ...fields });

  it('POSTs {dossierId, processId, status} with the Authorization header verbatim, once the process is final', async () => {
    const r = await receiver(['ok']);
    const processId = await run({
      notificationUrl: r.url,
      authorizationHeader: 'Bearer cb-secret with spaces',
    });
    const [callback] = await r.waitFor(1);
    assert.equal(callback!.method, 'POST');
    assert.equal(callback!.headers['content-type'], 'application/json');
    assert.equal(callback!.headers['authorization'], 'Bearer cb-secret with spaces');
    assert.deepEqual(JSON.parse(callback!.body), { dossierId, processId, status: 'accepted' });
    // The process is already final when the receiver hears about it.
    assert.equal(
      (await h.call('GET', `/assure/dossiers/${dossierId}/processes/${processId}`)).body.status,
      'accepted',
    );
    await waitUntil(
      () => events.some((e) => e.type === 'callback.delivered' && e.processId === processId),
      'callback.delivered',
    );
    await sleep(50); // a negative assertion: no second attempt
    assert.equal(r.received.length, 1, 'a 200 ends delivery');
    assert.ok(
      !JSON.stringify(events).includes('cb-secret'),
      'the authorization header is never logged',
    );
  });

  it('omits Authorization when no authorizationHeader was given, and reports the final status', async () => {
    const r = await receiver(['ok']);
    await h.call('PUT', '/control/outcome', { status: 'rejected' });
    const processId = await run({ notificationUrl: r.url });
    const [callback] = await r.waitFor(1);
    assert.equal(callback!.headers['authorization'], undefined);
    assert.deepEqual(JSON.parse(callback!.body), { dossierId, processId, status: 'rejected' });
  });

  it('retries with exponential backoff while the receiver answers 500, then delivers', async () => {
    const r = await receiver(['error', 'error', 'ok']);
    await run({ notificationUrl: r.url });
    const received = await r.waitFor(3);
    const gaps = [received[1]!.at - received[0]!.at, received[2]!.at - received[1]!.at];
    assert.ok(gaps[0]! >= 18, `first retry after ~20 ms, was ${gaps[0]}`);
    assert.ok(gaps[1]! >= 38, `second retry after ~40 ms, was ${gaps[1]}`);
    for (const callback of received)
      assert.equal(callback.body, received[0]!.body, 'same payload each time');
    await sleep(100);
    assert.equal(r.received.length, 3);
    const retries = events.filter((e) => e.type === 'callback.retry');
    assert.deepEqual(
      retries.map((e) => e.type === 'callback.retry' && e.retryInMs),
      [20, 40],
    );
  });

  it('treats a non-200 success (201) as not delivered', async () => {
    const r = await receiver(['created', 'ok']);
    await run({ notificationUrl: r.url });
    await r.waitFor(2);
  });

  it('gives up after callbackMaxRetries and logs the drop', async () => {
    const r = await receiver(['error']);
    const processId = await run({ notificationUrl: r.url });
    await r.waitFor(4); // 1 attempt + 3 retries (20 + 40 + 80 ms)
    await waitUntil(() => events.some((e) => e.type === 'callback.dropped'), 'callback.dropped');
    await sleep(200); // a negative assertion: no fifth attempt
    assert.equal(r.received.length, 4);
    const dropped = events.find((e) => e.type === 'callback.dropped');
    assert.deepEqual(dropped, {
      type: 'callback.dropped',
      processId,
      attempts: 4,
      reason: 'HTTP 500',
    });
  });

  it('retries when the receiver hangs past callbackTimeoutMs', async () => {
    const local: EmulatorEvent[] = [];
    const quick = await startHarness({
      callbackTimeoutMs: 100,
      callbackRetryBaseMs: 20,
      log: (e) => local.push(e),
    });
    try {
      const r = await receiver(['hang', 'ok']);
      const d = await quick.createDossier();
      const processId = await quick.startProcess(d, { ...PAPER, notificationUrl: r.url });
      const received = await r.waitFor(2);
      // Arrival times, not send times: a loaded machine may record the first arrival late, so allow slack
      // below the 100 ms timeout + 20 ms backoff (without the timeout there would be no retry at all).
      assert.ok(received[1]!.at - received[0]!.at >= 60, 'waited for the timeout before retrying');
      const retry = local.find((e) => e.type === 'callback.retry');
      assert.ok(
        retry && retry.type === 'callback.retry' && /no answer within 100 ms/.test(retry.reason),
        "retry && retry.type === 'callback.retry' && /no answer within 100 ms/.test(retry.reason)",
      );
      await waitUntil(
        () =>
          local.some(
            (e) => e.type === 'callback.delivered' && e.processId === processId && e.attempt === 1,
          ),
        'delivered on attempt 1',
      );
    } finally {
      await quick.close();
    }
  });

  it('retries when the receiver is unreachable', async () => {
    const r = await receiver(['ok']);
    const url = r.url;
    await r.close();
    await run({ notificationUrl: url });
    await waitUntil(() => events.some((e) => e.type === 'callback.retry'), 'callback.retry');
    const retry = events.find((e) => e.type === 'callback.retry');
    assert.ok(
      retry && retry.type === 'callback.retry' && retry.reason === 'network error',
      "retry && retry.type === 'callback.retry' && retry.reason === 'network error'",
    );
  });

  it('drops callbacks while PUT /control/callbacks {drop: true}', async () => {
    const r = await receiver(['ok']);
    const set = await h.call('PUT', '/control/callbacks', { drop: true });
    assert.equal(set.status, 200);
    assert.deepEqual(set.body, { drop: true, duplicate: false });
    assert.deepEqual((await h.call('GET', '/control/callbacks')).body, {
      drop: true,
      duplicate: false,
    });
    const processId = await run({ notificationUrl: r.url });
    await h.waitForStatus(dossierId, processId, 'accepted');
    await sleep(50);
    assert.equal(r.received.length, 0);
    assert.ok(
      events.some((e) => e.type === 'callback.suppressed' && e.processId === processId),
      "events.some((e) => e.type === 'callback.suppressed' && e.processId === processId)",
    );
    await h.call('PUT', '/control/callbacks', {});
    await run({ notificationUrl: r.url });
    await r.waitFor(1);
  });

  it('sends each callback twice with {duplicate: true}', async () => {
    const r = await receiver(['ok']);
    assert.deepEqual((await h.call('PUT', '/control/callbacks', { duplicate: true })).body, {
      drop: false,
      duplicate: true,
    });
    const processId = await run({ notificationUrl: r.url });
    const received = await r.waitFor(2);
    await sleep(50);
    assert.equal(r.received.length, 2);
    for (const callback of received)
      assert.deepEqual(JSON.parse(callback.body), { dossierId, processId, status: 'accepted' });
  });

  it('sends no callback without a usable notificationUrl', async () => {
    for (const fields of [
      {},
      { notificationUrl: 'javascript:alert(1)' },
      { notificationUrl: '/relative' },
    ]) {
      const processId = await run(fields);
      await h.waitForStatus(dossierId, processId, 'accepted');
    }
    await sleep(20);
    assert.ok(
      !events.some((e) => e.type.startsWith('callback.')),
      "!events.some((e) => e.type.startsWith('callback.'))",
    );
  });

  it('drops an authorizationHeader that cannot be a header, and still calls back', async () => {
    const r = await receiver(['ok']);
    await run({ notificationUrl: r.url, authorizationHeader: 'Bearer x\r\nX-Injected: 1' });
    const [callback] = await r.waitFor(1);
    assert.equal(callback!.headers['authorization'], undefined);
    assert.equal(callback!.headers['x-injected'], undefined);
  });

  it('a callback fault rule drops (status 0), duplicates or delays deliveries', async () => {
    const r = await receiver(['ok']);
    await h.call('PUT', '/control/faults', {
      rules: [
        { operation: 'callback', status: 0, times: 1 },
        { operation: 'callback', duplicate: true, times: 1 },
        { operation: 'callback', delayMs: 150, times: 1 },
      ],
    });
    const dropped = await run({ notificationUrl: r.url });
    await h.waitForStatus(dossierId, dropped, 'accepted');
    assert.ok(
      events.some((e) => e.type === 'callback.suppressed' && e.processId === dropped),
      "events.some((e) => e.type === 'callback.suppressed' && e.processId === dropped)",
    );
    const twice = await run({ notificationUrl: r.url });
    await r.waitFor(2);
    const finishedAt = Date.now();
    const late = await run({ notificationUrl: r.url });
    const received = await r.waitFor(3);
    assert.deepEqual(
      received.map((c) => JSON.parse(c.body).processId),
      [twice, twice, late],
    );
    assert.ok(received[2]!.at - finishedAt >= 140, 'delayed by delayMs');
    assert.deepEqual(
      (await h.call('GET', '/control/faults')).body,
      { rules: [] },
      'every rule used up',
    );
  });

  it('close() stops pending retries', async () => {
    const local = await startHarness({
      processingDelayMs: 0,
      callbackRetryBaseMs: 50,
      callbackMaxRetries: 5,
    });
    let closed = false;
    try {
      const r = await receiver(['error']);
      const d = await local.createDossier();
      await local.startProcess(d, { ...PAPER, notificationUrl: r.url });
      await r.waitFor(1);
      await local.close();
      closed = true;
      await sleep(150); // a negative assertion: no retry after close()
      assert.equal(r.received.length, 1);
    } finally {
      if (!closed) await local.close();
    }
  });
});

describe('Assure emulator: legacyCallbacks false', () => {
  it('never sends notificationUrl callbacks (the spec has no such field)', async () => {
    const events: EmulatorEvent[] = [];
    const h = await startHarness({ legacyCallbacks: false, log: (e) => events.push(e) });
    const r = await startReceiver(['ok']);
    try {
      const d = await h.createDossier();
      const processId = await h.startProcess(d, {
        ...PAPER,
        notificationUrl: r.url,
        authorizationHeader: 'Bearer cb',
      });
      await h.waitForStatus(d, processId, 'accepted');
      await sleep(50); // a negative assertion: give a wrongly sent callback time to arrive
      assert.equal(r.received.length, 0);
      assert.ok(
        !events.some((e) => e.type.startsWith('callback.')),
        "!events.some((e) => e.type.startsWith('callback.'))",
      );
    } finally {
      await h.close();
      await r.close();
    }
  });
});
