/**
 * Rate limits (hono-rate-limiter over a RateCounter): per client and global, 429 rate_limited with
 * Retry-After, nothing behind the limiter runs, counters shareable between instances.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Hono } from 'hono';
import { ApiError, errorBody } from '../../server/errors.ts';
import { listen } from '../../server/http/listen.ts';
import { clientKey } from '../../server/middleware/client-address.ts';
import { originGuard } from '../../server/middleware/origin-guard.ts';
import {
  createMemoryRateCounter,
  rateLimit,
  type RateCounter,
} from '../../server/middleware/rate-limit.ts';

const closers: Array<() => Promise<void>> = [];
after(async () => {
  for (const close of closers) await close();
});

const MINUTE = 60_000;

/** A session-creation route guarded like the proxy's: origin guard, per-client limit, then global limit. */
async function sessionsApp(options: { perClient: number; global: number; counter?: RateCounter }) {
  const counter = options.counter ?? createMemoryRateCounter();
  const created: string[] = [];
  const app = new Hono();
  app.use('/api/*', originGuard(['https://shop.example']));
  app.post(
    '/api/sessions',
    rateLimit({
      name: 'sessions',
      limit: options.perClient,
      windowMs: MINUTE,
      key: (c) => clientKey(c, 1),
      counter,
    }),
    rateLimit({
      name: 'sessions-global',
      limit: options.global,
      windowMs: MINUTE,
      key: () => 'all',
      counter,
    }),
    (c) => {
      created.push(c.req.header('X-Forwarded-For') ?? 'socket');
      return c.json({ session: 'x' }, 201);
    },
  );
  app.onError((error) =>
    error instanceof ApiError
      ? Response.json(errorBody(error.code, error.message), { status: error.status })
      : Response.json(errorBody('internal_error', 'x'), { status: 500 }),
  );
  const listening = await listen(app.fetch);
  closers.push(listening.close);
  const create = (from?: string, headers: Record<string, string> = {}) =>
    fetch(`${listening.url}/api/sessions`, {
      method: 'POST',
      headers: { ...(from && { 'X-Forwarded-For': from }), ...headers },
    });
  return { create, created, counter };
}

describe('rateLimit', () => {
  it('answers 429 rate_limited with Retry-After over the per-client limit, and nothing behind it runs', async () => {
    const { create, created } = await sessionsApp({ perClient: 3, global: 100 });
    for (let i = 0; i < 3; i++) assert.equal((await create('203.0.113.5')).status, 201);
    const refused = await create('203.0.113.5');
    assert.equal(refused.status, 429);
    assert.deepEqual(
      ((await refused.json()) as { error: { code: string } }).error.code,
      'rate_limited',
    );
    const retryAfter = Number(refused.headers.get('Retry-After'));
    assert.ok(
      Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60,
      `Retry-After ${retryAfter}`,
    );
    assert.equal(created.length, 3, 'the handler ran only for the allowed requests');
  });

  it('counts each client apart, and loopback is not exempt', async () => {
    const { create } = await sessionsApp({ perClient: 2, global: 100 });
    for (let i = 0; i < 2; i++) assert.equal((await create()).status, 201);
    assert.equal((await create()).status, 429, '127.0.0.1 is limited like anyone');
    assert.equal((await create('198.51.100.1')).status, 201, 'another client has its own budget');
  });

  it('limits all clients together with the global limit', async () => {
    const { create, created } = await sessionsApp({ perClient: 10, global: 5 });
    for (let i = 1; i <= 5; i++) assert.equal((await create(`198.51.100.${i}`)).status, 201);
    const refused = await create('198.51.100.99');
    assert.equal(refused.status, 429);
    assert.ok(refused.headers.get('Retry-After'));
    assert.equal(created.length, 5);
  });

  it('a flooding client exhausts only its own budget, not the global one', async () => {
    const { create } = await sessionsApp({ perClient: 3, global: 5 });
    for (let i = 0; i < 20; i++) await create('203.0.113.66');
    assert.equal((await create('198.51.100.1')).status, 201, 'others still get in');
    assert.equal((await create('198.51.100.2')).status, 201);
  });

  it('lets the element read the refusal and its Retry-After cross-origin', async () => {
    const { create } = await sessionsApp({ perClient: 1, global: 100 });
    await create('203.0.113.7', { Origin: 'https://shop.example' });
    const refused = await create('203.0.113.7', { Origin: 'https://shop.example' });
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('Access-Control-Allow-Origin'), 'https://shop.example');
    assert.match(refused.headers.get('Access-Control-Expose-Headers') ?? '', /Retry-After/i);
  });

  it('shares counters between instances through one RateCounter (the store hook)', async () => {
    const counter = createMemoryRateCounter();
    const one = await sessionsApp({ perClient: 2, global: 100, counter });
    const two = await sessionsApp({ perClient: 2, global: 100, counter });
    assert.equal((await one.create('203.0.113.8')).status, 201);
    assert.equal((await two.create('203.0.113.8')).status, 201);
    assert.equal((await one.create('203.0.113.8')).status, 429);
    assert.equal((await two.create('203.0.113.8')).status, 429);
  });

  it('refuses nonsense limits at wiring time', () => {
    const counter = createMemoryRateCounter();
    assert.throws(
      () => rateLimit({ name: 'x', limit: 0, windowMs: MINUTE, key: () => 'k', counter }),
      /limit/,
    );
    assert.throws(
      () => rateLimit({ name: 'x', limit: 1, windowMs: 0, key: () => 'k', counter }),
      /windowMs/,
    );
  });
});

describe('createMemoryRateCounter', () => {
  it('counts hits in a fixed window and starts over when it ends', async () => {
    let now = 1_000_000;
    const counter = createMemoryRateCounter({ now: () => now });
    assert.deepEqual(await counter.hit('a', MINUTE), { count: 1, resetAt: 1_060_000 });
    now += 30_000;
    assert.deepEqual(await counter.hit('a', MINUTE), { count: 2, resetAt: 1_060_000 });
    assert.deepEqual(await counter.hit('b', MINUTE), { count: 1, resetAt: 1_090_000 });
    now = 1_060_000;
    assert.deepEqual(await counter.hit('a', MINUTE), { count: 1, resetAt: 1_120_000 });
    now = 1_090_000; // between two sweeps: the window's own end counts
    assert.deepEqual(await counter.hit('b', MINUTE), { count: 1, resetAt: 1_150_000 });
  });

  it('forgets expired windows and holds at most maxKeys', async () => {
    let now = 0;
    const counter = createMemoryRateCounter({ now: () => now, maxKeys: 100 });
    for (let i = 0; i < 1000; i++) await counter.hit(`k${i}`, MINUTE);
    assert.ok(counter.size() <= 101, `size ${counter.size()}`);
    now += MINUTE + 1;
    await counter.hit('fresh', MINUTE);
    assert.equal(counter.size(), 1, 'expired windows swept');
  });
});
