/**
 * Assure emulator: setImages (201), getImages (octet-stream), startVerification (200 VerifyResponse or
 * 204), Onfido location and consent, FaceTec's verify request, setFailedProcess, status transitions and
 * sandbox outcomes, results (failReason object, finalResult only when accepted), getZipFile (204 until ready).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { unzipSync, strFromU8 } from 'fflate';
import { SANDBOX_IDENTITY } from '../../server/emulator/index.ts';
import {
  dataUrl,
  JPEG_URL,
  makeJpeg,
  makePng,
  ONFIDO,
  PAPER,
  PNG_URL,
  sleep,
  startHarness,
  type Harness,
} from './emulator-fixtures.ts';

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

const bytesOf = (url: string) => new Uint8Array(Buffer.from(url.split(',')[1]!, 'base64'));

describe('Assure emulator: setImages and getImages', () => {
  let h: Harness;
  let dossierId: string;
  before(async () => {
    h = await startHarness();
    dossierId = await h.createDossier();
  });
  after(() => h.close());

  const imagesPath = (processId: string) =>
    `/assure/dossiers/${dossierId}/processes/${processId}/images`;
  const paper = () => h.createProcess(dossierId, PAPER);
  const getImage = (processId: string, depiction?: string) =>
    h.fetch(
      depiction === undefined
        ? imagesPath(processId)
        : `${imagesPath(processId)}?depiction=${depiction}`,
    );

  it('stores PNG and JPEG dataURLs (201, no body) and getImages returns the bytes as application/octet-stream', async () => {
    const p = await paper();
    const res = await h.call('POST', imagesPath(p.processId), { front: JPEG_URL, selfie: PNG_URL });
    assert.equal(res.status, 201);
    assert.equal(res.body, null);
    const front = await getImage(p.processId, 'front');
    assert.equal(front.status, 200);
    assert.equal(front.headers.get('content-type'), 'application/octet-stream');
    assert.deepEqual(new Uint8Array(await front.arrayBuffer()), bytesOf(JPEG_URL));
    assert.deepEqual(
      new Uint8Array(await (await getImage(p.processId, 'selfie')).arrayBuffer()),
      bytesOf(PNG_URL),
    );
    const missing = await h.call('GET', `${imagesPath(p.processId)}?depiction=back`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.status, 404);
    // Get process lists what it holds.
    assert.deepEqual(
      (await h.call('GET', `/assure/dossiers/${dossierId}/processes/${p.processId}`)).body
        .depictions,
      ['front', 'selfie'],
    );
  });

  it('getImages: the depiction query parameter is required and from the enum; portrait only for signicatvideoid/readid', async () => {
    const p = await paper();
    await h.call('POST', imagesPath(p.processId), { front: JPEG_URL });
    for (const depiction of [undefined, '', 'video', '__proto__', 'constructor', 'portrait']) {
      const res = await h.call(
        'GET',
        depiction === undefined
          ? imagesPath(p.processId)
          : `${imagesPath(p.processId)}?depiction=${depiction}`,
      );
      assert.equal(res.status, 400, String(depiction));
      assert.equal(res.body.status, 400);
    }
    const videoid = await h.createProcess(dossierId, {
      provider: 'signicatvideoid',
      processType: 'substantial',
    });
    assert.equal(
      (await h.call('GET', `${imagesPath(videoid.processId)}?depiction=portrait`)).status,
      404,
      'allowed, but none exists',
    );
  });

  it('keeps the last upload of a depiction', async () => {
    const p = await paper();
    const second = dataUrl('image/png', makePng(7, 7));
    assert.equal((await h.call('POST', imagesPath(p.processId), { front: JPEG_URL })).status, 201);
    assert.equal((await h.call('POST', imagesPath(p.processId), { front: second })).status, 201);
    assert.deepEqual(
      new Uint8Array(await (await getImage(p.processId, 'front')).arrayBuffer()),
      bytesOf(second),
    );
  });

  it('allows Set images only for onfido, signicatpaper and facetec', async () => {
    for (const body of [
      PAPER,
      ONFIDO,
      { ...ONFIDO, processType: 'document' },
      { ...ONFIDO, processType: 'documentVideo' },
      { provider: 'facetec' },
    ]) {
      const p = await h.createProcess(dossierId, body);
      assert.equal(
        (await h.call('POST', imagesPath(p.processId), { front: JPEG_URL })).status,
        201,
        JSON.stringify(body),
      );
    }
    for (const body of [
      { provider: 'readid', processType: 'sdk' },
      { provider: 'signicatvideoid', processType: 'substantial' },
      { provider: 'signicatpictureid' },
      { provider: 'connect:idmethod' },
    ]) {
      const p = await h.createProcess(dossierId, { ...body, documentType: 'passport' });
      const res = await h.call('POST', imagesPath(p.processId), { front: JPEG_URL });
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.title, 'Direct upload not supported.');
    }
  });

  it('needs a documentType set at creation (onfido, signicatpaper)', async () => {
    for (const body of [
      { provider: 'signicatpaper', documentCountry: 'NO' },
      { provider: 'onfido' },
    ]) {
      const p = await h.createProcess(dossierId, body);
      const res = await h.call('POST', imagesPath(p.processId), { front: JPEG_URL });
      assert.equal(res.status, 400);
      assert.match(res.body.detail, /documentType/);
    }
  });

  it('refuses bodies without front/back/selfie and ignores unknown keys', async () => {
    const p = await paper();
    for (const body of [{}, [JPEG_URL], { portrait: JPEG_URL }, 'null', { front: null }]) {
      const res = await h.call('POST', imagesPath(p.processId), body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.status, 400);
    }
    assert.equal(
      (
        await h.call('POST', imagesPath(p.processId), '{"front":', {
          headers: { 'Content-Type': 'application/json' },
        })
      ).status,
      400,
    );
    assert.equal(
      (
        await h.call('POST', imagesPath(p.processId), '', {
          headers: { 'Content-Type': 'application/json' },
        })
      ).status,
      400,
    );
    assert.equal((await getImage(p.processId, 'front')).status, 404, 'nothing stored');
    assert.equal(
      (
        await h.call('POST', imagesPath(p.processId), {
          front: JPEG_URL,
          portrait: 'ignored',
          extra: 1,
        })
      ).status,
      201,
    );
    assert.equal((await getImage(p.processId, 'front')).status, 200);
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
      [
        'gif',
        dataUrl('image/gif', Buffer.from('GIF89a\x01\x00\x01\x00')),
        /image\/gif is not supported/,
      ],
      [
        'wrong magic bytes',
        dataUrl('image/png', Buffer.from('not an image at all')),
        /neither PNG nor JPEG/,
      ],
      [
        'declared png, is jpeg',
        dataUrl('image/png', makeJpeg(10, 10)),
        /declared as image\/png but the data is image\/jpeg/,
      ],
      [
        'declared jpeg, is png',
        dataUrl('image/jpeg', makePng(10, 10)),
        /declared as image\/jpeg but the data is image\/png/,
      ],
      ['truncated PNG header', dataUrl('image/png', makePng(10, 10).subarray(0, 20)), /truncated/],
      [
        'truncated JPEG header',
        dataUrl('image/jpeg', makeJpeg(10, 10).subarray(0, 25)),
        /truncated/,
      ],
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
    const mixed = await h.call('POST', imagesPath(p.processId), {
      front: JPEG_URL,
      selfie: 'nope',
    });
    assert.equal(mixed.status, 400);
    assert.match(mixed.body.detail, /selfie/);
    assert.equal((await getImage(p.processId, 'front')).status, 404);
    // The limits themselves are allowed.
    const edge = {
      front: dataUrl('image/jpeg', makeJpeg(5000, 5000)),
      back: dataUrl('image/jpeg', exactly4MiB),
      selfie: dataUrl('image/png', makePng(5000, 1)),
    };
    assert.equal((await h.call('POST', imagesPath(p.processId), edge)).status, 201);
  });

  it('answers 400 once the process is no longer pending ("not allowed after the verification has started")', async () => {
    await h.call('PUT', '/control/outcome', { status: 'accepted', delayMs: 60_000 });
    try {
      const processId = await h.startProcess(dossierId, PAPER);
      const res = await h.call('POST', imagesPath(processId), { front: JPEG_URL });
      assert.equal(res.status, 400);
      assert.equal(res.body.type, 'base:client-problem');
    } finally {
      await h.call('POST', '/control/reset');
    }
  });
});

describe('Assure emulator: startVerification and status transitions', () => {
  let h: Harness;
  let dossierId: string;
  before(async () => {
    h = await startHarness({ processingDelayMs: 0 });
    dossierId = await h.createDossier();
  });
  beforeEach(() => h.call('POST', '/control/reset'));
  after(() => h.close());

  const processPath = (processId: string) => `/assure/dossiers/${dossierId}/processes/${processId}`;
  async function ready(
    body: Record<string, unknown> = PAPER,
    images: Record<string, string> = { front: JPEG_URL, selfie: JPEG_URL },
  ) {
    const p = await h.createProcess(dossierId, body);
    assert.equal((await h.call('POST', `${processPath(p.processId)}/images`, images)).status, 201);
    return p.processId as string;
  }

  it('needs front for signicatpaper, and selfie too for onfido documentSelfie', async () => {
    const paperNoFront = await ready(PAPER, { selfie: JPEG_URL });
    const res = await h.call('POST', processPath(paperNoFront));
    assert.equal(res.status, 400);
    assert.equal(res.body.title, 'Missing images.');
    assert.match(res.body.detail, /front/);
    assert.equal((await h.call('GET', processPath(paperNoFront))).body.status, 'pending');
    assert.equal(
      (await h.call('POST', processPath(await ready(PAPER, { front: JPEG_URL })))).status,
      200,
      'paper reads the document only',
    );
    const onfidoNoSelfie = await ready(ONFIDO, { front: JPEG_URL });
    assert.match((await h.call('POST', processPath(onfidoNoSelfie))).body.detail, /selfie/);
    assert.equal(
      (
        await h.call(
          'POST',
          processPath(await ready({ ...ONFIDO, processType: 'document' }, { front: JPEG_URL })),
        )
      ).status,
      200,
    );
  });

  it('needs back for two-sided documents', async () => {
    for (const documentType of ['identityCard', 'driversLicense', 'residencePermit']) {
      const processId = await ready({ ...PAPER, documentType });
      const res = await h.call('POST', processPath(processId));
      assert.equal(res.status, 400, documentType);
      assert.match(res.body.detail, /back/);
      await h.call('POST', `${processPath(processId)}/images`, { back: PNG_URL });
      assert.equal((await h.call('POST', processPath(processId))).status, 200, documentType);
    }
  });

  it('accepts an empty body or JSON, refuses non-JSON', async () => {
    const a = await ready();
    assert.equal(
      (
        await h.call('POST', processPath(a), 'not json', {
          headers: { 'Content-Type': 'text/plain' },
        })
      ).status,
      400,
    );
    assert.equal((await h.call('GET', processPath(a))).body.status, 'pending');
    assert.equal((await h.call('POST', processPath(a), { anything: ['goes'] })).status, 200);
    const b = await ready();
    assert.equal((await h.call('POST', processPath(b), '')).status, 200);
  });

  it('answers 200 VerifyResponse {processId, status}, then becomes accepted with a full synthetic identity', async () => {
    const processId = await ready();
    const res = await h.call('POST', processPath(processId));
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { processId, status: 'processing' });
    const again = await h.call('POST', processPath(processId));
    assert.equal(again.status, 400, 'started twice');
    assert.equal(again.body.type, 'base:client-problem');
    const done = await h.waitForStatus(dossierId, processId, 'accepted');
    assert.deepEqual(Object.keys(done.finalResult).sort(), [...IDENTITY_FIELDS].sort());
    assert.deepEqual(done.finalResult, { ...SANDBOX_IDENTITY, documentType: 'passport' });
    assert.match(done.finalResult.dateOfBirth, /^\d{4}-\d{2}-\d{2}$/);
    assert.match(done.finalResult.nationality, /^[A-Z]{3}$/);
    assert.equal(
      done.providerSpecific.verification.status,
      true,
      'PaperVerification.status is a boolean',
    );
    assert.equal(done.providerSpecific.mrzChecksum.documentNumber, 'VALID');
    assert.deepEqual(done.providerSpecific.mrzVerification, {
      dateOfExpiry: 'VALID',
      documentType: 'VALID',
      issuingCountry: 'VALID',
      dateOfBirth: 'VALID',
    });
    assert.equal(done.redactionRequested, false);
    assert.ok(!('failReason' in done), "!('failReason' in done)");
    assert.equal(
      (await h.call('POST', processPath(processId))).status,
      400,
      'final processes cannot restart',
    );
  });

  it('answers 204 for readid and webid', async () => {
    const readid = await h.createProcess(dossierId, { provider: 'readid', processType: 'sdk' });
    const started = await h.call('POST', processPath(readid.processId));
    assert.equal(started.status, 204);
    assert.equal(started.body, null);
    await h.waitForStatus(dossierId, readid.processId, 'accepted');
    const webid = await h.createProcess(dossierId, {
      provider: 'webid',
      processType: 'videoid',
      processParameters: { webid: { user: {}, idDocument: {}, userActionParameters: {} } },
    });
    const res = await h.call('POST', processPath(webid.processId));
    assert.equal(res.status, 204);
    assert.equal(res.body, null);
    await h.waitForStatus(dossierId, webid.processId, 'accepted');
  });

  it('onfido with Set images: 400 naming processParameters.location unless Create process had one', async () => {
    for (const location of [undefined, {}, { ipAddress: '' }]) {
      const processId = await ready({
        provider: 'onfido',
        documentType: 'passport',
        ...(location && { processParameters: { location } }),
      });
      const res = await h.call('POST', processPath(processId));
      assert.equal(res.status, 400, JSON.stringify(location));
      assert.match(res.body.detail, /processParameters\.location/);
      assert.equal((await h.call('GET', processPath(processId))).body.status, 'pending');
    }
    for (const location of [
      { countryOfResidence: 'NOR' },
      { ipAddress: '185.91.65.70' },
      { ipAddress: '2a02:2121::1' },
    ]) {
      const processId = await ready({
        provider: 'onfido',
        documentType: 'passport',
        processParameters: { location },
      });
      assert.equal(
        (await h.call('POST', processPath(processId))).status,
        200,
        JSON.stringify(location),
      );
    }
  });

  it('onfido documentSelfie/documentVideo: consents.privacy needed in the USA or at an unknown location', async () => {
    const consentNeeded = [
      { countryOfResidence: 'USA' },
      { countryOfResidence: 'USA', ipAddress: '185.91.65.70' },
      { ipAddress: '127.0.0.1' },
      { ipAddress: '::1' },
      { ipAddress: '10.1.2.3' },
      { ipAddress: '192.168.0.10' },
      { ipAddress: '169.254.1.1' },
      { ipAddress: 'fe80::1' },
      { ipAddress: 'not-an-ip' },
    ];
    for (const processType of [undefined, 'documentSelfie', 'documentVideo']) {
      for (const location of consentNeeded) {
        const base = {
          provider: 'onfido',
          documentType: 'passport',
          ...(processType && { processType }),
        };
        const without = await ready({ ...base, processParameters: { location } });
        const res = await h.call('POST', processPath(without));
        assert.equal(res.status, 400, `${processType} ${JSON.stringify(location)}`);
        assert.match(res.body.detail, /consents\.privacy/);
        const refused = await ready({
          ...base,
          processParameters: { location, consents: { privacy: false } },
        });
        assert.equal((await h.call('POST', processPath(refused))).status, 400);
        const given = await ready({
          ...base,
          processParameters: { location, consents: { privacy: true } },
        });
        assert.equal(
          (await h.call('POST', processPath(given))).status,
          200,
          `${processType} ${JSON.stringify(location)} with consent`,
        );
      }
    }
    // processType document needs no consent; a known non-US location needs none either.
    const document = await ready(
      {
        provider: 'onfido',
        processType: 'document',
        documentType: 'passport',
        processParameters: { location: { ipAddress: '127.0.0.1' } },
      },
      { front: JPEG_URL },
    );
    assert.equal((await h.call('POST', processPath(document))).status, 200);
    const norway = await ready({
      provider: 'onfido',
      documentType: 'passport',
      processParameters: { location: { countryOfResidence: 'NOR', ipAddress: '10.0.0.1' } },
    });
    assert.equal((await h.call('POST', processPath(norway))).status, 200);
  });

  it('onfido through its SDK (provider-SDK stand-in) needs no location', async () => {
    const p = await h.createProcess(dossierId, { provider: 'onfido', documentType: 'passport' });
    assert.equal(
      (
        await h.call(
          'POST',
          '/provider-sdk/onfido/images',
          { front: JPEG_URL, selfie: JPEG_URL },
          { token: p.authorization },
        )
      ).status,
      204,
    );
    assert.equal((await h.call('POST', processPath(p.processId))).status, 200);
  });

  it('facetec: Start verification needs imageDepiction and facetecEnrollment', async () => {
    const processId = await ready({ provider: 'facetec' }, { selfie: JPEG_URL });
    for (const body of [
      undefined,
      {},
      { imageDepiction: 'selfie' },
      { imageDepiction: 'back', facetecEnrollment: {} },
      { facetecEnrollment: {} },
    ]) {
      const res = await h.call('POST', processPath(processId), body);
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    const front = await h.call('POST', processPath(processId), {
      imageDepiction: 'front',
      facetecEnrollment: { faceScan: 'x' },
    });
    assert.equal(front.status, 400, 'no front image');
    assert.match(front.body.detail, /front/);
    const res = await h.call('POST', processPath(processId), {
      imageDepiction: 'selfie',
      facetecEnrollment: { faceScan: 'x' },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { processId, status: 'processing' });
  });

  it('setFailedProcess: 200 ProcessStatusResponse for a pending process, 409 otherwise', async () => {
    const p = await h.createProcess(dossierId, PAPER);
    const res = await h.call('POST', `${processPath(p.processId)}/fail`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      processId: p.processId,
      status: 'failed',
      reason: { category: 'User.Request', reason: 'Process.Failed', message: 'Failed by request.' },
    });
    const got = (await h.call('GET', processPath(p.processId))).body;
    assert.equal(got.status, 'failed');
    assert.deepEqual(got.failReason, { type: 'failed_by_request', message: 'Failed by request.' });
    const again = await h.call('POST', `${processPath(p.processId)}/fail`);
    assert.equal(again.status, 409);
    assert.equal(again.body.status, 409);
    await h.call('PUT', '/control/outcome', { status: 'accepted', delayMs: 60_000 });
    const processing = await h.startProcess(dossierId, PAPER);
    assert.equal((await h.call('POST', `${processPath(processing)}/fail`)).status, 409);
  });

  it('produces every final status through PUT /control/outcome; finalResult only when accepted', async () => {
    for (const status of ['rejected', 'inconclusive', 'failed', 'canceled', 'accepted'] as const) {
      const set = await h.call('PUT', '/control/outcome', { status, delayMs: 0 });
      assert.deepEqual(set.body, { status, delayMs: 0 });
      const processId = await ready(ONFIDO);
      assert.equal((await h.call('POST', processPath(processId))).body.status, 'processing');
      const done = await h.waitForStatus(dossierId, processId, status);
      assert.equal('finalResult' in done, status === 'accepted', status);
      assert.equal('failReason' in done, status === 'failed', status);
      if (status === 'accepted') {
        assert.equal(done.providerSpecific.documentVerification.result, 'clear');
      } else if (status === 'rejected' || status === 'inconclusive') {
        assert.equal(done.providerSpecific.documentVerification.result, 'consider');
        assert.equal(
          typeof done.providerSpecific.errors[0],
          'string',
          'ProviderDetails.errors are strings',
        );
      } else if (status === 'failed') {
        assert.deepEqual(Object.keys(done.failReason).sort(), ['message', 'type']);
        assert.equal(typeof done.failReason.type, 'string');
        assert.equal(typeof done.failReason.message, 'string');
      } else {
        assert.ok(!('providerSpecific' in done), "!('providerSpecific' in done)");
      }
    }
  });

  it('a rejected signicatpaper process keeps finalResult, as in the spec example; checks fail', async () => {
    await h.call('PUT', '/control/outcome', { status: 'rejected' });
    const processId = await ready(PAPER);
    await h.call('POST', processPath(processId));
    const done = await h.waitForStatus(dossierId, processId, 'rejected');
    assert.equal(done.finalResult.documentType, 'passport');
    assert.equal(done.providerSpecific.verification.status, false);
    assert.equal(done.providerSpecific.mrzChecksum.documentNumber, 'INVALID');
    assert.match(done.providerSpecific.errors[0], /^Invalid document_number/);
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
    const set = await h.call('PUT', `/control/processes/${slow}`, {
      status: 'inconclusive',
      delayMs: 0,
    });
    assert.equal(set.status, 200);
    assert.deepEqual(set.body, { processId: slow, status: 'inconclusive', delayMs: 0 });
    await h.waitForStatus(dossierId, slow, 'inconclusive');
    assert.equal(
      (await h.call('PUT', `/control/processes/${slow}`, { status: 'accepted' })).status,
      409,
      'already final',
    );
  });

  it('uses a per-process outcome set before start, over the global one', async () => {
    await h.call('PUT', '/control/outcome', { status: 'accepted' });
    const processId = await ready();
    assert.deepEqual(
      (await h.call('PUT', `/control/processes/${processId}`, { status: 'failed' })).body,
      { processId, status: 'failed' },
    );
    assert.deepEqual((await h.call('GET', `/control/processes/${processId}`)).body, {
      processId,
      status: 'failed',
    });
    await h.call('POST', processPath(processId));
    const done = await h.waitForStatus(dossierId, processId, 'failed');
    assert.equal(typeof done.failReason, 'object');
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

describe('Assure emulator: partial results and getZipFile', () => {
  let h: Harness;
  let dossierId: string;
  before(async () => {
    h = await startHarness({ processingDelayMs: 60_000 });
    dossierId = await h.createDossier();
  });
  after(() => h.close());

  it('shows no invented partial block while processing unless partialResultsWhileProcessing', async () => {
    const processId = await h.startProcess(dossierId, PAPER);
    const path = `/assure/dossiers/${dossierId}/processes/${processId}`;
    assert.ok(
      !('providerSpecific' in (await h.call('GET', path)).body),
      "!('providerSpecific' in (await h.call('GET', path)).body)",
    );
    const partial = await startHarness({
      processingDelayMs: 60_000,
      partialResultsWhileProcessing: true,
    });
    try {
      const d = await partial.createDossier();
      const p = await partial.startProcess(d, PAPER);
      const at = `/assure/dossiers/${d}/processes/${p}`;
      const processing = (await partial.call('GET', at)).body;
      assert.equal(processing.providerSpecific.ocr.status, 'in_progress');
      assert.ok(!('finalResult' in processing), "!('finalResult' in processing)");
      await partial.call('PUT', `/control/processes/${p}`, { status: 'accepted', delayMs: 0 });
      const done = await partial.waitForStatus(d, p, 'accepted');
      assert.ok(!('ocr' in done.providerSpecific), "!('ocr' in done.providerSpecific)");
    } finally {
      await partial.close();
    }
  });

  it('downloads a zip with result.json and the images once accepted; 204 before', async () => {
    const p = await h.createProcess(dossierId, { ...ONFIDO, documentType: 'driversLicense' });
    const path = `/assure/dossiers/${dossierId}/processes/${p.processId}`;
    const front = makeJpeg(800, 600);
    const back = makePng(8, 5);
    await h.call('POST', `${path}/images`, {
      front: dataUrl('image/jpeg', front),
      back: dataUrl('image/png', back),
      selfie: JPEG_URL,
    });
    const early = await h.fetch(`${path}/download`);
    assert.equal(early.status, 204);
    assert.equal((await early.arrayBuffer()).byteLength, 0);
    await h.call('POST', path);
    assert.equal((await h.fetch(`${path}/download`)).status, 204, 'not while processing');
    await h.call('PUT', `/control/processes/${p.processId}`, { status: 'accepted', delayMs: 0 });
    const final = await h.waitForStatus(dossierId, p.processId, 'accepted');

    const res = await h.fetch(`${path}/download`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/zip');
    assert.match(res.headers.get('content-disposition') ?? '', new RegExp(`${p.processId}\\.zip`));
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    assert.deepEqual(Object.keys(files).sort(), [
      'back.png',
      'front.jpg',
      'result.json',
      'selfie.jpg',
    ]);
    assert.deepEqual(JSON.parse(strFromU8(files['result.json']!)), final);
    assert.deepEqual(files['front.jpg'], front);
    assert.deepEqual(files['back.png'], back);
    assert.equal((await h.call('GET', `${path}/download`, undefined, { token: null })).status, 400);
  });

  it('has no zip for failed or canceled processes (204)', async () => {
    const failed = await h.createProcess(dossierId, PAPER);
    await h.call('POST', `/assure/dossiers/${dossierId}/processes/${failed.processId}/fail`);
    assert.equal(
      (await h.fetch(`/assure/dossiers/${dossierId}/processes/${failed.processId}/download`))
        .status,
      204,
    );
  });

  it('answers 204 until zipReadyDelayMs after the final status', async () => {
    let clock = Date.parse('2025-01-15T10:00:00Z');
    const slow = await startHarness({ zipReadyDelayMs: 5000, now: () => clock });
    try {
      const d = await slow.createDossier();
      const processId = await slow.startProcess(d, PAPER);
      await slow.waitForStatus(d, processId, 'accepted');
      const path = `/assure/dossiers/${d}/processes/${processId}/download`;
      assert.equal((await slow.fetch(path)).status, 204, 'final, but the zip is not ready');
      clock += 4999;
      assert.equal((await slow.fetch(path)).status, 204);
      clock += 1;
      assert.equal((await slow.fetch(path)).status, 200);
    } finally {
      await slow.close();
    }
  });
});
