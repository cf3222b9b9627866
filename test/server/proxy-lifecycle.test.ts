/**
 * Callbacks, polling, delivery and clean-up: the parts that run after the browser has done its part.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ResultPayload } from '../../server/delivery/types.ts';
import {
  eventually,
  readStatusEvents,
  startSandbox,
  submitPassportCapture,
  type Sandbox,
} from '../helpers/sandbox.ts';

const sandboxes: Sandbox[] = [];
after(() => Promise.all(sandboxes.map((s) => s.close())));
async function sandboxWith(options: Parameters<typeof startSandbox>[0] = {}) {
  const s = await startSandbox(options);
  sandboxes.push(s);
  return s;
}

async function submittedCapture(s: Sandbox, outcome = 'accepted', delayMs = 0) {
  await s.control('/outcome', { status: outcome, delayMs });
  return submitPassportCapture(s.url);
}

describe('callbacks', () => {
  it('refuses callbacks without the per-process secret and changes nothing', async () => {
    const s = await sandboxWith({ env: { POLL_INITIAL_MS: '60000', POLL_MAX_MS: '60000' } });
    const session = await submittedCapture(s, 'accepted', 60_000);
    const [record] = await s.server.proxy.store.listInFlight();
    assert.ok(record);
    const body = JSON.stringify({
      dossierId: record.dossierId,
      processId: record.processId,
      status: 'accepted',
    });
    for (const authorization of [
      undefined,
      'Bearer wrong',
      `Bearer ${'x'.repeat(43)}`,
      'Basic abc',
    ]) {
      const response = await s.api('/callbacks/assure', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          ...(authorization && { Authorization: authorization }),
        },
        body,
      });
      assert.equal(response.status, 401, `authorization ${authorization}`);
      assert.equal(((await response.json()) as any).error.code, 'callback_unauthenticated');
    }
    const state = (await (await s.api(`/sessions/${session}`)).json()) as { status: string };
    assert.equal(state.status, 'processing');
    assert.equal(s.results.length, 0);
  });

  it('delivers once although Assure sends every callback twice', async () => {
    const s = await sandboxWith({ env: { POLL_INITIAL_MS: '60000', POLL_MAX_MS: '60000' } });
    await s.control('/callbacks', { duplicate: true });
    const session = await submittedCapture(s, 'rejected', 20);
    const statuses = await readStatusEvents(await s.api(`/sessions/${session}/events`));
    assert.equal(statuses.at(-1)?.status, 'rejected');
    await eventually(
      () => s.logs.filter((l) => l.includes('"callback.received"')).length >= 2,
      5000,
      'both callbacks',
    );
    await s.server.proxy.lifecycle.idle();
    assert.equal(s.results.length, 1);
  });

  it('still reaches the final status by polling when the callback is lost', async () => {
    const s = await sandboxWith({ env: { POLL_INITIAL_MS: '50', POLL_MAX_MS: '100' } });
    await s.control('/callbacks', { drop: true });
    const session = await submittedCapture(s, 'inconclusive', 100);
    const statuses = await readStatusEvents(await s.api(`/sessions/${session}/events`));
    assert.deepEqual(statuses.at(-1), { status: 'inconclusive', final: true });
    assert.equal(
      s.logs.filter((l) => l.includes('"callback.received"')).length,
      0,
      'no callback ever arrived',
    );
    await eventually(() => s.results.length === 1);
  });
});

describe('delivery and clean-up', () => {
  it('never deletes the dossier before the result is delivered', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const delivered: ResultPayload[] = [];
    const s = await sandboxWith({
      onResult: async (payload) => {
        await gate;
        delivered.push(payload);
      },
    });
    const session = await submittedCapture(s);
    await readStatusEvents(await s.api(`/sessions/${session}/events`));
    // Final, delivery still running: the dossier must still exist.
    await new Promise((r) => setTimeout(r, 100));
    const logsBefore = s.logs.join('\n');
    assert.doesNotMatch(logsBefore, /dossier\.deleted/);
    release();
    await eventually(() => delivered.length === 1);
    await eventually(
      async () => (await s.assure(`/assure/dossiers/${delivered[0]!.dossierId}`)).status === 404,
      5000,
      'deletion',
    );
  });

  it('keeps the data at Signicat when delivery fails, and schedules another attempt', async () => {
    const s = await sandboxWith({
      onResult: async () => {
        throw new Error('integrator down');
      },
    });
    const session = await submittedCapture(s);
    await readStatusEvents(await s.api(`/sessions/${session}/events`));
    await s.server.proxy.lifecycle.idle();
    const line = await eventually(
      () => s.logs.find((l) => l.includes('"delivery.retry_later"')),
      5000,
      'a retry scheduled',
    );
    const record = await s.server.proxy.store.get(JSON.parse(line).sessionId as string);
    assert.equal(record?.delivery, 'waiting', 'still to be delivered, later');
    assert.equal((await s.assure(`/assure/dossiers/${record!.dossierId}`)).status, 200);
  });

  it('deletes nothing when no delivery target is configured, and says so at start', async () => {
    const s = await sandboxWith({ onResult: null });
    assert.ok(s.logs.some((l) => l.includes('"delivery.not_configured"')));
    const session = await submittedCapture(s);
    await readStatusEvents(await s.api(`/sessions/${session}/events`));
    await s.server.proxy.lifecycle.idle();
    const line = s.logs.find((l) => l.includes('"session.submitted"'))!;
    const record = await s.server.proxy.store.get(JSON.parse(line).sessionId);
    assert.equal(record?.delivery, 'none');
    assert.equal((await s.assure(`/assure/dossiers/${record!.dossierId}`)).status, 200);
  });

  it('keeps dossiers when DELETE_AFTER_DELIVERY=false', async () => {
    const s = await sandboxWith({ env: { DELETE_AFTER_DELIVERY: 'false' } });
    const session = await submittedCapture(s);
    await readStatusEvents(await s.api(`/sessions/${session}/events`));
    await eventually(() => s.results.length === 1);
    await s.server.proxy.lifecycle.idle();
    assert.equal((await s.assure(`/assure/dossiers/${s.results[0]!.dossierId}`)).status, 200);
  });
});
