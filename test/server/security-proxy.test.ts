/**
 * Abuse limits as wired into the real proxy (docs/security.md): session-creation floods get 429s and
 * create no dossier at Signicat, uploads and submits are rate limited before Signicat is called,
 * uploads in flight and status streams are capped, large JSON bodies are refused from their headers,
 * an upload's session is resolved before a byte of it is read, unsubmitted dossiers are swept, and no
 * log line carries a session token. Tests arrive from 127.0.0.1; where clients must differ, the proxy
 * trusts one proxy hop and each request names its client in X-Forwarded-For.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, describe, it } from 'node:test';
import { createSessionTokens } from '../../server/session/token.ts';
import { jpegBytes } from '../helpers/images.ts';
import { startHarness, type Harness, type HarnessOptions } from '../helpers/proxy-harness.ts';
import { eventually, json } from '../helpers/sandbox.ts';

const harnesses: Harness[] = [];
after(() => Promise.all(harnesses.map((h) => h.close())));
async function harness(options: HarnessOptions = {}) {
  const h = await startHarness(options);
  harnesses.push(h);
  return h;
}

const from = (client: string) => ({ 'X-Forwarded-For': client });
const dossiersCreated = (h: Harness) =>
  h.requests.filter((r) => r.method === 'POST' && /\/assure\/dossiers$/.test(r.path)).length;
const codeOf = async (answer: Response) =>
  ((await answer.clone().json()) as { error?: { code: string } }).error?.code;

async function session(
  h: Harness,
  headers: Record<string, string> = {},
  body: Record<string, unknown> = { mode: 'capture' },
) {
  const answer = await h.api('/sessions', json(body, headers));
  assert.equal(answer.status, 201, await answer.clone().text());
  return ((await answer.json()) as { session: string }).session;
}

const upload = (h: Harness, token: string, side: string, headers: Record<string, string> = {}) =>
  h.api(`/sessions/${token}/images/${side}`, {
    method: 'PUT',
    headers: { 'Content-Type': 'image/jpeg', ...headers },
    body: jpegBytes(),
  });

/** Sends raw HTTP (headers only, never the announced body) and returns the status line. */
function rawRequest(url: string, head: string, ms = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(new URL(url).port), '127.0.0.1', () => socket.write(head));
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
    socket.on('data', (chunk) => {
      data += chunk.toString();
      if (data.includes('\r\n')) {
        clearTimeout(timer);
        socket.destroy();
        resolve(data.slice(0, data.indexOf('\r\n')));
      }
    });
    socket.on('error', reject);
  });
}

describe('rate limits in front of Signicat', () => {
  it('a session-creation flood from one client gets 429 with Retry-After and creates no dossier', async () => {
    const h = await harness({ env: { RATE_LIMIT_SESSIONS_PER_MINUTE: '5' } });
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => h.api('/sessions', json({ mode: 'capture' }))),
    );
    const statuses = answers.map((a) => a.status);
    assert.equal(statuses.filter((s) => s === 201).length, 5, statuses.join());
    const refused = answers.filter((a) => a.status === 429);
    assert.equal(refused.length, 7);
    for (const answer of refused) {
      assert.ok(Number(answer.headers.get('Retry-After')) > 0);
      assert.equal(await codeOf(answer), 'rate_limited');
    }
    assert.equal(dossiersCreated(h), 0, 'no dossier before an upload');
  });

  it('the global session limit holds across clients, and a flooding client does not use it up', async () => {
    const h = await harness({
      env: {
        TRUST_PROXY_HOPS: '1',
        RATE_LIMIT_SESSIONS_PER_MINUTE: '3',
        RATE_LIMIT_SESSIONS_GLOBAL_PER_MINUTE: '6',
      },
    });
    const flood = await Promise.all(
      Array.from({ length: 10 }, () =>
        h.api('/sessions', json({ mode: 'capture' }, from('203.0.113.1'))),
      ),
    );
    assert.equal(
      flood.filter((a) => a.status === 201).length,
      3,
      'the flooder gets its own budget only',
    );
    const others = [];
    for (const client of ['203.0.113.2', '203.0.113.3', '203.0.113.4', '203.0.113.5']) {
      others.push((await h.api('/sessions', json({ mode: 'capture' }, from(client)))).status);
    }
    assert.deepEqual(
      others,
      [201, 201, 201, 429],
      'three more fit the global six; the seventh is refused',
    );
  });

  it('uploads and submits over their per-minute limits get 429 before Signicat is called', async () => {
    const h = await harness({
      env: { RATE_LIMIT_UPLOADS_PER_MINUTE: '2', RATE_LIMIT_SUBMITS_PER_MINUTE: '1' },
    });
    const token = await session(h);
    assert.equal((await upload(h, token, 'front')).status, 200);
    assert.equal((await upload(h, token, 'selfie')).status, 200);
    const setImages = () => h.requests.filter((r) => r.path.endsWith('/images')).length;
    const before = setImages();
    const third = await upload(h, token, 'front');
    assert.equal(third.status, 429);
    assert.equal(await codeOf(third), 'rate_limited');
    assert.equal(setImages(), before, 'the refused upload never reached Signicat');
    assert.equal((await h.api(`/sessions/${token}/submit`, { method: 'POST' })).status, 202);
    const starts = () =>
      h.requests.filter((r) => r.method === 'POST' && /\/processes\/[^/]+$/.test(r.path)).length;
    const started = starts();
    const second = await h.api(`/sessions/${token}/submit`, { method: 'POST' });
    assert.equal(second.status, 429);
    assert.equal(starts(), started);
  });

  it('SESSION_CREATION=backend refuses sessions without PROXY_API_KEY', async () => {
    const key = 'backend-key-Q7vZp2rX9mWc4tLs8yHb3n';
    const h = await harness({ env: { SESSION_CREATION: 'backend', PROXY_API_KEY: key } });
    const refused = await h.api('/sessions', json({ mode: 'capture' }));
    assert.equal(refused.status, 401);
    assert.equal(await codeOf(refused), 'api_key_required');
    assert.equal(
      (await h.api('/sessions', json({ mode: 'capture' }, { Authorization: `Bearer ${key}` })))
        .status,
      201,
    );
    assert.equal(h.requests.length, 0);
  });
});

describe('bounded memory, sockets and streams', () => {
  it('refuses an announced 256 MiB JSON body with 413 before reading it', async () => {
    const h = await harness();
    const head = `POST /api/sessions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${256 * 1024 * 1024}\r\n\r\n`;
    assert.match(await rawRequest(h.url, head), / 413 /);
  });

  it('resolves the session before reading any upload byte', async () => {
    const h = await harness();
    const head = `PUT /api/sessions/not-a-session/images/front HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\nContent-Length: 1000000\r\n\r\n`;
    assert.match(await rawRequest(h.url, head), / 404 /, 'answered without waiting for the body');
    // And for a valid session whose side is not wanted: refused before the body, too.
    const token = await session(h);
    const back = `PUT /api/sessions/${token}/images/back HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/jpeg\r\nContent-Length: 1000000\r\n\r\n`;
    assert.match(await rawRequest(h.url, back), / 400 /);
  });

  it('refuses a fifth concurrent upload from one client with 429 too_many_uploads', async () => {
    const h = await harness({ env: { MAX_CONCURRENT_UPLOADS_PER_CLIENT: '4' } });
    await h.control('/faults', { rules: [{ operation: 'setImages', delayMs: 600 }] });
    const tokens = await Promise.all(Array.from({ length: 5 }, () => session(h)));
    const answers = await Promise.all(tokens.map((t) => upload(h, t, 'front')));
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 200, 429]);
    const refused = answers.find((a) => a.status === 429)!;
    assert.equal(await codeOf(refused), 'too_many_uploads');
    assert.equal(refused.headers.get('Retry-After'), '1');
    await h.control('/faults', undefined, 'DELETE');
    // Slots come back once the uploads ended.
    assert.equal((await upload(h, tokens[0]!, 'selfie')).status, 200);
  });

  it('refuses a fourth event stream on one session token, and holds the per-client and total caps', async () => {
    const h = await harness({
      env: {
        TRUST_PROXY_HOPS: '1',
        SSE_MAX_PER_SESSION: '3',
        SSE_MAX_PER_CLIENT: '4',
        SSE_MAX_TOTAL: '5',
      },
    });
    const open: AbortController[] = [];
    const stream = async (token: string, client: string) => {
      const controller = new AbortController();
      const answer = await h.api(`/sessions/${token}/events`, {
        headers: from(client),
        signal: controller.signal,
      });
      if (answer.status === 200) open.push(controller);
      return answer;
    };
    try {
      const a = await session(h, from('203.0.113.10'));
      for (let i = 0; i < 3; i++) assert.equal((await stream(a, '203.0.113.10')).status, 200);
      const fourth = await stream(a, '203.0.113.10');
      assert.equal(fourth.status, 429, 'per session');
      assert.equal(await codeOf(fourth), 'too_many_streams');
      const b = await session(h, from('203.0.113.10'));
      assert.equal((await stream(b, '203.0.113.10')).status, 200);
      assert.equal(
        (await stream(b, '203.0.113.10')).status,
        429,
        'per client: four streams across sessions',
      );
      const c = await session(h, from('203.0.113.11'));
      assert.equal((await stream(c, '203.0.113.11')).status, 200);
      assert.equal((await stream(c, '203.0.113.11')).status, 429, 'in total: five');
      // A closed stream gives its slot back.
      open.shift()!.abort();
      await eventually(
        async () => (await stream(c, '203.0.113.11')).status === 200,
        3000,
        'a freed slot',
      );
    } finally {
      for (const controller of open) controller.abort();
    }
  });

  it('closes an event stream when its token expires', async () => {
    const h = await harness();
    const token = await session(h);
    const tokens = createSessionTokens({
      secret: h.config.sessionSecret,
      ttlSeconds: h.config.sessionTtlSeconds,
    });
    const claims = await tokens.verify(token);
    assert.ok(typeof claims === 'object');
    // Expiry has one-second resolution: 2.5 s from now ends between 1.5 and 2.5 s from now.
    const shortLived = await tokens.issue(claims, new Date(Date.now() + 2500));
    const started = Date.now();
    const answer = await h.api(`/sessions/${shortLived.token}/events`);
    assert.equal(answer.status, 200);
    await answer.text(); // ends when the server closes the stream
    const lasted = Date.now() - started;
    assert.ok(lasted >= 1200 && lasted < 5000, `closed after ${lasted} ms`);
  });

  it('sweeps unsubmitted dossiers after the session TTL', async () => {
    const h = await harness();
    const token = await session(h);
    assert.equal((await upload(h, token, 'front')).status, 200);
    const dossierId = h.requests.find((r) => r.path.endsWith('/images'))!.path.split('/')[3]!;
    // Let the session expire (as if SESSION_TTL_SECONDS had passed), then sweep.
    const claims = await createSessionTokens({
      secret: h.config.sessionSecret,
      ttlSeconds: 60,
    }).verify(token);
    assert.ok(typeof claims === 'object');
    await h.store.update(claims.sessionId, (r) => ({ ...r, expiresAt: Date.now() - 1000 }));
    assert.equal(await h.proxy.lifecycle.sweep(0), 1);
    assert.ok(
      h.requests.some(
        (r) =>
          r.method === 'DELETE' && r.path.endsWith(`/dossiers/${dossierId}`) && r.status === 204,
      ),
    );
  });

  it('never writes a session token into a log line, even on upstream errors', async () => {
    const h = await harness();
    await h.control('/faults', { rules: [{ operation: 'createDossier', status: 500 }] });
    const token = await session(h);
    const failed = await upload(h, token, 'front');
    assert.equal(failed.status, 502);
    assert.ok(h.logs.some((l) => l.includes('upstream.error')));
    assert.ok(!h.logs.join('\n').includes(token));
  });
});
