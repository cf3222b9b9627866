/**
 * The Assure client against the emulator over real loopback HTTP. Fault cases the emulator does not
 * produce (hanging upstream, 5xx, 429, odd bodies) come from small wrappers around the emulator's fetch.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { unzipSync } from 'fflate';
import { createAssureClient, type AssureClientOptions, type LogEvent } from '../../server/assure/client.ts';
import { AssureError, type AssureClient } from '../../server/assure/types.ts';
import {
  createEmulator,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  type EmulatorOptions,
} from '../../server/emulator/index.ts';
import { listen, type FetchHandler } from '../../server/http/listen.ts';

/** A 1×1 PNG: the emulator checks magic bytes and the IHDR size. */
const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==';
const PNG = new Uint8Array(Buffer.from(PNG_BASE64, 'base64'));
/** A minimal JPEG header with a 2×3 SOF0 frame. */
const JPEG = new Uint8Array([
  0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
  0x00, 0x00, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x03, 0x00, 0x02, 0x01, 0x01, 0x11, 0x00, 0xff, 0xd9,
]);
const PAPER_PASSPORT = { provider: 'signicatpaper', documentType: 'passport' };
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
const TOKEN_PATH = '/auth/open/connect/token';

type Wrapper = (request: Request, emulator: FetchHandler) => Response | Promise<Response>;

interface Harness {
  url: string;
  /** Token requests that reached the server. */
  tokenRequests(): number;
  /** Every access token the token endpoint issued (to prove none leaks). */
  issuedTokens: string[];
  /** Every request path, token endpoint included. */
  requests: string[];
  client(options?: Partial<AssureClientOptions>): AssureClient;
  logs: LogEvent[];
  errors: unknown[];
}

const closers: Array<() => Promise<void> | void> = [];
after(async () => {
  for (const close of closers.reverse()) await close();
});

/** The emulator on a loopback port, optionally behind a fault-injecting wrapper, counting requests. */
async function harness(options: EmulatorOptions = {}, wrap?: Wrapper): Promise<Harness> {
  const emulator = createEmulator({ processingDelayMs: 0, ...options });
  const issuedTokens: string[] = [];
  const requests: string[] = [];
  const logs: LogEvent[] = [];
  const errors: unknown[] = [];
  let tokens = 0;
  const upstream: FetchHandler = async (request) => {
    const response = await emulator.app.fetch(request);
    if (new URL(request.url).pathname === TOKEN_PATH && response.ok) {
      const body = (await response.clone().json()) as { access_token: string };
      issuedTokens.push(body.access_token);
    }
    return response;
  };
  const server = await listen((request) => {
    const path = new URL(request.url).pathname;
    requests.push(path);
    if (path === TOKEN_PATH) tokens++;
    return wrap ? wrap(request, upstream) : upstream(request);
  });
  closers.push(() => emulator.close(), () => server.close());
  return {
    url: server.url,
    tokenRequests: () => tokens,
    issuedTokens,
    requests,
    logs,
    errors,
    client: (overrides = {}) => {
      const client = createAssureClient({
        apiUrl: server.url,
        tokenUrl: `${server.url}${TOKEN_PATH}`,
        clientId: SANDBOX_CLIENT_ID,
        clientSecret: SANDBOX_CLIENT_SECRET,
        timeoutMs: 2000,
        log: (event) => logs.push(event),
        ...overrides,
      });
      // Record every rejection, to scan them for secrets at the end.
      return new Proxy(client, {
        get: (target, key: keyof AssureClient) =>
          (...args: unknown[]) =>
            (target[key] as (...a: unknown[]) => Promise<unknown>)(...args).catch((error: unknown) => {
              errors.push(error);
              throw error;
            }),
      });
    },
  };
}

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
  for (let i = 0; i < 100; i++) {
    const process = await client.getProcess(dossierId, processId);
    if (process.status !== 'pending' && process.status !== 'processing') return process;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('process never became final');
}

/** Everything a test saw: errors and log events, serialised, must not contain any credential. */
function assertNoSecrets(h: Harness) {
  const seen = JSON.stringify([
    ...h.errors.map((error) =>
      error instanceof Error ? { ...error, message: error.message, stack: error.stack } : error,
    ),
    ...h.logs,
  ]);
  const basic = Buffer.from(`${SANDBOX_CLIENT_ID}:${SANDBOX_CLIENT_SECRET}`).toString('base64');
  for (const forbidden of [SANDBOX_CLIENT_SECRET, basic, 'Bearer', 'Basic ', ...h.issuedTokens]) {
    assert.ok(!seen.includes(forbidden), `leaked ${forbidden.slice(0, 12)}…`);
  }
}

describe('Assure client: happy paths (emulator)', () => {
  it('should run create dossier → process → images → start → get → download → delete', async () => {
    const h = await harness();
    const assure = h.client();

    const { dossierId } = await assure.createDossier();
    assert.match(dossierId, /^[0-9a-f-]{36}$/);
    const types = await assure.getDocumentTypes('signicatpaper');
    assert.ok(types.length > 0 && types.every((t) => typeof t.country === 'string' && typeof t.type === 'string'));

    const created = await assure.createProcess(dossierId, { provider: 'signicatpaper', documentType: 'passport' });
    assert.equal(created.status, 'pending');
    assert.equal(created.provider, 'signicatpaper');
    assert.ok(created.authorization.length > 0);
    const { processId } = created;

    await assure.setImages(dossierId, processId, { front: { mime: 'image/png', bytes: PNG } });
    // A second upload adds the selfie (and would replace a repeated side).
    await assure.setImages(dossierId, processId, { selfie: { mime: 'image/jpeg', bytes: JPEG } });

    const started = await assure.startVerification(dossierId, processId);
    assert.equal(started.processId, processId);
    assert.ok(['processing', 'accepted'].includes(started.status));

    const final = await untilFinal(assure, dossierId, processId);
    assert.equal(final.status, 'accepted');
    assert.equal(typeof final.finalResult?.['lastName'], 'string');

    const zip = await assure.downloadProcess(dossierId, processId);
    assert.ok(zip instanceof Uint8Array);
    const files = unzipSync(zip);
    const result = JSON.parse(Buffer.from(files['result.json']!).toString('utf8')) as { processId: string };
    assert.equal(result.processId, processId);
    // The bytes went up as dataURLs and came back unchanged.
    assert.deepEqual(files['front.png'], PNG);
    assert.deepEqual(files['selfie.jpg'], JPEG);

    await assure.deleteDossier(dossierId);
    await assert.rejects(assure.getProcess(dossierId, processId), isAssureError('upstream_not_found', 404, 404));
    assert.equal(h.tokenRequests(), 1);
    assertNoSecrets(h);
    // Log events name method, path (with ids), status and timing.
    const request = h.logs.find(
      (e) => e.event === 'assure.request' && e.method === 'POST' && e.path.endsWith('/images'),
    );
    assert.ok(request && request.event === 'assure.request');
    assert.equal(request.path, `/assure/dossiers/${dossierId}/processes/${processId}/images`);
    assert.ok(request.status && request.status >= 200 && request.status < 300);
    assert.equal(typeof request.ms, 'number');
    // Image bytes never reach the log.
    assert.ok(!JSON.stringify(h.logs).includes(Buffer.from(PNG).toString('base64').slice(0, 24)));
  });

  it('should start a capture flow and return its url and ids', async () => {
    const h = await harness();
    const assure = h.client();
    const { dossierId } = await assure.createDossier();
    const flow = await assure.startCaptureFlow(dossierId, {
      provider: 'signicatpaper',
      redirectUrl: 'http://127.0.0.1:9/return?x=1',
    });
    assert.equal(flow.dossierId, dossierId);
    assert.match(new URL(flow.url).protocol, /^https?:$/);
    const process = await assure.getProcess(dossierId, flow.processId);
    assert.equal(process.status, 'pending');
  });

  it('should work with an apiUrl that has a path prefix and trailing slash', async () => {
    const emulator = createEmulator({ processingDelayMs: 0 });
    const { Hono } = await import('hono');
    const parent = new Hono().route('/emulator', emulator.app);
    const server = await listen(parent.fetch);
    closers.push(() => emulator.close(), () => server.close());
    const assure = createAssureClient({
      apiUrl: `${server.url}/emulator/`,
      tokenUrl: `${server.url}/emulator${TOKEN_PATH}`,
      clientId: SANDBOX_CLIENT_ID,
      clientSecret: SANDBOX_CLIENT_SECRET,
    });
    const { dossierId } = await assure.createDossier();
    await assure.deleteDossier(dossierId);
  });

  it('should accept any 2xx from Start verification and read the process if the body is not one', async () => {
    const h = await harness({}, async (request, emulator) => {
      const response = await emulator(request);
      const path = new URL(request.url).pathname;
      // Real Assure's response to Start verification is undocumented: pretend it is an empty 204.
      if (request.method === 'POST' && /\/processes\/[^/]+$/.test(path) && response.ok) {
        return new Response(null, { status: 204 });
      }
      return response;
    });
    const assure = h.client();
    const { dossierId } = await assure.createDossier();
    const { processId } = await assure.createProcess(dossierId, PAPER_PASSPORT);
    const image = { mime: 'image/png', bytes: PNG } as const;
    await assure.setImages(dossierId, processId, { front: image, selfie: image });
    const started = await assure.startVerification(dossierId, processId);
    assert.equal(started.processId, processId);
  });
});

describe('Assure client: tokens', () => {
  it('should make exactly one token request for 50 concurrent calls', async () => {
    const h = await harness();
    const assure = h.client();
    const results = await Promise.all(Array.from({ length: 50 }, () => assure.createDossier()));
    assert.equal(new Set(results.map((r) => r.dossierId)).size, 50);
    assert.equal(h.tokenRequests(), 1);
    await assure.getDocumentTypes('onfido');
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

  it('should drop a rejected token (401), get a new one and retry once', async () => {
    let upstreamClock = Date.UTC(2026, 0, 1);
    const h = await harness({ now: () => upstreamClock, tokenLifetimeSeconds: 600 });
    const assure = h.client({ now: () => Date.UTC(2026, 0, 1) }); // the client believes its token is fresh
    await assure.createDossier();
    upstreamClock += 3_600_000; // the emulator now considers the token expired → 401
    const { dossierId } = await assure.createDossier();
    assert.ok(dossierId);
    assert.equal(h.tokenRequests(), 2);
    const rejected = h.logs.filter((e) => e.event === 'assure.token_rejected');
    assert.equal(rejected.length, 1);
    const statuses = h.logs.filter((e) => e.event === 'assure.request').map((e) => e.status);
    assert.deepEqual(statuses, [201, 401, 201]);
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
        ? Response.json({ status: 401, title: 'Invalid authentication token.', traceId: 'abc123' }, { status: 401 })
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
      assert.ok(!message.includes('wrong-secret-value'));
      return true;
    });
    assert.ok(!JSON.stringify(h.logs).includes('wrong-secret-value'));
    const token = h.logs.find((e) => e.event === 'assure.token');
    assert.equal(token?.event === 'assure.token' && token.error, 'upstream_unauthorized');
    // A failed token request is not cached: the next call tries again.
    await assert.rejects(assure.createDossier(), AssureError);
    assert.equal(h.tokenRequests(), 2);
    assertNoSecrets(h);
  });

  it('should map token endpoint failures (5xx, 429, non-JSON, bad body)', async () => {
    const replies = [
      () => new Response('<html>oops</html>', { status: 500, headers: { 'content-type': 'text/html' } }),
      () => Response.json({ error: 'slow_down' }, { status: 429 }),
      () => Response.json({ token_type: 'Bearer', expires_in: 600 }), // no access_token
      () => Response.json({ error: 'invalid_scope', error_description: 'nope' }, { status: 400 }),
    ];
    const h = await harness({}, (request, emulator) =>
      new URL(request.url).pathname === TOKEN_PATH ? replies.shift()!() : emulator(request),
    );
    const assure = h.client();
    await assert.rejects(assure.createDossier(), isAssureError('upstream_unavailable', 502, 500));
    await assert.rejects(assure.createDossier(), isAssureError('upstream_unavailable', 503, 429));
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
    for (const host of ['127.0.0.1', 'localhost', '[::1]']) make(`http://${host}:1`, `http://${host}:1${TOKEN_PATH}`);
    make(signicat, `${signicat}${TOKEN_PATH}`);
  });
});

describe('Assure client: timeouts and aborts', () => {
  it('should time out a hanging Assure call with upstream_timeout', async () => {
    const h = await harness({}, (request, emulator) =>
      new URL(request.url).pathname.startsWith('/assure/') ? new Promise<Response>(() => {}) : emulator(request),
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
    const h = await harness({}, () => new Promise<Response>(() => {}));
    const assure = h.client({ timeoutMs: 100 });
    await assert.rejects(assure.createDossier(), isAssureError('upstream_timeout', 504));
  });

  it('should time out a body that stops arriving', async () => {
    const h = await harness({}, (request, emulator) => {
      if (!new URL(request.url).pathname.endsWith('/download')) return emulator(request);
      const stream = new ReadableStream({ start: (controller) => controller.enqueue(new Uint8Array([0x50, 0x4b])) });
      return new Response(stream, { headers: { 'content-type': 'application/zip' } });
    });
    const assure = h.client({ timeoutMs: 150 });
    await assert.rejects(assure.downloadProcess(UNKNOWN_ID, UNKNOWN_ID), isAssureError('upstream_timeout', 504));
  });

  it("should reject with the caller's abort reason when the caller gives up", async () => {
    const h = await harness({}, (request, emulator) =>
      new URL(request.url).pathname.startsWith('/assure/') ? new Promise<Response>(() => {}) : emulator(request),
    );
    const assure = h.client({ timeoutMs: 5000 });
    const controller = new AbortController();
    const call = assure.createDossier({ signal: controller.signal });
    setTimeout(() => controller.abort(), 50);
    await assert.rejects(call, (error: unknown) => error instanceof Error && error.name === 'AbortError');
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
    await assert.rejects(assure.createProcess(dossierId, { provider: 'nosuchprovider' }), (error: unknown) => {
      isAssureError('upstream_rejected', 422, 400)(error);
      assert.match((error as Error).message, /^Assure: /);
      assert.match((error as AssureError).traceId ?? '', /^[0-9a-f]{32}$/);
      return true;
    });
  });

  it('should map 409 to upstream_conflict', async () => {
    const h = await harness();
    const assure = h.client();
    const { dossierId } = await assure.createDossier();
    const { processId } = await assure.createProcess(dossierId, PAPER_PASSPORT);
    // Download is only allowed once the process is final.
    await assert.rejects(assure.downloadProcess(dossierId, processId), isAssureError('upstream_conflict', 409, 409));
  });

  it('should map 5xx to 502 and 429 to 503 (upstream_unavailable)', async () => {
    const statuses = [500, 502, 503, 429];
    const h = await harness({}, (request, emulator) => {
      if (!new URL(request.url).pathname.startsWith('/assure/')) return emulator(request);
      const status = statuses.shift()!;
      const traceId = '0123456789abcdef0123456789abcdef';
      return Response.json({ status, title: `Failure ${status}.`, traceId }, { status });
    });
    const assure = h.client();
    await assert.rejects(assure.createDossier(), isAssureError('upstream_unavailable', 502, 500));
    await assert.rejects(assure.createDossier(), isAssureError('upstream_unavailable', 502, 502));
    await assert.rejects(assure.createDossier(), isAssureError('upstream_unavailable', 502, 503));
    await assert.rejects(assure.createDossier(), (error: unknown) => {
      isAssureError('upstream_unavailable', 503, 429)(error);
      assert.equal((error as AssureError).traceId, '0123456789abcdef0123456789abcdef');
      return true;
    });
  });

  it('should map a network error to upstream_unavailable (502)', async () => {
    const server = await listen(() => new Response('x'));
    const url = server.url;
    await server.close();
    const tokenUrl = `${url}${TOKEN_PATH}`;
    const assure = createAssureClient({ apiUrl: url, tokenUrl, clientId: 'a', clientSecret: 'b' });
    await assert.rejects(assure.createDossier(), isAssureError('upstream_unavailable', 502));
  });

  it('should refuse malformed ids and provider names without any request', async () => {
    const h = await harness();
    const assure = h.client();
    const bad = ['../../auth/open/connect/token', `${UNKNOWN_ID}/download`, `${UNKNOWN_ID}?x=1`, '', 'abc'];
    for (const id of bad) {
      await assert.rejects(assure.getProcess(id, UNKNOWN_ID), isAssureError('upstream_not_found', 404));
      await assert.rejects(assure.getProcess(UNKNOWN_ID, id), isAssureError('upstream_not_found', 404));
      await assert.rejects(assure.deleteDossier(id), isAssureError('upstream_not_found', 404));
    }
    for (const provider of ['../dossiers', 'On Fido', 'onfido/x', '']) {
      await assert.rejects(assure.getDocumentTypes(provider), isAssureError('upstream_not_found', 404));
    }
    assert.deepEqual(h.requests, []);
  });

  it('should reject unexpected response shapes as upstream_unavailable without echoing them', async () => {
    const replies: Record<string, () => Response> = {
      '/assure/dossiers': () => Response.json({ id: 'not-a-dossier', secretish: 'Maria Santos' }, { status: 201 }),
      [`/assure/dossiers/${UNKNOWN_ID}/capture`]: () =>
        Response.json({ url: 'javascript:alert(1)', processId: UNKNOWN_ID }, { status: 201 }),
      [`/assure/dossiers/${UNKNOWN_ID}/processes/${UNKNOWN_ID}`]: () =>
        Response.json({ processId: UNKNOWN_ID, provider: 'onfido', status: 'not_matched', createdAt: 'x', updatedAt: 'y' }),
      '/assure/onfido/document-types': () => new Response('<html>', { headers: { 'content-type': 'text/html' } }),
    };
    const h = await harness({}, (request, emulator) => replies[new URL(request.url).pathname]?.() ?? emulator(request));
    const assure = h.client();
    const unavailable = isAssureError('upstream_unavailable', 502);
    await assert.rejects(assure.createDossier(), (error: unknown) => {
      unavailable(error);
      assert.ok(!(error as Error).message.includes('Maria'));
      return true;
    });
    const capture = { provider: 'onfido', redirectUrl: 'https://example.com/' };
    await assert.rejects(assure.startCaptureFlow(UNKNOWN_ID, capture), unavailable);
    await assert.rejects(assure.getProcess(UNKNOWN_ID, UNKNOWN_ID), unavailable);
    await assert.rejects(assure.getDocumentTypes('onfido'), unavailable);
    assertNoSecrets(h);
  });
});
