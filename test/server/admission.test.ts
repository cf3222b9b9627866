/**
 * Admission control (MAX_UPSTREAM_CONCURRENCY) through the real proxy over HTTP: upstream-bound work
 * past the cap is refused at once with `503 overloaded` and `Retry-After`, nothing reaches Signicat for
 * it, slots come back when requests end (also when they fail), capture session creation takes no
 * slot, and only network time counts against the upstream timeout. Slots are held by making the
 * emulator's Set images (or Create dossier) wait.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { EmulatorEvent } from '../../server/emulator/index.ts';
import { jpegBytes } from '../helpers/images.ts';
import { startHarness, type Harness, type HarnessOptions } from '../helpers/proxy-harness.ts';
import { eventually, json } from '../helpers/sandbox.ts';

const CAP = 3;
const HOLD_MS = 1000;

const harnesses: Harness[] = [];
after(() => Promise.all(harnesses.map((h) => h.close())));

interface Rig {
  h: Harness;
  /** Emulator faults applied so far, per operation: one per call that reached it. */
  applied(operation: string): number;
}

async function rig(options: HarnessOptions = {}): Promise<Rig> {
  const events: EmulatorEvent[] = [];
  const h = await startHarness({
    timeoutMs: 5000,
    ...options,
    env: {
      MAX_UPSTREAM_CONCURRENCY: String(CAP),
      MAX_CONCURRENT_UPLOADS_PER_CLIENT: '100',
      ...options.env,
    },
    emulator: { log: (event) => events.push(event), ...options.emulator },
  });
  harnesses.push(h);
  const applied = (operation: string) =>
    events.filter((e) => e.type === 'fault.applied' && e.operation === operation).length;
  return { h, applied };
}

async function session(
  h: Harness,
  body: Record<string, unknown> = { mode: 'capture', documentType: 'passport' },
) {
  const answer = await h.api('/sessions', json(body));
  assert.equal(answer.status, 201, await answer.clone().text());
  return ((await answer.json()) as { session: string }).session;
}

const upload = (h: Harness, token: string, side = 'front', headers: Record<string, string> = {}) =>
  h.api(`/sessions/${token}/images/${side}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'image/jpeg', ...headers },
    body: jpegBytes(),
  });

/** A capture session whose dossier and process exist (its front is uploaded): the next upload is one Set images. */
async function started(h: Harness): Promise<string> {
  const answer = await upload(h, await session(h));
  assert.equal(answer.status, 200, await answer.clone().text());
  return ((await answer.json()) as { session: string }).session;
}

const setImagesCalls = (h: Harness) =>
  h.requests.filter((r) => r.method === 'POST' && /\/images$/.test(r.path)).length;
const errorCode = async (answer: Response) =>
  ((await answer.clone().json()) as { error?: { code?: string } }).error?.code;

/** Makes every Set images wait, then starts CAP uploads and waits until all of them are held at Signicat. */
async function holdAllSlots(r: Rig, tokens: string[]): Promise<Promise<Response>[]> {
  const before = r.applied('setImages');
  r.h.emulator.emulator.faults.set([{ operation: 'setImages', delayMs: HOLD_MS }]);
  const held = tokens.map((token) => upload(r.h, token, 'selfie'));
  await eventually(
    () => r.applied('setImages') - before === tokens.length,
    5000,
    'every slot held at Signicat',
  );
  return held;
}

describe('admission control', () => {
  it('refuses the upload past the cap at once with 503 overloaded and Retry-After; nothing reaches Signicat; the slot comes back', async () => {
    const r = await rig();
    const { h } = r;
    const tokens: string[] = [];
    for (let i = 0; i < CAP; i++) tokens.push(await started(h));
    const extra = await started(h);
    const setImagesBefore = setImagesCalls(h);
    const held = await holdAllSlots(r, tokens);
    const appliedWhileHeld = r.applied('setImages');

    const t0 = performance.now();
    const refused = await upload(h, extra, 'selfie', { Origin: h.url });
    const tookMs = performance.now() - t0;
    assert.equal(refused.status, 503, await refused.clone().text());
    assert.equal(await errorCode(refused), 'overloaded');
    assert.equal(refused.headers.get('Retry-After'), '1');
    assert.equal(
      refused.headers.get('Connection'),
      'close',
      'its unread body is not drained on a kept-alive connection',
    );
    // The element reads Retry-After cross-origin only when it is exposed.
    assert.equal(refused.headers.get('Access-Control-Allow-Origin'), h.url);
    assert.match(refused.headers.get('Access-Control-Expose-Headers') ?? '', /Retry-After/i);
    assert.ok(
      tookMs < HOLD_MS / 2,
      `answered at once, not after a held request ended (${Math.round(tookMs)} ms)`,
    );
    assert.equal(
      r.applied('setImages'),
      appliedWhileHeld,
      'the refused upload never reached Signicat',
    );

    for (const answer of await Promise.all(held))
      assert.equal(answer.status, 200, await answer.clone().text());
    assert.equal(
      setImagesCalls(h) - setImagesBefore,
      CAP,
      'one Set images per admitted upload, none for the refused one',
    );
    const status = (await (await h.api(`/sessions/${extra}`)).json()) as {
      images: { uploaded: string[] };
    };
    assert.deepEqual(status.images.uploaded, ['front'], 'the refused upload changed nothing');

    h.emulator.emulator.faults.clear();
    const retried = await upload(h, extra, 'selfie');
    assert.equal(
      retried.status,
      200,
      `the retry after Retry-After is admitted: ${await retried.clone().text()}`,
    );
  });

  it('counts submits, cancels and redirect session creation, but not capture session creation', async () => {
    const r = await rig();
    const { h } = r;
    const tokens = await Promise.all(Array.from({ length: CAP }, () => started(h)));
    const other = await started(h);
    const held = await holdAllSlots(r, tokens);

    const capture = await h.api('/sessions', json({ mode: 'capture' }));
    assert.equal(capture.status, 201, 'a capture session calls nobody: no slot needed');
    const redirect = await h.api(
      '/sessions',
      json({ mode: 'redirect', redirectUrl: `${h.url}/done` }),
    );
    assert.equal(redirect.status, 503, await redirect.clone().text());
    assert.equal(await errorCode(redirect), 'overloaded');
    const submit = await h.api(`/sessions/${other}/submit`, { method: 'POST' });
    assert.equal(submit.status, 503);
    assert.equal(submit.headers.get('Retry-After'), '1');
    assert.notEqual(
      submit.headers.get('Connection'),
      'close',
      'no body, nothing to drain: the connection stays',
    );
    const cancel = await h.api(`/sessions/${other}/cancel`, { method: 'POST' });
    assert.equal(cancel.status, 503);
    const status = await h.api(`/sessions/${other}`);
    assert.equal(status.status, 200, 'reading a status calls nobody: no slot needed');
    assert.equal(
      h.requests.filter((q) => /\/fail$/.test(q.path)).length,
      0,
      'the refused cancel never reached Signicat',
    );

    for (const answer of await Promise.all(held)) assert.equal(answer.status, 200);
    h.emulator.emulator.faults.clear();
    const again = await h.api(
      '/sessions',
      json({ mode: 'redirect', redirectUrl: `${h.url}/done` }),
    );
    assert.equal(again.status, 201, await again.clone().text());
  });

  it('gives slots back when requests fail, at the proxy or at Signicat', async () => {
    const r = await rig();
    const { h } = r;
    const tokens = await Promise.all(Array.from({ length: CAP }, () => started(h)));
    // Twice the cap of failures each way: a leaked slot would leave fewer than CAP free after.
    const unknown = await Promise.all(
      Array.from({ length: 2 * CAP }, () => upload(h, 'not-a-session-token')),
    );
    for (const answer of unknown) assert.equal(answer.status, 404);
    const wrongType = await Promise.all(
      Array.from({ length: 2 * CAP }, () =>
        h.api(`/sessions/${tokens[0]}/images/selfie`, {
          method: 'PUT',
          headers: { 'Content-Type': 'text/plain' },
          body: 'x',
        }),
      ),
    );
    for (const answer of wrongType) assert.equal(answer.status, 415);
    h.emulator.emulator.faults.set([{ operation: 'setImages', status: 500, times: 2 * CAP }]);
    for (let i = 0; i < 2 * CAP; i++)
      assert.equal((await upload(h, tokens[i % CAP]!, 'selfie')).status, 502);

    const held = await holdAllSlots(r, tokens);
    for (const answer of await Promise.all(held))
      assert.equal(answer.status, 200, 'all CAP slots were free again');
  });

  it('MAX_UPSTREAM_CONCURRENCY=0 turns the cap off', async () => {
    const r = await rig({ env: { MAX_UPSTREAM_CONCURRENCY: '0' } });
    const tokens = await Promise.all(Array.from({ length: CAP + 2 }, () => started(r.h)));
    const held = await holdAllSlots(r, tokens);
    for (const answer of await Promise.all(held)) assert.equal(answer.status, 200);
  });

  it('counts only network time against the upstream timeout: a slow token and a slow call each within it succeed', async () => {
    // 1.2 s for the token, then 1.2 s for Create dossier: 2.4 s in all, each within the 2 s timeout.
    const r = await rig({ timeoutMs: 2000 });
    r.h.emulator.emulator.faults.set([
      { operation: 'token', delayMs: 1200, times: 1 },
      { operation: 'createDossier', delayMs: 1200, times: 1 },
    ]);
    const t0 = performance.now();
    const answer = await upload(r.h, await session(r.h));
    assert.equal(answer.status, 200, await answer.clone().text());
    assert.ok(performance.now() - t0 >= 2400, 'both delays were waited out');
    assert.equal(r.applied('token'), 1);
    assert.equal(r.applied('createDossier'), 1);
  });
});
