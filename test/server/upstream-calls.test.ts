/**
 * Upstream calls per verification are the design's minimum and nothing more (issue 12): create dossier,
 * create process, one Set images per side, start verification, one Get process (the callback's
 * refresh, whose answer the delivery then sends), one delete, plus Download when the zip is archived.
 * Counted from the harness's recording fetch; token requests are left out (they have their own cache).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { jpegBytes } from '../helpers/images.ts';
import { startHarness, type Harness, type Recorded } from '../helpers/proxy-harness.ts';
import { eventually, json } from '../helpers/sandbox.ts';

let h: Harness;

before(async () => {
  h = await startHarness({
    // Only the callback brings the final status: a poll would be a legitimate extra Get process.
    env: { POLL_INITIAL_MS: '60000', POLL_MAX_MS: '60000' },
    archive: async (processId) => `${processId}.zip`,
  });
});
after(() => h.close());
beforeEach(async () => {
  h.requests.length = 0;
  await h.control('/faults', undefined, 'DELETE');
});

function operationOf({ method, path }: Recorded): string {
  const p = path.split('?')[0]!;
  if (p.endsWith('/auth/open/connect/token')) return 'token';
  if (method === 'POST' && /\/assure\/dossiers$/.test(p)) return 'createDossier';
  if (method === 'POST' && /\/processes$/.test(p)) return 'createProcess';
  if (method === 'POST' && /\/images$/.test(p)) return 'setImages';
  if (method === 'POST' && /\/processes\/[^/]+$/.test(p)) return 'startVerification';
  if (method === 'GET' && /\/processes\/[^/]+$/.test(p)) return 'getProcess';
  if (method === 'GET' && /\/download$/.test(p)) return 'download';
  if (method === 'DELETE' && /\/dossiers\/[^/]+$/.test(p)) return 'deleteDossier';
  return `${method} ${p}`;
}

/** One capture verification through the proxy; answers its calls to Signicat by operation. */
async function verify(documentType: string, outcome: string): Promise<Record<string, number>> {
  // A short processing delay: Start verification answers `processing`, the callback brings the verdict.
  await h.control('/outcome', { status: outcome, delayMs: 30 });
  const created = await h.api('/sessions', json({ mode: 'capture', documentType }));
  assert.equal(created.status, 201);
  let { session, images } = (await created.json()) as {
    session: string;
    images: { required: string[] };
  };
  for (const side of images.required) {
    const uploaded = await h.api(`/sessions/${session}/images/${side}`, {
      method: 'PUT',
      headers: { 'Content-Type': 'image/jpeg' },
      body: jpegBytes(),
    });
    assert.equal(uploaded.status, 200, side);
    session = ((await uploaded.json()) as { session: string }).session;
  }
  assert.equal((await h.api(`/sessions/${session}/submit`, { method: 'POST' })).status, 202);
  await eventually(
    () => h.requests.some((r) => operationOf(r) === 'deleteDossier'),
    8000,
    'the dossier deleted after delivery',
  );
  await h.proxy.lifecycle.idle();
  const counts: Record<string, number> = {};
  for (const request of h.requests) {
    const operation = operationOf(request);
    if (operation !== 'token') counts[operation] = (counts[operation] ?? 0) + 1;
  }
  return counts;
}

describe('upstream calls per verification', () => {
  it('passport: 7 calls, one Get process (the delivery reuses the callback refresh)', async () => {
    const counts = await verify('passport', 'rejected');
    assert.deepEqual(counts, {
      createDossier: 1,
      createProcess: 1,
      setImages: 2,
      startVerification: 1,
      getProcess: 1,
      deleteDossier: 1,
    });
    assert.equal(h.results.at(-1)?.status, 'rejected');
    assert.equal(h.results.at(-1)?.result.status, 'rejected', 'the delivered body is the process');
  });

  it('identity card: 8 calls, one Set images per side', async () => {
    const counts = await verify('identityCard', 'inconclusive');
    assert.deepEqual(counts, {
      createDossier: 1,
      createProcess: 1,
      setImages: 3,
      startVerification: 1,
      getProcess: 1,
      deleteDossier: 1,
    });
  });

  it('passport with the zip archived: 8 calls, Download before the delete', async () => {
    const counts = await verify('passport', 'accepted');
    assert.deepEqual(counts, {
      createDossier: 1,
      createProcess: 1,
      setImages: 2,
      startVerification: 1,
      getProcess: 1,
      download: 1,
      deleteDossier: 1,
    });
    const order = h.requests.map(operationOf).filter((o) => o !== 'token');
    assert.ok(order.indexOf('download') < order.indexOf('deleteDossier'), order.join(', '));
  });
});
