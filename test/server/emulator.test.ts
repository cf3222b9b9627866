/** Assure API emulator: token endpoint, bearer checks, dossiers, processes, document types, capture configurations, errors. */
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
import { basicAuth, startHarness, type Harness } from './emulator-fixtures.ts';

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function assertProblem(body: any, status: number, instance: string, method: string) {
  assert.equal(body.status, status);
  assert.equal(body.instance, instance);
  assert.equal(body.method, method);
  assert.equal(body.type, status >= 500 ? 'base:server-problem' : 'base:client-problem');
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
  assert.match(body.traceId, /^[0-9a-f]{32}$/);
}

describe('Assure emulator: token endpoint', () => {
  let clock = Date.parse('2025-01-15T10:00:00Z');
  const events: EmulatorEvent[] = [];
  let h: Harness;
  before(async () => {
    h = await startHarness({ now: () => clock, tokenLifetimeSeconds: 60, log: (e) => events.push(e) });
  });
  after(() => h.close());

  const token = (headers: Record<string, string>, body: string) =>
    fetch(`${h.url}/auth/open/connect/token`, { method: 'POST', headers, body });
  const form = { 'Content-Type': 'application/x-www-form-urlencoded' };

  it('issues a bearer token for client_credentials with HTTP Basic', async () => {
    const res = await token({ ...form, Authorization: basicAuth() }, 'grant_type=client_credentials&scope=signicat-api');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    const body = await res.json();
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.expires_in, 60);
    assert.equal(body.scope, 'signicat-api');
    assert.ok(body.access_token.length >= 32);
    assert.ok(events.some((e) => e.type === 'token.issued' && e.clientId === SANDBOX_CLIENT_ID));
    assert.ok(!JSON.stringify(events).includes(body.access_token), 'tokens are never logged');
  });

  it('refuses bad client credentials with 401 invalid_client', async () => {
    for (const authorization of [basicAuth(SANDBOX_CLIENT_ID, 'wrong'), basicAuth('nobody', SANDBOX_CLIENT_SECRET), 'Basic !!!', undefined]) {
      const headers: Record<string, string> = { ...form };
      if (authorization) headers['Authorization'] = authorization;
      const res = await token(headers, 'grant_type=client_credentials&scope=signicat-api');
      assert.equal(res.status, 401);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Basic/);
      const body = await res.json();
      assert.equal(body.error, 'invalid_client');
      assert.equal(typeof body.error_description, 'string');
    }
  });

  it('accepts client credentials only through HTTP Basic', async () => {
    const res = await token(form, `grant_type=client_credentials&scope=signicat-api&client_id=${SANDBOX_CLIENT_ID}&client_secret=${SANDBOX_CLIENT_SECRET}`);
    assert.equal(res.status, 401);
    assert.equal((await res.json()).error, 'invalid_client');
    const both = await token({ ...form, Authorization: basicAuth() }, 'grant_type=client_credentials&scope=signicat-api&client_secret=x');
    assert.equal(both.status, 401);
  });

  it('refuses other grants with 400 unsupported_grant_type', async () => {
    const res = await token({ ...form, Authorization: basicAuth() }, 'grant_type=password&scope=signicat-api');
    assert.equal(res.status, 400);
    assert.equal((await res.json()).error, 'unsupported_grant_type');
  });

  it('refuses other or missing scopes with 400 invalid_scope', async () => {
    for (const body of ['grant_type=client_credentials&scope=openid', 'grant_type=client_credentials', 'grant_type=client_credentials&scope=signicat-api%20openid']) {
      const res = await token({ ...form, Authorization: basicAuth() }, body);
      assert.equal(res.status, 400);
      assert.equal((await res.json()).error, 'invalid_scope');
    }
  });

  it('wants a form-encoded body', async () => {
    const res = await token({ 'Content-Type': 'application/json', Authorization: basicAuth() }, '{"grant_type":"client_credentials"}');
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
    assert.equal((await h.call('GET', '/assure/dossiers', undefined, { token: fresh })).status, 200);
    clock += 59_000;
    assert.equal((await h.call('GET', '/assure/dossiers', undefined, { token: fresh })).status, 200);
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
      body: 'grant_type=client_credentials&scope=signicat-api',
    });
    assert.equal(res.status, 200);
    const sandbox = await own.app.request('/auth/open/connect/token', {
      method: 'POST',
      headers: { ...form, Authorization: basicAuth() },
      body: 'grant_type=client_credentials&scope=signicat-api',
    });
    assert.equal(sandbox.status, 401);
    own.close();
  });
});

describe('Assure emulator: dossiers and processes', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('creates a dossier from an empty body or any JSON object', async () => {
    const empty = await h.call('POST', '/assure/dossiers');
    assert.equal(empty.status, 201);
    assert.deepEqual(Object.keys(empty.body).sort(), ['createdAt', 'dossierId', 'updatedAt']);
    assert.match(empty.body.dossierId, UUID_V4);
    assert.match(empty.body.createdAt, TIMESTAMP);
    assert.match(empty.body.updatedAt, TIMESTAMP);
    const withFields = await h.call('POST', '/assure/dossiers', { externalReference: 'abc', whatever: [1] });
    assert.equal(withFields.status, 201);
    assert.notEqual(withFields.body.dossierId, empty.body.dossierId);
    for (const bad of ['[1,2]', '"text"', '{not json']) {
      const res = await h.call('POST', '/assure/dossiers', bad, { headers: { 'Content-Type': 'application/json' } });
      assert.equal(res.status, 400, bad);
      assertProblem(res.body, 400, '/assure/dossiers', 'POST');
    }
  });

  it('lists dossiers and gets one with its processes', async () => {
    const dossierId = await h.createDossier();
    const list = await h.call('GET', '/assure/dossiers');
    assert.equal(list.status, 200);
    assert.ok(Array.isArray(list.body));
    assert.ok(list.body.some((d: any) => d.dossierId === dossierId));
    const process = await h.createProcess(dossierId, { provider: 'signicatpaper', documentType: 'passport' });
    const got = await h.call('GET', `/assure/dossiers/${dossierId}`);
    assert.equal(got.status, 200);
    assert.equal(got.body.dossierId, dossierId);
    assert.equal(got.body.processes.length, 1);
    assert.equal(got.body.processes[0].processId, process.processId);
    assert.equal(got.body.processes[0].authorization, undefined, 'the SDK token is only in the create answer');
  });

  it('creates a process: 201, pending, an authorization token, authorizationHeader never echoed', async () => {
    const dossierId = await h.createDossier();
    const res = await h.call('POST', `/assure/dossiers/${dossierId}/processes`, {
      provider: 'onfido',
      documentType: 'passport',
      processType: 'documentSelfie',
      notificationUrl: 'https://example.test/hook',
      authorizationHeader: 'Bearer secret-callback-value',
      location: { country: 'NOR' },
      redact: ['photo'],
    });
    assert.equal(res.status, 201);
    const body = res.body;
    assert.match(body.processId, UUID_V4);
    assert.equal(body.provider, 'onfido');
    assert.equal(body.status, 'pending');
    assert.equal(body.documentType, 'passport');
    assert.equal(body.processType, 'documentSelfie');
    assert.equal(body.notificationUrl, 'https://example.test/hook');
    assert.match(body.createdAt, TIMESTAMP);
    assert.equal(typeof body.authorization, 'string');
    assert.ok(body.authorization.length >= 32);
    assert.ok(!JSON.stringify(body).includes('secret-callback-value'));
    assert.ok(!('finalResult' in body) && !('providerSpecific' in body) && !('failReason' in body));
    for (const value of Object.values(body)) assert.notEqual(value, null, 'no null fields');

    const got = await h.call('GET', `/assure/dossiers/${dossierId}/processes/${body.processId}`);
    assert.equal(got.status, 200);
    const { authorization: _omitted, ...expected } = body;
    assert.deepEqual(got.body, expected);
    assert.ok(!JSON.stringify(got.body).includes('secret-callback-value'));
  });

  it('validates process creation', async () => {
    const dossierId = await h.createDossier();
    const path = `/assure/dossiers/${dossierId}/processes`;
    for (const body of [
      {},
      { provider: 'nope' },
      { provider: 'onfido', documentType: 'library-card' },
      { provider: 'onfido', notificationUrl: 'javascript:alert(1)' },
      { provider: 'onfido', notificationUrl: '/relative' },
      { provider: 'onfido', authorizationHeader: 'Bearer x\r\nX-Injected: 1' },
    ]) {
      const res = await h.call('POST', path, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assertProblem(res.body, 400, path, 'POST');
    }
    assert.equal((await h.call('POST', path, '{"provider":', { headers: { 'Content-Type': 'application/json' } })).status, 400);
    for (const provider of ['onfido', 'eid', 'readid', 'signicatpaper', 'signicatvideoid', 'signicatpictureid', 'facetec', 'webid']) {
      assert.equal((await h.call('POST', path, { provider })).status, 201, provider);
    }
  });

  it('answers 404 for unknown dossiers and processes, and for a process under another dossier', async () => {
    const a = await h.createDossier();
    const b = await h.createDossier();
    const p = await h.createProcess(a, { provider: 'signicatpaper', documentType: 'passport' });
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const [method, path, body] of [
      ['GET', `/assure/dossiers/${unknown}`],
      ['DELETE', `/assure/dossiers/${unknown}`],
      ['POST', `/assure/dossiers/${unknown}/processes`, { provider: 'onfido' }],
      ['GET', `/assure/dossiers/${a}/processes/${unknown}`],
      ['GET', `/assure/dossiers/${b}/processes/${p.processId}`],
      ['DELETE', `/assure/dossiers/${b}/processes/${p.processId}`],
      ['POST', `/assure/dossiers/${b}/processes/${p.processId}`],
      ['POST', `/assure/dossiers/${b}/processes/${p.processId}/images`, { front: 'x' }],
      ['GET', `/assure/dossiers/${b}/processes/${p.processId}/images/front`],
      ['GET', `/assure/dossiers/${b}/processes/${p.processId}/download`],
    ] as const) {
      const res = await h.call(method, path, body);
      assert.equal(res.status, 404, `${method} ${path}`);
      assertProblem(res.body, 404, path, method);
    }
    assert.equal((await h.call('GET', `/assure/dossiers/${a}/processes/${p.processId}`)).status, 200);
  });

  it('deletes a process (204) and a dossier with its processes (204, later 404)', async () => {
    const dossierId = await h.createDossier();
    const p1 = await h.createProcess(dossierId, { provider: 'onfido' });
    const p2 = await h.createProcess(dossierId, { provider: 'onfido' });
    const del = await h.call('DELETE', `/assure/dossiers/${dossierId}/processes/${p1.processId}`);
    assert.equal(del.status, 204);
    assert.equal(del.body, null);
    assert.equal((await h.call('GET', `/assure/dossiers/${dossierId}/processes/${p1.processId}`)).status, 404);
    assert.deepEqual((await h.call('GET', `/assure/dossiers/${dossierId}`)).body.processes.map((p: any) => p.processId), [p2.processId]);

    assert.equal((await h.call('DELETE', `/assure/dossiers/${dossierId}`)).status, 204);
    assert.equal((await h.call('GET', `/assure/dossiers/${dossierId}`)).status, 404);
    assert.equal((await h.call('GET', `/assure/dossiers/${dossierId}/processes/${p2.processId}`)).status, 404);
    assert.equal((await h.call('PUT', `/control/processes/${p2.processId}`, { status: 'accepted' })).status, 404);
    assert.ok(!(await h.call('GET', '/assure/dossiers')).body.some((d: any) => d.dossierId === dossierId));
  });
});

describe('Assure emulator: document types, capture configurations, errors', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('serves the document-types fixture for every known provider', async () => {
    const onfido = await h.call('GET', '/assure/onfido/document-types');
    assert.equal(onfido.status, 200);
    assert.ok(Array.isArray(onfido.body) && onfido.body.length > 40);
    const countries = new Set(onfido.body.map((d: any) => d.country));
    for (const country of ['NOR', 'SWE', 'DNK', 'FIN', 'ISL', 'DEU', 'FRA', 'NLD', 'ESP', 'ITA', 'POL', 'GBR', 'IRL', 'BEL', 'PRT', 'AUT', 'CHE', 'EST', 'LVA', 'LTU', 'USA']) {
      assert.ok(countries.has(country), country);
    }
    const ids = new Set<number>();
    for (const entry of onfido.body) {
      assert.ok(Number.isInteger(entry.id));
      ids.add(entry.id);
      assert.match(entry.country, /^[A-Z]{3}$/);
      assert.equal(typeof entry.countryName, 'string');
      assert.ok(['Passport', 'Identity Card', 'Driving Licence', 'Residence Permit'].includes(entry.type));
      assert.ok(entry.subType === undefined || typeof entry.subType === 'string');
      assert.deepEqual(Object.keys(entry).filter((k) => !['id', 'country', 'countryName', 'type', 'subType'].includes(k)), []);
    }
    assert.equal(ids.size, onfido.body.length, 'unique ids');
    assert.ok(onfido.body.some((d: any) => d.country === 'NOR' && d.type === 'Passport' && d.countryName === 'Norway'));
    assert.deepEqual(onfido.body, DOCUMENT_TYPES_FIXTURE);
    for (const provider of ['eid', 'signicatpaper', 'signicatvideoid', 'signicatpictureid']) {
      assert.deepEqual((await h.call('GET', `/assure/${provider}/document-types`)).body, onfido.body);
    }
    const unknown = await h.call('GET', '/assure/mystery/document-types');
    assert.equal(unknown.status, 404);
    assertProblem(unknown.body, 404, '/assure/mystery/document-types', 'GET');
    assert.equal((await h.call('GET', '/assure/onfido/document-types', undefined, { token: null })).status, 400);
  });

  it('keeps capture configurations as opaque JSON', async () => {
    const base = '/assure/capture/configurations';
    assert.equal((await h.call('GET', `${base}/demo`)).status, 404);
    const config = { pageTitle: 'Demo', documentTypes: ['passport'], signicatvideoidConfig: { allowedIdTypes: [1000] } };
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
    assert.deepEqual(list.body, [{ pageTitle: 'New', id: 'demo' }, { id: 'other' }]);
    assert.equal((await h.call('POST', `${base}/x`, [1])).status, 400);
    assert.equal((await h.call('PUT', `${base}/x`, '{', { headers: { 'Content-Type': 'application/json' } })).status, 400);
    assert.equal((await h.call('POST', `${base}/bad%20id`, {})).status, 400);
    assert.equal((await h.call('GET', base, undefined, { token: null })).status, 400);
  });

  it('answers not-emulated and unknown routes with 404 problem bodies', async () => {
    const dossierId = await h.createDossier();
    const p = await h.createProcess(dossierId, { provider: 'onfido' });
    for (const [method, path] of [
      ['GET', `/assure/dossiers/${dossierId}/userdata`],
      ['POST', `/assure/dossiers/${dossierId}/files`],
      ['GET', `/assure/dossiers/${dossierId}/processes/${p.processId}/video`],
      ['GET', `/assure/dossiers/${dossierId}/processes/${p.processId}/externalId`],
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
    const res = await h.call('POST', '/assure/dossiers', body, { headers: { 'Content-Type': 'application/json' } });
    assert.equal(res.status, 413);
    assertProblem(res.body, 413, '/assure/dossiers', 'POST');
  });

  it('validates control bodies', async () => {
    for (const body of [{}, { status: 'processing' }, { status: 'accepted', delayMs: -1 }, { status: 'accepted', delayMs: 1.5 }, { status: 'accepted', extra: 1 }]) {
      const res = await h.call('PUT', '/control/outcome', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assertProblem(res.body, 400, '/control/outcome', 'PUT');
    }
    assert.equal((await h.call('PUT', '/control/outcome', '{', { headers: { 'Content-Type': 'application/json' } })).status, 400);
    assert.equal((await h.call('PUT', '/control/callbacks', { drop: 'yes' })).status, 400);
    assert.equal((await h.call('PUT', '/control/processes/unknown', { status: 'accepted' })).status, 404);
    const res = await h.call('PUT', '/control/outcome', { status: 'rejected' }, { token: null });
    assert.equal(res.status, 200, 'control routes need no token');
    assert.deepEqual(res.body, { status: 'rejected', delayMs: 0 });
    assert.deepEqual((await h.call('GET', '/control/outcome')).body, { status: 'rejected', delayMs: 0 });
    const reset = await h.call('POST', '/control/reset');
    assert.equal(reset.status, 200);
    assert.deepEqual(reset.body, { outcome: { status: 'accepted', delayMs: 0 }, callbacks: { drop: false, duplicate: false } });
  });
});

describe('Assure emulator: hosting', () => {
  it('startEmulator serves on a free loopback port and closes', async () => {
    const running = await startEmulator();
    assert.match(running.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${running.url}/auth/open/connect/token`, {
      method: 'POST',
      headers: { Authorization: basicAuth(), 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=client_credentials&scope=signicat-api',
    });
    assert.equal(res.status, 200);
    await running.close();
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
    const dossierId = await h.createDossier();
    clock += 30_000;
    assert.equal((await h.call('GET', `/assure/dossiers/${dossierId}`)).status, 200);
    clock += 30_000;
    h.token = await h.getToken();
    assert.equal((await h.call('GET', `/assure/dossiers/${dossierId}`)).status, 404);
    await h.close();
  });

  it('refuses nonsensical options', () => {
    assert.throws(() => createEmulator({ processingDelayMs: -1 }), RangeError);
    assert.throws(() => createEmulator({ clients: [] }), RangeError);
  });
});
