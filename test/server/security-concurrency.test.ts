/**
 * concurrencyLimit (uploads in flight per client) and createStreamLimiter (SSE caps per session, per
 * client and in total).
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { listen } from '../../server/http/listen.ts';
import { clientKey } from '../../server/middleware/client-address.ts';
import { concurrencyLimit } from '../../server/middleware/concurrency.ts';
import { createStreamLimiter } from '../../server/middleware/stream-limits.ts';

const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const close of closers) await close();
});

async function uploadsApp(perKey: number) {
  let open!: () => void;
  let gate = new Promise<void>((r) => (open = r));
  const started: string[] = [];
  const limit = concurrencyLimit({ perKey, key: (c) => clientKey(c, 1) });
  const app = new Hono();
  app.put('/upload', limit, async (c) => {
    started.push(c.req.header('X-Forwarded-For') ?? 'socket');
    if (c.req.header('X-Fail')) throw new Error('handler failed');
    await gate;
    return c.body(null, 204);
  });
  app.onError((_, c) => c.json({ error: { code: 'internal_error' } }, 500));
  const listening = await listen(app.fetch);
  closers.push(listening.close);
  const put = (from: string, headers: Record<string, string> = {}) =>
    fetch(`${listening.url}/upload`, {
      method: 'PUT',
      headers: { 'X-Forwarded-For': from, ...headers },
      body: 'x',
    });
  const release = () => {
    open();
    gate = new Promise<void>((r) => (open = r));
  };
  const waitStarted = async (n: number) => {
    while (started.length < n) await new Promise((r) => setTimeout(r, 5));
  };
  return { put, release, limit, started, waitStarted };
}

describe('concurrencyLimit', () => {
  it("refuses a client's upload beyond the cap with 429 too_many_uploads and Retry-After: 1", async () => {
    const { put, release, limit, waitStarted } = await uploadsApp(2);
    const first = put('203.0.113.1'),
      second = put('203.0.113.1');
    await waitStarted(2);
    assert.equal(limit.inFlight('203.0.113.1'), 2);
    const third = await put('203.0.113.1');
    assert.equal(third.status, 429);
    assert.equal(third.headers.get('Retry-After'), '1');
    assert.equal(
      ((await third.json()) as { error: { code: string } }).error.code,
      'too_many_uploads',
    );
    const other = put('198.51.100.2');
    await waitStarted(3);
    release();
    assert.deepEqual(
      [(await first).status, (await second).status, (await other).status],
      [204, 204, 204],
    );
    assert.equal(limit.inFlight('203.0.113.1'), 0, 'slots given back');
    const again = put('203.0.113.1');
    await waitStarted(4);
    release();
    assert.equal((await again).status, 204);
  });

  it('gives the slot back when the handler throws', async () => {
    const { put, limit } = await uploadsApp(1);
    for (let i = 0; i < 3; i++)
      assert.equal((await put('203.0.113.9', { 'X-Fail': '1' })).status, 500);
    assert.equal(limit.inFlight('203.0.113.9'), 0);
  });
});

describe('createStreamLimiter', () => {
  it('caps streams per session token', () => {
    const limiter = createStreamLimiter({ perSession: 3, perClient: 50, total: 5000 });
    const releases = [1, 2, 3].map(() => limiter.acquire('token-a', 'client-1'));
    assert.ok(releases.every(Boolean));
    assert.equal(
      limiter.acquire('token-a', 'client-2'),
      undefined,
      'a 4th stream on one token, even from elsewhere',
    );
    assert.equal(limiter.refusal('token-a', 'client-1'), 'session');
    assert.ok(limiter.acquire('token-b', 'client-1'), 'another session is fine');
    releases[0]!();
    assert.ok(limiter.acquire('token-a', 'client-1'), 'a released slot can be taken again');
  });

  it('caps streams per client across sessions', () => {
    const limiter = createStreamLimiter({ perSession: 3, perClient: 5, total: 5000 });
    for (let i = 0; i < 5; i++) assert.ok(limiter.acquire(`token-${i}`, 'client-1'));
    assert.equal(limiter.acquire('token-new', 'client-1'), undefined);
    assert.equal(limiter.refusal('token-new', 'client-1'), 'client');
    assert.ok(limiter.acquire('token-new', 'client-2'));
  });

  it('caps streams in total', () => {
    const limiter = createStreamLimiter({ perSession: 3, perClient: 50, total: 10 });
    for (let i = 0; i < 10; i++) assert.ok(limiter.acquire(`token-${i}`, `client-${i}`));
    assert.equal(limiter.acquire('token-x', 'client-x'), undefined);
    assert.equal(limiter.refusal('token-x', 'client-x'), 'total');
    assert.equal(limiter.open(), 10);
  });

  it('release is idempotent: a stream closed twice frees one slot', () => {
    const limiter = createStreamLimiter({ perSession: 2, perClient: 50, total: 5000 });
    const one = limiter.acquire('t', 'c')!;
    limiter.acquire('t', 'c');
    one();
    one();
    one();
    assert.equal(limiter.openFor('session', 't'), 1);
    assert.equal(limiter.openFor('client', 'c'), 1);
    assert.equal(limiter.open(), 1);
    assert.ok(limiter.acquire('t', 'c'));
    assert.equal(
      limiter.acquire('t', 'c'),
      undefined,
      'double release did not create a spare slot',
    );
  });

  it('forgets keys with no open streams (memory follows open streams)', () => {
    const limiter = createStreamLimiter({ perSession: 3, perClient: 50, total: 5000 });
    const releases = Array.from({ length: 100 }, (_, i) => limiter.acquire(`t${i}`, `c${i}`)!);
    for (const release of releases) release();
    assert.equal(limiter.open(), 0);
    assert.equal(limiter.openFor('session', 't0'), 0);
  });

  it('refuses nonsense caps', () => {
    assert.throws(
      () => createStreamLimiter({ perSession: 0, perClient: 1, total: 1 }),
      /perSession/,
    );
  });
});
