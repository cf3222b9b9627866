/**
 * The element's flow machine (component/flow/machine.ts), transition by transition, in Node with no DOM.
 * The last test explores the machine from every state these tests reached with every kind of event, and
 * fails on any transition that no test took.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cameraOf, isBusy, reduce, watchOf } from '../../component/flow/machine.js';
import { snapshotOf } from '../../component/flow/snapshot.js';
import type { FlowEvent, FlowState } from '../../component/flow/types.js';
import {
  atFront,
  atReview,
  cfg,
  created,
  ENTRIES,
  err,
  Flow,
  image,
  input,
  PAPER,
  photo,
  PLAIN,
  reached,
  read,
  snapshot,
  taken,
  transitionKey,
} from './flow-driver.ts';

describe('boot', () => {
  it('shows the intro when there is nothing to resume, and asks the proxy nothing', () => {
    const flow = Flow.boot();
    assert.equal(flow.step, 'intro');
    assert.deepEqual(flow.calls, []);
    assert.equal(flow.saved(), undefined, 'nothing written');
  });

  it('reads a stored session back, keeping the snapshot meanwhile', () => {
    const stored = snapshot();
    const flow = Flow.boot({}, stored);
    assert.equal(flow.step, 'loading');
    assert.deepEqual(flow.one('read-session'), { type: 'read-session', token: 'stored-1' });
    assert.deepEqual(snapshotOf(flow.state), stored);
    assert.equal(isBusy(flow.state), true);
  });

  it('reads the session attribute as a session of the host', () => {
    const flow = Flow.boot({ session: 'given' });
    assert.deepEqual(flow.one('read-session'), { type: 'read-session', token: 'given' });
    assert.equal(flow.state.step === 'loading' && flow.state.origin, 'host');
  });

  it('reads the refreshed token of a stored session that started as the session attribute', () => {
    const stored = snapshot({ session: 'given.r2', initial: 'given', origin: 'host' });
    const flow = Flow.boot({ session: 'given' }, stored);
    assert.deepEqual(flow.one('read-session'), { type: 'read-session', token: 'given.r2' });
  });

  it('ignores a stored session that is not the session attribute', () => {
    const flow = Flow.boot({ session: 'other' }, snapshot());
    assert.deepEqual(flow.one('read-session'), { type: 'read-session', token: 'other' });
    assert.equal(flow.state.step === 'loading' && flow.state.stored, undefined);
  });

  it('hands the hosted flow’s return parameters to the proxy (redirect mode)', () => {
    const params = { dossierId: 'd1', processId: 'p1', status: 'success' };
    const flow = Flow.boot(
      { mode: 'redirect' },
      snapshot({ mode: 'redirect', step: 'redirect' }),
      params,
    );
    assert.deepEqual(flow.one('return'), { type: 'return', token: 'stored-1', params });
  });

  it('takes a lone `status` as a return only when this page sent the user away', () => {
    const away = Flow.boot({ mode: 'redirect' }, snapshot({ mode: 'redirect', step: 'redirect' }), {
      status: 'canceled',
    });
    assert.deepEqual(away.one('return').params, { status: 'canceled' });
    const page = Flow.boot({ mode: 'redirect' }, undefined, { status: 'old' });
    assert.equal(page.step, 'intro');
    assert.deepEqual(page.calls, []);
  });

  it('returns with the session attribute (and its refreshed token when stored)', () => {
    const params = { dossierId: 'd', processId: 'p', status: 'success' };
    const flow = Flow.boot({ mode: 'redirect', session: 'mine' }, undefined, params);
    assert.deepEqual(flow.one('return'), { type: 'return', token: 'mine', params });
    const stored = snapshot({
      mode: 'redirect',
      step: 'redirect',
      session: 'mine.r1',
      initial: 'mine',
      origin: 'host',
    });
    assert.equal(
      Flow.boot({ mode: 'redirect', session: 'mine' }, stored, params).one('return').token,
      'mine.r1',
    );
  });

  it('ignores return parameters outside redirect mode', () => {
    const flow = Flow.boot({}, undefined, { dossierId: 'd', processId: 'p', status: 'x' });
    assert.equal(flow.step, 'intro');
  });

  it('starts over on a new boot (endpoint, mode or session changed): aborts and drops the photos', () => {
    const flow = atFront();
    const shot = image('front');
    flow.send(
      { type: 'use-picker' },
      { type: 'file-chosen', file: shot.blob },
      { type: 'image-ready', side: 'front', image: shot },
    );
    flow.send({ type: 'boot', cfg: cfg() });
    assert.equal(flow.step, 'intro');
    assert.deepEqual(flow.effects.slice(-2), [
      { type: 'abort' },
      { type: 'release', images: [shot] },
    ]);
    assert.deepEqual(flow.of('persist'), [{ type: 'persist', snapshot: null }]);
  });
});

describe('resume', () => {
  it('shows a final session’s outcome and fires status, then complete once', () => {
    const flow = Flow.boot({}, snapshot({ step: 'waiting' }));
    flow.send({ type: 'read-ok', state: read('rejected') });
    assert.equal(flow.step, 'outcome');
    assert.deepEqual(flow.emitted('status'), [{ status: 'rejected', final: true }]);
    assert.deepEqual(flow.emitted('complete'), [{ status: 'rejected', session: 'stored-1' }]);
    assert.equal(flow.saved()?.step, 'outcome');
  });

  it('follows a processing session (the status stream)', () => {
    const flow = Flow.boot({}, snapshot({ step: 'capture' }));
    flow.send({ type: 'read-ok', state: read('processing') });
    assert.equal(flow.step, 'waiting');
    assert.deepEqual(flow.of('watch'), [{ type: 'watch', token: 'stored-1' }]);
    assert.equal(watchOf(flow.state), 'stored-1');
  });

  it('keeps waiting for a pending session stored as waiting', () => {
    const flow = Flow.boot({}, snapshot({ step: 'waiting' }));
    flow.send({ type: 'read-ok', state: read('pending') });
    assert.equal(flow.step, 'waiting');
  });

  it('goes back to the first side the proxy does not hold (photos are never stored)', () => {
    const stored = snapshot({
      documentType: 'identityCard',
      images: { required: ['front', 'back', 'selfie'], optional: [] },
      uploaded: ['front'],
    });
    const flow = Flow.boot({}, stored);
    flow.send({
      type: 'read-ok',
      state: read('pending', {
        images: {
          required: ['front', 'back', 'selfie'],
          optional: [],
          uploaded: ['front', 'back'],
        },
      }),
    });
    assert.equal(flow.state.step === 'capture' && flow.state.side, 'selfie');
    assert.deepEqual(flow.one('load-kit'), { type: 'load-kit', required: true });
  });

  it('submits when the proxy already holds every side', () => {
    const flow = Flow.boot({}, snapshot({ step: 'upload', uploaded: ['front', 'selfie'] }));
    flow.send({ type: 'read-ok', state: read('pending') });
    assert.equal(flow.step, 'upload');
    assert.deepEqual(flow.one('submit'), { type: 'submit', token: 'stored-1' });
  });

  it('asks the provider’s consent again when nothing was uploaded before the reload', () => {
    const flow = Flow.boot({}, snapshot({ consentRequired: true }));
    flow.send({ type: 'read-ok', state: read('pending') });
    assert.equal(flow.step, 'consent');
  });

  it('shows the intro for a pending session attribute, then captures into it on Start', () => {
    const flow = Flow.boot({ session: 'given' });
    flow.send({ type: 'read-ok', state: read('pending', { documentType: 'passport' }) });
    assert.equal(flow.step, 'intro');
    assert.equal(flow.saved(), undefined);
    flow.send({ type: 'start' });
    assert.equal(flow.state.step === 'capture' && flow.state.side, 'front');
    assert.deepEqual(flow.calls, [], 'no second session');
    assert.equal(flow.saved()?.origin, 'host');
  });

  it('waits for the host page with a provider-sdk session attribute', () => {
    const flow = Flow.boot({ mode: 'provider-sdk', session: 'given' });
    flow.send({ type: 'read-ok', state: read('pending') });
    assert.equal(flow.step, 'provider');
  });

  it('starts afresh when a redirect session comes back without parameters, still pending', () => {
    const flow = Flow.boot({ mode: 'redirect' }, snapshot({ mode: 'redirect', step: 'redirect' }));
    assert.deepEqual(flow.one('read-session'), { type: 'read-session', token: 'stored-1' });
    flow.send({ type: 'read-ok', state: read('pending') });
    assert.equal(flow.step, 'intro');
    assert.equal(flow.saved(), null, 'the snapshot is dropped');
  });

  it('follows a redirect session that came back without parameters but is processing', () => {
    const flow = Flow.boot({ mode: 'redirect' }, snapshot({ mode: 'redirect', step: 'redirect' }));
    flow.send({ type: 'read-ok', state: read('processing') });
    assert.equal(flow.step, 'waiting');
  });

  it('checks a return, cleans the address bar and waits', () => {
    const flow = Flow.boot({ mode: 'redirect' }, snapshot({ mode: 'redirect', step: 'redirect' }), {
      dossierId: 'd',
      processId: 'p',
      status: 'x',
    });
    flow.send({ type: 'read-ok', state: read('pending') });
    assert.equal(flow.step, 'waiting');
    assert.deepEqual(flow.of('clean-address'), [{ type: 'clean-address' }]);
  });

  it('shows a canceled return as the outcome with complete', () => {
    const flow = Flow.boot({ mode: 'redirect', session: 'mine' }, undefined, {
      status: 'canceled',
      dossierId: 'd',
    });
    flow.send({ type: 'read-ok', state: read('canceled') });
    assert.equal(flow.state.step === 'outcome' && flow.state.status, 'canceled');
    assert.deepEqual(flow.emitted('complete'), [{ status: 'canceled', session: 'mine' }]);
  });

  it('reports a return of another session, and cleans the address bar', () => {
    const flow = Flow.boot({ mode: 'redirect', session: 'mine' }, undefined, {
      dossierId: 'x',
      processId: 'y',
      status: 'success',
    });
    flow.send({ type: 'read-failed', error: err('redirect_mismatch') });
    assert.equal(flow.step, 'error');
    assert.deepEqual(flow.of('clean-address'), [{ type: 'clean-address' }]);
    assert.deepEqual(flow.emitted('error'), [
      { code: 'redirect_mismatch', message: 'redirect_mismatch happened', recoverable: false },
    ]);
  });

  it('starts afresh, quietly, when the stored token is unknown (expired, tampered)', () => {
    const flow = Flow.boot({}, snapshot());
    flow.send({ type: 'read-failed', error: err('session_expired') });
    assert.equal(flow.step, 'intro');
    assert.equal(flow.saved(), null);
    assert.deepEqual(flow.emitted('error'), [], 'nothing to report');
  });

  it('asks the host for a new session when its session attribute has expired, and never makes one itself', () => {
    const flow = Flow.boot({ session: 'gone' });
    flow.send({ type: 'read-failed', error: err('session_expired') });
    assert.equal(flow.state.step === 'error' && flow.state.hostRestart, true);
    assert.deepEqual(flow.emitted('error'), [
      { code: 'session_expired', message: 'session_expired happened', recoverable: false },
    ]);
    assert.deepEqual(flow.emitted('restart-requested'), [
      { reason: 'session_expired', session: 'gone' },
    ]);
    flow.send({ type: 'error-action' });
    assert.equal(flow.step, 'error');
    assert.deepEqual(flow.calls, []);
  });

  it('offers to read the session again after a network failure (recoverable)', () => {
    const flow = Flow.boot({}, snapshot({ step: 'waiting' }));
    flow.send({ type: 'read-failed', error: err('network') });
    assert.equal(flow.state.step === 'error' && flow.state.recoverable, true);
    assert.deepEqual(
      flow.emitted('error').map((e) => e.recoverable),
      [true],
    );
    assert.deepEqual(
      flow.saved(),
      snapshot({ step: 'waiting' }),
      'the stored snapshot stays for a reload',
    );
    flow.send({ type: 'error-action' });
    assert.deepEqual(flow.one('read-session'), { type: 'read-session', token: 'stored-1' });
    flow.send({ type: 'read-ok', state: read('processing') });
    assert.equal(flow.step, 'waiting');
  });

  it('waits what Retry-After asks (capped) before reading again, twice, then reports rate_limited', () => {
    const flow = Flow.boot({}, snapshot({ step: 'waiting' }));
    flow.send({ type: 'read-failed', error: err('rate_limited', { retryAfterMs: 7000 }) });
    assert.deepEqual(flow.one('retry-in'), { type: 'retry-in', ms: 7000 });
    assert.deepEqual(flow.state.wait, { reason: 'rate_limited', attempt: 1, of: 2, waitMs: 7000 });
    assert.deepEqual(flow.one('announce').message, { key: 'busyRetrying', seconds: 7 });
    flow.send({ type: 'retry-due' });
    assert.equal(flow.state.wait, undefined);
    assert.deepEqual(flow.one('read-session'), { type: 'read-session', token: 'stored-1' });
    flow.send({ type: 'read-failed', error: err('rate_limited', { retryAfterMs: 3_600_000 }) });
    assert.equal(flow.one('retry-in').ms, 60_000, 'an hour is cut to the cap');
    flow.send({ type: 'retry-due' }, { type: 'read-failed', error: err('rate_limited') });
    assert.equal(flow.step, 'error');
    assert.deepEqual(
      flow.emitted('error').map((e) => [e.code, e.recoverable]),
      [['rate_limited', true]],
    );
  });
});

describe('before the session: intro, issuing country, document type', () => {
  it('reads the config on Start and prefetches the capture chunk', () => {
    const flow = Flow.boot({ provider: 'signicatpaper' });
    flow.send({ type: 'start' });
    assert.deepEqual(flow.calls, [{ type: 'read-config', provider: 'signicatpaper' }]);
    assert.deepEqual(flow.of('load-kit'), [{ type: 'load-kit', required: false }]);
    assert.equal(isBusy(flow.state), true);
    flow.send({ type: 'start' });
    assert.deepEqual(flow.effects, [], 'a second Start while busy does nothing');
  });

  it('asks the issuing country when the provider needs it, preselecting the default', () => {
    const flow = Flow.boot();
    flow.send({ type: 'start' }, { type: 'config-read', config: PAPER });
    assert.deepEqual(flow.calls, [{ type: 'read-document-types' }]);
    flow.send({ type: 'types-read', entries: ENTRIES });
    assert.equal(flow.step, 'country');
    assert.equal(flow.state.step === 'country' && flow.state.country, 'NO');
    assert.deepEqual(flow.one('load-kit'), { type: 'load-kit', required: true });
  });

  it('insists on a country, then offers the kinds issued there', () => {
    const flow = Flow.boot({ language: 'ja' });
    flow.send(
      { type: 'start' },
      { type: 'config-read', config: { ...PAPER, defaultCountry: null } },
      { type: 'types-read', entries: ENTRIES },
    );
    assert.equal(flow.state.step === 'country' && flow.state.country, undefined);
    flow.send({ type: 'country-continue' });
    assert.deepEqual(flow.state.step === 'country' && flow.state.notice, { key: 'countryMissing' });
    assert.deepEqual(flow.one('announce').message, { key: 'countryMissing' });
    flow.send({ type: 'country-continue', code: 'SE' });
    assert.equal(flow.step, 'document');
    assert.deepEqual(flow.state.step === 'document' && flow.state.kinds, [
      'passport',
      'driversLicense',
    ]);
  });

  it('goes back from the document type to the country, keeping the choice', () => {
    const flow = Flow.boot();
    flow.send(
      { type: 'start' },
      { type: 'config-read', config: PAPER },
      { type: 'types-read', entries: ENTRIES },
      { type: 'country-continue', code: 'SE' },
    );
    flow.send({ type: 'change-country' });
    assert.equal(flow.state.step === 'country' && flow.state.country, 'SE');
    flow.send(
      { type: 'country-continue', code: 'NO' },
      { type: 'choose-document', kind: 'identityCard' },
    );
    assert.deepEqual(flow.one('create-session').input, {
      mode: 'capture',
      documentType: 'identityCard',
      documentCountry: 'NO',
    });
  });

  it('offers no way back to a country that was never asked', () => {
    const flow = Flow.boot({ provider: 'fakeprovider' });
    flow.send(
      { type: 'start' },
      { type: 'config-read', config: PLAIN },
      { type: 'types-read', entries: ENTRIES },
    );
    assert.equal(flow.step, 'document');
    assert.deepEqual(flow.send({ type: 'change-country' }), []);
    assert.equal(flow.step, 'document');
  });

  it('creates the session from the country step when the type is preset', () => {
    const flow = Flow.boot({ documentType: 'passport' });
    flow.send(
      { type: 'start' },
      { type: 'config-read', config: PAPER },
      { type: 'types-read', entries: ENTRIES },
      { type: 'country-continue', code: 'SE' },
    );
    assert.equal(flow.step, 'country');
    assert.deepEqual(flow.one('create-session').input, {
      mode: 'capture',
      documentType: 'passport',
      documentCountry: 'SE',
    });
    assert.equal(isBusy(flow.state), true);
  });

  it('skips both choices for a preset passport from anywhere (UNIV)', () => {
    const flow = Flow.boot({ documentType: 'passport', documentCountry: 'UNIV' });
    flow.send({ type: 'start' }, { type: 'config-read', config: PAPER });
    assert.deepEqual(flow.one('create-session').input, {
      mode: 'capture',
      documentType: 'passport',
      documentCountry: 'UNIV',
    });
  });

  it('creates the session at once when no country is needed and the type is preset', () => {
    const flow = Flow.boot({ documentType: 'driversLicense', provider: 'fakeprovider' });
    flow.send({ type: 'start' }, { type: 'config-read', config: PLAIN });
    assert.deepEqual(flow.one('create-session').input, {
      mode: 'capture',
      provider: 'fakeprovider',
      documentType: 'driversLicense',
    });
  });

  it('stops at a refused origin (config or list), naming the setting in the console', () => {
    const refused = err('invalid_config', {
      serverCode: 'origin_not_allowed',
      message: 'add it to ALLOWED_ORIGINS',
    });
    const flow = Flow.boot();
    flow.send({ type: 'start' }, { type: 'config-failed', error: refused });
    assert.equal(flow.step, 'error');
    assert.deepEqual(flow.of('log'), [
      { type: 'log', level: 'warn', message: 'add it to ALLOWED_ORIGINS' },
    ]);
    const list = Flow.boot();
    list.send(
      { type: 'start' },
      { type: 'config-read', config: PAPER },
      { type: 'types-failed', error: refused },
    );
    assert.equal(list.step, 'error');
  });

  it('goes on without the config or the list when the proxy cannot give them', () => {
    const flow = Flow.boot();
    flow.send(
      { type: 'start' },
      { type: 'config-failed', error: err('invalid_config', { serverCode: 'not_found' }) },
    );
    assert.deepEqual(flow.calls, [{ type: 'read-document-types' }]);
    flow.send({ type: 'types-failed', error: err('server_error', { retryable: false }) });
    assert.deepEqual(flow.state.step === 'document' && flow.state.kinds, [
      'passport',
      'identityCard',
      'driversLicense',
      'residencePermit',
    ]);
  });

  it('retries the config and the list after a 429', () => {
    const flow = Flow.boot();
    flow.send(
      { type: 'start' },
      { type: 'config-failed', error: err('rate_limited', { retryAfterMs: 0 }) },
    );
    assert.deepEqual(flow.one('retry-in'), { type: 'retry-in', ms: 0 });
    flow.send({ type: 'retry-due' });
    assert.deepEqual(flow.calls, [{ type: 'read-config' }]);
    flow.send(
      { type: 'config-read', config: PAPER },
      { type: 'types-failed', error: err('rate_limited') },
    );
    assert.equal(flow.one('retry-in').ms, 5000, 'no Retry-After readable: the default wait');
    flow.send({ type: 'retry-due' });
    assert.deepEqual(flow.calls, [{ type: 'read-document-types' }]);
  });

  it('keeps the step with the reason when session creation fails for now, and tries again on the button', () => {
    const flow = Flow.boot({ documentType: 'passport', documentCountry: 'UNIV' });
    flow.send({ type: 'start' }, { type: 'config-read', config: PAPER });
    flow.send({ type: 'create-failed', error: err('rate_limited', { retryAfterMs: 7000 }) });
    assert.equal(flow.step, 'intro');
    assert.deepEqual(flow.state.step === 'intro' && flow.state.notice, {
      key: 'busyTryLater',
      seconds: 7,
    });
    assert.deepEqual(
      flow.emitted('error').map((e) => [e.code, e.recoverable]),
      [['rate_limited', true]],
    );
    assert.deepEqual(flow.of('retry-in'), [], 'creation is not retried by itself');
    flow.send({ type: 'start' });
    assert.deepEqual(flow.calls, [{ type: 'read-config' }]);
  });

  it('shows a failed creation on the document step too', () => {
    const flow = Flow.boot({ provider: 'fakeprovider' });
    flow.send(
      { type: 'start' },
      { type: 'config-read', config: PLAIN },
      { type: 'types-read', entries: ENTRIES },
    );
    flow.send(
      { type: 'choose-document', kind: 'passport' },
      { type: 'create-failed', error: err('network') },
    );
    assert.deepEqual(flow.state.step === 'document' && flow.state.notice, {
      key: 'error',
      code: 'network',
    });
  });

  it('goes to the capture (or the consent) once the session exists, from the country or document step', () => {
    const fromCountry = Flow.boot({ documentType: 'passport' });
    fromCountry.send(
      { type: 'start' },
      { type: 'config-read', config: PAPER },
      { type: 'types-read', entries: ENTRIES },
      { type: 'country-continue', code: 'NO' },
    );
    fromCountry.send({
      type: 'session-created',
      created: created(),
      input: input({ documentCountry: 'NO' }),
    });
    assert.equal(fromCountry.state.step === 'capture' && fromCountry.state.side, 'front');
    const onfido = Flow.boot({ provider: 'fakeprovider' });
    onfido.send(
      { type: 'start' },
      { type: 'config-read', config: PLAIN },
      { type: 'types-read', entries: ENTRIES },
      { type: 'choose-document', kind: 'passport' },
    );
    onfido.send({
      type: 'session-created',
      created: created({ consentRequired: true }),
      input: input(),
    });
    assert.equal(onfido.step, 'consent');
    const both = Flow.boot({ documentType: 'passport' });
    both.send(
      { type: 'start' },
      { type: 'config-read', config: PAPER },
      { type: 'types-read', entries: ENTRIES },
      { type: 'country-continue', code: 'NO' },
    );
    both.send({
      type: 'session-created',
      created: created({ consentRequired: true }),
      input: input(),
    });
    assert.equal(both.step, 'consent');
    const plain = Flow.boot({ provider: 'fakeprovider' });
    plain.send(
      { type: 'start' },
      { type: 'config-read', config: PLAIN },
      { type: 'types-read', entries: ENTRIES },
      { type: 'choose-document', kind: 'passport' },
    );
    plain.send({ type: 'session-created', created: created(), input: input() });
    assert.equal(plain.step, 'capture');
  });

  it('shows a failed creation on the country step, or the error step when refused', () => {
    const start = () => {
      const flow = Flow.boot({ documentType: 'passport' });
      flow.send(
        { type: 'start' },
        { type: 'config-read', config: PAPER },
        { type: 'types-read', entries: ENTRIES },
        { type: 'country-continue', code: 'NO' },
      );
      return flow;
    };
    const busy = start();
    busy.send({ type: 'create-failed', error: err('server_error') });
    assert.deepEqual(busy.state.step === 'country' && [busy.state.pending, busy.state.notice], [
      undefined,
      { key: 'error', code: 'server_error' },
    ]);
    const refused = start();
    refused.send({ type: 'create-failed', error: err('invalid_config') });
    assert.equal(refused.step, 'error');
    const fromDocument = Flow.boot({ provider: 'fakeprovider' });
    fromDocument.send(
      { type: 'start' },
      { type: 'config-read', config: PLAIN },
      { type: 'types-read', entries: ENTRIES },
      { type: 'choose-document', kind: 'passport' },
    );
    fromDocument.send({ type: 'create-failed', error: err('invalid_config') });
    assert.equal(fromDocument.step, 'error');
  });

  it('reports a refused creation as an error', () => {
    const flow = Flow.boot({ mode: 'redirect' });
    flow.send({ type: 'start' }, { type: 'create-failed', error: err('invalid_config') });
    assert.equal(flow.step, 'error');
    assert.deepEqual(
      flow.emitted('error').map((e) => e.recoverable),
      [false],
    );
  });

  it('sends a redirect session’s user to the capture page after storing where the flow stood', () => {
    const flow = Flow.boot({ mode: 'redirect' });
    flow.send({ type: 'start' });
    assert.deepEqual(flow.one('create-session').input, { mode: 'redirect' });
    flow.send({
      type: 'session-created',
      created: created({ mode: 'redirect', captureUrl: 'https://capture.example/x' }),
      input: { mode: 'redirect' },
    });
    assert.equal(flow.step, 'redirecting');
    const types = flow.effects.map((e) => e.type);
    assert.ok(
      types.indexOf('persist') < types.indexOf('navigate'),
      `persist before navigate: ${types}`,
    );
    assert.equal(flow.saved()?.step, 'redirect');
  });

  it('fails a redirect session without a capture URL, and a provider session without a token', () => {
    const redirect = Flow.boot({ mode: 'redirect' });
    redirect.send(
      { type: 'start' },
      {
        type: 'session-created',
        created: created({ mode: 'redirect' }),
        input: { mode: 'redirect' },
      },
    );
    assert.deepEqual(
      redirect.emitted('error').map((e) => e.code),
      ['server_error'],
    );
    const sdk = Flow.boot({ mode: 'provider-sdk' });
    sdk.send(
      { type: 'start' },
      {
        type: 'session-created',
        created: created({ mode: 'provider-sdk' }),
        input: { mode: 'provider-sdk' },
      },
    );
    assert.equal(sdk.step, 'error');
  });

  it('hands the provider token to the host page (provider-sdk mode)', () => {
    const flow = Flow.boot({ mode: 'provider-sdk', provider: 'onfido' });
    flow.send({ type: 'start' });
    const answer = created({ mode: 'provider-sdk', provider: 'onfido', providerToken: 'ptok' });
    flow.send({
      type: 'session-created',
      created: answer,
      input: { mode: 'provider-sdk', provider: 'onfido' },
    });
    assert.equal(flow.step, 'provider');
    assert.deepEqual(flow.emitted('provider-sdk'), [
      { provider: 'onfido', token: 'ptok', session: 'tok-1' },
    ]);
    assert.ok(!JSON.stringify(flow.saved()).includes('ptok'), 'the provider token is never stored');
  });
});

describe('consent', () => {
  it('asks before the first photo, insists on the tick, then captures', () => {
    const flow = atFront({}, { consentRequired: true });
    assert.equal(flow.step, 'consent');
    flow.send({ type: 'consent-continue' });
    assert.deepEqual(flow.state.step === 'consent' && flow.state.notice, { key: 'consentMissing' });
    flow.send({ type: 'consent-toggle', checked: true });
    assert.equal(flow.state.step === 'consent' && flow.state.notice, undefined);
    flow.send({ type: 'consent-toggle', checked: false }, { type: 'consent-continue' });
    assert.equal(flow.step, 'consent');
    flow.send({ type: 'consent-toggle', checked: true }, { type: 'consent-continue' });
    assert.equal(flow.state.step === 'capture' && flow.state.side, 'front');
  });

  it('sends the consent with the first upload only', () => {
    const flow = atFront({}, { consentRequired: true });
    flow.send({ type: 'consent-toggle', checked: true }, { type: 'consent-continue' });
    photo(flow, 'front');
    photo(flow, 'selfie');
    flow.send({ type: 'submit' });
    assert.equal(flow.one('upload').consent, true);
    flow.send({ type: 'uploaded', side: 'front', token: 'tok-1.r1' });
    assert.equal(flow.one('upload').consent, false);
  });
});

describe('capture', () => {
  it('grabs a frame only from a ready camera, then shows the still with the camera off', () => {
    const flow = atFront();
    assert.deepEqual(flow.one('camera'), {
      type: 'camera',
      want: { side: 'front', facing: 'environment' },
    });
    assert.deepEqual(flow.send({ type: 'shutter' }), [], 'not ready yet');
    flow.send({ type: 'camera-ready', side: 'front' });
    assert.equal(flow.state.step === 'capture' && flow.state.cameraReady, true);
    flow.send({ type: 'shutter' });
    assert.deepEqual(flow.effects, [{ type: 'grab-frame', side: 'front' }]);
    const frame = {} as ImageBitmap;
    flow.send({ type: 'frame', side: 'front', frame });
    assert.deepEqual(flow.of('process-image'), [
      { type: 'process-image', side: 'front', source: frame },
    ]);
    assert.deepEqual(flow.one('camera').want, null, 'the camera is off while the photo is made');
    assert.equal(isBusy(flow.state), true);
    const shot = image('front');
    flow.send({ type: 'image-ready', side: 'front', image: shot });
    assert.equal(flow.state.step === 'capture' && flow.state.work.images.front, shot);
    assert.equal(cameraOf(flow.state), null);
  });

  it('ignores a frame that failed, and a frame or photo for another side', () => {
    const flow = atFront();
    flow.send({ type: 'camera-ready', side: 'front' });
    assert.deepEqual(flow.send({ type: 'frame-failed', side: 'front' }), []);
    assert.deepEqual(flow.send({ type: 'frame', side: 'selfie', frame: {} as ImageBitmap }), []);
    const stray = image('selfie');
    assert.deepEqual(flow.send({ type: 'image-ready', side: 'selfie', image: stray }), [
      { type: 'release', images: [stray] },
    ]);
  });

  it('retakes (the camera comes back), and moves on with the same source', () => {
    const flow = atFront();
    const first = image('front');
    flow.send(
      { type: 'use-picker' },
      { type: 'file-chosen', file: first.blob },
      { type: 'image-ready', side: 'front', image: first },
    );
    flow.send({ type: 'retake' });
    assert.deepEqual(flow.effects, [{ type: 'release', images: [first] }]);
    flow.send({ type: 'use-camera' });
    assert.deepEqual(flow.one('camera').want, { side: 'front', facing: 'environment' });
    flow.send({ type: 'use-picker' });
    photo(flow, 'front');
    assert.equal(flow.state.step === 'capture' && flow.state.source, 'picker');
    assert.equal(flow.state.step === 'capture' && flow.state.side, 'selfie');
  });

  it('says so when a file is not a usable photo', () => {
    const flow = atFront();
    flow.send(
      { type: 'use-picker' },
      { type: 'file-chosen', file: new Blob(['text']) },
      { type: 'image-failed', side: 'front' },
    );
    assert.deepEqual(flow.state.step === 'capture' && [flow.state.processing, flow.state.notice], [
      false,
      { key: 'imageUnreadable' },
    ]);
  });

  it('falls back to the file picker for good when the camera is refused', () => {
    const flow = atFront();
    flow.send({ type: 'camera-failed', side: 'front', code: 'camera_denied', message: 'denied' });
    assert.deepEqual(flow.emitted('error'), [
      { code: 'camera_denied', message: 'denied', recoverable: true },
    ]);
    assert.equal(flow.state.step === 'capture' && flow.state.source, 'picker');
    assert.deepEqual(flow.send({ type: 'use-camera' }), [], 'no way back to a refused camera');
    photo(flow, 'front');
    assert.equal(flow.state.step === 'capture' && flow.state.source, 'picker');
    flow.send({ type: 'restart' });
    assert.equal(flow.state.cameraBlocked, true, 'still blocked after a restart');
  });

  it('ignores camera news for another side', () => {
    const flow = atFront();
    assert.deepEqual(flow.send({ type: 'camera-ready', side: 'selfie' }), []);
    assert.deepEqual(
      flow.send({
        type: 'camera-failed',
        side: 'selfie',
        code: 'camera_unavailable',
        message: 'x',
      }),
      [],
    );
  });

  it('reviews every photo, retakes one side from the review, and comes back to the review', () => {
    const flow = atReview({}, { documentType: 'identityCard' });
    assert.equal(flow.step, 'review');
    const back = flow.state.step === 'review' ? flow.state.work.images.back : undefined;
    flow.send({ type: 'retake-side', side: 'back' });
    assert.deepEqual(flow.of('release'), [{ type: 'release', images: [back] }]);
    assert.equal(flow.state.step === 'capture' && flow.state.side, 'back');
    photo(flow, 'back');
    assert.equal(flow.step, 'review');
  });

  it('restarts the camera and re-reads what was pending when the element comes back', () => {
    const flow = atFront();
    flow.send({ type: 'camera-ready', side: 'front' }, { type: 'reconnected' });
    assert.equal(flow.state.step === 'capture' && flow.state.cameraReady, false);
    assert.deepEqual(flow.one('load-kit'), { type: 'load-kit', required: true });
  });

  it('makes sure of the capture chunk when the element comes back on one of its steps', () => {
    const consent = atFront({}, { consentRequired: true });
    consent.send({ type: 'reconnected' });
    assert.deepEqual(consent.effects, [{ type: 'load-kit', required: true }]);
    const review = atReview();
    review.send({ type: 'reconnected' });
    assert.deepEqual(review.effects, [{ type: 'load-kit', required: true }]);
  });

  it('fails on any step of the capture chunk when it cannot load', () => {
    const country = Flow.boot();
    country.send(
      { type: 'start' },
      { type: 'config-read', config: PAPER },
      { type: 'types-read', entries: ENTRIES },
      { type: 'kit-failed' },
    );
    assert.deepEqual(
      country.state.step === 'error' && [country.state.code, country.state.recoverable],
      ['network', false],
    );
    const consent = atFront({}, { consentRequired: true });
    consent.send({ type: 'kit-failed' });
    assert.equal(consent.step, 'error');
    const review = atReview();
    review.send({ type: 'kit-failed' });
    assert.equal(
      review.state.step === 'error' && review.state.images?.front !== undefined,
      true,
      'the photos stay for the retry',
    );
    review.send({ type: 'error-action' }, { type: 'read-ok', state: read('pending') });
    assert.equal(review.step, 'review', 'back to the review with the same photos');
  });

  it('fails when the capture chunk cannot load, keeping the session for a retry', () => {
    const flow = atFront();
    flow.send({ type: 'kit-failed' });
    assert.equal(flow.state.step === 'error' && flow.state.recoverable, true);
    assert.equal(flow.saved()?.step, 'capture');
    assert.deepEqual(
      Flow.boot().send({ type: 'kit-failed' }),
      [],
      'a failed prefetch alone is no error',
    );
  });
});

describe('upload', () => {
  it('uploads each photo, adopts refreshed tokens, submits and waits', () => {
    const flow = atReview();
    flow.send({ type: 'submit' });
    assert.equal(flow.step, 'upload');
    assert.deepEqual(flow.one('announce').message, { key: 'uploadHeading' });
    assert.equal(flow.one('upload').side, 'front');
    assert.equal(flow.saved()?.step, 'upload');
    flow.send({ type: 'upload-progress', side: 'front', fraction: 0.5 });
    assert.deepEqual(flow.state.step === 'upload' && flow.state.progress, { front: 0.5 });
    flow.send({ type: 'uploaded', side: 'front', token: 'tok-1.r1' });
    assert.deepEqual([flow.one('upload').side, flow.one('upload').token], ['selfie', 'tok-1.r1']);
    assert.deepEqual(
      [flow.saved()?.session, flow.saved()?.initial, flow.saved()?.uploaded],
      ['tok-1.r1', 'tok-1', ['front']],
    );
    flow.send({ type: 'uploaded', side: 'selfie' });
    assert.deepEqual(flow.one('submit'), { type: 'submit', token: 'tok-1.r1' });
    flow.send({ type: 'submitted', status: 'processing' });
    assert.equal(flow.step, 'waiting');
    assert.equal(flow.one('release').images.length, 2, 'the proxy has the photos: drop them');
    assert.deepEqual(flow.one('watch'), { type: 'watch', token: 'tok-1.r1' });
    assert.deepEqual(flow.emitted('status'), [{ status: 'processing', final: false }]);
  });

  it('shows the outcome at once when submit answers a final status', () => {
    const flow = atReview();
    flow.send(
      { type: 'submit' },
      { type: 'uploaded', side: 'front' },
      { type: 'uploaded', side: 'selfie' },
    );
    flow.send({ type: 'submitted', status: 'accepted' });
    assert.equal(flow.step, 'outcome');
    assert.deepEqual(flow.emitted('complete'), [{ status: 'accepted', session: 'tok-1' }]);
    assert.equal(flow.one('release').images.length, 2, 'released once');
  });

  it('retries network failures after 1, 2 and 4 s, then offers a retry button; the photos stay', () => {
    const flow = atReview();
    flow.send({ type: 'submit' });
    const waits: number[] = [];
    for (let i = 1; i <= 3; i++) {
      flow.send({ type: 'upload-failed', side: 'front', error: err('network') });
      assert.deepEqual(flow.state.step === 'upload' && [flow.state.phase, flow.state.attempt], [
        'retrying',
        i,
      ]);
      assert.deepEqual(flow.one('announce').message, { key: 'uploadRetrying', attempt: i, of: 3 });
      waits.push(flow.one('retry-in').ms);
      flow.send({ type: 'retry-due' });
      assert.equal(flow.one('upload').side, 'front');
      assert.equal(flow.state.step === 'upload' && flow.state.phase, 'running');
    }
    assert.deepEqual(waits, [1000, 2000, 4000]);
    flow.send({ type: 'upload-failed', side: 'front', error: err('network') });
    assert.equal(flow.state.step === 'upload' && flow.state.phase, 'failed');
    assert.deepEqual(flow.emitted('error'), [
      { code: 'network', message: 'network happened', recoverable: true },
    ]);
    assert.deepEqual(flow.send({ type: 'retry-due' }), [], 'nothing runs by itself any more');
    flow.send({ type: 'retry-upload' });
    assert.equal(flow.one('upload').side, 'front');
    flow.send({ type: 'upload-failed', side: 'front', error: err('server_error') });
    assert.equal(flow.one('retry-in').ms, 1000, 'the user’s retry gets fresh automatic retries');
  });

  it('honours Retry-After on uploads and submit (a polite busy line), twice at most', () => {
    const flow = atReview();
    flow.send(
      { type: 'submit' },
      { type: 'uploaded', side: 'front' },
      { type: 'uploaded', side: 'selfie' },
    );
    flow.send({ type: 'submit-failed', error: err('rate_limited', { retryAfterMs: 1000 }) });
    assert.deepEqual(flow.state.wait, { reason: 'rate_limited', attempt: 1, of: 2, waitMs: 1000 });
    assert.equal(
      flow.state.step === 'upload' && flow.state.phase,
      'running',
      'no "connection problem" line for a 429',
    );
    flow.send(
      { type: 'retry-due' },
      { type: 'submit-failed', error: err('rate_limited', { retryAfterMs: 1000 }) },
    );
    flow.send(
      { type: 'retry-due' },
      { type: 'submit-failed', error: err('rate_limited', { retryAfterMs: 1000 }) },
    );
    assert.equal(flow.state.step === 'upload' && flow.state.phase, 'failed');
    assert.deepEqual(
      flow.emitted('error').map((e) => [e.code, e.recoverable]),
      [['rate_limited', true]],
    );
  });

  it('goes back to the capture of a refused photo with the reason, keeping the others', () => {
    const flow = atReview();
    flow.send({ type: 'submit' }, { type: 'uploaded', side: 'front' });
    flow.send({
      type: 'upload-failed',
      side: 'selfie',
      error: err('upload_rejected', { message: 'Too many pixels.' }),
    });
    assert.equal(flow.state.step === 'capture' && flow.state.side, 'selfie');
    assert.deepEqual(flow.state.step === 'capture' && flow.state.notice, {
      key: 'error',
      code: 'upload_rejected',
    });
    assert.deepEqual(flow.emitted('error'), [
      { code: 'upload_rejected', message: 'Too many pixels.', recoverable: true },
    ]);
    photo(flow, 'selfie');
    assert.equal(flow.step, 'review');
  });

  it('asks for consent when the proxy wants it, then sends the photos again from the review', () => {
    const flow = atReview();
    flow.send(
      { type: 'submit' },
      {
        type: 'upload-failed',
        side: 'front',
        error: err('upload_rejected', { serverCode: 'consent_required' }),
      },
    );
    assert.equal(flow.step, 'consent');
    flow.send({ type: 'consent-toggle', checked: true }, { type: 'consent-continue' });
    assert.equal(flow.step, 'review');
    flow.send({ type: 'submit' });
    assert.equal(flow.one('upload').consent, true);
  });

  it('ends on the error step when submit is refused (images missing)', () => {
    const flow = atReview();
    flow.send(
      { type: 'submit' },
      { type: 'uploaded', side: 'front' },
      { type: 'uploaded', side: 'selfie' },
    );
    flow.send({
      type: 'submit-failed',
      error: err('upload_rejected', { serverCode: 'images_missing' }),
    });
    assert.deepEqual(flow.state.step === 'error' && [flow.state.code, flow.state.recoverable], [
      'upload_rejected',
      false,
    ]);
    assert.equal(flow.saved(), null);
    flow.send({ type: 'error-action' });
    assert.equal(flow.step, 'intro');
  });

  it('resends the upload in flight when the element comes back', () => {
    const flow = atReview();
    flow.send({ type: 'submit' }, { type: 'reconnected' });
    assert.equal(flow.one('upload').side, 'front');
    flow.send(
      { type: 'upload-failed', side: 'front', error: err('network') },
      { type: 'reconnected' },
    );
    assert.equal(flow.state.step === 'upload' && flow.state.phase, 'running');
  });

  it('offers no automatic retry after the retries are used up, even when the element comes back', () => {
    const flow = atReview();
    flow.send({ type: 'submit' });
    for (let i = 0; i < 4; i++)
      flow.send(
        { type: 'upload-failed', side: 'front', error: err('network') },
        { type: 'retry-due' },
      );
    assert.equal(flow.state.step === 'upload' && flow.state.phase, 'failed');
    assert.deepEqual(flow.send({ type: 'reconnected' }), []);
  });
});

describe('session recovery', () => {
  it('replaces an expired session this page created and sends the photos it holds, without asking', () => {
    const flow = atReview({ documentCountry: 'SE' }, { consentRequired: true });
    // consentRequired sends the flow through consent first
    assert.equal(flow.step, 'consent');
    flow.send({ type: 'consent-toggle', checked: true }, { type: 'consent-continue' });
    photo(flow, 'front');
    photo(flow, 'selfie');
    flow.send({ type: 'submit' }, { type: 'uploaded', side: 'front', token: 'tok-1.r1' });
    flow.send({ type: 'upload-failed', side: 'selfie', error: err('session_expired') });
    assert.equal(flow.step, 'upload');
    assert.deepEqual(flow.one('create-session').input, {
      mode: 'capture',
      provider: 'fakeprovider',
      documentType: 'passport',
    });
    assert.deepEqual(flow.emitted('error'), [], 'nothing to trouble the user or the host with');
    flow.send({
      type: 'session-created',
      created: created({ session: 'tok-2', consentRequired: true }),
      input: input(),
    });
    assert.deepEqual(flow.one('upload'), {
      type: 'upload',
      token: 'tok-2',
      side: 'front',
      image: flow.one('upload').image,
      consent: true,
    });
    flow.send({ type: 'uploaded', side: 'front' }, { type: 'uploaded', side: 'selfie' });
    assert.deepEqual(flow.one('submit'), { type: 'submit', token: 'tok-2' });
    assert.equal(flow.saved()?.session, 'tok-2');
  });

  it('replaces a session unknown at submit', () => {
    const flow = atReview();
    flow.send(
      { type: 'submit' },
      { type: 'uploaded', side: 'front' },
      { type: 'uploaded', side: 'selfie' },
    );
    flow.send({ type: 'submit-failed', error: err('session_expired') });
    flow.send({ type: 'session-created', created: created({ session: 'tok-2' }), input: input() });
    assert.equal(flow.one('upload').token, 'tok-2');
  });

  it('asks for consent when only the new session needs it', () => {
    const flow = atReview();
    flow.send(
      { type: 'submit' },
      { type: 'upload-failed', side: 'front', error: err('session_expired') },
    );
    flow.send({
      type: 'session-created',
      created: created({ session: 'tok-2', consentRequired: true }),
      input: input(),
    });
    assert.equal(flow.step, 'consent');
  });

  it('retries the replacement like an upload, and reports a second expiry', () => {
    const flow = atReview();
    flow.send(
      { type: 'submit' },
      { type: 'upload-failed', side: 'front', error: err('session_expired') },
    );
    flow.send({ type: 'create-failed', error: err('network') });
    assert.equal(flow.one('retry-in').ms, 1000);
    flow.send({ type: 'retry-due' });
    assert.equal(flow.one('create-session').input.documentType, 'passport');
    for (let i = 0; i < 3; i++)
      flow.send({ type: 'create-failed', error: err('network') }, { type: 'retry-due' });
    assert.equal(flow.state.step === 'upload' && flow.state.phase, 'failed');
    flow.send({ type: 'reconnected' });
    flow.send({ type: 'retry-upload' });
    assert.equal(flow.one('create-session').input.mode, 'capture');
    flow.send({ type: 'session-created', created: created({ session: 'tok-2' }), input: input() });
    flow.send({ type: 'upload-failed', side: 'front', error: err('session_expired') });
    assert.deepEqual(
      flow.state.step === 'error' && [
        flow.state.code,
        flow.state.recoverable,
        flow.state.hostRestart,
      ],
      ['session_expired', false, undefined],
    );
  });

  it('recreates after an element reconnect while the replacement was in flight', () => {
    const flow = atReview();
    flow.send(
      { type: 'submit' },
      { type: 'upload-failed', side: 'front', error: err('session_expired') },
      { type: 'reconnected' },
    );
    assert.equal(flow.one('create-session').input.documentType, 'passport');
  });

  it('reports a refused replacement', () => {
    const flow = atReview();
    flow.send(
      { type: 'submit' },
      { type: 'upload-failed', side: 'front', error: err('session_expired') },
    );
    flow.send({ type: 'create-failed', error: err('invalid_config') });
    assert.equal(flow.step, 'error');
  });

  it('reports the expiry of a session resumed after a reload (its photos and settings are gone)', () => {
    const flow = Flow.boot({}, snapshot());
    flow.send({ type: 'read-ok', state: read('pending') });
    photo(flow, 'front');
    photo(flow, 'selfie');
    flow.send(
      { type: 'submit' },
      { type: 'upload-failed', side: 'front', error: err('session_expired') },
    );
    assert.deepEqual(flow.state.step === 'error' && flow.state.recoverable, false);
    assert.equal(flow.saved(), null);
  });

  it('never replaces a session of the host: it asks the host for one', () => {
    const flow = Flow.boot({ session: 'given' });
    flow.send(
      { type: 'read-ok', state: read('pending', { documentType: 'passport' }) },
      { type: 'start' },
    );
    photo(flow, 'front');
    photo(flow, 'selfie');
    flow.send(
      { type: 'submit' },
      { type: 'upload-failed', side: 'front', error: err('session_expired') },
    );
    assert.deepEqual(
      flow.calls.filter((c) => c.type === 'create-session'),
      [],
    );
    assert.deepEqual(flow.emitted('restart-requested'), [
      { reason: 'session_expired', session: 'given' },
    ]);
    assert.equal(flow.state.step === 'error' && flow.state.hostRestart, true);
  });
});

describe('waiting and the outcome', () => {
  function waiting(): Flow {
    const flow = Flow.boot({}, snapshot({ step: 'waiting' }));
    flow.send({ type: 'read-ok', state: read('processing') });
    return flow;
  }

  it('reports each status change once and stops at the final one, firing complete once', () => {
    const flow = waiting();
    assert.deepEqual(
      flow.send({ type: 'status', status: 'processing', final: false }),
      [],
      'no change, no event',
    );
    flow.send({ type: 'status', status: 'accepted', final: true });
    assert.equal(flow.step, 'outcome');
    assert.deepEqual(flow.one('watch'), { type: 'watch', token: null });
    assert.deepEqual(
      flow.send({ type: 'status', status: 'accepted', final: true }),
      [],
      'a late status changes nothing',
    );
    assert.deepEqual(flow.emitted('complete'), [{ status: 'accepted', session: 'stored-1' }]);
    assert.deepEqual(
      flow.emitted('status').map((s) => s.status),
      ['processing', 'accepted'],
    );
  });

  it('fires complete once per session and page, even when the flow boots again into the same outcome', () => {
    const flow = waiting();
    flow.send({ type: 'status', status: 'rejected', final: true });
    flow.send({ type: 'boot', cfg: cfg(), stored: snapshot({ step: 'outcome' }) }); // e.g. the endpoint was set again
    flow.send({ type: 'read-ok', state: read('rejected') });
    assert.equal(flow.step, 'outcome');
    assert.equal(flow.emitted('complete').length, 1);
  });

  it('treats a final flag on an unknown status as failed', () => {
    const flow = waiting();
    flow.send({ type: 'status', status: 'processing', final: true });
    assert.equal(flow.state.step === 'outcome' && flow.state.status, 'failed');
  });

  it('reports a session that expires while waiting', () => {
    const flow = waiting();
    flow.send({ type: 'status-failed', error: err('session_expired') });
    assert.deepEqual(flow.state.step === 'error' && [flow.state.code, flow.state.recoverable], [
      'session_expired',
      false,
    ]);
    assert.equal(flow.saved(), null);
    assert.deepEqual(flow.one('watch'), { type: 'watch', token: null });
  });

  it('follows the status again when the element comes back', () => {
    const flow = waiting();
    flow.send({ type: 'reconnected' });
    assert.deepEqual(flow.one('watch'), { type: 'watch', token: 'stored-1' });
  });

  it('starts a new verification from the outcome (Try again)', () => {
    const flow = waiting();
    flow.send({ type: 'status', status: 'rejected', final: true }, { type: 'restart' });
    assert.equal(flow.step, 'intro');
    assert.equal(flow.saved(), null);
    assert.equal(flow.state.completed, undefined);
  });
});

describe('provider-sdk', () => {
  function atProvider(): Flow {
    const flow = Flow.boot({ mode: 'provider-sdk' });
    flow.send(
      { type: 'start' },
      {
        type: 'session-created',
        created: created({ mode: 'provider-sdk', providerToken: 'p' }),
        input: { mode: 'provider-sdk' },
      },
    );
    return flow;
  }

  it('submits when the host reports the capture complete, once', () => {
    const flow = atProvider();
    flow.send({ type: 'provider-complete' });
    assert.deepEqual(flow.one('submit'), { type: 'submit', token: 'tok-1' });
    assert.deepEqual(flow.send({ type: 'provider-complete' }), [], 'already submitting');
    flow.send({ type: 'submitted', status: 'processing' });
    assert.equal(flow.step, 'waiting');
  });

  it('shows a final answer to submit at once', () => {
    const flow = atProvider();
    flow.send({ type: 'provider-complete' }, { type: 'submitted', status: 'inconclusive' });
    assert.equal(flow.step, 'outcome');
  });

  it('retries submit on 429, then offers to read the same session again', () => {
    const flow = atProvider();
    flow.send({ type: 'provider-complete' });
    for (let i = 0; i < 2; i++)
      flow.send(
        { type: 'submit-failed', error: err('rate_limited', { retryAfterMs: 0 }) },
        { type: 'retry-due' },
      );
    flow.send({ type: 'submit-failed', error: err('rate_limited', { retryAfterMs: 0 }) });
    assert.deepEqual(
      flow.emitted('error').map((e) => [e.code, e.recoverable]),
      [['rate_limited', true]],
    );
    flow.send({ type: 'error-action' });
    assert.deepEqual(flow.one('read-session'), { type: 'read-session', token: 'tok-1' });
    flow.send({ type: 'read-ok', state: read('pending') });
    assert.equal(flow.step, 'intro', 'a pending provider session without its token cannot go on');
  });

  it('resubmits when the element comes back while submitting', () => {
    const flow = atProvider();
    flow.send({ type: 'provider-complete' }, { type: 'reconnected' });
    assert.deepEqual(flow.one('submit'), { type: 'submit', token: 'tok-1' });
  });

  it('reports providerCaptureFailed() as provider_failed, dropping the session', () => {
    const flow = atProvider();
    flow.send({ type: 'provider-failed', reason: 'User closed the SDK' });
    assert.deepEqual(flow.emitted('error'), [
      { code: 'provider_failed', message: 'User closed the SDK', recoverable: false },
    ]);
    assert.equal(flow.saved(), null);
    assert.deepEqual(
      Flow.boot().send({ type: 'provider-failed' }),
      [],
      'ignored without a provider-sdk session',
    );
  });
});

describe('inputs', () => {
  it('takes new inputs without moving', () => {
    const flow = Flow.boot();
    flow.send({ type: 'configure', cfg: cfg({ documentType: 'passport' }) });
    assert.deepEqual(flow.effects, []);
    assert.equal(flow.state.cfg.documentType, 'passport');
  });

  it('drops a pending creation (not reads) when the element comes back', () => {
    const reading = Flow.boot();
    reading.send({ type: 'start' }, { type: 'reconnected' });
    assert.deepEqual(reading.calls, [{ type: 'read-config' }]);
    reading.send({ type: 'config-read', config: PAPER }, { type: 'reconnected' });
    assert.deepEqual(reading.calls, [{ type: 'read-document-types' }]);
    const creating = Flow.boot({ mode: 'redirect' });
    creating.send({ type: 'start' }, { type: 'reconnected' });
    assert.deepEqual(creating.calls, []);
    assert.equal(isBusy(creating.state), false);
    const country = Flow.boot({ documentType: 'passport' });
    country.send(
      { type: 'start' },
      { type: 'config-read', config: PAPER },
      { type: 'types-read', entries: ENTRIES },
    );
    country.send({ type: 'country-continue', code: 'NO' }, { type: 'reconnected' });
    assert.deepEqual([country.step, isBusy(country.state), country.calls], ['country', false, []]);
    const document = Flow.boot({ provider: 'fakeprovider' });
    document.send(
      { type: 'start' },
      { type: 'config-read', config: PLAIN },
      { type: 'types-read', entries: ENTRIES },
    );
    document.send({ type: 'choose-document', kind: 'passport' }, { type: 'reconnected' });
    assert.deepEqual(
      [document.step, isBusy(document.state), document.calls],
      ['document', false, []],
    );
    const loading = Flow.boot({ session: 'given' });
    loading.send({ type: 'reconnected' });
    assert.deepEqual(loading.calls, [{ type: 'read-session', token: 'given' }]);
  });
});

// ---- every transition, taken by some test above ----

/** One event of every kind, shaped for the state. */
function probes(s: FlowState): FlowEvent[] {
  const side = s.step === 'capture' ? s.side : 'front';
  const mode = s.cfg.mode;
  const answer = created({ mode, captureUrl: 'https://c.example/', providerToken: 'p' });
  const errors = [
    err('network'),
    err('rate_limited'),
    err('session_expired'),
    err('upload_rejected'),
    err('upload_rejected', { serverCode: 'consent_required' }),
    err('invalid_config'),
    err('invalid_config', { serverCode: 'origin_not_allowed' }),
  ];
  return [
    { type: 'start' },
    { type: 'country-continue' },
    { type: 'country-continue', code: 'NO' },
    { type: 'change-country' },
    { type: 'choose-document', kind: 'passport' },
    { type: 'consent-toggle', checked: true },
    { type: 'consent-toggle', checked: false },
    { type: 'consent-continue' },
    { type: 'shutter' },
    { type: 'file-chosen', file: new Blob(['x']) },
    { type: 'retake' },
    { type: 'accept' },
    { type: 'use-picker' },
    { type: 'use-camera' },
    { type: 'retake-side', side: 'front' },
    { type: 'submit' },
    { type: 'retry-upload' },
    { type: 'error-action' },
    { type: 'restart' },
    { type: 'provider-complete' },
    { type: 'provider-failed', reason: 'x' },
    { type: 'config-read', config: PAPER },
    { type: 'config-read', config: PLAIN },
    { type: 'types-read', entries: ENTRIES },
    { type: 'session-created', created: answer, input: input({ mode }) },
    {
      type: 'session-created',
      created: created({ mode, consentRequired: true }),
      input: input({ mode }),
    },
    { type: 'read-ok', state: read('pending') },
    { type: 'read-ok', state: read('processing') },
    { type: 'read-ok', state: read('accepted') },
    { type: 'camera-ready', side },
    { type: 'camera-failed', side, code: 'camera_denied', message: 'x' },
    { type: 'frame', side, frame: {} as ImageBitmap },
    { type: 'frame-failed', side },
    { type: 'image-ready', side, image: image(side) },
    { type: 'image-failed', side },
    { type: 'upload-progress', side, fraction: 0.5 },
    { type: 'uploaded', side, token: 'refreshed' },
    { type: 'submitted', status: 'processing' },
    { type: 'submitted', status: 'accepted' },
    { type: 'status', status: 'processing', final: false },
    { type: 'status', status: 'accepted', final: true },
    { type: 'retry-due' },
    { type: 'reconnected' },
    { type: 'kit-failed' },
    { type: 'configure', cfg: s.cfg },
    { type: 'boot', cfg: s.cfg },
    ...errors.flatMap((error): FlowEvent[] => [
      { type: 'config-failed', error },
      { type: 'types-failed', error },
      { type: 'create-failed', error },
      { type: 'read-failed', error },
      { type: 'upload-failed', side, error },
      { type: 'submit-failed', error },
      { type: 'status-failed', error },
    ]),
  ];
}

it('takes every transition the machine has, from every state the tests reach', () => {
  const possible = new Set<string>();
  for (const state of reached.slice()) {
    for (const event of probes(state)) {
      const key = transitionKey(state, event, reduce(state, event));
      if (key) possible.add(key);
    }
  }
  const untested = [...possible].filter((key) => !taken.has(key)).sort();
  assert.deepEqual(untested, [], `transitions no test takes:\n${untested.join('\n')}`);
  console.log(
    `# ${taken.size} transitions (from/event→to) taken; ${possible.size} found by exploration`,
  );
});
