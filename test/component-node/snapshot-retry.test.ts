/**
 * What the flow keeps across a reload (component/flow/snapshot.ts) and when it retries a call by itself
 * (component/flow/retry.ts), in Node.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planRetry, READ_RETRIES, UPLOAD_RETRIES } from '../../component/flow/retry.js';
import { parseSnapshot, snapshotOf } from '../../component/flow/snapshot.js';
import {
  atReview,
  created,
  ENTRIES,
  err,
  Flow,
  PAPER,
  photo,
  read,
  snapshot,
  TIMING,
} from './flow-driver.ts';

describe('snapshot', () => {
  it('is derived from the state: the token and the step, never photos, blob URLs or the issuing country', () => {
    const flow = Flow.boot({ documentType: 'passport' });
    flow.send(
      { type: 'start' },
      { type: 'config-read', config: PAPER },
      { type: 'types-read', entries: ENTRIES },
      { type: 'country-continue', code: 'SE' },
    );
    flow.send({
      type: 'session-created',
      created: created(),
      input: flow.one('create-session').input,
    });
    photo(flow, 'front');
    photo(flow, 'selfie');
    assert.equal(flow.step, 'review');
    assert.equal(
      flow.state.step === 'review' && flow.state.work.session.input?.documentCountry,
      'SE',
      'kept in memory only',
    );
    const stored = JSON.stringify(snapshotOf(flow.state));
    assert.match(stored, /"session":"tok-1"/);
    assert.doesNotMatch(stored, /blob:|jpeg of|SE/);
    assert.deepEqual(snapshotOf(flow.state), {
      v: 1,
      session: 'tok-1',
      mode: 'capture',
      step: 'capture',
      documentType: 'passport',
      images: { required: ['front', 'selfie'], optional: [] },
      uploaded: [],
    });
  });

  it('is written only when it changes', () => {
    const flow = atReview();
    flow.send({ type: 'submit' });
    assert.equal(flow.of('persist').length, 1);
    flow.send({ type: 'upload-progress', side: 'front', fraction: 0.3 });
    assert.deepEqual(flow.of('persist'), []);
  });

  it('marks a session of the host, so it is never replaced after a reload', () => {
    const flow = Flow.boot({ session: 'given' });
    flow.send({ type: 'read-ok', state: read('processing') });
    assert.equal(snapshotOf(flow.state)?.origin, 'host');
    const again = Flow.boot({}, snapshotOf(flow.state)!);
    again.send({ type: 'read-failed', error: err('session_expired') });
    assert.deepEqual(again.emitted('restart-requested'), [
      { reason: 'session_expired', session: 'given' },
    ]);
  });

  it('reads back only what this version wrote', () => {
    const good = snapshot({
      uploaded: ['front'],
      initial: 'first',
      consentRequired: true,
      origin: 'host',
    });
    assert.deepEqual(parseSnapshot(JSON.parse(JSON.stringify(good))), good);
    for (const bad of [
      null,
      'x',
      {},
      { ...good, v: 2 },
      { ...good, session: '' },
      { ...good, mode: 'other' },
      { ...good, step: 'intro' },
    ]) {
      assert.equal(parseSnapshot(bad), undefined, JSON.stringify(bad));
    }
    const odd = parseSnapshot({
      ...good,
      uploaded: ['front', 'spine'],
      images: { required: 'front' },
      origin: 'elsewhere',
      documentType: 7,
    });
    assert.deepEqual(odd, {
      v: 1,
      session: 'stored-1',
      mode: 'capture',
      step: 'capture',
      uploaded: [],
      initial: 'first',
      consentRequired: true,
    });
  });
});

describe('planRetry', () => {
  it('backs off 1, 2, 4 s on transient failures, three times for uploads and never for reads', () => {
    let tries = { transient: 0, limited: 0 };
    const waits: number[] = [];
    for (;;) {
      const next = planRetry(err('network'), tries, UPLOAD_RETRIES, TIMING);
      if (!next) break;
      waits.push(next.wait.waitMs);
      tries = next.tries;
    }
    assert.deepEqual(waits, [1000, 2000, 4000]);
    assert.equal(
      planRetry(err('server_error'), { transient: 0, limited: 0 }, READ_RETRIES, TIMING),
      undefined,
    );
  });

  it('waits Retry-After (capped, or the default when unreadable) twice for a 429', () => {
    const none = { transient: 0, limited: 0 };
    assert.equal(
      planRetry(err('rate_limited', { retryAfterMs: 2500 }), none, READ_RETRIES, TIMING)?.wait
        .waitMs,
      2500,
    );
    assert.equal(
      planRetry(err('rate_limited', { retryAfterMs: 9e9 }), none, READ_RETRIES, TIMING)?.wait
        .waitMs,
      60_000,
    );
    assert.equal(planRetry(err('rate_limited'), none, READ_RETRIES, TIMING)?.wait.waitMs, 5000);
    assert.equal(
      planRetry(err('rate_limited'), { transient: 0, limited: 2 }, UPLOAD_RETRIES, TIMING),
      undefined,
    );
    assert.deepEqual(
      planRetry(err('rate_limited'), { transient: 3, limited: 1 }, UPLOAD_RETRIES, TIMING)?.tries,
      { transient: 3, limited: 2 },
    );
  });

  it('never retries what cannot succeed', () => {
    for (const code of ['session_expired', 'upload_rejected', 'invalid_config'] as const) {
      assert.equal(
        planRetry(err(code), { transient: 0, limited: 0 }, UPLOAD_RETRIES, TIMING),
        undefined,
        code,
      );
    }
  });
});
