/**
 * The cross-device hand-off in the pure flow machine: the desktop's link, its progress, expiry and
 * cancel; the phone's claim, its refusals and its last screen. The two-browser run is
 * test/e2e/handoff.test.ts; this covers the branches a browser cannot reach quickly (expiry, a failed
 * cancel, a claim that fails on the network).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  ClaimHandoffResponse,
  CreateHandoffResponse,
} from '../../component/contract/index.js';
import { handoffAllowed, watchOf } from '../../component/flow/machine.js';
import { atFront, err, Flow } from './flow-driver.ts';

const LINK: CreateHandoffResponse = {
  url: 'http://127.0.0.1:1/h/AAAAAAAAAAAAAAAAAAAAAA',
  expiresAt: '2030-01-01T00:10:00Z',
  qr: { size: 37, path: 'M4 4h7v1h-7z' },
};

const CLAIMED: ClaimHandoffResponse = {
  session: 'phone-tok',
  mode: 'capture',
  provider: 'signicatpaper',
  documentType: 'passport',
  images: { required: ['front', 'selfie'], optional: [], uploaded: [] },
  expiresAt: '2030-01-01T00:30:00Z',
};

/** The desktop with a link out. */
function withLink(): Flow {
  const flow = atFront();
  flow.send({ type: 'handoff-start' });
  assert.deepEqual(flow.one('create-handoff'), { type: 'create-handoff', token: 'tok-1' });
  assert.equal(flow.state.step === 'handoff' && flow.state.phase, 'creating');
  flow.send({ type: 'handoff-created', link: LINK });
  assert.deepEqual(flow.one('handoff-timer'), { type: 'handoff-timer', at: LINK.expiresAt });
  return flow;
}

const phase = (flow: Flow) => (flow.state.step === 'handoff' ? flow.state.phase : flow.step);

describe('hand-off on the desktop', () => {
  it('shows the link, follows the status stream and the phone to the outcome', () => {
    const flow = withLink();
    assert.equal(phase(flow), 'ready');
    assert.equal(watchOf(flow.state), 'tok-1', 'the status stream is followed');
    assert.equal(cameraWanted(flow), false, 'the camera is let go');
    assert.equal(flow.saved()?.session, 'tok-1', 'a reload resumes the same session');
    // The stream opens with `pending`: nothing moves.
    assert.deepEqual(flow.send({ type: 'status', status: 'pending', final: false }), []);
    flow.send({ type: 'handoff-progress', progress: { state: 'claimed', uploaded: [] } });
    assert.deepEqual(announced(flow), ['handoffConnected']);
    flow.send({ type: 'handoff-progress', progress: { state: 'claimed', uploaded: ['front'] } });
    assert.deepEqual(announced(flow), ['handoffCaptured:front']);
    // Expiry no longer matters once the phone holds the session.
    assert.deepEqual(flow.send({ type: 'handoff-expired' }), []);
    flow.send({ type: 'status', status: 'processing', final: false });
    assert.equal(flow.step, 'waiting');
    flow.send({ type: 'status', status: 'accepted', final: true });
    assert.equal(flow.step, 'outcome');
    assert.deepEqual(flow.emitted('complete'), [{ status: 'accepted', session: 'tok-1' }]);
  });

  it('an unclaimed link expires; a new one can be made', () => {
    const flow = withLink();
    flow.send({ type: 'handoff-expired' });
    assert.equal(phase(flow), 'expired');
    assert.equal(watchOf(flow.state), null, 'no stream for an expired link');
    flow.send({ type: 'handoff-start' });
    assert.equal(flow.one('create-handoff').token, 'tok-1');
    assert.equal(phase(flow), 'creating');
  });

  it('cancel before the phone: the link is canceled and the desktop goes back to the same side', () => {
    const flow = withLink();
    flow.send({ type: 'handoff-cancel' });
    assert.deepEqual(flow.one('cancel-handoff'), { type: 'cancel-handoff', token: 'tok-1' });
    assert.equal(phase(flow), 'canceling');
    assert.deepEqual(flow.send({ type: 'handoff-cancel' }), [], 'one cancel at a time');
    flow.send({ type: 'handoff-canceled', progress: { state: 'canceled', uploaded: [] } });
    assert.equal(flow.step, 'capture');
    assert.equal(flow.state.step === 'capture' && flow.state.side, 'front');
  });

  it('cancel once the phone holds the session ends the verification as canceled', () => {
    const flow = withLink();
    flow.send({ type: 'handoff-progress', progress: { state: 'claimed', uploaded: [] } });
    flow.send({ type: 'handoff-cancel' }, { type: 'handoff-canceled' });
    assert.equal(flow.step, 'outcome');
    assert.deepEqual(flow.emitted('complete'), [{ status: 'canceled', session: 'tok-1' }]);
  });

  it('a failed cancel of a claimed link keeps following the phone', () => {
    const flow = withLink();
    flow.send({ type: 'handoff-progress', progress: { state: 'claimed', uploaded: [] } });
    flow.send({ type: 'handoff-cancel' }, { type: 'handoff-failed', error: err('network') });
    assert.equal(phase(flow), 'ready');
  });

  it('a link that cannot be made is reported, can be tried again, or left', () => {
    const flow = atFront();
    flow.send({ type: 'handoff-start' }, { type: 'handoff-failed', error: err('server_error') });
    assert.equal(phase(flow), 'failed');
    assert.deepEqual(flow.emitted('error'), [
      { code: 'server_error', message: 'server_error happened', recoverable: true },
    ]);
    flow.send({ type: 'handoff-cancel' });
    assert.equal(flow.step, 'capture', 'nothing to cancel at the proxy');
  });

  it('is offered only in capture mode, and never on the phone itself', () => {
    assert.equal(handoffAllowed(atFront().state), true);
    const phone = Flow.boot({ handoff: 'AAAAAAAAAAAAAAAAAAAAAA' });
    assert.equal(handoffAllowed(phone.state), false);
  });
});

describe('hand-off on the phone', () => {
  it('claims the link at boot, captures, and ends at "go back to your computer"', () => {
    const flow = Flow.boot({ handoff: 'AAAAAAAAAAAAAAAAAAAAAA' });
    assert.deepEqual(flow.one('claim-handoff'), {
      type: 'claim-handoff',
      code: 'AAAAAAAAAAAAAAAAAAAAAA',
    });
    assert.equal(flow.step, 'claiming');
    flow.send({ type: 'handoff-claimed', claimed: CLAIMED });
    assert.equal(flow.step, 'capture');
    assert.equal(flow.state.step === 'capture' && flow.state.work.session.token, 'phone-tok');
    // Sent: the phone stops, the desktop shows the outcome.
    flow.state = { ...flow.state, step: 'upload' } as typeof flow.state;
    flow.send({ type: 'submitted', status: 'processing' });
    assert.equal(flow.step, 'phone-done');
    assert.deepEqual(flow.emitted('complete'), []);
  });

  for (const code of ['handoff_used', 'handoff_expired', 'handoff_canceled', 'handoff_not_found']) {
    it(`a refused claim (${code}) shows why, and changes nothing else`, () => {
      const flow = Flow.boot({ handoff: 'AAAAAAAAAAAAAAAAAAAAAA' });
      flow.send({
        type: 'handoff-failed',
        error: err('session_expired', { serverCode: code }),
      });
      assert.equal(flow.step, 'phone-done');
      assert.equal(flow.state.step === 'phone-done' && flow.state.refused, code);
      assert.deepEqual(flow.calls, [], 'no call follows');
    });
  }

  it('a claim that fails on the network is reported; "Try again" claims again, never a new session', () => {
    const flow = Flow.boot({ handoff: 'AAAAAAAAAAAAAAAAAAAAAA' });
    flow.send({ type: 'handoff-failed', error: err('network') });
    assert.equal(flow.step, 'error');
    flow.send({ type: 'error-action' });
    assert.equal(flow.step, 'claiming');
    assert.equal(flow.one('claim-handoff').code, 'AAAAAAAAAAAAAAAAAAAAAA');
    assert.deepEqual(flow.of('create-session'), []);
  });
});

function announced(flow: Flow): string[] {
  return flow.effects
    .filter((e) => e.type === 'announce')
    .map((e) => {
      const m = (e as { message: { key: string; side?: string } }).message;
      return m.side ? `${m.key}:${m.side}` : m.key;
    });
}

function cameraWanted(flow: Flow): boolean {
  const camera = flow.all.filter((e) => e.type === 'camera').at(-1) as
    { want: unknown } | undefined;
  return !!camera?.want;
}
