/** Assure emulator: Set images, Get image, Start verification, status transitions, sandbox outcome control, Download. */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { unzipSync, strFromU8 } from 'fflate';
import { SANDBOX_IDENTITY } from '../../server/emulator/index.ts';
import { dataUrl, JPEG_URL, makeJpeg, makePng, PNG_URL, sleep, startHarness, type Harness } from './emulator-fixtures.ts';

const IDENTITY_FIELDS = [
  'firstName',
  'lastName',
  'dateOfBirth',
  'dateOfExpiry',
  'gender',
  'nationality',
  'documentType',
  'documentNumber',
  'issuingCountry',
  'personalIdentificationNumber',
];

describe('Assure emulator: Set images and Get image', () => {
  let h: Harness;
  let dossierId: string;
  before(async () => {
    h = await startHarness();
    dossierId = await h.createDossier();
  });
  after(() => h.close());

  const imagesPath = (processId: string) => `/assure/dossiers/${dossierId}/processes/${processId}/images`;
  const paper = () => h.createProcess(dossierId, { provider: 'signicatpaper', documentType: 'passport' });

  it('stores PNG and JPEG dataURLs (204) and returns them from Get image', async () => {
    const p = await paper();
    const res = await h.call('POST', imagesPath(p.processId), { front: JPEG_URL, selfie: PNG_URL });
    assert.equal(res.status, 204);
    assert.equal(res.body, null);
    const front = await h.call('GET', `${imagesPath(p.processId)}/front`);
    assert.equal(front.status, 200);
    assert.deepEqual(front.body, { front: JPEG_URL });
    assert.deepEqual((await h.call('GET', `${imagesPath(p.processId)}/selfie`)).body, { selfie: PNG_URL });
    for (const depiction of ['back', 'portrait', 'video', '__proto__', 'constructor']) {
      const missing = await h.call('GET', `${imagesPath(p.processId)}/${depiction}`);
      assert.equal(missing.status, 404, depiction);
      assert.equal(missing.body.status, 404);
    }
  });

  it('keeps the last upload of a depiction', async () => {
    const p = await paper();
    const second = dataUrl('image/png', makePng(7, 7));
    assert.equal((await h.call('POST', imagesPath(p.processId), { front: JPEG_URL })).status, 204);
    assert.equal((await h.call('POST', imagesPath(p.processId), { front: second })).status, 204);
    assert.deepEqual((await h.call('GET', `${imagesPath(p.processId)}/front`)).body, { front: second });
  });

  it('allows direct upload only for signicatpaper and onfido document(+selfie) processes', async () => {
    for (const body of [{ provider: 'onfido' }, { provider: 'onfido', processType: 'document' }, { provider: 'onfido', processType: 'documentSelfie' }]) {
      const p = await h.createProcess(dossierId, { ...body, documentType: 'passport' });
      assert.equal((await h.call('POST', imagesPath(p.processId), { front: JPEG_URL })).status, 204, JSON.stringify(body));
    }
    for (const body of [
      { provider: 'onfido', processType: 'documentVideo' },
      { provider: 'eid' },
      { provider: 'readid' },
      { provider: 'signicatvideoid', processType: 'substantial' },
      { provider: 'signicatpictureid' },
      { provider: 'facetec' },
      { provider: 'webid' },
    ]) {
      const p = await h.createProcess(dossierId, { ...body, documentType: 'passport' });
      const res = await h.call('POST', imagesPath(p.processId), { front: JPEG_URL });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.title, 'Direct upload not supported.');
    }
  });

  it('needs a documentType set at creation', async () => {
    const p = await h.createProcess(dossierId, { provider: 'signicatpaper' });
    const res = await h.call('POST', imagesPath(p.processId), { front: JPEG_URL });
    assert.equal(res.status, 400);
    assert.match(res.body.detail, /documentType/);
  });

  it('refuses bodies that are not an object of front/back/selfie', async () => {
    const p = await paper();
    for (const body of [{}, [JPEG_URL], { portrait: JPEG_URL }, { front: JPEG_URL, extra: 1 }, 'null']) {
      const res = await h.call('POST', imagesPath(p.processId), body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.status, 400);
    }
    const malformed = await h.call('POST', imagesPath(p.processId), '{"front":', { headers: { 'Content-Type': 'application/json' } });
    assert.equal(malformed.status, 400);
    const empty = await h.call('POST', imagesPath(p.processId), '', { headers: { 'Content-Type': 'application/json' } });
    assert.equal(empty.status, 400);
    assert.equal((await h.call('GET', `${imagesPath(p.processId)}/front`)).status, 404, 'nothing stored');
  });

  it('checks every image and names the depiction', async () => {
    const p = await paper();
    const big = new Uint8Array(4 * 1024 * 1024 + 1);
    big.set(makePng(2, 2));
    const exactly4MiB = new Uint8Array(4 * 1024 * 1024);
    exactly4MiB.set(makeJpeg(10, 10));
    const cases: [string, unknown, RegExp][] = [
      ['not a string', 42, /dataURL/],
      ['not a dataURL', 'hello', /dataURL/],
      ['not base64', 'data:image/png,abc', /dataURL/],
      ['bad base64', 'data:image/png;base64,abc', /base64/],
      ['gif', dataUrl('image/gif', Buffer.from('GIF89a\x01\x00\x01\x00')), /image\/gif is not supported/],
      ['wrong magic bytes', dataUrl('image/png', Buffer.from('not an image at all')), /neither PNG nor JPEG/],
      ['declared png, is jpeg', dataUrl('image/png', makeJpeg(10, 10)), /declared as image\/png but the data is image\/jpeg/],
      ['declared jpeg, is png', dataUrl('image/jpeg', makePng(10, 10)), /declared as image\/jpeg but the data is image\/png/],
      ['truncated PNG header', dataUrl('image/png', makePng(10, 10).subarray(0, 20)), /truncated/],
      ['truncated JPEG header', dataUrl('image/jpeg', makeJpeg(10, 10).subarray(0, 25)), /truncated/],
      ['JPEG without SOF', dataUrl('image/jpeg', Uint8Array.of(0xff, 0xd8, 0xff, 0xd9)), /no SOF/],
      ['over 4 MiB', dataUrl('image/png', big), /larger than 4194304 bytes/],
      ['PNG wider than 5000 px', dataUrl('image/png', makePng(5001, 10)), /5001×10 px/],
      ['PNG taller than 5000 px', dataUrl('image/png', makePng(10, 5001)), /10×5001 px/],
      ['JPEG wider than 5000 px', dataUrl('image/jpeg', makeJpeg(6000, 100)), /6000×100 px/],
      ['zero height', dataUrl('image/jpeg', makeJpeg(100, 0)), /width or height is 0/],
    ];
    for (const [name, value, reason] of cases) {
      // Large bodies take time: check the size limit on one depiction only.
      for (const depiction of name === 'over 4 MiB' ? ['back'] : ['front', 'back', 'selfie']) {
        const res = await h.call('POST', imagesPath(p.processId), { [depiction]: value });
        assert.equal(res.status, 400, `${name} (${depiction})`);
        assert.equal(res.body.title, 'Invalid image.');
        assert.match(res.body.detail, new RegExp(`^The ${depiction} image is invalid`), name);
        assert.match(res.body.detail, reason, name);
      }
    }
    // One bad image refuses the whole call.
    const mixed = await h.call('POST', imagesPath(p.processId), { front: JPEG_URL, selfie: 'nope' });
    assert.equal(mixed.status, 400);
    assert.match(mixed.body.detail, /selfie/);
    assert.equal((await h.call('GET', `${imagesPath(p.processId)}/front`)).status, 404);
    // The limits themselves are allowed.
    const edge = { front: dataUrl('image/jpeg', makeJpeg(5000, 5000)), back: dataUrl('image/jpeg', exactly4MiB), selfie: dataUrl('image/png', makePng(5000, 1)) };
    assert.equal((await h.call('POST', imagesPath(p.processId), edge)).status, 204);
  });

  it('answers 409 once the process is no longer pending', async () => {
    const p = await paper();
    await h.call('POST', imagesPath(p.processId), { front: JPEG_URL, selfie: JPEG_URL });
    await h.call('PUT', `/control/processes/${p.processId}`, { status: 'accepted', delayMs: 60_000 });
    assert.equal((await h.call('POST', `/assure/dossiers/${dossierId}/processes/${p.processId}`)).status, 200);
    const res = await h.call('POST', imagesPath(p.processId), { front: JPEG_URL });
    assert.equal(res.status, 409);
    assert.equal(res.body.type, 'base:client-problem');
  });
});

describe('Assure emulator: Start verification and status transitions', () => {
  let h: Harness;
  let dossierId: string;
  before(async () => {
    h = await startHarness({ processingDelayMs: 0 });
    dossierId = await h.createDossier();
  });
  beforeEach(() => h.call('POST', '/control/reset'));
  after(() => h.close());

  const processPath = (processId: string) => `/assure/dossiers/${dossierId}/processes/${processId}`;
  async function ready(body: Record<string, unknown> = { provider: 'signicatpaper', documentType: 'passport' }, images: Record<string, string> = { front: JPEG_URL, selfie: JPEG_URL }) {
    const p = await h.createProcess(dossierId, body);
    assert.equal((await h.call('POST', `${processPath(p.processId)}/images`, images)).status, 204);
    return p.processId as string;
  }

  it('needs front and selfie', async () => {
    for (const images of [{ front: JPEG_URL }, { selfie: JPEG_URL }] as Record<string, string>[]) {
      const processId = await ready(undefined, images);
      const res = await h.call('POST', processPath(processId));
      assert.equal(res.status, 400);
      assert.equal(res.body.title, 'Missing images.');
      assert.match(res.body.detail, images.front ? /selfie/ : /front/);
      assert.equal((await h.call('GET', processPath(processId))).body.status, 'pending');
    }
  });

  it('needs back for two-sided documents', async () => {
    for (const documentType of ['identityCard', 'driversLicense', 'residencePermit']) {
      const processId = await ready({ provider: 'signicatpaper', documentType });
      const res = await h.call('POST', processPath(processId));
      assert.equal(res.status, 400, documentType);
      assert.match(res.body.detail, /back/);
      await h.call('POST', `${processPath(processId)}/images`, { back: PNG_URL });
      assert.equal((await h.call('POST', processPath(processId))).status, 200, documentType);
    }
  });

  it('accepts an empty body or JSON, refuses non-JSON', async () => {
    const a = await ready();
    assert.equal((await h.call('POST', processPath(a), 'not json', { headers: { 'Content-Type': 'text/plain' } })).status, 400);
    assert.equal((await h.call('GET', processPath(a))).body.status, 'pending');
    assert.equal((await h.call('POST', processPath(a), { anything: ['goes'] })).status, 200);
    const b = await ready();
    assert.equal((await h.call('POST', processPath(b), '')).status, 200);
  });

  it('answers 200 processing, then becomes accepted with a full synthetic identity', async () => {
    const processId = await ready({ provider: 'signicatpaper', documentType: 'passport' });
    const res = await h.call('POST', processPath(processId));
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'processing');
    assert.equal(res.body.processId, processId);
    assert.ok(!('finalResult' in res.body));
    assert.equal((await h.call('POST', processPath(processId))).status, 409, 'started twice');
    const done = await h.waitForStatus(dossierId, processId, 'accepted');
    assert.deepEqual(Object.keys(done.finalResult).sort(), [...IDENTITY_FIELDS].sort());
    assert.deepEqual(done.finalResult, { ...SANDBOX_IDENTITY, documentType: 'passport' });
    assert.match(done.finalResult.dateOfBirth, /^\d{4}-\d{2}-\d{2}$/);
    assert.match(done.finalResult.nationality, /^[A-Z]{3}$/);
    assert.equal(done.providerSpecific.verification.status, 'true');
    assert.equal(done.providerSpecific.mrzChecksum.documentNumber, 'VALID');
    assert.ok(!('failReason' in done));
    assert.equal((await h.call('POST', processPath(processId))).status, 409, 'final processes cannot restart');
  });

  it('produces every final status through PUT /control/outcome', async () => {
    for (const status of ['rejected', 'inconclusive', 'failed', 'canceled', 'accepted'] as const) {
      const set = await h.call('PUT', '/control/outcome', { status, delayMs: 0 });
      assert.deepEqual(set.body, { status, delayMs: 0 });
      const processId = await ready({ provider: 'onfido', documentType: 'passport' });
      assert.equal((await h.call('POST', processPath(processId))).body.status, 'processing');
      const done = await h.waitForStatus(dossierId, processId, status);
      if (status === 'accepted') {
        assert.equal(done.providerSpecific.documentVerification.result, 'clear');
      } else if (status === 'rejected' || status === 'inconclusive') {
        assert.equal(done.providerSpecific.documentVerification.result, 'consider');
        assert.ok(done.providerSpecific.errors[0].code);
      } else if (status === 'failed') {
        assert.equal(typeof done.failReason, 'string');
        assert.ok(!('finalResult' in done));
      } else {
        assert.ok(!('finalResult' in done) && !('providerSpecific' in done));
      }
    }
  });

  it('shows rejection checks per provider', async () => {
    await h.call('PUT', '/control/outcome', { status: 'rejected' });
    const processId = await ready({ provider: 'signicatpaper', documentType: 'passport' });
    await h.call('POST', processPath(processId));
    const done = await h.waitForStatus(dossierId, processId, 'rejected');
    assert.equal(done.providerSpecific.verification.status, 'false');
    assert.equal(done.providerSpecific.mrzChecksum.documentNumber, 'INVALID');
    assert.equal(done.providerSpecific.errors[0].code, 'DOCUMENT_NUMBER_CHECKSUM_INVALID');
  });

  it('applies the global delay only to processes started afterwards', async () => {
    const before = await ready();
    await h.call('POST', processPath(before));
    await h.call('PUT', '/control/outcome', { status: 'rejected', delayMs: 60_000 });
    await h.waitForStatus(dossierId, before, 'accepted');
    const slow = await ready();
    await h.call('POST', processPath(slow));
    await sleep(50);
    assert.equal((await h.call('GET', processPath(slow))).body.status, 'processing');
    // A per-process setting wins over the global one, even while processing.
    const set = await h.call('PUT', `/control/processes/${slow}`, { status: 'inconclusive', delayMs: 0 });
    assert.equal(set.status, 200);
    assert.deepEqual(set.body, { processId: slow, status: 'inconclusive', delayMs: 0 });
    await h.waitForStatus(dossierId, slow, 'inconclusive');
    assert.equal((await h.call('PUT', `/control/processes/${slow}`, { status: 'accepted' })).status, 409, 'already final');
  });

  it('uses a per-process outcome set before start, over the global one', async () => {
    await h.call('PUT', '/control/outcome', { status: 'accepted' });
    const processId = await ready();
    assert.deepEqual((await h.call('PUT', `/control/processes/${processId}`, { status: 'failed' })).body, { processId, status: 'failed' });
    assert.deepEqual((await h.call('GET', `/control/processes/${processId}`)).body, { processId, status: 'failed' });
    await h.call('POST', processPath(processId));
    const done = await h.waitForStatus(dossierId, processId, 'failed');
    assert.equal(typeof done.failReason, 'string');
  });

  it('keeps processing for the configured delay', async () => {
    await h.call('PUT', '/control/outcome', { status: 'accepted', delayMs: 150 });
    const processId = await ready();
    const started = Date.now();
    await h.call('POST', processPath(processId));
    await h.waitForStatus(dossierId, processId, 'accepted');
    assert.ok(Date.now() - started >= 140, 'not before the delay');
  });

  it('deleting a processing process stops it', async () => {
    await h.call('PUT', '/control/outcome', { status: 'accepted', delayMs: 30 });
    const processId = await ready();
    await h.call('POST', processPath(processId));
    assert.equal((await h.call('DELETE', processPath(processId))).status, 204);
    await sleep(60);
    assert.equal((await h.call('GET', processPath(processId))).status, 404);
  });
});

describe('Assure emulator: partial results and Download', () => {
  let h: Harness;
  let dossierId: string;
  before(async () => {
    h = await startHarness({ processingDelayMs: 60_000 }); // partial results are on by default
    dossierId = await h.createDossier();
  });
  after(() => h.close());

  it('shows a partial providerSpecific block while processing', async () => {
    const p = await h.createProcess(dossierId, { provider: 'signicatpaper', documentType: 'passport' });
    const path = `/assure/dossiers/${dossierId}/processes/${p.processId}`;
    await h.call('POST', `${path}/images`, { front: JPEG_URL, selfie: JPEG_URL });
    const started = await h.call('POST', path);
    assert.equal(started.body.status, 'processing');
    assert.equal(started.body.providerSpecific.ocr.status, 'in_progress');
    assert.ok(!('finalResult' in started.body));
    await h.call('PUT', `/control/processes/${p.processId}`, { status: 'accepted', delayMs: 0 });
    const done = await h.waitForStatus(dossierId, p.processId, 'accepted');
    assert.ok(!('ocr' in done.providerSpecific));
  });

  it('downloads a zip with result.json and the images, only once final', async () => {
    const p = await h.createProcess(dossierId, { provider: 'onfido', documentType: 'driversLicense' });
    const path = `/assure/dossiers/${dossierId}/processes/${p.processId}`;
    const front = makeJpeg(800, 600);
    const back = makePng(8, 5);
    await h.call('POST', `${path}/images`, { front: dataUrl('image/jpeg', front), back: dataUrl('image/png', back), selfie: JPEG_URL });
    const early = await h.call('GET', `${path}/download`);
    assert.equal(early.status, 409);
    assert.equal(early.body.status, 409);
    await h.call('POST', path);
    assert.equal((await h.call('GET', `${path}/download`)).status, 409, 'not while processing');
    await h.call('PUT', `/control/processes/${p.processId}`, { status: 'accepted', delayMs: 0 });
    const final = await h.waitForStatus(dossierId, p.processId, 'accepted');

    const res = await h.fetch(`${path}/download`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/zip');
    assert.match(res.headers.get('content-disposition') ?? '', new RegExp(`${p.processId}\\.zip`));
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    assert.deepEqual(Object.keys(files).sort(), ['back.png', 'front.jpg', 'result.json', 'selfie.jpg']);
    assert.deepEqual(JSON.parse(strFromU8(files['result.json']!)), final);
    assert.deepEqual(files['front.jpg'], front);
    assert.deepEqual(files['back.png'], back);
    assert.equal((await h.call('GET', `${path}/download`, undefined, { token: null })).status, 400);
  });
});
