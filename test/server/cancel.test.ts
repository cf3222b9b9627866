/**
 * The element's Cancel (`POST /api/sessions/{session}/cancel`) over real HTTP, proxy and emulator on
 * their own loopback ports: the status, the event stream and the result webhook all say `canceled`,
 * while Signicat, told by Fail process, records `failed`; the dossier is then deleted. docs/api.md.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { jpegBytes } from '../helpers/images.ts';
import { startHarness, type Harness } from '../helpers/proxy-harness.ts';
import { eventually, json, readStatusEvents } from '../helpers/sandbox.ts';

const API_KEY = 'integrator-key-0123456789abcdef';
let h: Harness;
before(async () => {
  h = await startHarness({ env: { PROXY_API_KEY: API_KEY } });
});
after(() => h.close());

async function create(reference?: string): Promise<{ session: string; required: string[] }> {
  const answer = await h.api(
    '/sessions',
    json(
      {
        mode: 'capture',
        provider: 'signicatpaper',
        documentType: 'passport',
        ...(reference && { reference }),
      },
      reference ? { Authorization: `Bearer ${API_KEY}` } : {},
    ),
  );
  assert.equal(answer.status, 201, await answer.clone().text());
  const body = (await answer.json()) as { session: string; images: { required: string[] } };
  return { session: body.session, required: body.images.required };
}

async function upload(session: string, side: string): Promise<string> {
  const answer = await h.api(`/sessions/${session}/images/${side}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'image/jpeg' },
    body: jpegBytes(),
  });
  assert.equal(answer.status, 200, await answer.clone().text());
  return ((await answer.json()) as { session?: string }).session ?? session;
}

const cancel = (session: string) => h.api(`/sessions/${session}/cancel`, { method: 'POST' });

describe('POST /api/sessions/{session}/cancel', () => {
  it('after a photo: canceled in the status, the stream and the webhook; Fail process at Signicat, dossier deleted', async () => {
    const { session, required } = await create('order-cancel-1');
    const token = await upload(session, required[0]!);
    const events = h.api(`/sessions/${token}/events`);
    const answer = await cancel(token);
    assert.equal(answer.status, 200);
    assert.deepEqual(
      (({ status, final }) => ({ status, final }))(
        (await answer.json()) as Record<string, unknown>,
      ),
      { status: 'canceled', final: true },
    );
    const statuses = await readStatusEvents(await events);
    assert.deepEqual(statuses.at(-1), { status: 'canceled', final: true }, 'the stream');
    const state = (await (await h.api(`/sessions/${token}`)).json()) as { status: string };
    assert.equal(state.status, 'canceled', 'the status');

    const payload = await eventually(
      () => h.results.find((r) => r.reference === 'order-cancel-1'),
      10_000,
      'the result webhook',
    );
    assert.equal(payload.status, 'canceled', 'the webhook');
    // Signicat's own record of the same process: Fail process makes it `failed`.
    const failed = h.requests.find(
      (r) =>
        r.method === 'POST' &&
        r.path.endsWith(`/processes/${payload.processId}/fail`) &&
        r.status < 300,
    );
    assert.ok(failed, 'Fail process was called');
    assert.equal(payload.result.status, 'failed', 'Signicat records the cancel as failed');
    await eventually(
      () =>
        h.requests.some(
          (r) =>
            r.method === 'DELETE' &&
            r.path.endsWith(`/dossiers/${payload.dossierId}`) &&
            r.status < 300,
        ),
      10_000,
      'the dossier deletion',
    );
    assert.equal(h.results.filter((r) => r.reference === 'order-cancel-1').length, 1, 'once');
  });

  it('before any photo: canceled, and nothing was ever created at Signicat', async () => {
    const { session } = await create();
    const before = h.requests.length;
    const answer = await cancel(session);
    assert.equal(answer.status, 200);
    assert.equal(((await answer.json()) as { status: string }).status, 'canceled');
    const state = (await (await h.api(`/sessions/${session}`)).json()) as { status: string };
    assert.equal(state.status, 'canceled');
    assert.deepEqual(
      h.requests.slice(before).filter((r) => r.path.includes('/dossiers')),
      [],
      'no call about a dossier',
    );
  });

  it('is idempotent, and refused once verification runs (409 already_submitted)', async () => {
    const first = await create();
    assert.equal((await cancel(first.session)).status, 200);
    const again = await cancel(first.session);
    assert.equal(again.status, 200);
    assert.equal(((await again.json()) as { status: string }).status, 'canceled');

    await h.control('/outcome', { status: 'accepted', delayMs: 60_000 });
    const second = await create();
    let token = second.session;
    for (const side of second.required) token = await upload(token, side);
    assert.equal((await h.api(`/sessions/${token}/submit`, { method: 'POST' })).status, 202);
    const refused = await cancel(token);
    assert.equal(refused.status, 409);
    assert.equal(
      ((await refused.json()) as { error: { code: string } }).error.code,
      'already_submitted',
    );
  });
});
