/**
 * The flow machine in two files (component/flow/machine-core.ts in the script-tag entry, machine.ts
 * loaded lazily): the first screen comes up with the core alone; an event the core cannot handle alone
 * is answered `undefined` (the controller holds it until the later part is loaded), never with another
 * transition than the whole machine's; and a later part that cannot be loaded ends on the error step.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reduceWith } from '../../component/flow/machine-core.js';
import { later, reduce, resumed } from '../../component/flow/machine.js';
import type { FlowEvent, FlowState } from '../../component/flow/types.js';
import {
  atFront,
  atReview,
  created,
  err,
  Flow,
  input,
  PAPER,
  read,
  snapshot,
} from './flow-driver.ts';

const core = (s: FlowState, e: FlowEvent) => reduceWith(undefined, s, e);

describe('the first screen with the core alone', () => {
  it('boots to the intro, the loading step or the phone claim without the later part', () => {
    for (const flow of [
      Flow.boot(),
      Flow.boot({ mode: 'redirect' }),
      Flow.boot({ session: 'host-tok' }),
      Flow.boot({}, snapshot()),
      Flow.boot({ handoff: 'code-1' }),
    ]) {
      const t = core(flow.state, { type: 'reconnected' });
      assert.ok(t, `reconnected on ${flow.step}`);
      assert.ok(core(flow.state, { type: 'boot', cfg: flow.state.cfg }));
    }
    assert.equal(Flow.boot({ handoff: 'code-1' }).step, 'claiming');
  });

  it('holds Start, a session read and Back until the later part is there', () => {
    const intro = Flow.boot();
    assert.equal(core(intro.state, { type: 'start' }), undefined);
    assert.equal(core(intro.state, { type: 'back' }), undefined);
    const loading = Flow.boot({ session: 'host-tok' });
    assert.equal(core(loading.state, { type: 'read-ok', state: read('pending') }), undefined);
    // With the later part handed in, the same event moves on, as in the whole machine.
    const late = reduceWith({ later, resumed }, intro.state, { type: 'start' });
    assert.deepEqual(late, reduce(intro.state, { type: 'start' }));
  });

  it('the error step and a failed read need only the core', () => {
    const flow = Flow.boot({ session: 'host-tok' });
    const failed = core(flow.state, { type: 'read-failed', error: err('invalid_config') });
    assert.equal(failed?.state.step, 'error');
    const again = core(failed!.state, { type: 'error-action' });
    assert.equal(again?.state.step, 'intro');
  });
});

describe('the core never answers differently from the whole machine', () => {
  it('on every state of a capture journey, with every event of the journey', () => {
    const states: FlowState[] = [];
    const events: FlowEvent[] = [
      { type: 'start' },
      { type: 'config-read', config: PAPER },
      { type: 'country-continue', code: 'NO' },
      { type: 'choose-document', kind: 'passport' },
      { type: 'session-created', created: created(), input: input() },
      { type: 'read-ok', state: read('pending') },
      { type: 'read-failed', error: err('network') },
      { type: 'retry-due' },
      { type: 'reconnected' },
      { type: 'kit-failed' },
      { type: 'late-failed' },
      { type: 'back' },
      { type: 'cancel' },
      { type: 'submit' },
      { type: 'error-action' },
      { type: 'restart' },
      { type: 'provider-failed', reason: 'x' },
      { type: 'status', status: 'accepted', final: true },
    ];
    for (const flow of [
      Flow.boot(),
      Flow.boot({ session: 'host-tok' }),
      Flow.boot({}, snapshot()),
      Flow.boot({ mode: 'provider-sdk' }),
      Flow.boot({ handoff: 'code-1' }),
      atFront(),
      atReview(),
    ]) {
      states.push(flow.state);
      for (const event of events) states.push(reduce(flow.state, event).state);
    }
    let heldSome = false;
    for (const state of states)
      for (const event of events) {
        const alone = core(state, event);
        if (alone) assert.deepEqual(alone, reduce(state, event), `${state.step}/${event.type}`);
        else heldSome = true;
      }
    assert.ok(heldSome);
  });
});

describe('a later part that cannot be loaded', () => {
  it('ends on the error step: "Try again" where a session exists, else a fresh start', () => {
    const intro = Flow.boot();
    const t = core(intro.state, { type: 'late-failed' })!;
    assert.equal(t.state.step, 'error');
    assert.ok(t.effects.some((e) => e.type === 'emit' && e.event.name === 'error'));
    const resuming = Flow.boot({ session: 'host-tok' });
    const kept = core(resuming.state, { type: 'late-failed' })!.state;
    assert.ok(kept.step === 'error' && kept.code === 'network' && kept.recoverable);
    // "Try again" reads the session again; its answer waits for the later part once more.
    const retry = core(kept, { type: 'error-action' })!;
    assert.equal(retry.state.step, 'loading');
    assert.equal(core(retry.state, { type: 'read-ok', state: read('pending') }), undefined);
  });
});
