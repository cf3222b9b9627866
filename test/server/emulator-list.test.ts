/** Assure emulator: getAllProcess (`GET /assure/processes`): required start date, filters, order, paging. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  assertProblem,
  JPEG_URL,
  ONFIDO,
  PAPER,
  startHarness,
  type Harness,
} from './emulator-fixtures.ts';

const T0 = Date.parse('2025-03-01T12:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('Assure emulator: getAllProcess', () => {
  let clock = T0;
  let h: Harness;
  /** Process ids in creation order, one a minute from T0. */
  const ids: string[] = [];
  let ref: string;
  let plain: string;
  let failedId: string;
  let oldId: string;

  before(async () => {
    clock = T0 - 31 * 24 * 60 * 60 * 1000;
    h = await startHarness({
      now: () => clock,
      tokenLifetimeSeconds: 3600,
      processingDelayMs: 60_000,
    });
    ref = (await h.call('POST', '/assure/dossiers', { externalReference: 'order-7' })).body
      .dossierId;
    oldId = (await h.createProcess(ref, PAPER)).processId; // 31 days old: outside the 30-day window
    clock = T0;
    h.token = await h.getToken();
    plain = await h.createDossier();
    for (let i = 0; i < 6; i++) {
      clock = T0 + i * 60_000;
      const body = i % 2 === 0 ? PAPER : { ...ONFIDO, processType: 'documentSelfie' };
      ids.push((await h.createProcess(i < 3 ? ref : plain, body)).processId);
    }
    clock = T0 + 10 * 60_000;
    // ids[1] failed, ids[2] processing, the rest pending.
    await h.call('POST', `/assure/dossiers/${ref}/processes/${ids[1]}/fail`);
    failedId = ids[1]!;
    await h.call('POST', `/assure/dossiers/${ref}/processes/${ids[2]}/images`, { front: JPEG_URL });
    assert.equal((await h.call('POST', `/assure/dossiers/${ref}/processes/${ids[2]}`)).status, 200);
  });
  after(() => h.close());

  const list = (query: string) => h.call('GET', `/assure/processes?${query}`);

  it('requires startCreationDate and checks every filter (400 problem)', async () => {
    for (const query of [
      '',
      'startCreationDate=',
      'startCreationDate=yesterday',
      'startCreationDate=2025-03-01',
      `startCreationDate=${iso(T0)}&endCreationDate=${iso(T0 - 1000)}`,
      `startCreationDate=${iso(T0)}&status=done`,
      `startCreationDate=${iso(T0)}&status=accepted,cancelled`,
      `startCreationDate=${iso(T0)}&offset=-1`,
      `startCreationDate=${iso(T0)}&offset=200001`,
      `startCreationDate=${iso(T0)}&offset=1.5`,
      `startCreationDate=${iso(T0)}&limit=0`,
      `startCreationDate=${iso(T0)}&limit=2001`,
      `startCreationDate=${iso(T0)}&limit=ten`,
      `startCreationDate=${iso(T0)}&order=newest`,
    ]) {
      const res = await list(query);
      assert.equal(res.status, 400, query);
      assertProblem(res.body, 400, '/assure/processes', 'GET');
    }
    assert.equal(
      (
        await h.call('GET', `/assure/processes?startCreationDate=${iso(T0)}`, undefined, {
          token: null,
        })
      ).status,
      400,
    );
  });

  it('answers ListAllProcesses, newest first, with each process dossier and totalResults', async () => {
    const res = await list(`startCreationDate=${iso(T0 - 60 * 24 * 60 * 60 * 1000)}`);
    assert.equal(res.status, 200);
    assert.deepEqual(Object.keys(res.body).sort(), ['filters', 'processes', 'totalResults']);
    assert.deepEqual(
      res.body.processes.map((p: any) => p.processId),
      [...ids].reverse(),
      'not the 31-day-old process',
    );
    assert.ok(
      !res.body.processes.some((p: any) => p.processId === oldId),
      '!res.body.processes.some((p: any) => p.processId === oldId)',
    );
    assert.equal(res.body.totalResults, 6);
    assert.deepEqual(res.body.filters, {
      startCreationDate: iso(T0 - 60 * 24 * 60 * 60 * 1000),
      offset: 0,
      limit: 100,
      order: 'createdAtDescending',
    });
    const [newest] = res.body.processes;
    assert.deepEqual(Object.keys(newest).sort(), [
      'createdAt',
      'dossier',
      'processId',
      'processType',
      'provider',
      'status',
      'updatedAt',
    ]);
    assert.equal(newest.provider, 'onfido');
    assert.equal(newest.createdAt, iso(T0 + 5 * 60_000));
    assert.deepEqual(newest.dossier, {
      dossierId: plain,
      createdAt: iso(T0),
      updatedAt: iso(T0 + 5 * 60_000),
    });
    const withReference = res.body.processes.find((p: any) => p.processId === ids[0]);
    assert.equal(withReference.dossier.dossierId, ref);
    assert.equal(withReference.dossier.externalReference, 'order-7');
    const failed = res.body.processes.find((p: any) => p.processId === failedId);
    assert.equal(failed.status, 'failed');
    assert.deepEqual(failed.failReason, {
      type: 'failed_by_request',
      message: 'Failed by request.',
    });
  });

  it('pages with offset and limit without gaps or overlaps; order createdAtAscending', async () => {
    const seen: string[] = [];
    for (const offset of [0, 2, 4, 6]) {
      const res = await list(`startCreationDate=${iso(T0)}&limit=2&offset=${offset}`);
      assert.equal(res.body.totalResults, 6);
      assert.deepEqual(res.body.filters, {
        startCreationDate: iso(T0),
        offset,
        limit: 2,
        order: 'createdAtDescending',
      });
      assert.equal(res.body.processes.length, offset < 6 ? 2 : 0);
      seen.push(...res.body.processes.map((p: any) => p.processId));
    }
    assert.deepEqual(seen, [...ids].reverse());
    const ascending = await list(
      `startCreationDate=${iso(T0)}&order=createdAtAscending&limit=4&offset=1`,
    );
    assert.deepEqual(
      ascending.body.processes.map((p: any) => p.processId),
      ids.slice(1, 5),
    );
    assert.equal(ascending.body.filters.order, 'createdAtAscending');
  });

  it('filters by creation date (both ends inclusive, whole seconds)', async () => {
    const res = await list(
      `startCreationDate=${iso(T0 + 60_000)}&endCreationDate=${iso(T0 + 3 * 60_000)}`,
    );
    assert.deepEqual(
      res.body.processes.map((p: any) => p.processId),
      [ids[3], ids[2], ids[1]],
    );
    assert.equal(res.body.totalResults, 3);
    assert.equal(res.body.filters.endCreationDate, iso(T0 + 3 * 60_000));
    const offset = await list(
      `startCreationDate=${encodeURIComponent('2025-03-01T13:04:00+01:00')}`,
    );
    assert.deepEqual(
      offset.body.processes.map((p: any) => p.processId),
      [ids[5], ids[4]],
      'a UTC offset is understood',
    );
  });

  it('filters by status: repeated, comma-separated, or both', async () => {
    const failed = await list(`startCreationDate=${iso(T0)}&status=failed`);
    assert.deepEqual(
      failed.body.processes.map((p: any) => p.processId),
      [failedId],
    );
    assert.deepEqual(failed.body.filters.statusList, ['failed']);
    for (const query of [
      'status=failed&status=processing',
      'status=failed,processing',
      'status=failed,processing&status=failed',
    ]) {
      const res = await list(`startCreationDate=${iso(T0)}&${query}`);
      assert.deepEqual(
        res.body.processes.map((p: any) => p.processId),
        [ids[2], ids[1]],
        query,
      );
      assert.equal(res.body.totalResults, 2);
      assert.deepEqual(res.body.filters.statusList, ['failed', 'processing']);
    }
    const pending = await list(`startCreationDate=${iso(T0)}&status=pending`);
    assert.equal(pending.body.totalResults, 4);
    assert.equal(
      (await list(`startCreationDate=${iso(T0)}&status=`)).body.totalResults,
      6,
      'empty means all',
    );
  });

  it('defaults to 100 a page, allows up to 2000, and leaves deleted processes out', async () => {
    const many = await startHarness();
    try {
      const d = await many.createDossier();
      for (let i = 0; i < 105; i++) await many.createProcess(d, { provider: 'facetec' });
      const start = iso(Date.now() - 60_000);
      const first = await many.call('GET', `/assure/processes?startCreationDate=${start}`);
      assert.equal(first.body.processes.length, 100);
      assert.equal(first.body.totalResults, 105);
      assert.equal(
        (await many.call('GET', `/assure/processes?startCreationDate=${start}&limit=2000`)).body
          .processes.length,
        105,
      );
      const target = first.body.processes[0].processId;
      await many.call('DELETE', `/assure/dossiers/${d}/processes/${target}`);
      const after = await many.call(
        'GET',
        `/assure/processes?startCreationDate=${start}&limit=2000`,
      );
      assert.equal(after.body.totalResults, 104);
      assert.ok(
        !after.body.processes.some((p: any) => p.processId === target),
        '!after.body.processes.some((p: any) => p.processId === target)',
      );
    } finally {
      await many.close();
    }
  });
});
