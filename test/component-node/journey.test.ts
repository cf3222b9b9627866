/**
 * No dead ends (issue 11): Back on every step before submit, the document choice changed (also after a
 * reload), Cancel that ends the session at the proxy, the live-only selfie, the reload notice, the
 * provider SDK's reason and the step indicator. Pure machine, in Node. The last test explores the new
 * events from every state these tests reached and fails on any transition no test took.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  canCancel,
  canGoBack,
  cameraOf,
  fileAllowed,
  reduce,
} from '../../component/flow/machine.js';
import type { FlowEvent, FlowState } from '../../component/flow/types.js';
import { stepPosition } from '../../component/steps/step-indicator.js';
import {
  atFront,
  atReview,
  created,
  ENTRIES,
  err,
  Flow,
  image,
  PAPER,
  photo,
  PLAIN,
  reached,
  read,
  snapshot,
  taken,
  transitionKey,
} from './flow-driver.ts';

const send = (flow: Flow, ...events: FlowEvent[]) => flow.send(...events);

const capture = (flow: Flow) => (flow.state.step === 'capture' ? flow.state : undefined);

/** A user who chooses the document type (no `document-type` attribute), at the front capture. */
function chosenAtFront(kind: 'passport' | 'identityCard' = 'passport', live = false): Flow {
  const flow = Flow.boot({ provider: 'fakeprovider', ...(live && { allowSelfieUpload: false }) });
  send(
    flow,
    { type: 'start' },
    { type: 'config-read', config: PLAIN },
    { type: 'types-read', entries: [] },
  );
  assert.equal(flow.step, 'document');
  send(flow, { type: 'choose-document', kind });
  const create = flow.one('create-session');
  send(flow, {
    type: 'session-created',
    created: created({ documentType: kind }),
    input: create.input,
  });
  assert.equal(capture(flow)?.side, 'front');
  return flow;
}

describe('back', () => {
  it('goes from the country to the intro, and from the document type to the country or the intro', () => {
    const flow = Flow.boot();
    send(flow, { type: 'start' }, { type: 'config-read', config: PAPER });
    send(flow, { type: 'types-read', entries: ENTRIES });
    assert.equal(flow.step, 'country');
    assert.ok(canGoBack(flow.state));
    send(flow, { type: 'country-continue', code: 'NO' });
    assert.equal(flow.step, 'document');
    send(flow, { type: 'back' });
    assert.equal(flow.step, 'country');
    assert.equal(flow.state.step === 'country' && flow.state.country, 'NO', 'the country is kept');
    send(flow, { type: 'back' });
    assert.equal(flow.step, 'intro');
    assert.equal(canGoBack(flow.state), false, 'the intro is the first step');

    const plain = Flow.boot({ provider: 'fakeprovider' });
    send(
      plain,
      { type: 'start' },
      { type: 'config-read', config: PLAIN },
      { type: 'types-read', entries: [] },
    );
    assert.equal(plain.step, 'document');
    send(plain, { type: 'back' });
    assert.equal(plain.step, 'intro');
  });

  it('ignores Back while the step waits for the proxy', () => {
    const flow = Flow.boot({ provider: 'fakeprovider' });
    send(
      flow,
      { type: 'start' },
      { type: 'config-read', config: PLAIN },
      { type: 'types-read', entries: [] },
    );
    send(flow, { type: 'choose-document', kind: 'passport' });
    assert.equal(canGoBack(flow.state), false);
    assert.deepEqual(send(flow, { type: 'back' }), []);
  });

  it('changes the document choice from the first photo: a new choice, then a new session of the new type', () => {
    const flow = chosenAtFront('passport');
    const shot = image('front');
    send(
      flow,
      { type: 'use-picker' },
      { type: 'file-chosen', file: shot.blob },
      { type: 'image-ready', side: 'front', image: shot },
    );
    send(flow, { type: 'back' });
    assert.equal(flow.step, 'intro');
    assert.equal(
      flow.state.step === 'intro' && flow.state.pending,
      'config',
      'the choice is asked again at once',
    );
    assert.deepEqual(
      flow.of('release'),
      [{ type: 'release', images: [shot] }],
      'the photo is dropped',
    );
    assert.deepEqual(
      flow.of('cancel-session'),
      [],
      'nothing at Signicat: the session just expires',
    );
    assert.equal(flow.saved(), null, 'a reload does not resume the dropped session');
    send(flow, { type: 'config-read', config: PLAIN }, { type: 'types-read', entries: [] });
    assert.equal(flow.step, 'document');
    send(flow, { type: 'choose-document', kind: 'identityCard' });
    assert.equal(flow.one('create-session').input.documentType, 'identityCard');
  });

  it('keeps the preset document type: Back from the first photo shows the intro (Start asks the country again)', () => {
    const flow = atFront();
    send(flow, { type: 'back' });
    assert.equal(flow.step, 'intro');
    assert.equal(flow.state.step === 'intro' && flow.state.pending, undefined);
    assert.equal(flow.state.step === 'intro' && flow.state.session, undefined);
    assert.equal(cameraOf(flow.state), null, 'the camera is off');
  });

  it('keeps a session the integrator’s backend made: Back shows the intro with it', () => {
    const flow = Flow.boot({ session: 'host-1' });
    send(flow, { type: 'read-ok', state: read('pending', { documentType: 'passport' }) });
    assert.equal(flow.step, 'intro');
    send(flow, { type: 'start' });
    assert.equal(capture(flow)?.side, 'front');
    send(flow, { type: 'back' });
    assert.equal(flow.step, 'intro');
    assert.equal(flow.state.step === 'intro' && flow.state.session?.token, 'host-1');
  });

  it('goes to the previous side with its photo kept, and forward again skips what is held', () => {
    const flow = chosenAtFront('identityCard');
    const front = photo(flow, 'front');
    assert.equal(capture(flow)?.side, 'back');
    send(flow, { type: 'back' });
    assert.equal(capture(flow)?.side, 'front');
    assert.equal(capture(flow)?.work.images.front, front, 'the still is shown to keep or retake');
    assert.deepEqual(flow.of('release'), []);
    send(flow, { type: 'accept' });
    assert.equal(capture(flow)?.side, 'back');
    photo(flow, 'back');
    assert.equal(capture(flow)?.side, 'selfie');
    send(flow, { type: 'back' });
    assert.equal(capture(flow)?.side, 'back');
  });

  it('goes from the review to the last photo, and from the first photo to the consent (still ticked)', () => {
    const flow = atReview();
    send(flow, { type: 'back' });
    assert.equal(capture(flow)?.side, 'selfie');
    assert.ok(capture(flow)?.work.images.selfie);

    const consent = atFront({}, { consentRequired: true });
    assert.equal(consent.step, 'consent');
    send(consent, { type: 'consent-toggle', checked: true }, { type: 'consent-continue' });
    send(consent, { type: 'back' });
    assert.equal(consent.step, 'consent');
    assert.equal(consent.state.step === 'consent' && consent.state.work.session.consentGiven, true);
    send(consent, { type: 'back' });
    assert.equal(consent.step, 'intro', 'the consent’s Back is the document choice');
  });

  it('goes from a failed upload (retries spent) back to the review, never while it runs', () => {
    const flow = atReview();
    send(flow, { type: 'submit' });
    assert.equal(canGoBack(flow.state), false);
    assert.deepEqual(send(flow, { type: 'back' }), []);
    for (let i = 0; i < 4 && !(flow.state.step === 'upload' && flow.state.phase === 'failed'); i++)
      send(
        flow,
        { type: 'upload-failed', side: 'front', error: err('network') },
        { type: 'retry-due' },
      );
    assert.equal(flow.state.step === 'upload' && flow.state.phase, 'failed');
    send(flow, { type: 'back' });
    assert.equal(flow.step, 'review');
  });

  it('after a reload: says photos are not kept, goes to the first missing side, and Back reaches the choice', () => {
    const stored = snapshot({
      documentType: 'identityCard',
      images: { required: ['front', 'back', 'selfie'], optional: [] },
      uploaded: ['front'],
    });
    const flow = Flow.boot({}, stored);
    send(flow, { type: 'read-ok', state: read('pending') });
    assert.equal(capture(flow)?.side, 'back');
    assert.deepEqual(capture(flow)?.notice, { key: 'photosNotKept', side: 'back' });
    assert.deepEqual(flow.of('announce').at(-1), {
      type: 'announce',
      message: { key: 'photosNotKept', side: 'back' },
    });
    // The front is at Signicat already: Back drops this session, and the proxy cancels it (dossier deleted).
    send(flow, { type: 'back' });
    assert.deepEqual(flow.of('cancel-session'), [
      { type: 'cancel-session', token: 'stored-1', wait: false },
    ]);
    assert.equal(flow.step, 'intro');
    assert.equal(flow.state.step === 'intro' && flow.state.pending, 'config');
  });

  it('does not announce lost photos on "Try again" (the photos are still held)', () => {
    const flow = atFront();
    const front = photo(flow, 'front');
    send(flow, { type: 'kit-failed' });
    assert.equal(flow.step, 'error');
    send(flow, { type: 'error-action' }, { type: 'read-ok', state: read('pending') });
    assert.equal(capture(flow)?.work.images.front, front);
    assert.equal(capture(flow)?.notice, undefined);
  });
});

describe('cancel', () => {
  it('frees the camera, drops the photos, ends the session at the proxy and shows the canceled outcome', () => {
    const flow = atFront();
    send(flow, { type: 'camera-ready', side: 'front' });
    assert.ok(canCancel(flow.state));
    const shot = image('front');
    send(
      flow,
      { type: 'file-chosen', file: shot.blob },
      { type: 'image-ready', side: 'front', image: shot },
    );
    send(flow, { type: 'cancel' });
    assert.equal(flow.step, 'canceling');
    assert.deepEqual(flow.of('camera'), []);
    assert.equal(cameraOf(flow.state), null);
    assert.deepEqual(flow.one('cancel-session'), {
      type: 'cancel-session',
      token: 'tok-1',
      wait: true,
    });
    assert.deepEqual(flow.one('release'), { type: 'release', images: [shot] });
    assert.ok(flow.of('abort').length === 1);
    assert.equal(canCancel(flow.state), false);
    assert.deepEqual(send(flow, { type: 'cancel' }), [], 'once');
    send(flow, { type: 'cancel-done', status: 'canceled' });
    assert.equal(flow.state.step === 'outcome' && flow.state.status, 'canceled');
    assert.deepEqual(flow.emitted('complete'), [{ status: 'canceled', session: 'tok-1' }]);
    assert.deepEqual(flow.emitted('status').at(-1), { status: 'canceled', final: true });
  });

  it('stops the camera when canceled with the live preview on', () => {
    const flow = atFront();
    assert.ok(cameraOf(flow.state));
    send(flow, { type: 'cancel' });
    assert.deepEqual(flow.of('camera'), [{ type: 'camera', want: null }]);
  });

  it('is offered from the consent, capture, review, upload and a pending session’s intro, not before a session nor after submit', () => {
    const intro = Flow.boot();
    assert.equal(canCancel(intro.state), false);
    assert.deepEqual(send(intro, { type: 'cancel' }), []);
    const review = atReview();
    assert.ok(canCancel(review.state));
    send(review, { type: 'submit' });
    assert.ok(canCancel(review.state), 'during the upload');
    send(review, { type: 'uploaded', side: 'front' }, { type: 'uploaded', side: 'selfie' });
    send(review, { type: 'submitted', status: 'processing' });
    assert.equal(review.step, 'waiting');
    assert.equal(canCancel(review.state), false);
    assert.deepEqual(send(review, { type: 'cancel' }), []);

    for (const at of [atReview(), atFront({}, { consentRequired: true })]) {
      send(at, { type: 'cancel' });
      assert.equal(at.step, 'canceling');
    }
    const uploading = atReview();
    send(uploading, { type: 'submit' }, { type: 'cancel' });
    assert.equal(uploading.step, 'canceling');
    assert.ok(uploading.of('abort').length, 'the upload in flight is aborted');

    const host = Flow.boot({ session: 'host-1' });
    send(host, { type: 'read-ok', state: read('pending', { documentType: 'passport' }) });
    assert.ok(canCancel(host.state));
    send(host, { type: 'cancel' });
    assert.equal(host.one('cancel-session').token, 'host-1');
  });

  it('follows the verification when it was already submitted (409 already_submitted)', () => {
    const flow = atFront();
    send(flow, { type: 'cancel' });
    send(flow, {
      type: 'cancel-failed',
      error: err('server_error', { retryable: false, serverCode: 'already_submitted' }),
    });
    assert.equal(flow.step, 'waiting');
    assert.deepEqual(flow.of('watch'), [{ type: 'watch', token: 'tok-1' }]);
  });

  it('retries a cancel that failed for now, then offers to try again', () => {
    const flow = atFront();
    send(flow, { type: 'cancel' });
    send(flow, { type: 'cancel-failed', error: err('network') });
    assert.equal(flow.step, 'canceling');
    assert.equal(flow.one('retry-in').ms, 1000);
    send(flow, { type: 'retry-due' });
    assert.equal(flow.one('cancel-session').wait, true);
    for (let i = 0; i < 5 && flow.step === 'canceling'; i++)
      send(flow, { type: 'cancel-failed', error: err('network') }, { type: 'retry-due' });
    assert.equal(flow.step, 'error');
    assert.equal(flow.state.step === 'error' && flow.state.recoverable, true);
  });

  it('ends on the error step when the proxy refuses the cancel', () => {
    const flow = atFront();
    send(flow, { type: 'cancel' }, { type: 'cancel-failed', error: err('session_expired') });
    assert.equal(flow.step, 'error');
  });

  it('resends the cancel when the element comes back', () => {
    const flow = atFront();
    send(flow, { type: 'cancel' }, { type: 'reconnected' });
    assert.equal(flow.one('cancel-session').token, 'tok-1');
  });

  it('from a provider-sdk session before it is submitted', () => {
    const flow = Flow.boot({ mode: 'provider-sdk' });
    send(flow, { type: 'start' });
    send(flow, {
      type: 'session-created',
      created: created({ mode: 'provider-sdk', providerToken: 'p' }),
      input: { mode: 'provider-sdk' },
    });
    assert.equal(flow.step, 'provider');
    assert.ok(canCancel(flow.state));
    const submitted = new Flow(flow.state);
    send(submitted, { type: 'provider-complete' });
    assert.equal(canCancel(submitted.state), false, 'not once submitted');
    send(flow, { type: 'cancel' });
    assert.equal(flow.one('cancel-session').token, 'tok-1');
  });
});

describe('the selfie comes from the live camera', () => {
  it('offers no file for the selfie unless allow-selfie-upload is set', () => {
    const flow = chosenAtFront('passport', true);
    assert.equal(fileAllowed(flow.state, 'front'), true);
    assert.equal(fileAllowed(flow.state, 'selfie'), false);
    photo(flow, 'front'); // by file: documents may come from a file
    assert.equal(capture(flow)?.side, 'selfie');
    assert.equal(capture(flow)?.source, 'camera', 'the selfie goes back to the camera');
    assert.deepEqual(send(flow, { type: 'use-picker' }), []);
    assert.deepEqual(send(flow, { type: 'file-chosen', file: new Blob(['x']) }), []);
    send(flow, { type: 'camera-ready', side: 'selfie' }, { type: 'shutter' });
    assert.deepEqual(flow.one('grab-frame'), { type: 'grab-frame', side: 'selfie' });

    const allowed = atFront({ allowSelfieUpload: true });
    photo(allowed, 'front');
    photo(allowed, 'selfie');
    assert.equal(allowed.step, 'review');
  });

  it('without a camera: no file picker for the selfie, and the camera can be tried again', () => {
    const flow = chosenAtFront('passport', true);
    send(flow, { type: 'camera-failed', side: 'front', code: 'camera_denied', message: 'denied' });
    photo(flow, 'front');
    assert.equal(capture(flow)?.side, 'selfie');
    assert.equal(
      capture(flow)?.source,
      'picker',
      'the view offers the camera again (and the phone)',
    );
    assert.deepEqual(send(flow, { type: 'file-chosen', file: new Blob(['x']) }), []);
    send(flow, { type: 'use-camera' });
    assert.equal(capture(flow)?.source, 'camera');
    assert.equal(flow.state.cameraBlocked, false);
    assert.deepEqual(flow.of('camera'), [
      { type: 'camera', want: { side: 'selfie', facing: 'user' } },
    ]);
    send(flow, { type: 'camera-failed', side: 'selfie', code: 'camera_denied', message: 'denied' });
    assert.equal(capture(flow)?.source, 'picker');
    assert.equal(flow.state.cameraBlocked, true);
  });
});

describe('the error step', () => {
  it('keeps the provider SDK’s reason for the screen', () => {
    const flow = Flow.boot({ mode: 'provider-sdk' });
    send(flow, { type: 'start' });
    send(flow, {
      type: 'session-created',
      created: created({ mode: 'provider-sdk', providerToken: 'p' }),
      input: { mode: 'provider-sdk' },
    });
    send(flow, { type: 'provider-failed', reason: '  The user closed the window.  ' });
    assert.equal(flow.state.step === 'error' && flow.state.reason, 'The user closed the window.');
    const long = Flow.boot({ mode: 'provider-sdk' });
    send(long, { type: 'start' });
    send(long, {
      type: 'session-created',
      created: created({ mode: 'provider-sdk', providerToken: 'p' }),
      input: { mode: 'provider-sdk' },
    });
    send(long, { type: 'provider-failed', reason: 'x'.repeat(1000) });
    assert.equal(long.state.step === 'error' && long.state.reason?.length, 300);
  });
});

describe('step indicator', () => {
  it('numbers the choice, each side and the review: "2 of 4" for a passport', () => {
    const flow = Flow.boot({ provider: 'fakeprovider' });
    assert.equal(stepPosition(flow.state), null, 'none on the intro');
    send(
      flow,
      { type: 'start' },
      { type: 'config-read', config: PLAIN },
      { type: 'types-read', entries: [] },
    );
    assert.deepEqual(stepPosition(flow.state), { step: 1, of: 4 });
    send(flow, { type: 'choose-document', kind: 'passport' });
    send(flow, {
      type: 'session-created',
      created: created(),
      input: flow.one('create-session').input,
    });
    assert.deepEqual(stepPosition(flow.state), { step: 2, of: 4 });
    photo(flow, 'front');
    assert.deepEqual(stepPosition(flow.state), { step: 3, of: 4 });
    photo(flow, 'selfie');
    assert.deepEqual(stepPosition(flow.state), { step: 4, of: 4 });
    send(flow, { type: 'submit' });
    assert.equal(stepPosition(flow.state), null, 'none after submit');
  });

  it('counts the back of a two-sided document, and no choice step for a preset type', () => {
    const card = chosenAtFront('identityCard');
    assert.deepEqual(stepPosition(card.state), { step: 2, of: 5 });
    photo(card, 'front');
    assert.deepEqual(stepPosition(card.state), { step: 3, of: 5 });
    const preset = atFront();
    assert.deepEqual(stepPosition(preset.state), { step: 1, of: 3 });
    const consent = atFront({}, { consentRequired: true });
    assert.deepEqual(stepPosition(consent.state), { step: 1, of: 3 });
    assert.equal(stepPosition(Flow.boot({ mode: 'redirect' }).state), null);
  });
});

// ---- every back/cancel transition, taken by some test above ----

function probes(s: FlowState): FlowEvent[] {
  return [
    { type: 'back' },
    { type: 'cancel' },
    { type: 'cancel-done', status: 'canceled' },
    { type: 'cancel-failed', error: err('network') },
    { type: 'cancel-failed', error: err('session_expired') },
    { type: 'cancel-failed', error: err('server_error', { serverCode: 'already_submitted' }) },
    { type: 'use-camera' },
    { type: 'use-picker' },
    { type: 'file-chosen', file: new Blob(['x']) },
    ...(s.step === 'canceling'
      ? [{ type: 'retry-due' } as const, { type: 'reconnected' } as const]
      : []),
  ];
}

it('takes every back and cancel transition, from every state the tests reach', () => {
  const possible = new Set<string>();
  const journey = new Set(['back', 'cancel', 'cancel-done', 'cancel-failed']);
  for (const state of reached.slice()) {
    for (const event of probes(state)) {
      const t = reduce(state, event);
      const key = transitionKey(state, event, t);
      // The picker and camera events matter here only on the selfie and from the canceling step.
      const ours =
        journey.has(event.type) ||
        state.step === 'canceling' ||
        (state.step === 'capture' && !fileAllowed(state, state.side));
      if (key && ours) possible.add(key);
    }
  }
  const untested = [...possible].filter((key) => !taken.has(key)).sort();
  assert.deepEqual(untested, [], `transitions no test takes:\n${untested.join('\n')}`);
  console.log(`# ${possible.size} back/cancel/selfie transitions, all taken`);
});
