/** Assure emulator: fault rules (`PUT`/`GET`/`DELETE /control/faults`, `emulator.faults`), one-off and lasting. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { FAULT_OPERATIONS } from '../../server/emulator/index.ts';
import {
  assertProblem,
  basicAuth,
  JPEG_URL,
  PAPER,
  startHarness,
  type Harness,
} from './emulator-fixtures.ts';

const START = '2000-01-01T00:00:00Z';

describe('Assure emulator: fault rules', () => {
  let h: Harness;
  let dossierId: string;
  before(async () => {
    h = await startHarness({ processingDelayMs: 0 });
    dossierId = await h.createDossier();
  });
  beforeEach(() => h.call('DELETE', '/control/faults'));
  after(() => h.close());

  const setRules = (rules: unknown[]) => h.call('PUT', '/control/faults', { rules });
  const tokenCall = () =>
    fetch(`${h.url}/auth/open/connect/token`, {
      method: 'POST',
      headers: { Authorization: basicAuth(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=signicat-api',
    });

  it('validates rules', async () => {
    for (const rule of [
      { operation: 'nope', status: 500 },
      { operation: 'createDossier' },
      { operation: 'createDossier', status: 204 },
      { operation: 'createDossier', status: 302 },
      { operation: 'createDossier', status: 600 },
      { operation: 'createDossier', status: 0 },
      { operation: 'createDossier', status: 503, duplicate: true },
      { operation: 'createDossier', delayMs: 10, retryAfter: 3 },
      { operation: 'createDossier', status: 503, times: 0 },
      { operation: 'createDossier', status: 503, delayMs: -1 },
      { operation: 'createDossier', status: 503, extra: 1 },
      { operation: 'callback', status: 500 },
      { operation: 'event', status: 0, retryAfter: 1 },
    ]) {
      const res = await setRules([rule]);
      assert.equal(res.status, 400, JSON.stringify(rule));
      assertProblem(res.body, 400, '/control/faults', 'PUT');
    }
    assert.equal((await h.call('PUT', '/control/faults', { rules: {} })).status, 400);
    assert.equal((await h.call('PUT', '/control/faults', {})).status, 400);
    assert.deepEqual(
      (await h.call('GET', '/control/faults')).body,
      { rules: [] },
      'a refused PUT changes nothing',
    );
    for (const rule of [
      { operation: 'download', status: 204 },
      { operation: 'documentTypes', status: 204, times: 2 },
      { operation: 'callback', status: 0 },
      { operation: 'event', duplicate: true, delayMs: 5 },
      { operation: 'token', status: 429, retryAfter: 0 },
    ]) {
      assert.equal((await setRules([rule])).status, 200, JSON.stringify(rule));
    }
  });

  it('a one-off rule (times: 1) answers its status with Retry-After once, then the operation works', async () => {
    const set = await setRules([
      { operation: 'createDossier', status: 503, retryAfter: 7, times: 1 },
    ]);
    assert.deepEqual(set.body, {
      rules: [{ operation: 'createDossier', status: 503, retryAfter: 7, times: 1 }],
    });
    const first = await h.call('POST', '/assure/dossiers');
    assert.equal(first.status, 503);
    assert.equal(first.headers.get('retry-after'), '7');
    assertProblem(first.body, 503, '/assure/dossiers', 'POST');
    const second = await h.call('POST', '/assure/dossiers');
    assert.equal(second.status, 201);
    assert.equal(second.headers.get('retry-after'), null);
    assert.deepEqual((await h.call('GET', '/control/faults')).body, { rules: [] });
  });

  it('a lasting rule (no times) applies to every call until DELETE /control/faults', async () => {
    const processId = (await h.createProcess(dossierId, PAPER)).processId;
    const path = `/assure/dossiers/${dossierId}/processes/${processId}`;
    await setRules([{ operation: 'getProcess', status: 429 }]);
    for (let i = 0; i < 5; i++) {
      const res = await h.call('GET', path);
      assert.equal(res.status, 429);
      assert.equal(res.headers.get('retry-after'), null, 'no Retry-After unless asked for');
    }
    assert.deepEqual((await h.call('GET', '/control/faults')).body, {
      rules: [{ operation: 'getProcess', status: 429 }],
    });
    const cleared = await h.call('DELETE', '/control/faults');
    assert.equal(cleared.status, 204);
    assert.equal((await h.call('GET', path)).status, 200);
  });

  it('counts times down and applies rules in order', async () => {
    await setRules([
      { operation: 'getDossier', status: 503, times: 2 },
      { operation: 'getDossier', status: 500, times: 1 },
    ]);
    const path = `/assure/dossiers/${dossierId}`;
    assert.equal((await h.call('GET', path)).status, 503);
    assert.deepEqual((await h.call('GET', '/control/faults')).body.rules, [
      { operation: 'getDossier', status: 503, times: 1 },
      { operation: 'getDossier', status: 500, times: 1 },
    ]);
    assert.equal((await h.call('GET', path)).status, 503);
    assert.equal((await h.call('GET', path)).status, 500);
    assert.equal((await h.call('GET', path)).status, 200);
  });

  it('delayMs waits before answering, alone or with a status', async () => {
    await setRules([
      { operation: 'getDossier', delayMs: 150, times: 1 },
      { operation: 'createDossier', delayMs: 100, status: 502, times: 1 },
    ]);
    let started = Date.now();
    const slow = await h.call('GET', `/assure/dossiers/${dossierId}`);
    assert.equal(slow.status, 200);
    assert.ok(Date.now() - started >= 140, 'waited');
    started = Date.now();
    assert.equal((await h.call('POST', '/assure/dossiers')).status, 502);
    assert.ok(Date.now() - started >= 90, 'waited');
  });

  it('download and documentTypes can answer an empty 204', async () => {
    await h.call('PUT', '/control/outcome', { status: 'accepted', delayMs: 0 });
    const processId = await h.startProcess(dossierId, PAPER);
    await h.waitForStatus(dossierId, processId, 'accepted');
    const download = `/assure/dossiers/${dossierId}/processes/${processId}/download`;
    assert.equal((await h.fetch(download)).status, 200);
    await setRules([
      { operation: 'download', status: 204, times: 1 },
      { operation: 'documentTypes', status: 204, times: 1 },
    ]);
    const empty = await h.fetch(download);
    assert.equal(empty.status, 204);
    assert.equal((await empty.arrayBuffer()).byteLength, 0);
    assert.equal((await h.fetch(download)).status, 200);
    const types = await h.call('GET', '/assure/onfido/document-types');
    assert.equal(types.status, 204);
    assert.equal(types.body, null);
    assert.equal((await h.call('GET', '/assure/onfido/document-types')).status, 200);
  });

  it('token faults answer before the credentials are checked', async () => {
    await setRules([{ operation: 'token', status: 503, retryAfter: 2, times: 1 }]);
    const res = await tokenCall();
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '2');
    assertProblem(await res.json(), 503, '/auth/open/connect/token', 'POST');
    assert.equal((await tokenCall()).status, 200);
  });

  it('API rules count only calls that pass the bearer check', async () => {
    await setRules([{ operation: 'createDossier', status: 503, times: 1 }]);
    assert.equal(
      (await h.call('POST', '/assure/dossiers', undefined, { token: null })).status,
      400,
    );
    assert.equal(
      (await h.call('POST', '/assure/dossiers', undefined, { token: 'unknown' })).status,
      401,
    );
    assert.equal((await h.call('POST', '/assure/dossiers')).status, 503, 'still armed');
  });

  it('every API operation is wired to its route', async () => {
    const d = await h.createDossier();
    const spare = await h.createDossier();
    const p = await h.createProcess(d, PAPER);
    const processPath = `/assure/dossiers/${d}/processes/${p.processId}`;
    const calls: Record<string, () => Promise<number>> = {
      token: async () => (await tokenCall()).status,
      createDossier: async () => (await h.call('POST', '/assure/dossiers')).status,
      getDossier: async () => (await h.call('GET', `/assure/dossiers/${d}`)).status,
      deleteDossier: async () => (await h.call('DELETE', `/assure/dossiers/${spare}`)).status,
      createProcess: async () =>
        (await h.call('POST', `/assure/dossiers/${d}/processes`, PAPER)).status,
      setImages: async () =>
        (await h.call('POST', `${processPath}/images`, { front: JPEG_URL })).status,
      startVerification: async () => (await h.call('POST', processPath)).status,
      getProcess: async () => (await h.call('GET', processPath)).status,
      listProcesses: async () =>
        (await h.call('GET', `/assure/processes?startCreationDate=${START}`)).status,
      failProcess: async () => (await h.call('POST', `${processPath}/fail`)).status,
      download: async () => (await h.call('GET', `${processPath}/download`)).status,
      startCapture: async () =>
        (
          await h.call('POST', `/assure/dossiers/${d}/capture`, {
            providers: [{ provider: 'onfido' }],
            redirectUrl: 'https://x.example/',
            sdk: 'capture',
          })
        ).status,
      documentTypes: async () => (await h.call('GET', '/assure/onfido/document-types')).status,
    };
    const apiOperations = FAULT_OPERATIONS.filter(
      (operation) => operation !== 'callback' && operation !== 'event',
    );
    assert.deepEqual(Object.keys(calls).sort(), [...apiOperations].sort());
    for (const operation of apiOperations) {
      await setRules([{ operation, status: 418, times: 1 }]);
      assert.equal(await calls[operation]!(), 418, operation);
      assert.deepEqual(
        (await h.call('GET', '/control/faults')).body.rules,
        [],
        `${operation} used its rule`,
      );
    }
  });

  it('emulator.faults sets, lists and clears the same rules in process', async () => {
    h.emulator.faults.set([{ operation: 'getDossier', status: 500, times: 1 }]);
    assert.deepEqual(h.emulator.faults.list(), [
      { operation: 'getDossier', status: 500, times: 1 },
    ]);
    assert.deepEqual((await h.call('GET', '/control/faults')).body.rules, [
      { operation: 'getDossier', status: 500, times: 1 },
    ]);
    assert.equal((await h.call('GET', `/assure/dossiers/${dossierId}`)).status, 500);
    h.emulator.faults.set([{ operation: 'getDossier', status: 503 }]);
    h.emulator.faults.clear();
    assert.equal((await h.call('GET', `/assure/dossiers/${dossierId}`)).status, 200);
    assert.throws(
      () => h.emulator.faults.set([{ operation: 'getDossier', status: 204 }]),
      TypeError,
    );
    assert.throws(
      () => h.emulator.faults.set([{ operation: 'nope' as never, status: 500 }]),
      TypeError,
    );
    assert.deepEqual(h.emulator.faults.list(), []);
  });

  it('close() ends a request waiting on delayMs', async () => {
    const local = await startHarness();
    local.emulator.faults.set([{ operation: 'getDossier', delayMs: 600_000 }]);
    const d = await local.createDossier();
    const pending = local.call('GET', `/assure/dossiers/${d}`).then(
      (res) => res.status,
      () => 'closed',
    );
    const started = Date.now();
    await local.close();
    await pending;
    assert.ok(Date.now() - started < 5000, 'did not wait out the delay');
  });
});
