/**
 * The Assure client over real loopback HTTP:
 * - against the emulator for whole flows and tokens (optionally behind a wrapper that rewrites or
 *   replaces answers, for faults the emulator does not produce on its own);
 * - against a small Hono stub on 127.0.0.1 for the exact shapes the spec allows (capture `{url}`, object
 *   `failReason`, 204s, …) and for retries, where every answer must be scripted;
 * - with a stubbed fetch only where the bytes on the wire are the point (the token request's header).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { Hono, type Context } from 'hono';
import { unzipSync, zipSync } from 'fflate';
import {
  createAssureClient,
  probeToken,
  type AssureClientOptions,
  type LogEvent,
} from '../../server/assure/client.ts';
import { parseRetryAfter } from '../../server/assure/errors.ts';
import { setImagesBody } from '../../server/assure/images-body.ts';
import { AssureError, type AssureClient, type ImageSet } from '../../server/assure/types.ts';
import {
  createEmulator,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  type EmulatorOptions,
} from '../../server/emulator/index.ts';
import { listen, type FetchHandler } from '../../server/http/listen.ts';
import { faults, faultyAssure } from '../helpers/faulty-assure.ts';

/** A 1×1 PNG: the emulator checks magic bytes and the IHDR size. */
const PNG_BASE64 =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PNG = new Uint8Array(Buffer.from(PNG_BASE64, 'base64'));
/** A minimal JPEG header with a 2×3 SOF0 frame. */
const JPEG = new Uint8Array([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01,
  0x00, 0x01, 0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x03, 0x00, 0x02, 0x01, 0x01, 0x11,
  0x00, 0xff, 0xd9,
]);
const PAPER_PASSPORT = {
  provider: 'signicatpaper',
  documentType: 'passport',
  documentCountry: 'NO',
};
const D = '11111111-1111-4111-8111-111111111111';
const P = '22222222-2222-4222-8222-222222222222';
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const TOKEN_PATH = '/auth/open/connect/token';
const STUB_TOKEN = 'stub-access-token-0123456789';
const TRACE_ID = '0123456789abcdef0123456789abcdef';
/** An id with `-` and a secret with `-`, `+`, `/`, `=`, `:` and `%` (issue 7). */
const ODD_ID = 'acme-client-1';
const ODD_SECRET = 's3-cr+t/x=y:z%';

const closers: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

interface Observed {
  logs: LogEvent[];
  errors: unknown[];
  /** Every access token issued (to prove none leaks). */
  issuedTokens: string[];
}

/** Records every rejection of `client`, to scan them for secrets at the end. */
function recording(client: AssureClient, errors: unknown[]): AssureClient {
  return new Proxy(client, {
    get:
      (target, key: keyof AssureClient) =>
      (...args: unknown[]) =>
        (target[key] as (...a: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => {
          errors.push(error);
          throw error;
        }),
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Emulator harness

type Wrapper = (request: Request, emulator: FetchHandler) => Response | Promise<Response>;

interface Harness extends Observed {
  url: string;
  tokenRequests(): number;
  /** Every request path, token endpoint included. */
  requests: string[];
  client(options?: Partial<AssureClientOptions>): AssureClient;
}

/** The emulator on a loopback port, optionally behind a fault-injecting wrapper, counting requests. */
async function harness(options: EmulatorOptions = {}, wrap?: Wrapper): Promise<Harness> {
  const emulator = createEmulator({ processingDelayMs: 0, ...options });
  const observed: Observed = { logs: [], errors: [], issuedTokens: [] };
  const requests: string[] = [];
  let tokens = 0;
  const upstream: FetchHandler = async (request) => {
    const response = await emulator.app.fetch(request);
    if (new URL(request.url).pathname === TOKEN_PATH && response.ok) {
      const body = (await response.clone().json()) as { access_token: string };
      observed.issuedTokens.push(body.access_token);
    }
    return response;
  };
  const server = await listen((request) => {
    const path = new URL(request.url).pathname;
    requests.push(path);
    if (path === TOKEN_PATH) tokens++;
    return wrap ? wrap(request, upstream) : upstream(request);
  });
  closers.push(
    () => emulator.close(),
    () => server.close(),
  );
  return {
    ...observed,
    url: server.url,
    tokenRequests: () => tokens,
    requests,
    client: (overrides = {}) =>
      recording(
        createAssureClient({
          apiUrl: server.url,
          tokenUrl: `${server.url}${TOKEN_PATH}`,
          clientId: SANDBOX_CLIENT_ID,
          clientSecret: SANDBOX_CLIENT_SECRET,
          timeoutMs: 2000,
          log: (event) => observed.logs.push(event),
          ...overrides,
        }),
        observed.errors,
      ),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Stub harness: a Hono app whose routes each test scripts

interface Recorded {
  method: string;
  path: string;
  query: string;
  authorization: string | undefined;
  contentType: string | undefined;
  body: string;
  at: number;
}

interface Stub extends Observed {
  url: string;
  /** Assure requests (token requests excluded), in order. */
  requests: Recorded[];
  tokenRequests: Recorded[];
  client(options?: Partial<AssureClientOptions>): AssureClient;
}

/**
 * A stub Assure on 127.0.0.1. `routes` registers handlers (before the first request: Hono's router is
 * fixed once built). The token endpoint answers a fixed token unless `routes` registers its own.
 */
async function stub(routes: (app: Hono) => void): Promise<Stub> {
  const app = new Hono();
  const observed: Observed = { logs: [], errors: [], issuedTokens: [STUB_TOKEN] };
  const requests: Recorded[] = [];
  const tokenRequests: Recorded[] = [];
  app.use('*', async (c, next) => {
    const url = new URL(c.req.url);
    const record: Recorded = {
      method: c.req.method,
      path: url.pathname,
      query: url.search,
      authorization: c.req.header('authorization'),
      contentType: c.req.header('content-type'),
      body: await c.req.text(),
      at: performance.now(),
    };
    (url.pathname === TOKEN_PATH ? tokenRequests : requests).push(record);
    await next();
  });
  routes(app);
  app.post(TOKEN_PATH, (c) =>
    c.json({ access_token: STUB_TOKEN, token_type: 'Bearer', expires_in: 600 }),
  );
  const server = await listen(app.fetch);
  closers.push(() => server.close());
  return {
    ...observed,
    url: server.url,
    requests,
    tokenRequests,
    client: (overrides = {}) =>
      recording(
        createAssureClient({
          apiUrl: server.url,
          tokenUrl: `${server.url}${TOKEN_PATH}`,
          clientId: ODD_ID,
          clientSecret: ODD_SECRET,
          timeoutMs: 2000,
          log: (event) => observed.logs.push(event),
          ...overrides,
        }),
        observed.errors,
      ),
  };
}

/** Answers from a list, one per request, the last repeating. */
function sequence(...answers: Array<(c: Context) => Response | Promise<Response>>) {
  let next = 0;
  return (c: Context) => answers[Math.min(next++, answers.length - 1)]!(c);
}

const problem =
  (status: number, headers: Record<string, string> = {}) =>
  (c: Context) =>
    c.json(
      { status, title: `Failure ${status}.`, traceId: TRACE_ID, detail: 'Maria Santos, born 1990' },
      status as 500,
      headers,
    );

const hang = () => new Promise<Response>(() => {});

// ---------------------------------------------------------------------------------------------------------------
// Assertions

function isAssureError(code: AssureError['code'], status: number, upstreamStatus?: number) {
  return (error: unknown) => {
    assert.ok(error instanceof AssureError, `expected AssureError, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.status, status);
    if (upstreamStatus !== undefined) assert.equal(error.upstreamStatus, upstreamStatus);
    return true;
  };
}

async function untilFinal(client: AssureClient, dossierId: string, processId: string) {
  for (let i = 0; i < 200; i++) {
    const process = await client.getProcess(dossierId, processId);
    if (process.status !== 'pending' && process.status !== 'processing') return process;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('process never became final');
}

async function untilZip(client: AssureClient, dossierId: string, processId: string) {
  for (let i = 0; i < 200; i++) {
    const download = await client.downloadProcess(dossierId, processId);
    if (download.ready) return download.zip;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('zip never became ready');
}

/** Everything a test saw: errors and log events, serialised, must not contain any credential. */
function assertNoSecrets(h: Observed, secrets: string[] = [SANDBOX_CLIENT_SECRET, ODD_SECRET]) {
  const seen = JSON.stringify([
    ...h.errors.map((error) =>
      error instanceof Error ? { ...error, message: error.message, stack: error.stack } : error,
    ),
    ...h.logs,
  ]);
  for (const forbidden of [...secrets, 'Bearer', 'Basic ', 'Maria', ...h.issuedTokens]) {
    assert.ok(!seen.includes(forbidden), `leaked ${forbidden.slice(0, 12)}…`);
  }
}

const retries = (h: Observed) => h.logs.filter((e) => e.event === 'assure.retry');

// ---------------------------------------------------------------------------------------------------------------

describe('Assure client: flows against the emulator', () => {
  it('should run create dossier → process → images → start → get → download → delete', async () => {
    const h = await harness();
    const assure = h.client();

    const { dossierId } = await assure.createDossier({ externalReference: 'sv1.test-reference' });
    assert.match(dossierId, /^[0-9a-f-]{36}$/);
    const types = await assure.getDocumentTypes('signicatpaper');
    assert.ok(
      types.length > 0 &&
        types.every((t) => typeof t.country === 'string' && typeof t.type === 'string'),
      'document types listed',
    );

    const created = await assure.createProcess(dossierId, PAPER_PASSPORT);
    assert.equal(created.status, 'pending');
    const { processId } = created;

    const dossier = await assure.getDossier(dossierId);
    assert.equal(dossier.dossierId, dossierId);
    assert.deepEqual(
      dossier.processes.map((p) => p.processId),
      [processId],
    );

    await assure.setImages(dossierId, processId, { front: { mime: 'image/png', bytes: PNG } });
    // A second upload adds the selfie (and would replace a repeated side).
    await assure.setImages(dossierId, processId, { selfie: { mime: 'image/jpeg', bytes: JPEG } });

    const started = await assure.startVerification(dossierId, processId);
    assert.ok(
      started.status === undefined || ['processing', 'accepted'].includes(started.status),
      'start status',
    );

    const final = await untilFinal(assure, dossierId, processId);
    assert.equal(final.status, 'accepted');
    assert.equal(typeof final.finalResult?.['lastName'], 'string');

    const files = unzipSync(await untilZip(assure, dossierId, processId));
    // The bytes went up as dataURLs and came back unchanged.
    assert.deepEqual(files['front.png'], PNG);
    assert.deepEqual(files['selfie.jpg'], JPEG);

    await assure.deleteDossier(dossierId);
    await assert.rejects(
      assure.getProcess(dossierId, processId),
      isAssureError('upstream_not_found', 404, 404),
    );
    // Deleting again finds nothing (404): the dossier is gone, which is what was asked.
    await assure.deleteDossier(dossierId);
    assert.equal(h.tokenRequests(), 1);
    assertNoSecrets(h);
    // Log events name method, path (with ids), status and timing.
    const request = h.logs.find(
      (e) => e.event === 'assure.request' && e.method === 'POST' && e.path.endsWith('/images'),
    );
    assert.ok(request && request.event === 'assure.request', 'images request logged');
    assert.equal(request.path, `/assure/dossiers/${dossierId}/processes/${processId}/images`);
    assert.ok(request.status && request.status >= 200 && request.status < 300, '2xx logged');
    assert.equal(typeof request.ms, 'number');
    // Image bytes never reach the log.
    assert.ok(
      !JSON.stringify(h.logs).includes(Buffer.from(PNG).toString('base64').slice(0, 24)),
      'no image bytes in logs',
    );
  });

  it('should start a capture flow, return only its url, and find the process through Get dossier', async () => {
    const h = await harness();
    const assure = h.client();
    const { dossierId } = await assure.createDossier();
    const flow = await assure.startCaptureFlow(dossierId, {
      provider: 'signicatpaper',
      redirectUrl: 'http://127.0.0.1:9/return?x=1',
    });
    assert.deepEqual(Object.keys(flow), ['url']);
    assert.match(new URL(flow.url).protocol, /^https?:$/);
    const { processes } = await assure.getDossier(dossierId);
    assert.equal(processes.length, 1);
    const process = await assure.getProcess(dossierId, processes[0]!.processId);
    assert.equal(process.status, 'pending');
  });

  it('should work with an apiUrl that has a path prefix and trailing slash', async () => {
    const emulator = createEmulator({ processingDelayMs: 0 });
    const parent = new Hono().route('/emulator', emulator.app);
    const server = await listen(parent.fetch);
    closers.push(
      () => emulator.close(),
      () => server.close(),
    );
    const assure = createAssureClient({
      apiUrl: `${server.url}/emulator/`,
      tokenUrl: `${server.url}/emulator${TOKEN_PATH}`,
      clientId: SANDBOX_CLIENT_ID,
      clientSecret: SANDBOX_CLIENT_SECRET,
    });
    const { dossierId } = await assure.createDossier();
    await assure.deleteDossier(dossierId);
  });
});

describe('Assure client: the shapes the spec allows (stub)', () => {
  it('should send Create dossier with externalReference, or an empty object', async () => {
    const s = await stub((app) =>
      app.post('/assure/dossiers', (c) => c.json({ dossierId: D, extra: 1 }, 201)),
    );
    const assure = s.client();
    assert.deepEqual(await assure.createDossier({ externalReference: 'sv1.abc' }), {
      dossierId: D,
    });
    assert.deepEqual(await assure.createDossier(), { dossierId: D });
    assert.deepEqual(
      s.requests.map((r) => JSON.parse(r.body)),
      [{ externalReference: 'sv1.abc' }, {}],
    );
    assert.equal(s.requests[0]!.contentType, 'application/json');
    assert.equal(s.requests[0]!.authorization, `Bearer ${STUB_TOKEN}`);
  });

  it('should send every Create process field given, omit the rest, and not need authorization', async () => {
    const s = await stub((app) =>
      app.post(`/assure/dossiers/${D}/processes`, (c) =>
        // Signicat Paper: no authorization (only SDK providers get one), plus a field we do not know.
        c.json(
          { processId: P, provider: 'signicatpaper', status: 'pending', providerApiUrl: 'x' },
          201,
        ),
      ),
    );
    const assure = s.client();
    const input = {
      provider: 'onfido',
      documentType: 'passport',
      documentCountry: 'NO',
      processType: 'documentSelfie',
      processParameters: {
        location: { ipAddress: '203.0.113.7', countryOfResidence: 'NOR' },
        consents: { privacy: true },
      },
      notificationUrl: 'https://proxy.example/api/callbacks/assure',
      authorizationHeader: 'Bearer callback-secret',
    };
    const created = await assure.createProcess(D, input);
    assert.equal(created.processId, P);
    assert.equal(created.status, 'pending');
    assert.ok(!('authorization' in created), 'no authorization key');
    assert.deepEqual(JSON.parse(s.requests[0]!.body), input);

    await assure.createProcess(D, {
      provider: 'signicatpaper',
      documentType: undefined,
      documentCountry: 'UNIV',
    });
    assert.equal(s.requests[1]!.body, '{"provider":"signicatpaper","documentCountry":"UNIV"}');
  });

  it("should pass the SDK provider's authorization through", async () => {
    const s = await stub((app) =>
      app.post(`/assure/dossiers/${D}/processes`, (c) =>
        c.json({ processId: P, status: 'pending', authorization: 'sdk-jwt' }, 201),
      ),
    );
    const created = await s.client().createProcess(D, { provider: 'onfido' });
    assert.equal(created.authorization, 'sdk-jwt');
  });

  it('should accept an object failReason, an unknown status and unknown fields in Get process', async () => {
    const failReason = {
      type: 'system_requirements',
      message: 'Camera not supported.',
      nested: [1, { a: null }],
    };
    const bodies = [
      {
        processId: P,
        provider: 'onfido',
        status: 'failed',
        failReason,
        createdAt: 'x',
        updatedAt: 'y',
        depictions: [],
      },
      { processId: P, status: 'awaitingReview', somethingNew: { deep: true } },
      // Metadata of an unexpected type is dropped, not fatal.
      {
        processId: P,
        status: 'processing',
        provider: 42,
        createdAt: null,
        providerSpecific: 'text',
      },
      { processId: P, status: 'rejected', failReason: 'a plain string, as the old docs had it' },
    ];
    const s = await stub((app) =>
      app.get(
        `/assure/dossiers/${D}/processes/${P}`,
        sequence(...bodies.map((b) => (c: Context) => c.json(b))),
      ),
    );
    const assure = s.client();

    const failed = await assure.getProcess(D, P);
    assert.equal(failed.status, 'failed');
    assert.deepEqual(failed.failReason, failReason);
    assert.deepEqual(failed['depictions'], []);

    const unknown = await assure.getProcess(D, P);
    assert.equal(unknown.status, 'awaitingReview');
    assert.deepEqual(unknown['somethingNew'], { deep: true });

    const odd = await assure.getProcess(D, P);
    assert.equal(odd.status, 'processing');
    assert.ok(
      !('provider' in odd) && !('createdAt' in odd) && !('providerSpecific' in odd),
      'odd metadata dropped',
    );

    assert.equal(
      (await assure.getProcess(D, P)).failReason,
      'a plain string, as the old docs had it',
    );
  });

  it('should refuse a Get process without a usable id or status, without echoing the body', async () => {
    const bodies = [
      { processId: 'not-an-id', status: 'accepted' },
      { processId: P, status: '' },
      { processId: P },
    ];
    const s = await stub((app) =>
      app.get(
        `/assure/dossiers/${D}/processes/${P}`,
        sequence(...bodies.map((b) => (c: Context) => c.json({ ...b, lastName: 'Maria' }))),
      ),
    );
    const assure = s.client();
    for (let i = 0; i < bodies.length; i++) {
      await assert.rejects(
        assure.getProcess(D, P),
        isAssureError('upstream_unavailable', 502, 200),
      );
    }
    assertNoSecrets(s);
  });

  it('should take `{url}` alone from Start capture flow, and only an http(s) url', async () => {
    const s = await stub((app) =>
      app.post(
        `/assure/dossiers/${D}/capture`,
        sequence(
          (c) => c.json({ url: 'https://api.signicat.com/assure/capture/#/artifact=abc' }, 201),
          (c) =>
            c.json(
              { url: 'https://example.com/x', processId: 'not-even-an-id', dossierId: 7 },
              201,
            ),
          (c) => c.json({ url: 'javascript:alert(1)' }, 201),
          (c) => c.json({ processId: P }, 201),
        ),
      ),
    );
    const assure = s.client();
    const input = {
      provider: 'onfido',
      processType: 'documentSelfie',
      redirectUrl: 'https://shop.example/return',
      captureParameters: { defaultCountry: 'NOR' },
    };
    assert.deepEqual(await assure.startCaptureFlow(D, input), {
      url: 'https://api.signicat.com/assure/capture/#/artifact=abc',
    });
    assert.deepEqual(JSON.parse(s.requests[0]!.body), {
      providers: [{ provider: 'onfido', processType: 'documentSelfie' }],
      redirectUrl: 'https://shop.example/return',
      sdk: 'capture',
      captureParameters: { defaultCountry: 'NOR' },
    });
    // Whatever else comes along is ignored, even when malformed.
    assert.deepEqual(await assure.startCaptureFlow(D, input), { url: 'https://example.com/x' });
    await assert.rejects(
      assure.startCaptureFlow(D, input),
      isAssureError('upstream_unavailable', 502, 201),
    );
    await assert.rejects(
      assure.startCaptureFlow(D, input),
      isAssureError('upstream_unavailable', 502, 201),
    );
  });

  it('should read Get dossier with its processes, skipping unusable entries', async () => {
    const s = await stub((app) =>
      app.get(`/assure/dossiers/${D}`, (c) =>
        c.json({
          dossierId: D,
          externalReference: 'sv1.ref',
          createdAt: '2026-01-01T09:00:00Z',
          updatedAt: '2026-01-01T09:00:00Z',
          processes: [
            {
              processId: P,
              provider: 'onfido',
              processType: 'documentSelfie',
              status: 'pending',
              createdAt: 'c',
              extra: 1,
            },
            { processId: 'nope', status: 'pending' },
            { provider: 'onfido' },
            { processId: UNKNOWN_ID, status: 17 },
          ],
        }),
      ),
    );
    const assure = s.client();
    assert.deepEqual(await assure.getDossier(D), {
      dossierId: D,
      externalReference: 'sv1.ref',
      createdAt: '2026-01-01T09:00:00Z',
      processes: [
        {
          processId: P,
          provider: 'onfido',
          processType: 'documentSelfie',
          status: 'pending',
          createdAt: 'c',
        },
        { processId: UNKNOWN_ID },
      ],
    });
    const skipped = s.logs.find((e) => e.event === 'assure.skipped_items');
    assert.deepEqual(skipped, {
      event: 'assure.skipped_items',
      path: `/assure/dossiers/${D}`,
      count: 2,
    });
  });

  it('should treat a dossier without processes as having none', async () => {
    const s = await stub((app) =>
      app.get(`/assure/dossiers/${D}`, (c) => c.json({ dossierId: D })),
    );
    assert.deepEqual(await s.client().getDossier(D), { dossierId: D, processes: [] });
  });

  it('should list processes with the spec query (status repeated) and map each item', async () => {
    const s = await stub((app) =>
      app.get('/assure/processes', (c) =>
        c.json({
          processes: [
            {
              processId: P,
              status: 'processing',
              provider: 'onfido',
              createdAt: 'c',
              dossier: { dossierId: D, externalReference: 'sv1.x' },
              externalId: 'e',
            },
            { processId: UNKNOWN_ID, status: 'pending', dossier: { dossierId: D } },
            { processId: UNKNOWN_ID, status: 'pending' },
            { processId: UNKNOWN_ID, dossier: { dossierId: D } },
          ],
          filters: { limit: 50 },
          totalResults: 548,
        }),
      ),
    );
    const page = await s.client().listProcesses({
      startCreationDate: '2026-01-01T00:00:00Z',
      endCreationDate: '2026-01-08T00:00:00Z',
      statusList: ['pending', 'processing', 'pending'],
      offset: 100,
      limit: 50,
    });
    const query = new URLSearchParams(s.requests[0]!.query);
    assert.equal(query.get('startCreationDate'), '2026-01-01T00:00:00Z');
    assert.equal(query.get('endCreationDate'), '2026-01-08T00:00:00Z');
    assert.deepEqual(query.getAll('status'), ['pending', 'processing']);
    assert.equal(query.get('offset'), '100');
    assert.equal(query.get('limit'), '50');
    assert.deepEqual(page, {
      processes: [
        {
          processId: P,
          status: 'processing',
          provider: 'onfido',
          createdAt: 'c',
          dossier: { dossierId: D, externalReference: 'sv1.x' },
        },
        { processId: UNKNOWN_ID, status: 'pending', dossier: { dossierId: D } },
      ],
      totalResults: 548,
      skipped: 2,
    });
    await assert.rejects(s.client().listProcesses({ limit: 2001 }), RangeError);
    await assert.rejects(s.client().listProcesses({ offset: -1 }), RangeError);
    assert.equal(s.requests.length, 1);
  });

  it('should answer [] for 204 or an empty body from Get document types, and skip entries without country or type', async () => {
    const s = await stub((app) =>
      app.get(
        '/assure/:provider/document-types',
        sequence(
          (c) => c.body(null, 204),
          (c) => c.body('', 200),
          (c) =>
            c.json([
              {
                country: 'NOR',
                countryName: 'Norway',
                type: 'passport',
                name: 'Norway',
                icao: 'TD3',
              },
              {
                country: 'DEU',
                countryName: 'Germany',
                type: 'identityCard',
                subType: 'Personalausweis',
                id: 191,
              },
              { country: 'SWE', type: 'driversLicense', id: 'x' },
              { countryName: 'Nowhere', type: 'passport' },
              { country: 'FIN', countryName: 'Finland' },
              'junk',
            ]),
          (c) => c.json({ items: [] }),
        ),
      ),
    );
    const assure = s.client();
    assert.deepEqual(await assure.getDocumentTypes('signicatpaper'), []);
    assert.deepEqual(await assure.getDocumentTypes('signicatpaper'), []);
    assert.deepEqual(await assure.getDocumentTypes('signicatvideoid'), [
      { country: 'NOR', countryName: 'Norway', type: 'passport' },
      {
        country: 'DEU',
        countryName: 'Germany',
        type: 'identityCard',
        subType: 'Personalausweis',
        id: 191,
      },
      { country: 'SWE', countryName: 'SWE', type: 'driversLicense' },
    ]);
    assert.ok(
      s.logs.some((e) => e.event === 'assure.skipped_items' && e.count === 3),
      'skipped entries logged',
    );
    await assert.rejects(
      assure.getDocumentTypes('onfido'),
      isAssureError('upstream_unavailable', 502, 200),
    );
  });

  it('should report Download as not ready on 204 or an empty 200, and as ready only with a zip', async () => {
    const zip = zipSync({ 'result.json': new TextEncoder().encode('{}') });
    const s = await stub((app) =>
      app.get(
        `/assure/dossiers/${D}/processes/${P}/download`,
        sequence(
          (c) => c.body(null, 204),
          (c) => c.body(new Uint8Array(0), 200, { 'content-type': 'application/zip' }),
          (c) => c.body(zip, 200, { 'content-type': 'application/zip' }),
          (c) => c.body('<html>not a zip</html>', 200),
        ),
      ),
    );
    const assure = s.client();
    assert.deepEqual(await assure.downloadProcess(D, P), { ready: false });
    assert.deepEqual(await assure.downloadProcess(D, P), { ready: false });
    const ready = await assure.downloadProcess(D, P);
    assert.ok(ready.ready, 'zip ready');
    assert.deepEqual(ready.zip, zip);
    await assert.rejects(
      assure.downloadProcess(D, P),
      isAssureError('upstream_unavailable', 502, 200),
    );
    assert.equal(s.requests[0]!.method, 'GET');
  });

  it('should take 201 from Set images and send the dataURLs in one JSON body', async () => {
    const s = await stub((app) =>
      app.post(`/assure/dossiers/${D}/processes/${P}/images`, (c) => c.body(null, 201)),
    );
    await s.client().setImages(D, P, {
      front: { mime: 'image/png', bytes: PNG },
      selfie: { mime: 'image/jpeg', bytes: JPEG },
    });
    assert.deepEqual(JSON.parse(s.requests[0]!.body), {
      front: `data:image/png;base64,${PNG_BASE64}`,
      selfie: `data:image/jpeg;base64,${Buffer.from(JPEG).toString('base64')}`,
    });
    assert.equal(s.requests[0]!.contentType, 'application/json');
  });

  it('should read Start verification as 200 {processId, status}, 204, or an unreadable 2xx', async () => {
    const s = await stub((app) =>
      app.post(
        `/assure/dossiers/${D}/processes/${P}`,
        sequence(
          (c) => c.json({ processId: P, status: 'processing' }),
          (c) => c.body(null, 204),
          (c) => c.body('', 200),
          (c) => c.body('<html>', 200),
          (c) => c.json({ processId: P, status: 'queuedForReview' }),
          (c) => c.json([1, 2]),
        ),
      ),
    );
    const assure = s.client();
    assert.deepEqual(await assure.startVerification(D, P), { status: 'processing' });
    assert.deepEqual(await assure.startVerification(D, P), {});
    assert.deepEqual(await assure.startVerification(D, P), {});
    assert.deepEqual(await assure.startVerification(D, P), {});
    assert.deepEqual(await assure.startVerification(D, P), { status: 'queuedForReview' });
    assert.deepEqual(await assure.startVerification(D, P), {});
    // Exactly one request each: a start is never repeated, and no Get process is added behind the caller's back.
    assert.equal(s.requests.length, 6);
  });

  it('should fail a process with POST …/fail and map its 409', async () => {
    const s = await stub((app) =>
      app.post(
        `/assure/dossiers/${D}/processes/${P}/fail`,
        sequence(
          (c) => c.json({ processId: P, status: 'failed', reason: { category: 'User.Request' } }),
          problem(409),
        ),
      ),
    );
    const assure = s.client();
    await assure.failProcess(D, P);
    await assert.rejects(assure.failProcess(D, P), isAssureError('upstream_conflict', 409, 409));
    assert.deepEqual(
      s.requests.map((r) => `${r.method} ${r.path}`),
      [
        `POST /assure/dossiers/${D}/processes/${P}/fail`,
        `POST /assure/dossiers/${D}/processes/${P}/fail`,
      ],
    );
    assertNoSecrets(s);
  });

  it('should count a 404 from Delete dossier as done, but not other failures', async () => {
    const s = await stub((app) =>
      app.delete(
        `/assure/dossiers/${D}`,
        sequence((c) => c.body(null, 204), problem(404), problem(403), problem(400)),
      ),
    );
    const assure = s.client();
    await assure.deleteDossier(D);
    await assure.deleteDossier(D);
    await assert.rejects(assure.deleteDossier(D), isAssureError('upstream_unauthorized', 502, 403));
    await assert.rejects(assure.deleteDossier(D), isAssureError('upstream_rejected', 422, 400));
  });
});

describe('Assure client: Set images body', () => {
  /** The body as it was built before: JSON.stringify over the dataURLs. */
  function oldBody(images: ImageSet): string {
    const body: Record<string, string> = {};
    for (const side of ['front', 'back', 'selfie'] as const) {
      const image = images[side];
      if (image)
        body[side] = `data:${image.mime};base64,${Buffer.from(image.bytes).toString('base64')}`;
    }
    return JSON.stringify(body);
  }

  it('should build valid JSON equal to JSON.stringify of the dataURLs, for every combination', () => {
    // Bytes whose base64 holds `+`, `/` and `=` padding.
    const odd = new Uint8Array([0xfb, 0xff, 0xbf, 0x3e, 0x00]);
    const sliced = new Uint8Array(
      Buffer.concat([Buffer.from([1, 2, 3]), Buffer.from(PNG)]),
    ).subarray(3);
    const sets: ImageSet[] = [
      {},
      { front: { mime: 'image/png', bytes: PNG } },
      { selfie: { mime: 'image/jpeg', bytes: JPEG }, front: { mime: 'image/png', bytes: odd } },
      {
        back: { mime: 'image/jpeg', bytes: odd },
        selfie: { mime: 'image/png', bytes: sliced },
        front: { mime: 'image/jpeg', bytes: JPEG },
      },
    ];
    for (const images of sets) {
      const body = Buffer.from(setImagesBody(images)).toString('utf8');
      assert.equal(body, oldBody(images));
      assert.deepEqual(JSON.parse(body), JSON.parse(oldBody(images)));
    }
  });

  it('should refuse any other MIME type (it would go into the JSON unescaped) without a request', async () => {
    const bad = { front: { mime: 'image/png", "x": "y' as 'image/png', bytes: PNG } };
    assert.throws(() => setImagesBody(bad), TypeError);
    const s = await stub(() => {});
    await assert.rejects(s.client().setImages(D, P, bad), TypeError);
    assert.equal(s.requests.length + s.tokenRequests.length, 0);
  });
});

describe('Assure client: retries', () => {
  const fast = { attempts: 3, baseMs: 1, budgetMs: 5000 };

  it('should retry a GET after a 429, waiting for its Retry-After', async () => {
    const s = await stub((app) =>
      app.get(
        `/assure/dossiers/${D}/processes/${P}`,
        sequence(problem(429, { 'retry-after': '1' }), (c) =>
          c.json({ processId: P, status: 'pending' }),
        ),
      ),
    );
    const process = await s.client({ retry: fast }).getProcess(D, P);
    assert.equal(process.status, 'pending');
    assert.equal(s.requests.length, 2);
    const waited = s.requests[1]!.at - s.requests[0]!.at;
    assert.ok(waited >= 990, `retried after ${waited} ms`);
    assert.deepEqual(retries(s), [
      {
        event: 'assure.retry',
        method: 'GET',
        path: `/assure/dossiers/${D}/processes/${P}`,
        attempt: 2,
        delayMs: 1000,
        error: 'upstream_rate_limited',
        status: 429,
        retryAfterSeconds: 1,
      },
    ]);
    assertNoSecrets(s);
  });

  it('should not wait past the budget: a Retry-After beyond it fails at once, carrying the wait', async () => {
    const s = await stub((app) =>
      app.get(`/assure/dossiers/${D}`, problem(429, { 'retry-after': '120' })),
    );
    const started = performance.now();
    await assert.rejects(s.client().getDossier(D), (error: unknown) => {
      isAssureError('upstream_rate_limited', 503, 429)(error);
      assert.equal((error as AssureError).retryAfterSeconds, 120);
      assert.equal((error as AssureError).transient, true);
      assert.equal((error as AssureError).traceId, TRACE_ID);
      return true;
    });
    assert.ok(performance.now() - started < 500, 'failed at once');
    assert.equal(s.requests.length, 1);
  });

  it('should retry GET and DELETE on 5xx up to `attempts` tries in all', async () => {
    const s = await stub((app) => {
      app.get(
        `/assure/dossiers/${D}`,
        sequence(problem(502), problem(503), (c) => c.json({ dossierId: D })),
      );
      app.delete(`/assure/dossiers/${D}`, problem(500));
    });
    const assure = s.client({ retry: fast });
    assert.deepEqual(await assure.getDossier(D), { dossierId: D, processes: [] });
    await assert.rejects(assure.deleteDossier(D), isAssureError('upstream_unavailable', 502, 500));
    assert.deepEqual(
      s.requests.map((r) => r.method),
      ['GET', 'GET', 'GET', 'DELETE', 'DELETE', 'DELETE'],
    );
    assert.deepEqual(
      retries(s).map((e) => e.event === 'assure.retry' && [e.method, e.attempt, e.status]),
      [
        ['GET', 2, 502],
        ['GET', 3, 503],
        ['DELETE', 2, 500],
        ['DELETE', 3, 500],
      ],
    );
  });

  it('should retry a GET that timed out', async () => {
    const s = await stub((app) =>
      app.get(
        `/assure/dossiers/${D}/processes/${P}/download`,
        sequence(hang, (c) => c.body(null, 204)),
      ),
    );
    const download = await s.client({ timeoutMs: 100, retry: fast }).downloadProcess(D, P);
    assert.deepEqual(download, { ready: false });
    assert.equal(s.requests.length, 2);
    assert.equal(
      retries(s)[0]?.event === 'assure.retry' && retries(s)[0]?.error,
      'upstream_timeout',
    );
  });

  it('should retry a GET after a network error', async () => {
    let failures = 1;
    const s = await stub((app) =>
      app.get('/assure/signicatpaper/document-types', (c) => c.body(null, 204)),
    );
    const flaky: typeof fetch = (input, init) => {
      if (String(input).includes('/assure/') && failures-- > 0)
        return Promise.reject(new TypeError('fetch failed'));
      return fetch(input, init);
    };
    assert.deepEqual(
      await s.client({ fetch: flaky, retry: fast }).getDocumentTypes('signicatpaper'),
      [],
    );
    assert.equal(s.requests.length, 1);
    assert.equal(retries(s).length, 1);
  });

  it('should never retry a POST on 5xx, 429 or a timeout', async () => {
    const s = await stub((app) => {
      app.post('/assure/dossiers', problem(503, { 'retry-after': '0' }));
      app.post(`/assure/dossiers/${D}/processes`, problem(429, { 'retry-after': '0' }));
      app.post(`/assure/dossiers/${D}/processes/${P}/images`, problem(500));
      app.post(`/assure/dossiers/${D}/processes/${P}`, hang);
      app.post(`/assure/dossiers/${D}/processes/${P}/fail`, problem(502));
      app.post(`/assure/dossiers/${D}/capture`, problem(504));
    });
    const assure = s.client({ timeoutMs: 100, retry: { attempts: 5, baseMs: 1 } });
    await assert.rejects(assure.createDossier(), isAssureError('upstream_unavailable', 502, 503));
    await assert.rejects(
      assure.createProcess(D, { provider: 'onfido' }),
      isAssureError('upstream_rate_limited', 503, 429),
    );
    await assert.rejects(
      assure.setImages(D, P, { front: { mime: 'image/png', bytes: PNG } }),
      isAssureError('upstream_unavailable', 502, 500),
    );
    await assert.rejects(assure.startVerification(D, P), isAssureError('upstream_timeout', 504));
    await assert.rejects(assure.failProcess(D, P), isAssureError('upstream_unavailable', 502, 502));
    await assert.rejects(
      assure.startCaptureFlow(D, { provider: 'onfido', redirectUrl: 'https://shop.example/' }),
      isAssureError('upstream_unavailable', 502, 504),
    );
    assert.equal(s.requests.length, 6);
    assert.deepEqual(retries(s), []);
  });

  it('should not retry what retrying cannot fix (4xx, an unreadable 200)', async () => {
    const s = await stub((app) => {
      app.get(`/assure/dossiers/${D}`, problem(400));
      app.get(`/assure/dossiers/${D}/processes/${P}`, (c) => c.json({ nope: true }));
    });
    const assure = s.client({ retry: fast });
    await assert.rejects(assure.getDossier(D), isAssureError('upstream_rejected', 422, 400));
    await assert.rejects(assure.getProcess(D, P), isAssureError('upstream_unavailable', 502, 200));
    assert.equal(s.requests.length, 2);
  });

  it('should neither follow nor retry a redirect (it would carry the bearer token away)', async () => {
    let followed = 0;
    const s = await stub((app) => {
      app.get(`/assure/dossiers/${D}/processes/${P}`, (c) => c.redirect('/elsewhere', 302));
      app.post(`/assure/dossiers/${D}/processes/${P}/images`, (c) => c.redirect('/elsewhere', 307));
      app.all('/elsewhere', (c) => {
        followed++;
        return c.json({ processId: P, status: 'accepted' });
      });
    });
    const assure = s.client({ retry: fast });
    await assert.rejects(assure.getProcess(D, P), isAssureError('upstream_unavailable', 502));
    await assert.rejects(
      assure.setImages(D, P, { front: { mime: 'image/png', bytes: PNG } }),
      isAssureError('upstream_unavailable', 502),
    );
    assert.equal(s.requests.length, 2, 'one try each');
    assert.equal(followed, 0);
  });

  it('should stay within the time budget, cutting the last try short', async () => {
    const s = await stub((app) => {
      app.get(`/assure/dossiers/${D}`, problem(503));
      app.get(`/assure/dossiers/${D}/processes/${P}`, hang);
    });
    const assure = s.client({
      timeoutMs: 150,
      retry: { attempts: 100, baseMs: 20, budgetMs: 300 },
    });
    let started = performance.now();
    await assert.rejects(assure.getDossier(D), isAssureError('upstream_unavailable', 502, 503));
    let took = performance.now() - started;
    assert.ok(took < 300 + 100, `took ${took} ms`);
    assert.ok(s.requests.length > 1 && s.requests.length < 100, `${s.requests.length} tries`);

    // Hanging tries: the first gets its full 200 ms, the next only what is left of the 300 ms (not 200 more).
    s.requests.length = 0;
    const slow = s.client({ timeoutMs: 200, retry: { attempts: 100, baseMs: 20, budgetMs: 300 } });
    started = performance.now();
    await assert.rejects(slow.getProcess(D, P), isAssureError('upstream_timeout', 504));
    took = performance.now() - started;
    assert.ok(took >= 290 && took < 370, `took ${took} ms`);
    assert.equal(s.requests.length, 2);
  });

  it('should give the first try its full timeout even when the budget is shorter', async () => {
    const s = await stub((app) =>
      app.get(`/assure/dossiers/${D}`, async (c) => {
        await new Promise((resolve) => setTimeout(resolve, 250));
        return c.json({ dossierId: D });
      }),
    );
    const assure = s.client({ timeoutMs: 1000, retry: { budgetMs: 100 } });
    assert.deepEqual(await assure.getDossier(D), { dossierId: D, processes: [] });
  });

  it('should turn retries off with attempts: 1', async () => {
    const s = await stub((app) => app.get(`/assure/dossiers/${D}`, problem(503)));
    await assert.rejects(s.client({ retry: { attempts: 1 } }).getDossier(D), AssureError);
    assert.equal(s.requests.length, 1);
    assert.throws(() => s.client({ retry: { attempts: 0 } }), TypeError);
  });

  it('should stop waiting as soon as the caller aborts during a backoff', async () => {
    const s = await stub((app) =>
      app.get(`/assure/dossiers/${D}`, problem(503, { 'retry-after': '5' })),
    );
    const controller = new AbortController();
    const started = performance.now();
    const call = s.client().getDossier(D, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(
      call,
      (error: unknown) => error instanceof Error && error.name === 'AbortError',
    );
    assert.ok(performance.now() - started < 1000, 'stopped promptly');
    assert.equal(s.requests.length, 1);
  });

  it('should retry the token request on 5xx and give up at once on a long 429', async () => {
    let tokenAnswers = [503, 200, 429];
    const s = await stub((app) => {
      app.post(TOKEN_PATH, (c) => {
        const status = tokenAnswers.shift() ?? 200;
        if (status === 200)
          return c.json({ access_token: STUB_TOKEN, token_type: 'Bearer', expires_in: 1 });
        return c.json({ error: 'temporarily_unavailable' }, status as 503, {
          'retry-after': status === 429 ? '60' : '0',
        });
      });
      app.get(`/assure/dossiers/${D}`, (c) => c.json({ dossierId: D }));
    });
    let clock = Date.UTC(2026, 0, 1);
    const assure = s.client({ retry: fast, now: () => clock });
    await assure.getDossier(D);
    assert.equal(s.tokenRequests.length, 2);
    const retry = retries(s)[0];
    assert.ok(
      retry?.event === 'assure.retry' && retry.path === TOKEN_PATH && retry.status === 503,
      'token retry logged',
    );
    clock += 10_000; // the 1 s token has expired
    await assert.rejects(assure.getDossier(D), (error: unknown) => {
      isAssureError('upstream_rate_limited', 503, 429)(error);
      assert.equal((error as AssureError).retryAfterSeconds, 60);
      return true;
    });
    assert.equal(s.tokenRequests.length, 3);
    tokenAnswers = [401];
    await assert.rejects(assure.getDossier(D), isAssureError('upstream_unauthorized', 502, 401));
    assert.equal(s.tokenRequests.length, 4, 'bad credentials are not retried');
    assertNoSecrets(s);
  });

  it('should parse Retry-After as seconds or an HTTP date', () => {
    const now = Date.UTC(2026, 0, 1, 12, 0, 0);
    assert.equal(parseRetryAfter('5', now), 5);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 12:00:10 GMT', now), 10);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 12:00:09 GMT', now + 500), 9);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 11:00:00 GMT', now), 0);
    assert.equal(parseRetryAfter('99999999', now), 86_400);
    for (const bad of [null, undefined, '', 'soon', '-1', '1.5', '2026-01-01T12:00:10Z', '5 s']) {
      assert.equal(parseRetryAfter(bad, now), undefined, String(bad));
    }
  });

  it('should keep Retry-After on a 503 (502 to the proxy) and ignore it on other statuses', async () => {
    const s = await stub((app) => {
      app.post(
        '/assure/dossiers',
        sequence(problem(503, { 'retry-after': '7' }), problem(500, { 'retry-after': '7' })),
      );
    });
    const assure = s.client();
    await assert.rejects(assure.createDossier(), (error: unknown) => {
      isAssureError('upstream_unavailable', 502, 503)(error);
      assert.equal((error as AssureError).retryAfterSeconds, 7);
      return true;
    });
    await assert.rejects(assure.createDossier(), (error: unknown) => {
      isAssureError('upstream_unavailable', 502, 500)(error);
      assert.equal((error as AssureError).retryAfterSeconds, undefined);
      return true;
    });
  });
});

describe('Assure client: token client authentication', () => {
  /** Runs one token request through a stubbed fetch and returns the Authorization header it carried. */
  async function tokenHeader(tokenAuth?: 'basic' | 'basic-raw'): Promise<string | null> {
    let header: string | null = null;
    const fetchStub: typeof fetch = async (input, init) => {
      const request = new Request(input, init);
      if (new URL(request.url).pathname === TOKEN_PATH) {
        header = request.headers.get('authorization');
        return Response.json({ access_token: STUB_TOKEN, token_type: 'Bearer', expires_in: 600 });
      }
      return Response.json({ dossierId: D }, { status: 201 });
    };
    const assure = createAssureClient({
      apiUrl: 'https://api.signicat.example',
      tokenUrl: `https://api.signicat.example${TOKEN_PATH}`,
      clientId: ODD_ID,
      clientSecret: ODD_SECRET,
      fetch: fetchStub,
      ...(tokenAuth && { tokenAuth }),
    });
    await assure.createDossier();
    return header;
  }

  it('should form-encode id and secret before base64 by default (RFC 6749 §2.3.1)', async () => {
    const expected = `Basic ${Buffer.from('acme%2Dclient%2D1:s3%2Dcr%2Bt%2Fx%3Dy%3Az%25').toString('base64')}`;
    assert.equal(await tokenHeader(), expected);
    assert.equal(await tokenHeader('basic'), expected);
  });

  it("should send base64(id:secret) unencoded with 'basic-raw'", async () => {
    assert.equal(
      await tokenHeader('basic-raw'),
      `Basic ${Buffer.from('acme-client-1:s3-cr+t/x=y:z%').toString('base64')}`,
    );
  });

  it("should refuse an id with ':' for 'basic-raw' (it would move the split)", () => {
    const options = {
      apiUrl: 'https://a.example',
      tokenUrl: `https://a.example${TOKEN_PATH}`,
      clientSecret: 's',
    };
    assert.throws(
      () => createAssureClient({ ...options, clientId: 'a:b', tokenAuth: 'basic-raw' }),
      TypeError,
    );
    createAssureClient({ ...options, clientId: 'a:b', tokenAuth: 'basic' });
  });

  it('should tell which form a form-decoding token endpoint accepts, without exposing the secret (probeToken)', async () => {
    // The emulator decodes Basic credentials the way IdentityServer-style servers do (form decoding).
    const h = await harness({ clients: [{ clientId: ODD_ID, clientSecret: ODD_SECRET }] });
    const options = {
      tokenUrl: `${h.url}${TOKEN_PATH}`,
      clientId: ODD_ID,
      clientSecret: ODD_SECRET,
    };
    assert.deepEqual(await probeToken({ ...options, tokenAuth: 'basic' }), { ok: true });
    const raw = await probeToken({ ...options, tokenAuth: 'basic-raw' });
    assert.equal(raw.ok, false);
    assert.ok(
      !raw.ok && raw.status === 401 && raw.code === 'upstream_unauthorized',
      'raw form refused',
    );
    assert.match(JSON.stringify(raw), /SIGNICAT_CLIENT_SECRET/);
    const wrong = await probeToken({ ...options, clientSecret: 'wrong+secret%' });
    assert.ok(!wrong.ok && wrong.status === 401, 'wrong secret refused');
    for (const result of [raw, wrong]) {
      const text = JSON.stringify(result);
      assert.ok(
        !text.includes(ODD_SECRET) &&
          !text.includes('wrong+secret%') &&
          !h.issuedTokens.some((t) => text.includes(t)),
        'nothing secret in probe results',
      );
    }
    assert.equal(h.tokenRequests(), 3);
  });

  it('should report an unreachable or misconfigured token endpoint from probeToken', async () => {
    const server = await listen(() => new Response('x'));
    const url = server.url;
    await server.close();
    const unreachable = await probeToken({
      tokenUrl: `${url}${TOKEN_PATH}`,
      clientId: 'a',
      clientSecret: 'b',
      timeoutMs: 1000,
    });
    assert.ok(
      !unreachable.ok &&
        unreachable.status === undefined &&
        unreachable.code === 'upstream_unavailable',
      'unreachable reported',
    );
    const insecure = await probeToken({
      tokenUrl: `http://api.example${TOKEN_PATH}`,
      clientId: 'a',
      clientSecret: 'b',
    });
    assert.ok(!insecure.ok && /tokenUrl/.test(insecure.error), 'insecure URL reported');
    const colon = await probeToken({
      tokenUrl: `${url}${TOKEN_PATH}`,
      clientId: 'a:b',
      clientSecret: 'sekrit',
      tokenAuth: 'basic-raw',
    });
    assert.ok(!colon.ok && !JSON.stringify(colon).includes('sekrit'), 'secret not echoed');
  });
});

describe('Assure client: tokens', () => {
  it('should make exactly one token request for 50 concurrent calls', async () => {
    const h = await harness();
    const assure = h.client();
    const results = await Promise.all(Array.from({ length: 50 }, () => assure.createDossier()));
    assert.equal(new Set(results.map((r) => r.dossierId)).size, 50);
    assert.equal(h.tokenRequests(), 1);
    await assure.getDocumentTypes('signicatpaper');
    assert.equal(h.tokenRequests(), 1, 'cached token reused');
    assertNoSecrets(h);
  });

  it('should refresh shortly before expiry, not earlier', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const now = () => clock;
    const h = await harness({ now, tokenLifetimeSeconds: 600 });
    const assure = h.client({ now });
    await assure.createDossier();
    clock += 560_000; // 40 s left: still used
    await assure.createDossier();
    assert.equal(h.tokenRequests(), 1);
    clock += 20_000; // 20 s left: within the 30 s margin
    await assure.createDossier();
    assert.equal(h.tokenRequests(), 2);
    clock += 600_000; // long expired
    await Promise.all([assure.createDossier(), assure.createDossier(), assure.createDossier()]);
    assert.equal(h.tokenRequests(), 3);
  });

  it('should reuse a 1 s token for most of its life (10 % margin)', async () => {
    let clock = Date.UTC(2026, 0, 1);
    const now = () => clock;
    const h = await harness({ now, tokenLifetimeSeconds: 1 });
    const assure = h.client({ now });
    await assure.createDossier();
    clock += 800;
    await assure.createDossier();
    assert.equal(h.tokenRequests(), 1);
    clock += 150; // 50 ms left, below 10 % of 1 s
    await assure.createDossier();
    assert.equal(h.tokenRequests(), 2);
  });

  it('should drop a rejected token (401), get a new one and retry a POST once', async () => {
    let upstreamClock = Date.UTC(2026, 0, 1);
    const h = await harness({ now: () => upstreamClock, tokenLifetimeSeconds: 600 });
    const assure = h.client({ now: () => Date.UTC(2026, 0, 1) }); // the client believes its token is fresh
    await assure.createDossier();
    upstreamClock += 3_600_000; // the emulator now considers the token expired → 401
    const { dossierId } = await assure.createDossier();
    assert.ok(dossierId, 'dossier created');
    assert.equal(h.tokenRequests(), 2);
    const rejected = h.logs.filter((e) => e.event === 'assure.token_rejected');
    assert.equal(rejected.length, 1);
    const requests = h.logs.flatMap((e) =>
      e.event === 'assure.request' ? [[e.status, e.attempt]] : [],
    );
    assert.deepEqual(requests, [
      [201, 1],
      [401, 1],
      [201, 2],
    ]);
    assertNoSecrets(h);
  });

  it('should fetch one new token when 50 concurrent calls all get 401', async () => {
    let upstreamClock = Date.UTC(2026, 0, 1);
    const h = await harness({ now: () => upstreamClock });
    const assure = h.client({ now: () => Date.UTC(2026, 0, 1) });
    await assure.createDossier();
    upstreamClock += 3_600_000;
    await Promise.all(Array.from({ length: 50 }, () => assure.createDossier()));
    assert.equal(h.tokenRequests(), 2);
  });

  it('should retry a 401 only once, then report upstream_unauthorized', async () => {
    const h = await harness({}, (request, emulator) =>
      new URL(request.url).pathname.startsWith('/assure/')
        ? Response.json(
            { status: 401, title: 'Invalid authentication token.', traceId: 'abc123' },
            { status: 401 },
          )
        : emulator(request),
    );
    const assure = h.client();
    await assert.rejects(assure.createDossier(), (error: unknown) => {
      isAssureError('upstream_unauthorized', 502, 401)(error);
      assert.match((error as Error).message, /Assure API product/);
      return true;
    });
    assert.equal(h.tokenRequests(), 2);
    assert.equal(h.requests.filter((p) => p.startsWith('/assure/')).length, 2);
    assertNoSecrets(h);
  });

  it('should report bad credentials as upstream_unauthorized without the secret', async () => {
    const h = await harness();
    const assure = h.client({ clientSecret: 'wrong-secret-value' });
    await assert.rejects(assure.createDossier(), (error: unknown) => {
      isAssureError('upstream_unauthorized', 502, 401)(error);
      const message = (error as Error).message;
      assert.match(message, /SIGNICAT_CLIENT_ID/);
      assert.match(message, /SIGNICAT_CLIENT_SECRET/);
      assert.ok(!message.includes('wrong-secret-value'), 'secret not in message');
      return true;
    });
    assert.ok(!JSON.stringify(h.logs).includes('wrong-secret-value'), 'secret not in logs');
    const token = h.logs.find((e) => e.event === 'assure.token');
    assert.equal(token?.event === 'assure.token' && token.error, 'upstream_unauthorized');
    // A failed token request is not cached: the next call tries again.
    await assert.rejects(assure.createDossier(), AssureError);
    assert.equal(h.tokenRequests(), 2);
    assertNoSecrets(h, ['wrong-secret-value', SANDBOX_CLIENT_SECRET]);
  });

  it('should map token endpoint failures (5xx, 429, non-JSON, bad body)', async () => {
    const replies = [
      () =>
        new Response('<html>oops</html>', {
          status: 500,
          headers: { 'content-type': 'text/html' },
        }),
      () => Response.json({ error: 'slow_down' }, { status: 429 }),
      () => Response.json({ token_type: 'Bearer', expires_in: 600 }), // no access_token
      () => Response.json({ error: 'invalid_scope', error_description: 'nope' }, { status: 400 }),
    ];
    const h = await harness({}, (request, emulator) =>
      new URL(request.url).pathname === TOKEN_PATH ? replies.shift()!() : emulator(request),
    );
    const assure = h.client({ retry: { attempts: 1 } });
    await assert.rejects(assure.createDossier(), isAssureError('upstream_unavailable', 502, 500));
    await assert.rejects(assure.createDossier(), isAssureError('upstream_rate_limited', 503, 429));
    await assert.rejects(assure.createDossier(), isAssureError('upstream_unavailable', 502));
    await assert.rejects(assure.createDossier(), (error: unknown) => {
      isAssureError('upstream_unauthorized', 502, 400)(error);
      assert.match((error as Error).message, /invalid_scope/);
      return true;
    });
    assertNoSecrets(h);
  });

  it('should refuse plain http to anything but loopback', () => {
    const make = (apiUrl: string, tokenUrl: string) =>
      createAssureClient({ apiUrl, tokenUrl, clientId: 'id', clientSecret: 'secret' });
    const signicat = 'https://api.signicat.com';
    assert.throws(() => make(signicat, `http://api.signicat.com${TOKEN_PATH}`), TypeError);
    assert.throws(() => make('http://10.0.0.1:8787', `${signicat}${TOKEN_PATH}`), TypeError);
    assert.throws(() => make(signicat, 'not a url'), TypeError);
    for (const host of ['127.0.0.1', 'localhost', '[::1]'])
      make(`http://${host}:1`, `http://${host}:1${TOKEN_PATH}`);
    make(signicat, `${signicat}${TOKEN_PATH}`);
  });
});

describe('Assure client: timeouts and aborts', () => {
  it('should time out a hanging Assure call with upstream_timeout', async () => {
    const h = await harness({}, (request, emulator) =>
      new URL(request.url).pathname.startsWith('/assure/') ? hang() : emulator(request),
    );
    const assure = h.client({ timeoutMs: 150 });
    const started = performance.now();
    await assert.rejects(assure.createDossier(), isAssureError('upstream_timeout', 504));
    const ms = performance.now() - started;
    assert.ok(ms >= 140 && ms < 1500, `took ${ms} ms`);
    const logged = h.logs.find((e) => e.event === 'assure.request');
    assert.equal(logged?.event === 'assure.request' && logged.error, 'upstream_timeout');
  });

  it('should time out a hanging token endpoint with upstream_timeout', async () => {
    const h = await harness({}, hang);
    const assure = h.client({ timeoutMs: 100, retry: { attempts: 1 } });
    await assert.rejects(assure.createDossier(), isAssureError('upstream_timeout', 504));
  });

  it('should time out a body that stops arriving', async () => {
    const h = await harness({}, (request, emulator) => {
      if (!new URL(request.url).pathname.endsWith('/download')) return emulator(request);
      const stream = new ReadableStream({
        start: (controller) => controller.enqueue(new Uint8Array([0x50, 0x4b])),
      });
      return new Response(stream, { headers: { 'content-type': 'application/zip' } });
    });
    const assure = h.client({ timeoutMs: 150, retry: { attempts: 1 } });
    await assert.rejects(
      assure.downloadProcess(UNKNOWN_ID, UNKNOWN_ID),
      isAssureError('upstream_timeout', 504),
    );
  });

  it("should reject with the caller's abort reason when the caller gives up", async () => {
    const h = await harness({}, (request, emulator) =>
      new URL(request.url).pathname.startsWith('/assure/') ? hang() : emulator(request),
    );
    const assure = h.client({ timeoutMs: 5000 });
    const controller = new AbortController();
    const call = assure.getDossier(UNKNOWN_ID, { signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(
      call,
      (error: unknown) => error instanceof Error && error.name === 'AbortError',
    );
    assert.deepEqual(retries(h), [], 'an abort is not retried');
  });
});

describe('Assure client: error mapping', () => {
  it('should map 404 to upstream_not_found with the traceId', async () => {
    const h = await harness();
    const assure = h.client();
    await assert.rejects(assure.getProcess(UNKNOWN_ID, UNKNOWN_ID), (error: unknown) => {
      isAssureError('upstream_not_found', 404, 404)(error);
      assert.match((error as AssureError).traceId ?? '', /^[0-9a-f]{32}$/);
      return true;
    });
  });

  it('should map 400 to upstream_rejected (422) keeping the problem title', async () => {
    const h = await harness();
    const assure = h.client();
    const { dossierId } = await assure.createDossier();
    await assert.rejects(
      assure.createProcess(dossierId, { provider: 'nosuchprovider' }),
      (error: unknown) => {
        isAssureError('upstream_rejected', 422, 400)(error);
        assert.match((error as Error).message, /^Assure: /);
        assert.match((error as AssureError).traceId ?? '', /^[0-9a-f]{32}$/);
        return true;
      },
    );
  });

  it('should map 5xx to 502 (upstream_unavailable) and 429 to 503 (upstream_rate_limited)', async () => {
    const statuses = [500, 502, 503, 429];
    const s = await stub((app) =>
      app.post('/assure/dossiers', (c) => problem(statuses.shift()!)(c)),
    );
    const assure = s.client();
    await assert.rejects(assure.createDossier(), isAssureError('upstream_unavailable', 502, 500));
    await assert.rejects(assure.createDossier(), isAssureError('upstream_unavailable', 502, 502));
    await assert.rejects(assure.createDossier(), isAssureError('upstream_unavailable', 502, 503));
    await assert.rejects(assure.createDossier(), (error: unknown) => {
      isAssureError('upstream_rate_limited', 503, 429)(error);
      assert.equal((error as AssureError).traceId, TRACE_ID);
      assert.equal((error as AssureError).retryAfterSeconds, undefined);
      return true;
    });
    assertNoSecrets(s);
  });

  it('should read at most 16 KiB of a problem body, also when it comes without a length', async () => {
    const chunked = (body: object) => () =>
      new Response(
        new ReadableStream({
          start(controller) {
            controller.enqueue(new TextEncoder().encode(JSON.stringify(body)));
            controller.close();
          },
        }),
        { status: 400, headers: { 'content-type': 'application/json' } },
      );
    const s = await stub((app) =>
      app.post(
        '/assure/dossiers',
        sequence(
          chunked({ title: 'Big.', traceId: TRACE_ID, detail: 'x'.repeat(20_000) }),
          chunked({ title: 'Small.', traceId: TRACE_ID }),
        ),
      ),
    );
    const assure = s.client();
    await assert.rejects(assure.createDossier(), (error: unknown) => {
      isAssureError('upstream_rejected', 422, 400)(error);
      assert.equal((error as Error).message, 'Assure rejected the request (HTTP 400)');
      assert.equal((error as AssureError).traceId, undefined);
      return true;
    });
    await assert.rejects(assure.createDossier(), (error: unknown) => {
      assert.equal((error as Error).message, 'Assure: Small.');
      assert.equal((error as AssureError).traceId, TRACE_ID);
      return true;
    });
  });

  it('should map a network error to upstream_unavailable (502)', async () => {
    const server = await listen(() => new Response('x'));
    const url = server.url;
    await server.close();
    const tokenUrl = `${url}${TOKEN_PATH}`;
    const assure = createAssureClient({
      apiUrl: url,
      tokenUrl,
      clientId: 'a',
      clientSecret: 'b',
      retry: { attempts: 1 },
    });
    await assert.rejects(assure.createDossier(), isAssureError('upstream_unavailable', 502));
  });

  it('should refuse malformed ids and provider names without any request', async () => {
    const h = await harness();
    const assure = h.client();
    const bad = [
      '../../auth/open/connect/token',
      `${UNKNOWN_ID}/download`,
      `${UNKNOWN_ID}?x=1`,
      '',
      'abc',
    ];
    for (const id of bad) {
      await assert.rejects(
        assure.getProcess(id, UNKNOWN_ID),
        isAssureError('upstream_not_found', 404),
      );
      await assert.rejects(
        assure.getProcess(UNKNOWN_ID, id),
        isAssureError('upstream_not_found', 404),
      );
      await assert.rejects(assure.getDossier(id), isAssureError('upstream_not_found', 404));
      await assert.rejects(assure.deleteDossier(id), isAssureError('upstream_not_found', 404));
      await assert.rejects(
        assure.failProcess(UNKNOWN_ID, id),
        isAssureError('upstream_not_found', 404),
      );
    }
    for (const provider of ['../dossiers', 'On Fido', 'onfido/x', '']) {
      await assert.rejects(
        assure.getDocumentTypes(provider),
        isAssureError('upstream_not_found', 404),
      );
    }
    assert.deepEqual(h.requests, []);
  });

  it('should reject unexpected response shapes as upstream_unavailable without echoing them', async () => {
    const s = await stub((app) => {
      app.post('/assure/dossiers', (c) =>
        c.json({ id: 'not-a-dossier', secretish: 'Maria Santos' }, 201),
      );
      app.get(`/assure/dossiers/${D}`, (c) => c.json({ dossierId: D, processes: 'Maria' }));
      app.get('/assure/processes', (c) => c.json({ items: ['Maria'] }));
      app.get('/assure/onfido/document-types', (c) =>
        c.body('<html>Maria', 200, { 'content-type': 'text/html' }),
      );
    });
    const assure = s.client();
    const unavailable = isAssureError('upstream_unavailable', 502);
    await assert.rejects(assure.createDossier(), unavailable);
    await assert.rejects(assure.getDossier(D), unavailable);
    await assert.rejects(
      assure.listProcesses({ startCreationDate: '2026-01-01T00:00:00Z' }),
      unavailable,
    );
    await assert.rejects(assure.getDocumentTypes('onfido'), unavailable);
    assertNoSecrets(s);
  });
});

describe('faultyAssure (test helper)', () => {
  /** A minimal real client: every method answers from this table. */
  function fakeReal(): AssureClient {
    const ok = async () => ({ dossierId: D });
    return {
      createDossier: ok,
      getDossier: async () => ({ dossierId: D, processes: [] }),
      listDossiers: async () => [],
      deleteDossier: async () => {},
      createProcess: async () => ({ processId: P }),
      getProcess: async () => ({ processId: P, status: 'pending' }),
      listProcesses: async () => ({ processes: [] }),
      setImages: async () => {},
      startVerification: async () => ({ status: 'processing' }),
      failProcess: async () => {},
      startCaptureFlow: async () => ({ url: 'https://x.example/' }),
      getDocumentTypes: async () => [],
      downloadProcess: async () => ({ ready: false }),
    };
  }

  it('should fail the next N calls of one method with the given error, then pass through, counting all', async () => {
    const faulty = faultyAssure(fakeReal(), {
      startVerification: { fail: 2, error: faults.timeout },
    });
    const assure = faulty.client;
    await assert.rejects(assure.startVerification(D, P), isAssureError('upstream_timeout', 504));
    await assert.rejects(assure.startVerification(D, P), isAssureError('upstream_timeout', 504));
    assert.deepEqual(await assure.startVerification(D, P), { status: 'processing' });
    assert.deepEqual(await assure.getProcess(D, P), { processId: P, status: 'pending' });
    assert.equal(faulty.calls.startVerification, 3);
    assert.equal(faulty.calls.getProcess, 1);
    assert.equal(faulty.calls.setImages, 0);
    assert.deepEqual(
      faulty.history.map((c) => `${c.method}:${c.outcome}`),
      [
        'startVerification:injected',
        'startVerification:injected',
        'startVerification:passed',
        'getProcess:passed',
      ],
    );
  });

  it('should let the test change rules at run time', async () => {
    const faulty = faultyAssure(fakeReal());
    await faulty.client.deleteDossier(D);
    faulty.set('deleteDossier', { fail: Infinity, error: faults.rateLimited(30) });
    for (let i = 0; i < 3; i++) {
      await assert.rejects(faulty.client.deleteDossier(D), (error: unknown) => {
        isAssureError('upstream_rate_limited', 503, 429)(error);
        return (error as AssureError).retryAfterSeconds === 30;
      });
    }
    faulty.set('deleteDossier', undefined);
    await faulty.client.deleteDossier(D);
    faulty.failNext('createDossier');
    assert.equal(faulty.pending('createDossier'), 1);
    await assert.rejects(
      faulty.client.createDossier(),
      isAssureError('upstream_unavailable', 502, 502),
    );
    assert.equal(faulty.pending('createDossier'), 0);
    faulty.failNext('getDossier', 1, faults.notFound());
    faulty.clear();
    await faulty.client.getDossier(D);
    assert.equal(faulty.calls.deleteDossier, 5);
  });

  it('should delay calls, and hang until the call is aborted', async () => {
    const faulty = faultyAssure(fakeReal(), {
      getProcess: { delayMs: 80 },
      downloadProcess: { delayMs: Infinity },
    });
    const started = performance.now();
    await faulty.client.getProcess(D, P);
    assert.ok(performance.now() - started >= 75, 'delayed');
    // A rule set while a call waits applies to that call.
    const waiting = faulty.client.getProcess(D, P);
    faulty.failNext('getProcess', 1, faults.conflict);
    await assert.rejects(waiting, isAssureError('upstream_conflict', 409, 409));
    const controller = new AbortController();
    const hanging = faulty.client.downloadProcess(D, P, { signal: controller.signal });
    setTimeout(() => controller.abort(new Error('gave up')), 20);
    await assert.rejects(hanging, /gave up/);
  });

  it('should wrap a real HTTP client too (emulator)', async () => {
    const h = await harness();
    const faulty = faultyAssure(h.client(), { createDossier: { fail: 1 } });
    await assert.rejects(faulty.client.createDossier(), AssureError);
    const { dossierId } = await faulty.client.createDossier();
    await faulty.client.deleteDossier(dossierId);
    assert.deepEqual(
      h.requests.filter((p) => p.startsWith('/assure/')),
      ['/assure/dossiers', `/assure/dossiers/${dossierId}`],
    );
  });
});
