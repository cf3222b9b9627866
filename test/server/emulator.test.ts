/**
 * Assure API emulator: token endpoint (both Basic decodings), bearer checks, dossiers (createDossier,
 * getDossiers, getDossier, deleteDossier), createProcess and its required fields, document types,
 * capture configurations, errors, hosting.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import {
  createEmulator,
  DOCUMENT_TYPES_FIXTURE,
  MAX_BODY_BYTES,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  startEmulator,
  type EmulatorEvent,
} from '../../server/emulator/index.ts';
import {
  assertProblem,
  basicAuth,
  ONFIDO,
  PAPER,
  startHarness,
  type Harness,
} from './emulator-fixtures.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/** RFC 6749 §2.3.1 / Appendix B, as oauth4webapi does it: form-encode id and secret before base64. */
const formEncode = (value: string) =>
  encodeURIComponent(value).replace(/[-_.!~*'()]|%20/g, (ch) =>
    ch === '%20' ? '+' : `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );

describe('Assure emulator: token endpoint', () => {
  let clock = Date.parse('2025-01-15T10:00:00Z');
  const events: EmulatorEvent[] = [];
  let h: Harness;
  before(async () => {
    h = await startHarness({
      now: () => clock,
      tokenLifetimeSeconds: 60,
      log: (e) => events.push(e),
    });
  });
  after(() => h.close());

  const token = (headers: Record<string, string>, body: string, url = h.url) =>
    fetch(`${url}/auth/open/connect/token`, { method: 'POST', headers, body });
  const form = { 'Content-Type': 'application/x-www-form-urlencoded' };
  const grant = 'grant_type=client_credentials&scope=signicat-api';

  it('issues a bearer token for client_credentials with HTTP Basic', async () => {
    const res = await token({ ...form, Authorization: basicAuth() }, grant);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = await res.json();
    assert.deepEqual(Object.keys(body).sort(), [
      'access_token',
      'expires_in',
      'scope',
      'token_type',
    ]);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 60);
    assert.equal(body.scope, 'signicat-api');
    assert.ok(body.access_token.length >= 32, 'body.access_token.length >= 32');
    assert.ok(
      events.some((e) => e.type === 'token.issued' && e.clientId === SANDBOX_CLIENT_ID),
      "events.some((e) => e.type === 'token.issued' && e.clientId === SANDBOX_CLIENT_ID)",
    );
    assert.ok(!JSON.stringify(events).includes(body.access_token), 'tokens are never logged');
  });

  it('refuses bad client credentials with 401 invalid_client', async () => {
    for (const authorization of [
      basicAuth(SANDBOX_CLIENT_ID, 'wrong'),
      basicAuth('nobody', SANDBOX_CLIENT_SECRET),
      'Basic !!!',
      `Basic ${Buffer.from('no-colon').toString('base64')}`,
      undefined,
    ]) {
      const headers: Record<string, string> = { ...form };
      if (authorization) headers['Authorization'] = authorization;
      const res = await token(headers, grant);
      assert.equal(res.status, 401, String(authorization));
      assert.match(res.headers.get('www-authenticate') ?? '', /^Basic/);
      const body = await res.json();
      assert.equal(body.error, 'invalid_client');
      assert.equal(typeof body.error_description, 'string');
    }
  });

  it('accepts client credentials only through HTTP Basic', async () => {
    const res = await token(
      form,
      `${grant}&client_id=${SANDBOX_CLIENT_ID}&client_secret=${SANDBOX_CLIENT_SECRET}`,
    );
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error, 'invalid_client');
    const both = await token({ ...form, Authorization: basicAuth() }, `${grant}&client_secret=x`);
    assert.equal(both.status, 401);
  });

  it('refuses other grants with 400 unsupported_grant_type', async () => {
    const res = await token(
      { ...form, Authorization: basicAuth() },
      'grant_type=password&scope=signicat-api',
    );
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error, 'unsupported_grant_type');
  });

  it('refuses other or missing scopes with 400 invalid_scope', async () => {
    for (const body of [
      'grant_type=client_credentials&scope=openid',
      'grant_type=client_credentials',
      'grant_type=client_credentials&scope=signicat-api%20openid',
    ]) {
      const res = await token({ ...form, Authorization: basicAuth() }, body);
      assert.equal(res.status, 400);
      assert.equal((await res.json()).error, 'invalid_scope');
    }
  });

  it('wants a form-encoded body', async () => {
    const res = await token(
      { 'Content-Type': 'application/json', Authorization: basicAuth() },
      '{"grant_type":"client_credentials"}',
    );
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error, 'invalid_request');
  });

  it('answers 400 "Malformed Authorization header." without a bearer token', async () => {
    for (const authorization of [undefined, 'Basic abc', 'Bearer', 'bearer', 'Token x']) {
      const headers: Record<string, string> = authorization ? { Authorization: authorization } : {};
      const res = await h.call('GET', '/assure/dossiers', undefined, { token: null, headers });
      assert.equal(res.status, 400, String(authorization));
      assertProblem(res.body, 400, '/assure/dossiers', 'GET');
      assert.equal(res.body.title, 'Malformed Authorization header.');
    }
  });

  it('answers 401 for an unknown token', async () => {
    const res = await h.call('POST', '/assure/dossiers', {}, { token: 'not-a-real-token' });
    assert.equal(res.status, 401);
    assertProblem(res.body, 401, '/assure/dossiers', 'POST');
    assert.match(res.headers.get('www-authenticate') ?? '', /invalid_token/);
  });

  it('expires tokens after tokenLifetimeSeconds', async () => {
    const fresh = await h.getToken();
    assert.equal(
      (await h.call('GET', '/assure/dossiers', undefined, { token: fresh })).status,
      200,
    );
    clock += 59_000;
    assert.equal(
      (await h.call('GET', '/assure/dossiers', undefined, { token: fresh })).status,
      200,
    );
    clock += 1_000;
    const res = await h.call('GET', '/assure/dossiers', undefined, { token: fresh });
    assert.equal(res.status, 401);
    assert.equal(res.body.status, 401);
  });

  it('accepts clients given as a map', async () => {
    const own = createEmulator({ clients: { 'my-client': 'my-secret' } });
    const res = await own.app.request('/auth/open/connect/token', {
      method: 'POST',
      headers: { ...form, Authorization: basicAuth('my-client', 'my-secret') },
      body: grant,
    });
    assert.equal(res.status, 200);
    const sandbox = await own.app.request('/auth/open/connect/token', {
      method: 'POST',
      headers: { ...form, Authorization: basicAuth() },
      body: grant,
    });
    assert.equal(sandbox.status, 401);
    own.close();
  });

  describe('HTTP Basic decoding (id with "-", secret with "-", "+", "/", "=", ":", "%")', () => {
    const id = 'acme-client-1';
    const secret = 's3-cr+t/x=y:z%';
    const raw = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    const encoded = `Basic ${Buffer.from(`${formEncode(id)}:${formEncode(secret)}`).toString('base64')}`;

    it('form (default): the RFC 6749 form-encoded credentials authenticate, the raw ones do not', async () => {
      const running = await startEmulator({ clients: { [id]: secret } });
      try {
        assert.match(encoded, /^Basic /);
        assert.ok(
          formEncode(id).includes('%2D') &&
            formEncode(secret).includes('%2B') &&
            formEncode(secret).includes('%3A'),
          "formEncode(id).includes('%2D') && formEncode(secret).includes('%2B') && formEncode(secret).in...",
        );
        assert.equal(
          (await token({ ...form, Authorization: encoded }, grant, running.url)).status,
          200,
        );
        // Raw: the "+" would decode to a space and the trailing "%" is not a valid escape.
        assert.equal(
          (await token({ ...form, Authorization: raw }, grant, running.url)).status,
          401,
        );
        // A raw "+" meant as a space: form decoding reads it as one.
        const plus = await startEmulator({ clients: { 'a b': 'c d' } });
        try {
          assert.equal(
            (await token({ ...form, Authorization: basicAuth('a+b', 'c+d') }, grant, plus.url))
              .status,
            200,
          );
        } finally {
          await plus.close();
        }
      } finally {
        await running.close();
      }
    });

    it('raw: only the unencoded credentials authenticate, split at the first ":"', async () => {
      const running = await startEmulator({ clients: { [id]: secret }, basicAuthDecoding: 'raw' });
      try {
        assert.equal(
          (await token({ ...form, Authorization: raw }, grant, running.url)).status,
          200,
        );
        assert.equal(
          (await token({ ...form, Authorization: encoded }, grant, running.url)).status,
          401,
        );
      } finally {
        await running.close();
      }
    });
  });
});

describe('Assure emulator: dossiers', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('createDossier: 201 Dossier from an empty body or any JSON object, echoing externalReference', async () => {
    const empty = await h.call('POST', '/assure/dossiers');
    assert.equal(empty.status, 201);
    assert.deepEqual(Object.keys(empty.body).sort(), ['createdAt', 'dossierId', 'updatedAt']);
    assert.match(empty.body.dossierId, UUID_V4);
    assert.match(empty.body.createdAt, TIMESTAMP);
    assert.match(empty.body.updatedAt, TIMESTAMP);
    const withFields = await h.call('POST', '/assure/dossiers', {
      externalReference: 'order-42',
      whatever: [1],
    });
    assert.equal(withFields.status, 201);
    assert.equal(withFields.body.externalReference, 'order-42');
    assert.deepEqual(Object.keys(withFields.body).sort(), [
      'createdAt',
      'dossierId',
      'externalReference',
      'updatedAt',
    ]);
    assert.notEqual(withFields.body.dossierId, empty.body.dossierId);
    for (const bad of ['[1,2]', '"text"', '{not json', '{"externalReference":5}']) {
      const res = await h.call('POST', '/assure/dossiers', bad, {
        headers: { 'Content-Type': 'application/json' },
      });
      assert.equal(res.status, 400, bad);
      assertProblem(res.body, 400, '/assure/dossiers', 'POST');
    }
  });

  it('getDossiers: Dossier[] newest first, without processes', async () => {
    const older = await h.createDossier();
    const newer = await h.createDossier();
    const list = await h.call('GET', '/assure/dossiers');
    assert.equal(list.status, 200);
    const ids = list.body.map((d: any) => d.dossierId);
    assert.ok(
      ids.indexOf(newer) < ids.indexOf(older) && ids.indexOf(older) >= 0,
      'ids.indexOf(newer) < ids.indexOf(older) && ids.indexOf(older) >= 0',
    );
    for (const d of list.body) assert.ok(!('processes' in d), "!('processes' in d)");
  });

  it('getDossiers: at most the last 100', async () => {
    const local = await startHarness();
    try {
      const first = await local.createDossier();
      for (let i = 0; i < 100; i++) await local.createDossier();
      const list = await local.call('GET', '/assure/dossiers');
      assert.equal(list.body.length, 100);
      assert.ok(!list.body.some((d: any) => d.dossierId === first), 'the oldest is left out');
    } finally {
      await local.close();
    }
  });

  it('getDossier: DossierResponse with processes as SlimProcess[] (no tokens, no results)', async () => {
    const { body: dossier } = await h.call('POST', '/assure/dossiers', {
      externalReference: 'ref-1',
    });
    const paper = await h.createProcess(dossier.dossierId, PAPER);
    const onfido = await h.createProcess(dossier.dossierId, {
      ...ONFIDO,
      processType: 'documentSelfie',
    });
    const got = await h.call('GET', `/assure/dossiers/${dossier.dossierId}`);
    assert.equal(got.status, 200);
    assert.deepEqual(Object.keys(got.body).sort(), [
      'createdAt',
      'dossierId',
      'externalReference',
      'processes',
      'updatedAt',
    ]);
    assert.equal(got.body.externalReference, 'ref-1');
    assert.deepEqual(
      got.body.processes.map((p: any) => p.processId),
      [paper.processId, onfido.processId],
    );
    assert.deepEqual(Object.keys(got.body.processes[0]).sort(), [
      'createdAt',
      'processId',
      'provider',
      'status',
      'updatedAt',
    ]);
    assert.deepEqual(Object.keys(got.body.processes[1]).sort(), [
      'createdAt',
      'processId',
      'processType',
      'provider',
      'status',
      'updatedAt',
    ]);
    assert.equal(got.body.processes[1].status, 'pending');
  });

  it('deleteDossier: 204 takes the processes along; later 404', async () => {
    const dossierId = await h.createDossier();
    const p1 = await h.createProcess(dossierId, ONFIDO);
    const p2 = await h.createProcess(dossierId, ONFIDO);
    const del = await h.call('DELETE', `/assure/dossiers/${dossierId}/processes/${p1.processId}`);
    assert.equal(del.status, 204);
    assert.equal(del.body, null);
    assert.equal(
      (await h.call('GET', `/assure/dossiers/${dossierId}/processes/${p1.processId}`)).status,
      404,
    );
    assert.deepEqual(
      (await h.call('GET', `/assure/dossiers/${dossierId}`)).body.processes.map(
        (p: any) => p.processId,
      ),
      [p2.processId],
    );

    const gone = await h.call('DELETE', `/assure/dossiers/${dossierId}`);
    assert.equal(gone.status, 204);
    assert.equal(gone.body, null);
    assert.equal((await h.call('GET', `/assure/dossiers/${dossierId}`)).status, 404);
    assert.equal(
      (await h.call('GET', `/assure/dossiers/${dossierId}/processes/${p2.processId}`)).status,
      404,
    );
    assert.equal(
      (await h.call('PUT', `/control/processes/${p2.processId}`, { status: 'accepted' })).status,
      404,
    );
    assert.ok(
      !(await h.call('GET', '/assure/dossiers')).body.some((d: any) => d.dossierId === dossierId),
      "!(await h.call('GET', '/assure/dossiers')).body.some((d: any) => d.dossierId === dossierId)",
    );
  });

  it('deleteDossier: refused while an onfido process is processing, allowed once it is final', async () => {
    const dossierId = await h.createDossier();
    await h.call('PUT', '/control/outcome', { status: 'accepted', delayMs: 60_000 });
    const processId = await h.startProcess(dossierId, ONFIDO);
    const refused = await h.call('DELETE', `/assure/dossiers/${dossierId}`);
    assert.equal(refused.status, 409);
    assertProblem(refused.body, 409, `/assure/dossiers/${dossierId}`, 'DELETE');
    await h.call('PUT', `/control/processes/${processId}`, { status: 'accepted', delayMs: 0 });
    await h.waitForStatus(dossierId, processId, 'accepted');
    assert.equal((await h.call('DELETE', `/assure/dossiers/${dossierId}`)).status, 204);
    // Other providers may be deleted while processing.
    const other = await h.createDossier();
    const paper = await h.startProcess(other, PAPER);
    assert.equal(
      (await h.call('GET', `/assure/dossiers/${other}/processes/${paper}`)).body.status,
      'processing',
    );
    assert.equal((await h.call('DELETE', `/assure/dossiers/${other}`)).status, 204);
    await h.call('POST', '/control/reset');
  });
});

describe('Assure emulator: createProcess', () => {
  let h: Harness;
  let dossierId: string;
  before(async () => {
    h = await startHarness();
    dossierId = await h.createDossier();
  });
  after(() => h.close());
  const path = () => `/assure/dossiers/${dossierId}/processes`;

  it('answers 201 ProcessResponse; authorizationHeader and other unknown fields are ignored, never echoed', async () => {
    const res = await h.call('POST', path(), {
      ...ONFIDO,
      processType: 'documentSelfie',
      notificationUrl: 'https://example.test/hook',
      authorizationHeader: 'Bearer secret-callback-value',
      redact: ['photo'],
      somethingNew: { nested: true },
    });
    assert.equal(res.status, 201);
    const body = res.body;
    assert.deepEqual(Object.keys(body).sort(), [
      'authorization',
      'createdAt',
      'processId',
      'processType',
      'provider',
      'status',
      'updatedAt',
    ]);
    assert.match(body.processId, UUID_V4);
    assert.equal(body.provider, 'onfido');
    assert.equal(body.status, 'pending');
    assert.equal(body.processType, 'documentSelfie');
    assert.match(body.createdAt, TIMESTAMP);
    assert.ok(body.authorization.length >= 32, 'body.authorization.length >= 32');
    assert.ok(
      !JSON.stringify(body).includes('secret-callback-value'),
      "!JSON.stringify(body).includes('secret-callback-value')",
    );

    const got = await h.call('GET', `${path()}/${body.processId}`);
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, {
      processId: body.processId,
      provider: 'onfido',
      processType: 'documentSelfie',
      status: 'pending',
      createdAt: body.createdAt,
      updatedAt: body.updatedAt,
    });
  });

  it('hands out authorization only for providers whose SDK uploads (not signicatpaper, webid)', async () => {
    const webid = {
      provider: 'webid',
      processType: 'videoid',
      processParameters: { webid: { user: {}, idDocument: {}, userActionParameters: {} } },
    };
    for (const [body, sdk] of [
      [PAPER, false],
      [webid, false],
      [{ provider: 'connect:idmethod' }, false],
      [ONFIDO, true],
      [{ provider: 'readid', processType: 'sdk' }, true],
      [{ provider: 'facetec' }, true],
      [{ provider: 'signicatvideoid', processType: 'substantial' }, true],
      [{ provider: 'signicatpictureid', processType: 'document' }, true],
    ] as const) {
      const res = await h.call('POST', path(), body);
      assert.equal(res.status, 201, JSON.stringify(body));
      assert.equal('authorization' in res.body, sdk, body.provider);
    }
  });

  it('follows the spec enums: provider (no eid), processType, documentType', async () => {
    for (const body of [
      {},
      { provider: 'eid' },
      { provider: 'nope' },
      { provider: 'onfido', documentType: 'library-card' },
      { provider: 'onfido', documentType: 'Passport' },
      { provider: 'onfido', processType: 'attended' },
      { provider: 'onfido', eventTags: 'x' },
    ]) {
      const res = await h.call('POST', path(), body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assertProblem(res.body, 400, path(), 'POST');
    }
    assert.equal(
      (
        await h.call('POST', path(), '{"provider":', {
          headers: { 'Content-Type': 'application/json' },
        })
      ).status,
      400,
    );
  });

  it('accepts and ignores unusable legacy callback fields (the spec lacks them)', async () => {
    for (const extra of [
      { notificationUrl: 'javascript:alert(1)' },
      { notificationUrl: '/relative' },
      { authorizationHeader: 'Bearer x\r\nX-Injected: 1' },
      { notificationUrl: 42 },
    ]) {
      assert.equal(
        (await h.call('POST', path(), { ...ONFIDO, ...extra })).status,
        201,
        JSON.stringify(extra),
      );
    }
  });

  it('signicatpaper requires documentCountry: alpha-2 by default, UNIV for passports only', async () => {
    for (const [body, status] of [
      [{ provider: 'signicatpaper', documentType: 'passport' }, 400],
      [{ ...PAPER, documentCountry: null }, 400],
      [{ ...PAPER, documentCountry: 'NOR' }, 400],
      [{ ...PAPER, documentCountry: 'no' }, 400],
      [{ ...PAPER, documentCountry: 'XX' }, 400],
      [{ ...PAPER, documentCountry: 47 }, 400],
      [{ ...PAPER, documentType: 'identityCard', documentCountry: 'UNIV' }, 400],
      [{ provider: 'signicatpaper', documentCountry: 'UNIV' }, 400],
      [{ ...PAPER, documentCountry: 'UNIV' }, 201],
      [{ ...PAPER, documentCountry: 'NL' }, 201],
      [{ ...PAPER, documentType: 'identityCard', documentCountry: 'SE' }, 201],
      // Only signicatpaper reads it.
      [{ ...ONFIDO, documentCountry: 'whatever' }, 201],
    ] as const) {
      const res = await h.call('POST', path(), body);
      assert.equal(res.status, status, JSON.stringify(body));
      if (status === 400) assert.match(res.body.detail, /documentCountry/);
    }
  });

  it('documentCountryFormat alpha3 accepts alpha-3 codes (and UNIV) instead', async () => {
    const alpha3 = await startHarness({ documentCountryFormat: 'alpha3' });
    try {
      const d = await alpha3.createDossier();
      const at = `/assure/dossiers/${d}/processes`;
      assert.equal(
        (await alpha3.call('POST', at, { ...PAPER, documentCountry: 'NLD' })).status,
        201,
      );
      assert.equal(
        (await alpha3.call('POST', at, { ...PAPER, documentCountry: 'UNIV' })).status,
        201,
      );
      assert.equal(
        (await alpha3.call('POST', at, { ...PAPER, documentCountry: 'NL' })).status,
        400,
      );
      assert.equal(
        (await alpha3.call('POST', at, { ...PAPER, documentCountry: 'XXX' })).status,
        400,
      );
    } finally {
      await alpha3.close();
    }
  });

  it('checks location.countryOfResidence is alpha-3, and webid needs processParameters.webid', async () => {
    const res = await h.call('POST', path(), {
      ...ONFIDO,
      processParameters: { location: { countryOfResidence: 'NO' } },
    });
    assert.equal(res.status, 400);
    assert.match(res.body.detail, /countryOfResidence/);
    const webid = await h.call('POST', path(), { provider: 'webid', processType: 'videoid' });
    assert.equal(webid.status, 400);
    assert.match(webid.body.detail, /processParameters\.webid/);
  });

  it('answers 404 for unknown dossiers and processes, and for a process under another dossier', async () => {
    const a = await h.createDossier();
    const b = await h.createDossier();
    const p = await h.createProcess(a, PAPER);
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const [method, at, body] of [
      ['GET', `/assure/dossiers/${unknown}`],
      ['DELETE', `/assure/dossiers/${unknown}`],
      ['POST', `/assure/dossiers/${unknown}/processes`, { provider: 'onfido' }],
      ['GET', `/assure/dossiers/${a}/processes/${unknown}`],
      ['GET', `/assure/dossiers/${b}/processes/${p.processId}`],
      ['DELETE', `/assure/dossiers/${b}/processes/${p.processId}`],
      ['POST', `/assure/dossiers/${b}/processes/${p.processId}`],
      ['POST', `/assure/dossiers/${b}/processes/${p.processId}/fail`],
      ['POST', `/assure/dossiers/${b}/processes/${p.processId}/images`, { front: 'x' }],
      ['GET', `/assure/dossiers/${b}/processes/${p.processId}/images?depiction=front`],
      ['GET', `/assure/dossiers/${b}/processes/${p.processId}/download`],
    ] as const) {
      const res = await h.call(method, at, body);
      assert.equal(res.status, 404, `${method} ${at}`);
      assertProblem(res.body, 404, at.split('?')[0]!, method);
    }
    assert.equal(
      (await h.call('GET', `/assure/dossiers/${a}/processes/${p.processId}`)).status,
      200,
    );
  });
});

describe('Assure emulator: document types, capture configurations, errors', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('getDocumentTypes: EidCountryAndDocumentType[] with camelCase types; id only for signicatvideoid', async () => {
    const onfido = await h.call('GET', '/assure/onfido/document-types');
    assert.equal(onfido.status, 200);
    assert.ok(
      Array.isArray(onfido.body) && onfido.body.length > 40,
      'Array.isArray(onfido.body) && onfido.body.length > 40',
    );
    const countries = new Set(onfido.body.map((d: any) => d.country));
    for (const country of [
      'NOR',
      'SWE',
      'DNK',
      'FIN',
      'ISL',
      'DEU',
      'FRA',
      'NLD',
      'ESP',
      'ITA',
      'POL',
      'GBR',
      'IRL',
      'BEL',
      'PRT',
      'AUT',
      'CHE',
      'EST',
      'LVA',
      'LTU',
      'USA',
    ]) {
      assert.ok(countries.has(country), country);
    }
    for (const entry of onfido.body) {
      assert.match(entry.country, /^[A-Z]{3}$/);
      assert.equal(typeof entry.countryName, 'string');
      assert.ok(
        ['passport', 'identityCard', 'driversLicense', 'residencePermit'].includes(entry.type),
        entry.type,
      );
      assert.ok(!('id' in entry), 'no id');
      assert.deepEqual(
        Object.keys(entry).filter(
          (k) => !['country', 'countryName', 'type', 'subType', 'icao'].includes(k),
        ),
        [],
      );
      assert.equal(entry.icao, entry.type === 'passport' ? 'TD3' : undefined);
    }
    assert.ok(
      onfido.body.some(
        (d: any) => d.country === 'NOR' && d.type === 'passport' && d.countryName === 'Norway',
      ),
      "onfido.body.some((d: any) => d.country === 'NOR' && d.type === 'passport' && d.countryName ==...",
    );
    assert.deepEqual(onfido.body, DOCUMENT_TYPES_FIXTURE);
    for (const provider of ['signicatpaper', 'signicatpictureid']) {
      assert.deepEqual(
        (await h.call('GET', `/assure/${provider}/document-types`)).body,
        onfido.body,
      );
    }
    const videoid = await h.call('GET', '/assure/signicatvideoid/document-types');
    assert.equal(videoid.body.length, onfido.body.length);
    const ids = videoid.body.map((d: any) => d.id);
    assert.ok(ids.every(Number.isInteger), 'ids.every(Number.isInteger)');
    assert.equal(new Set(ids).size, ids.length, 'unique ids');
    assert.deepEqual(
      videoid.body.map(({ id: _id, ...rest }: any) => rest),
      onfido.body,
    );
  });

  it('getDocumentTypes: only the providerName values the spec lists; needs a token', async () => {
    for (const provider of ['eid', 'readid', 'webid', 'facetec', 'mystery']) {
      const res = await h.call('GET', `/assure/${provider}/document-types`);
      assert.equal(res.status, 400, provider);
      assertProblem(res.body, 400, `/assure/${provider}/document-types`, 'GET');
    }
    assert.equal(
      (await h.call('GET', '/assure/onfido/document-types', undefined, { token: null })).status,
      400,
    );
  });

  it('getDocumentTypes: 204 when the provider has none', async () => {
    const local = await startHarness({
      documentTypes: {
        signicatpaper: [],
        onfido: [{ country: 'NOR', countryName: 'Norway', type: 'passport' }],
      },
    });
    try {
      const none = await local.call('GET', '/assure/signicatpaper/document-types');
      assert.equal(none.status, 204);
      assert.equal(none.body, null);
      assert.deepEqual((await local.call('GET', '/assure/onfido/document-types')).body, [
        { country: 'NOR', countryName: 'Norway', type: 'passport' },
      ]);
      assert.equal(
        (await local.call('GET', '/assure/signicatpictureid/document-types')).body.length,
        DOCUMENT_TYPES_FIXTURE.length,
      );
    } finally {
      await local.close();
    }
  });

  it('keeps capture configurations as opaque JSON', async () => {
    const base = '/assure/capture/configurations';
    assert.equal((await h.call('GET', `${base}/demo`)).status, 404);
    const config = {
      pageTitle: 'Demo',
      documentTypes: ['passport'],
      signicatvideoidConfig: { allowedIdTypes: [1000] },
    };
    const created = await h.call('POST', `${base}/demo`, config);
    assert.equal(created.status, 201);
    assert.deepEqual(created.body, config);
    assert.equal((await h.call('POST', `${base}/demo`, config)).status, 409);
    assert.deepEqual((await h.call('GET', `${base}/demo`)).body, config);
    const replaced = await h.call('PUT', `${base}/demo`, { pageTitle: 'New' });
    assert.equal(replaced.status, 200);
    assert.deepEqual((await h.call('GET', `${base}/demo`)).body, { pageTitle: 'New' });
    assert.equal((await h.call('PUT', `${base}/other`, {})).status, 200);
    const list = await h.call('GET', base);
    assert.deepEqual(
      list.body.map((c: any) => c.id),
      ['demo', 'other'],
    );
    for (const entry of list.body)
      assert.deepEqual(Object.keys(entry).sort(), ['createdAt', 'id', 'updatedAt']);
    assert.equal((await h.call('DELETE', `${base}/other`)).status, 204);
    assert.equal((await h.call('DELETE', `${base}/other`)).status, 404);
    assert.equal((await h.call('POST', `${base}/x`, [1])).status, 400);
    assert.equal(
      (await h.call('PUT', `${base}/x`, '{', { headers: { 'Content-Type': 'application/json' } }))
        .status,
      400,
    );
    assert.equal((await h.call('POST', `${base}/bad%20id`, {})).status, 400);
    assert.equal((await h.call('GET', base, undefined, { token: null })).status, 400);
  });

  it('answers not-emulated and unknown routes with 404 problem bodies', async () => {
    const dossierId = await h.createDossier();
    const p = await h.createProcess(dossierId, ONFIDO);
    for (const [method, path] of [
      ['GET', `/assure/dossiers/${dossierId}/userdata`],
      ['POST', `/assure/dossiers/${dossierId}/files`],
      ['GET', `/assure/dossiers/${dossierId}/processes/${p.processId}/video`],
      ['GET', `/assure/dossiers/${dossierId}/processes/${p.processId}/external-id`],
      ['GET', `/assure/dossiers/${dossierId}/processes/${p.processId}/images/front`],
      ['PATCH', '/assure/dossiers'],
      ['GET', '/nothing/here'],
      ['GET', '/'],
    ] as const) {
      const res = await h.call(method, path);
      assert.equal(res.status, 404, `${method} ${path}`);
      assertProblem(res.body, 404, path, method);
    }
  });

  it('answers 413 for bodies over the limit, before reading them', async () => {
    const body = JSON.stringify({ front: 'x'.repeat(MAX_BODY_BYTES) });
    const res = await h.call('POST', '/assure/dossiers', body, {
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(res.status, 413);
    assertProblem(res.body, 413, '/assure/dossiers', 'POST');
  });

  it('validates control bodies; reset restores every control', async () => {
    for (const body of [
      {},
      { status: 'processing' },
      { status: 'accepted', delayMs: -1 },
      { status: 'accepted', delayMs: 1.5 },
      { status: 'accepted', extra: 1 },
    ]) {
      const res = await h.call('PUT', '/control/outcome', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assertProblem(res.body, 400, '/control/outcome', 'PUT');
    }
    assert.equal(
      (
        await h.call('PUT', '/control/outcome', '{', {
          headers: { 'Content-Type': 'application/json' },
        })
      ).status,
      400,
    );
    assert.equal((await h.call('PUT', '/control/callbacks', { drop: 'yes' })).status, 400);
    assert.equal(
      (await h.call('PUT', '/control/processes/unknown', { status: 'accepted' })).status,
      404,
    );
    const res = await h.call('PUT', '/control/outcome', { status: 'rejected' }, { token: null });
    assert.equal(res.status, 200, 'control routes need no token');
    assert.deepEqual(res.body, { status: 'rejected', delayMs: 0 });
    assert.deepEqual((await h.call('GET', '/control/outcome')).body, {
      status: 'rejected',
      delayMs: 0,
    });
    await h.call('PUT', '/control/faults', { rules: [{ operation: 'getProcess', status: 503 }] });
    await h.call('PUT', '/control/events', { url: 'http://127.0.0.1:9/events', secret: 'x' });
    const reset = await h.call('POST', '/control/reset');
    assert.equal(reset.status, 200);
    assert.deepEqual(reset.body, {
      outcome: { status: 'accepted', delayMs: 0 },
      callbacks: { drop: false, duplicate: false },
      faults: [],
      events: { url: null, signed: false },
    });
  });
});

describe('Assure emulator: hosting', () => {
  it('startEmulator serves on a free loopback port and closes', async () => {
    const running = await startEmulator();
    try {
      assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${running.url}/auth/open/connect/token`, {
        method: 'POST',
        headers: {
          Authorization: basicAuth(),
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials&scope=signicat-api',
      });
      assert.equal(res.status, 200);
    } finally {
      await running.close();
    }
  });

  it('answers problem bodies with the instance relative to the mount point', async () => {
    const emulator = createEmulator();
    const parent = new Hono();
    parent.get('/', (c) => c.text('home'));
    parent.route('/emulator', emulator.app);
    const res = await parent.request('/emulator/assure/dossiers');
    assert.equal(res.status, 400);
    assert.equal((await res.json()).instance, '/assure/dossiers');
    const unknown = await parent.request('/emulator/what');
    assert.equal(unknown.status, 404);
    assert.equal((await unknown.json()).instance, '/what');
    assert.equal(await (await parent.request('/')).text(), 'home');
    emulator.close();
  });

  it('deletes dossiers after retentionTtlMs when configured', async () => {
    let clock = Date.parse('2025-01-15T10:00:00Z');
    const h = await startHarness({ now: () => clock, retentionTtlMs: 60_000 });
    try {
      const dossierId = await h.createDossier();
      clock += 30_000;
      assert.equal((await h.call('GET', `/assure/dossiers/${dossierId}`)).status, 200);
      clock += 30_000;
      h.token = await h.getToken();
      assert.equal((await h.call('GET', `/assure/dossiers/${dossierId}`)).status, 404);
    } finally {
      await h.close();
    }
  });

  it('refuses nonsensical options', () => {
    assert.throws(() => createEmulator({ processingDelayMs: -1 }), RangeError);
    assert.throws(() => createEmulator({ zipReadyDelayMs: -1 }), RangeError);
    assert.throws(() => createEmulator({ clients: [] }), RangeError);
    assert.throws(() => createEmulator({ basicAuthDecoding: 'url' as never }), RangeError);
    assert.throws(() => createEmulator({ documentCountryFormat: 'numeric' as never }), RangeError);
    assert.throws(() => createEmulator({ events: { url: 'ftp://x' } }), RangeError);
    assert.throws(
      () => createEmulator({ events: { url: 'http://127.0.0.1/', secret: '' } }),
      RangeError,
    );
  });
});
