/**
 * The SessionStore contract, one table of cases run against both stores: the embedded memory store
 * and the Redis store on a real redis-server. A case gets `store` and `peer`: for Redis, `peer` is a
 * second store on its own connections and the same keys (another instance); for memory it is the same
 * store. Then what only Redis has: key expiry, and outages (Redis killed and restarted, Redis gone for
 * good) surfacing as StoreUnavailableError and `503 store_unavailable`, never as a crash or a hang.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { loadConfig } from '../../server/config.ts';
import { startServer } from '../../server/server.ts';
import { createMemoryStore } from '../../server/state/memory-store.ts';
import { createRedisStore, type RedisStore } from '../../server/state/redis-store.ts';
import type { SessionRecord, SessionStore } from '../../server/state/store.ts';
import { StoreUnavailableError } from '../../server/state/unavailable.ts';
import { redisSkipReason, startRedis, type RedisServer } from '../helpers/redis.ts';
import { eventually, json } from '../helpers/sandbox.ts';

const HOUR = 3600_000;

function record(overrides: Partial<SessionRecord> = {}): SessionRecord {
  const at = new Date().toISOString();
  return {
    sessionId: randomUUID(),
    mode: 'capture',
    provider: 'signicatpaper',
    status: 'pending',
    createdAt: at,
    updatedAt: at,
    expiresAt: Date.now() + 30 * 60_000,
    uploaded: [],
    submitted: false,
    delivery: 'none',
    cleanedUp: false,
    ...overrides,
  };
}

/** The next record a new listener hears for `sessionId` that satisfies `match`. */
function heard(
  store: SessionStore,
  sessionId: string,
  match: (r: SessionRecord) => boolean,
  ms = 3000,
): Promise<SessionRecord> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`no matching notification for ${sessionId} in ${ms} ms`));
    }, ms);
    const unsubscribe = store.subscribe(sessionId, (r) => {
      if (!match(r)) return;
      clearTimeout(timer);
      unsubscribe();
      resolve(r);
    });
  });
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Case {
  name: string;
  run(store: SessionStore, peer: SessionStore): Promise<void>;
}

const CONTRACT: Case[] = [
  {
    name: 'insert then get returns an equal copy; unknown ids are undefined',
    async run(store, peer) {
      const r = record({ reference: 'order-1', uploaded: ['front'] });
      await store.insert(r);
      const got = await peer.get(r.sessionId);
      assert.deepEqual(got, r);
      got!.uploaded.push('selfie');
      assert.deepEqual(
        (await store.get(r.sessionId))!.uploaded,
        ['front'],
        'a returned record is a copy',
      );
      assert.equal(await store.get(randomUUID()), undefined);
    },
  },
  {
    name: 'findByProcess finds the owner once a process id is set (insert or update)',
    async run(store, peer) {
      const a = record({ dossierId: 'd-a', processId: `p-${randomUUID()}` });
      const b = record();
      await store.insert(a);
      await store.insert(b);
      assert.equal((await peer.findByProcess(a.processId!))?.sessionId, a.sessionId);
      const processId = `p-${randomUUID()}`;
      assert.equal(await store.findByProcess(processId), undefined);
      await store.update(b.sessionId, (r) => ({ ...r, dossierId: 'd-b', processId }));
      assert.equal((await peer.findByProcess(processId))?.sessionId, b.sessionId);
    },
  },
  {
    name: 'update applies the change, "no change" leaves the record, an unknown id gives undefined',
    async run(store, peer) {
      const r = record();
      await store.insert(r);
      const changed = await store.update(r.sessionId, (current) => ({
        ...current,
        status: 'processing',
        submitted: true,
      }));
      assert.equal(changed?.status, 'processing');
      assert.equal((await peer.get(r.sessionId))?.status, 'processing');
      const unchanged = await store.update(r.sessionId, (current) => {
        current.status = 'accepted'; // a change function mutating its argument must not leak
        return undefined;
      });
      assert.equal(unchanged?.status, 'processing');
      assert.equal((await store.get(r.sessionId))?.status, 'processing');
      let called = false;
      assert.equal(
        await store.update(randomUUID(), (current) => {
          called = true;
          return current;
        }),
        undefined,
      );
      assert.equal(called, false);
    },
  },
  {
    name: 'update is atomic: 40 concurrent increments from two instances all count',
    async run(store, peer) {
      const r = record({ exposedResult: { n: 0 } });
      await store.insert(r);
      const increment = (s: SessionStore) =>
        s.update(r.sessionId, (current) => ({
          ...current,
          exposedResult: { n: (current.exposedResult!['n'] as number) + 1 },
        }));
      await Promise.all(Array.from({ length: 40 }, (_, i) => increment(i % 2 ? store : peer)));
      assert.equal((await store.get(r.sessionId))?.exposedResult?.['n'], 40);
    },
  },
  {
    name: 'update is atomic for read-decide-write: of two instances racing to make it final, one wins',
    async run(store, peer) {
      const r = record({ status: 'processing', submitted: true });
      await store.insert(r);
      const winners: string[] = [];
      const finalise = (s: SessionStore, who: string) =>
        s
          .update(r.sessionId, (current) => {
            if (current.status !== 'processing') return undefined;
            return {
              ...current,
              status: 'accepted',
              resultSource: who === 'a' ? 'callback' : 'event',
            };
          })
          .then((after) => {
            if (after?.resultSource === (who === 'a' ? 'callback' : 'event')) winners.push(who);
          });
      await Promise.all(
        Array.from({ length: 10 }, (_, i) => finalise(i % 2 ? store : peer, i % 2 ? 'a' : 'b')),
      );
      // Every caller sees the winner's record; only the first writer's source can be in it.
      const final = await store.get(r.sessionId);
      assert.equal(final?.status, 'accepted');
      assert.ok(winners.length >= 1);
      assert.ok(
        winners.every((w) => w === winners[0]),
        `one winner only, got ${winners.join(',')}`,
      );
    },
  },
  {
    name: 'subscribe hears changes made on any instance, with the record as it stands',
    async run(store, peer) {
      const r = record();
      await store.insert(r);
      const mine = heard(store, r.sessionId, (x) => x.status === 'processing');
      await delay(50); // let the subscription settle (Redis); memory is synchronous
      await peer.update(r.sessionId, (current) => ({
        ...current,
        status: 'processing',
        submitted: true,
      }));
      const got = await mine;
      assert.equal(got.submitted, true);
      assert.equal(got.sessionId, r.sessionId);
    },
  },
  {
    name: 'a listener gone (unsubscribed) hears nothing more; a throwing listener does not stop others',
    async run(store, peer) {
      const r = record();
      await store.insert(r);
      const gone: SessionRecord[] = [];
      const unsubscribe = store.subscribe(r.sessionId, (x) => gone.push(x));
      store.subscribe(r.sessionId, () => {
        throw new Error('broken stream');
      });
      const first = heard(store, r.sessionId, (x) => x.status === 'processing');
      await delay(50);
      await peer.update(r.sessionId, (current) => ({ ...current, status: 'processing' }));
      await first;
      await eventually(
        () => gone.some((x) => x.status === 'processing'),
        3000,
        'the first listener',
      );
      unsubscribe();
      // A later listener on the same channel is the barrier: messages arrive in order.
      const second = heard(store, r.sessionId, (x) => x.status === 'accepted');
      await delay(50);
      await peer.update(r.sessionId, (current) => ({ ...current, status: 'accepted' }));
      await second;
      assert.ok(!gone.some((x) => x.status === 'accepted'), 'an unsubscribed listener was called');
    },
  },
  {
    name: 'claim: first caller only, across instances; release and expiry free it',
    async run(store, peer) {
      const key = `deliver:${randomUUID()}`;
      const answers = await Promise.all([
        store.claim(key, 60_000),
        peer.claim(key, 60_000),
        store.claim(key, 60_000),
      ]);
      assert.deepEqual(answers.filter(Boolean).length, 1, `exactly one claim holds: ${answers}`);
      await peer.release(key);
      assert.equal(await store.claim(key, 60), true, 'released: claimable again');
      assert.equal(await peer.claim(key, 60), false);
      await delay(120);
      assert.equal(await peer.claim(key, 60_000), true, 'expired: claimable again');
    },
  },
  {
    name: 'hit counts a fixed window shared by every instance, then starts over',
    async run(store, peer) {
      const key = `sessions:${randomUUID()}`;
      const first = await store.hit(key, 400);
      assert.ok(first.resetAt > Date.now() && first.resetAt <= Date.now() + 400);
      await delay(150);
      const second = await peer.hit(key, 400);
      const third = await store.hit(key, 400);
      assert.deepEqual([first.count, second.count, third.count], [1, 2, 3]);
      assert.ok(
        Math.abs(second.resetAt - first.resetAt) < 40,
        `a fixed window: later hits do not move its end (${second.resetAt - first.resetAt} ms)`,
      );
      assert.equal(
        (await peer.hit(`other:${randomUUID()}`, 400)).count,
        1,
        'keys count separately',
      );
      await delay(first.resetAt - Date.now() + 30);
      assert.equal((await peer.hit(key, 400)).count, 1, 'a new window');
    },
  },
  {
    name: 'listInFlight: verifying or awaiting delivery, nothing else',
    async run(store, peer) {
      const verifying = record({ status: 'processing', submitted: true });
      const waiting = record({ status: 'accepted', submitted: true, delivery: 'waiting' });
      const others = [
        record(),
        record({ status: 'accepted', submitted: true, delivery: 'delivered' }),
        record({ status: 'rejected', submitted: true, delivery: 'none' }),
        record({ status: 'failed', submitted: true, delivery: 'failed' }),
      ];
      for (const r of [verifying, waiting, ...others]) await store.insert(r);
      const ids = (list: SessionRecord[]) => new Set(list.map((r) => r.sessionId));
      let listed = ids(await peer.listInFlight());
      assert.ok(listed.has(verifying.sessionId) && listed.has(waiting.sessionId));
      for (const r of others)
        assert.ok(!listed.has(r.sessionId), `${r.status}/${r.delivery} is not in flight`);
      await store.update(waiting.sessionId, (r) => ({ ...r, delivery: 'delivered' }));
      await store.update(others[0]!.sessionId, (r) => ({
        ...r,
        status: 'processing',
        submitted: true,
      }));
      listed = ids(await peer.listInFlight());
      assert.ok(!listed.has(waiting.sessionId), 'delivered: no longer in flight');
      assert.ok(listed.has(others[0]!.sessionId), 'submitted: in flight');
    },
  },
  {
    name: 'sweep removes what expired and needs no work, returns abandoned dossiers once',
    async run(store, peer) {
      const now = Date.now();
      const expired = now - 2 * HOUR;
      const abandoned = record({
        expiresAt: expired,
        dossierId: 'd-1',
        processId: `p-${randomUUID()}`,
      });
      const abandonedNoDossier = record({ expiresAt: expired });
      const abandonedCleaned = record({ expiresAt: expired, dossierId: 'd-2', cleanedUp: true });
      const finished = record({
        expiresAt: expired,
        status: 'accepted',
        submitted: true,
        delivery: 'delivered',
        dossierId: 'd-3',
      });
      const verifying = record({
        expiresAt: expired,
        status: 'processing',
        submitted: true,
        dossierId: 'd-4',
      });
      const awaitingDelivery = record({
        expiresAt: expired,
        status: 'accepted',
        submitted: true,
        delivery: 'waiting',
        dossierId: 'd-5',
      });
      const withinGrace = record({ expiresAt: now - HOUR / 2, dossierId: 'd-6' });
      const live = record({ dossierId: 'd-7' });
      const all = [
        abandoned,
        abandonedNoDossier,
        abandonedCleaned,
        finished,
        verifying,
        awaitingDelivery,
        withinGrace,
        live,
      ];
      for (const r of all) await store.insert(r);
      // Two instances sweep at once: the abandoned dossier is handed out once in all.
      const [mine, theirs] = await Promise.all([store.sweep(now, HOUR), peer.sweep(now, HOUR)]);
      const returned = [...mine, ...theirs].filter((r) =>
        all.some((x) => x.sessionId === r.sessionId),
      );
      assert.deepEqual(
        returned.map((r) => r.sessionId),
        [abandoned.sessionId],
      );
      assert.equal(returned[0]!.dossierId, 'd-1');
      for (const r of [abandoned, abandonedNoDossier, abandonedCleaned, finished]) {
        assert.equal(await store.get(r.sessionId), undefined, `${r.sessionId} removed`);
      }
      assert.equal(
        await peer.findByProcess(abandoned.processId!),
        undefined,
        'its process index is gone too',
      );
      for (const r of [verifying, awaitingDelivery, withinGrace, live]) {
        assert.ok(await store.get(r.sessionId), `${r.status}/${r.delivery}/${r.expiresAt} kept`);
      }
      assert.equal(
        (await store.sweep(now, HOUR)).filter((r) => all.some((x) => x.sessionId === r.sessionId))
          .length,
        0,
      );
    },
  },
];

describe('REDIS_URL configuration', () => {
  const real = {
    SIGNICAT_CLIENT_ID: 'client',
    SIGNICAT_CLIENT_SECRET: 'secret',
    SESSION_SECRET: 'kQ7vZp2rX9mWc4tLs8yHb3nJf6dGa1eU-test',
    PUBLIC_URL: 'http://127.0.0.1:8787',
  };
  it('accepts redis:// and rediss:// URLs; unset means the memory store', () => {
    assert.equal(
      loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379/1' }).redisUrl,
      'redis://127.0.0.1:6379/1',
    );
    assert.equal(
      loadConfig({ ...real, REDIS_URL: 'rediss://:pw@redis.internal:6380' }).redisUrl,
      'rediss://:pw@redis.internal:6380',
    );
    assert.equal(
      loadConfig({ ...real, REDIS_URL: 'redis://localhost:6379' }).redisUrl,
      'redis://localhost:6379',
      'plain on loopback',
    );
    assert.equal(loadConfig({}).redisUrl, undefined);
  });
  it('refuses other schemes, and plain redis:// off loopback in real mode, without echoing the URL', () => {
    assert.throws(
      () => loadConfig({ REDIS_URL: 'http://:hunter2@redis.internal' }),
      (error: Error) =>
        /REDIS_URL: must be a redis:\/\/ or rediss:\/\//.test(error.message) &&
        !error.message.includes('hunter2'),
    );
    assert.throws(
      () => loadConfig({ ...real, REDIS_URL: 'redis://:hunter2@redis.internal:6379' }),
      (error: Error) =>
        /REDIS_URL: must be rediss:\/\/ \(TLS\) in real mode/.test(error.message) &&
        !error.message.includes('hunter2'),
    );
    assert.equal(
      loadConfig({ REDIS_URL: 'redis://redis.internal:6379' }).redisUrl,
      'redis://redis.internal:6379',
      'sandbox mode may use plain Redis',
    );
  });
});

describe('SessionStore contract: memory store', () => {
  for (const c of CONTRACT) {
    it(c.name, async () => {
      const store = createMemoryStore();
      await c.run(store, store);
    });
  }
});

describe('SessionStore contract: Redis store', { skip: redisSkipReason() }, () => {
  let redis: RedisServer;
  const opened: RedisStore[] = [];
  const open = (prefix: string, url = redis.url) => {
    const store = createRedisStore({ url, prefix });
    opened.push(store);
    return store;
  };
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await redis?.stop();
  });

  for (const c of CONTRACT) {
    it(c.name, async () => {
      // Each case on keys of its own; `peer` is another instance (its own connections).
      const prefix = `t-${randomUUID()}:`;
      await c.run(open(prefix), open(prefix));
    });
  }

  it('keeps records as JSON under the prefix, with expiries: longer for unfinished work', async () => {
    const prefix = `t-${randomUUID()}:`;
    const store = open(prefix);
    const raw = new Redis(redis.url);
    try {
      const unfinished = record({
        status: 'processing',
        submitted: true,
        processId: `p-${randomUUID()}`,
      });
      const done = record({ status: 'accepted', submitted: true, delivery: 'delivered' });
      await store.insert(unfinished);
      await store.insert(done);
      await store.claim('deliver:x', 5000);
      await store.hit('sessions:1.2.3.4', 60_000);
      assert.deepEqual(
        JSON.parse((await raw.get(`${prefix}session:${unfinished.sessionId}`))!),
        unfinished,
      );
      const day = 86_400_000;
      const left = (expiresAt: number) => expiresAt - Date.now();
      const unfinishedTtl = await raw.pttl(`${prefix}session:${unfinished.sessionId}`);
      assert.ok(
        Math.abs(unfinishedTtl - (left(unfinished.expiresAt) + 7 * day)) < 5000,
        `unfinished: ${unfinishedTtl}`,
      );
      assert.ok(
        Math.abs((await raw.pttl(`${prefix}process:${unfinished.processId}`)) - unfinishedTtl) <
          5000,
      );
      const doneTtl = await raw.pttl(`${prefix}session:${done.sessionId}`);
      assert.ok(Math.abs(doneTtl - (left(done.expiresAt) + day)) < 5000, `finished: ${doneTtl}`);
      const claimTtl = await raw.pttl(`${prefix}claim:deliver:x`);
      assert.ok(claimTtl > 0 && claimTtl <= 5000);
      const rateTtl = await raw.pttl(`${prefix}rate:sessions:1.2.3.4`);
      assert.ok(rateTtl > 0 && rateTtl <= 60_000);
      assert.deepEqual(
        await raw.smembers(`${prefix}inflight`),
        [unfinished.sessionId],
        'the in-flight index holds in-flight sessions only',
      );
      await store.update(unfinished.sessionId, (r) => ({
        ...r,
        status: 'accepted',
        delivery: 'delivered',
      }));
      assert.deepEqual(
        await raw.smembers(`${prefix}inflight`),
        [],
        'and lets go of them once they are done',
      );
      const outside = (await raw.keys('*')).filter((k) => !k.startsWith('t-'));
      assert.deepEqual(outside, [], 'nothing outside the prefixes');
    } finally {
      raw.disconnect();
    }
  });
});

describe('Redis store when Redis fails', { skip: redisSkipReason() }, () => {
  let redis: RedisServer;
  const opened: RedisStore[] = [];
  const open = () => {
    const store = createRedisStore({ url: redis.url, prefix: `f-${randomUUID()}:` });
    opened.push(store);
    return store;
  };
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await Promise.all(opened.map((s) => s.close()));
    await redis?.stop();
  });

  /** Every store call, each expected to reject with StoreUnavailableError, quickly. */
  async function assertAllUnavailable(store: SessionStore, id: string) {
    const calls: Array<[string, () => Promise<unknown>]> = [
      ['insert', () => store.insert(record({ sessionId: id }))],
      ['get', () => store.get(id)],
      ['findByProcess', () => store.findByProcess('p-1')],
      ['update', () => store.update(id, (r) => ({ ...r, status: 'processing' }))],
      ['claim', () => store.claim(`deliver:${id}`, 1000)],
      ['release', () => store.release(`deliver:${id}`)],
      ['hit', () => store.hit('sessions:1.2.3.4', 60_000)],
      ['listInFlight', () => store.listInFlight()],
      ['sweep', () => store.sweep(Date.now(), HOUR)],
    ];
    for (const [name, call] of calls) {
      const started = Date.now();
      await assert.rejects(call(), (error: unknown) => {
        assert.ok(error instanceof StoreUnavailableError, `${name}: ${String(error)}`);
        assert.equal(error.code, 'store_unavailable');
        assert.doesNotMatch(error.message, /redis:\/\/127/, 'no URL in the message');
        return true;
      });
      assert.ok(
        Date.now() - started < 4000,
        `${name} took ${Date.now() - started} ms: it must fail fast, not hang`,
      );
    }
  }

  it('Redis killed and restarted: calls reject with store_unavailable, then work again, and subscriptions resume', async () => {
    const store = open();
    const r = record();
    await store.insert(r);
    const statuses: string[] = [];
    store.subscribe(r.sessionId, (x) => statuses.push(x.status));
    await eventually(
      () => statuses.includes('pending'),
      3000,
      'the catch-up notification after subscribing',
    );

    await redis.kill();
    await assertAllUnavailable(store, r.sessionId);
    // Subscribing during the outage neither throws nor rejects anywhere.
    const during: string[] = [];
    store.subscribe(r.sessionId, (x) => during.push(x.status));

    await redis.restart(); // empty: nothing was persisted
    await eventually(
      async () =>
        store.insert(r).then(
          () => true,
          () => false,
        ),
      8000,
      'the store to work again',
    );
    await delay(300); // the subscriber reconnects on its own schedule
    await eventually(
      async () => {
        await store.update(r.sessionId, (x) => ({
          ...x,
          status: 'processing',
          updatedAt: new Date().toISOString(),
        }));
        return statuses.includes('processing') && during.includes('processing');
      },
      8000,
      'listeners from before and during the outage to hear a change after it',
    );
  });

  it('Redis gone for good: every call keeps failing fast with store_unavailable; close() still ends', async () => {
    const store = open();
    await store.ready(5000);
    await redis.kill();
    await assertAllUnavailable(store, randomUUID());
    await delay(2500); // well into reconnect back-off
    await assertAllUnavailable(store, randomUUID());
    await store.close();
    await redis.restart();
  });

  it('ready() rejects clearly when Redis is not there at all', async () => {
    const store = createRedisStore({ url: 'redis://127.0.0.1:1', prefix: 'x:' });
    try {
      await assert.rejects(
        store.ready(1500),
        (error: unknown) =>
          error instanceof StoreUnavailableError && /connect to Redis/.test(error.message),
      );
    } finally {
      await store.close();
    }
  });

  it('the proxy answers 503 store_unavailable with Retry-After during an outage, and recovers', async () => {
    const store = open();
    await store.ready(5000);
    const server = await startServer(
      loadConfig({ PORT: '0', EMULATOR_DELAY_MS: '0', LOG_LEVEL: 'silent' }),
      { store },
    );
    try {
      const create = () =>
        fetch(`${server.url}/api/sessions`, json({ mode: 'capture', documentType: 'passport' }));
      assert.equal((await create()).status, 201);
      await redis.kill();
      const refused = await create();
      assert.equal(refused.status, 503);
      assert.equal(
        ((await refused.json()) as { error: { code: string } }).error.code,
        'store_unavailable',
      );
      assert.equal(refused.headers.get('Retry-After'), '2');
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200, 'the process lives on');
      await redis.restart();
      await eventually(async () => (await create()).status === 201, 8000, 'sessions to work again');
    } finally {
      await server.close();
    }
  });
});
