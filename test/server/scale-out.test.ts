/**
 * Two proxy instances on one Redis, the setup docs/scale-out.md describes: redis-server, proxies A and B
 * as their own processes in real mode (same SESSION_SECRET and REDIS_URL), a small round-robin
 * balancer of the test's own in front (PUBLIC_URL: Signicat's callbacks come through it too; like any
 * real balancer it tries the next instance when one refuses connections), the emulator on its own
 * with legacy callbacks on, and a webhook receiver. Shows: a browser's stream on A hears a status whose
 * callback landed on B; a result is delivered once although both instances get the callback; rate
 * limits count across instances; B killed mid-verification loses nothing, A finishes the delivery.
 */
import assert from 'node:assert/strict';
import { request as httpRequest, createServer, type IncomingMessage, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { Hono } from 'hono';
import { verifyWebhookSignature, type ResultPayload } from '../../server/delivery/index.ts';
import { listen, type Listening } from '../../server/http/listen.ts';
import { startChild, type Child } from '../helpers/child.ts';
import { jpegBytes } from '../helpers/images.ts';
import { redisSkipReason, startRedis, type RedisServer } from '../helpers/redis.ts';
import { eventually, json, readStatusEvents, realModeEnv } from '../helpers/sandbox.ts';

const WEBHOOK_SECRET = 'wH7kP2xQ9vL4mZ8cR3tY6bN1dF5gJ0sA';
const API_KEY = 'pK4nR8tW2yB6mQ1xZ5cV9hJ3';
const A = 0;
const B = 1;

interface Forwarded {
  method: string;
  path: string;
  /** Instances tried, in order (the next one after a refused connection). */
  tried: number[];
  /** The instance that answered. */
  servedBy?: number;
  status?: number;
}

/**
 * Round-robin over the instances, forwarding each request whole. It appends the client address to
 * X-Forwarded-For (TRUST_PROXY_HOPS=1); the test names the client with `x-test-client` and may pin a
 * request with `x-test-instance`. `pinCallbacks` pins Signicat's callbacks (they carry no test headers).
 */
interface Balancer {
  url: string;
  instances: string[];
  log: Forwarded[];
  pinCallbacks: number | undefined;
  close(): Promise<void>;
}

async function startBalancer(): Promise<Balancer> {
  let turn = 0;
  const balancer: Balancer = {
    url: '',
    instances: [],
    log: [],
    pinCallbacks: undefined,
    close: async () => {},
  };

  function forward(
    index: number,
    incoming: IncomingMessage,
    body: Buffer,
    respond: (answer: IncomingMessage) => void,
  ): Promise<void> {
    const target = new URL(balancer.instances[index]!);
    const headers = { ...incoming.headers };
    const client = String(
      incoming.headers['x-test-client'] ?? incoming.socket.remoteAddress ?? '127.0.0.1',
    );
    delete headers['x-test-client'];
    delete headers['x-test-instance'];
    headers['x-forwarded-for'] = headers['x-forwarded-for']
      ? `${headers['x-forwarded-for']}, ${client}`
      : client;
    headers.host = target.host;
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: incoming.method,
          path: incoming.url,
          headers,
          agent: false,
        },
        (answer) => {
          respond(answer);
          answer.on('end', resolve);
          answer.on('error', resolve);
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  const server: Server = createServer(async (incoming, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const path = incoming.url ?? '/';
    const pinned = incoming.headers['x-test-instance'];
    const count = balancer.instances.length;
    const first =
      pinned !== undefined
        ? Number(pinned)
        : path.startsWith('/api/callbacks/') && balancer.pinCallbacks !== undefined
          ? balancer.pinCallbacks
          : turn++ % count;
    const entry: Forwarded = { method: incoming.method ?? 'GET', path, tried: [] };
    balancer.log.push(entry);
    for (let step = 0; step < count; step++) {
      const index = (first + step) % count;
      entry.tried.push(index);
      try {
        await forward(index, incoming, body, (answer) => {
          entry.servedBy = index;
          entry.status = answer.statusCode;
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(response);
        });
        return;
      } catch (error) {
        // Nothing was sent to an instance that refused the connection: the next one may take it.
        if ((error as NodeJS.ErrnoException).code !== 'ECONNREFUSED') break;
      }
    }
    if (!response.headersSent) response.writeHead(502).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  balancer.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  balancer.close = () => new Promise((resolve) => server.close(() => resolve()));
  return balancer;
}

describe(
  'two instances on Redis behind a round-robin balancer',
  { skip: redisSkipReason() },
  () => {
    let redis: RedisServer;
    let emulator: Child;
    let balancer: Balancer;
    let receiver: Listening;
    const instances: Child[] = [];
    const deliveries: ResultPayload[] = [];

    before(async () => {
      [redis, balancer] = await Promise.all([startRedis(), startBalancer()]);
      const hooks = new Hono();
      hooks.post('/hooks', async (c) => {
        const body = await c.req.text();
        if (
          !verifyWebhookSignature(
            WEBHOOK_SECRET,
            body,
            c.req.header('Signicat-Verify-Signature') ?? '',
          )
        )
          return c.text('bad signature', 401);
        deliveries.push(JSON.parse(body) as ResultPayload);
        return c.body(null, 204);
      });
      receiver = await listen(hooks.fetch, { port: 0, hostname: '127.0.0.1' });
      emulator = await startChild(
        'server/emulator/main.ts',
        { EMULATOR_LEGACY_CALLBACKS: '1', EMULATOR_DELAY_MS: '300', EMULATOR_LOG: '1' },
        /listening on (http:\/\/127\.0\.0\.1:\d+)/,
      );
      const env = {
        ...realModeEnv(emulator.url, 0),
        // Browsers and Signicat reach the instances only through the balancer.
        PUBLIC_URL: balancer.url,
        REDIS_URL: redis.url,
        TRUST_PROXY_HOPS: '1',
        RESULT_WEBHOOK_URL: `${receiver.url}/hooks`,
        RESULT_WEBHOOK_SECRET: WEBHOOK_SECRET,
        PROXY_API_KEY: API_KEY,
        DEFAULT_DOCUMENT_COUNTRY: 'NO',
        RATE_LIMIT_SESSIONS_PER_MINUTE: '4',
        // Callbacks arrive ~300 ms after submit; polls (the submitting instance's) come much later, so
        // every final status in these tests is one a callback brought.
        POLL_INITIAL_MS: '10000',
        POLL_MAX_MS: '10000',
        LOG_LEVEL: 'info',
      };
      const started = await Promise.all(
        [0, 1].map(() => startChild('server/index.ts', env, /open (http:\/\/127\.0\.0\.1:\d+)\//)),
      );
      instances.push(...started);
      balancer.instances = started.map((child) => child.url);
    });

    after(async () => {
      await Promise.all(instances.map((child) => child.stop()));
      await emulator?.stop();
      await receiver?.close();
      await balancer?.close();
      await redis?.stop();
    });

    /** What a failing assertion should show: the last lines of every process, and where requests went. */
    const logs = () =>
      [
        ...instances.map(
          (child, i) => `--- instance ${'AB'[i]} ---\n${child.output().slice(-3000)}`,
        ),
        `--- emulator ---\n${emulator.output().slice(-2000)}`,
      ].join('\n');
    const routes = () =>
      balancer.log
        .map(
          (f) =>
            `${f.method} ${f.path.replace(/^(\/api\/sessions\/)[^/]+/, '$1:session')} tried ${f.tried} → ${f.servedBy} ${f.status}`,
        )
        .join('\n');

    /** A browser call through the balancer, as client `client`, optionally pinned to one instance. */
    function browser(client: string, path: string, init: RequestInit = {}, instance?: number) {
      const headers = new Headers(init.headers);
      headers.set('x-test-client', client);
      if (instance !== undefined) headers.set('x-test-instance', String(instance));
      return fetch(`${balancer.url}/api${path}`, { ...init, headers });
    }

    async function results(instance: number) {
      const health = (await (await fetch(`${instances[instance]!.url}/healthz`)).json()) as {
        results: Record<'callback' | 'event' | 'poll', number>;
      };
      return health.results;
    }

    async function control(path: string, body: unknown) {
      const answer = await fetch(`${emulator.url}/control${path}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.ok(answer.ok, `emulator control ${path}: ${answer.status}`);
    }

    /**
     * A passport capture carrying `reference` (so its delivery can be told apart): created and uploaded
     * through the balancer (both instances take part), submitted on `submitOn`. Returns the first token.
     */
    async function submittedPassport(
      client: string,
      reference: string,
      submitOn: number,
    ): Promise<string> {
      const created = await browser(
        client,
        '/sessions',
        json(
          { mode: 'capture', documentType: 'passport', reference },
          { Authorization: `Bearer ${API_KEY}` },
        ),
      );
      assert.equal(created.status, 201, await created.clone().text());
      const first = ((await created.json()) as { session: string }).session;
      let token = first;
      for (const side of ['front', 'selfie']) {
        const uploaded = await browser(client, `/sessions/${token}/images/${side}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'image/jpeg' },
          body: jpegBytes(),
        });
        assert.equal(uploaded.status, 200, await uploaded.clone().text());
        token = ((await uploaded.json()) as { session: string }).session;
      }
      const submitted = await browser(
        client,
        `/sessions/${token}/submit`,
        { method: 'POST' },
        submitOn,
      );
      assert.equal(submitted.status, 202, await submitted.clone().text());
      return first;
    }

    const deliveredFor = (reference: string) => deliveries.filter((d) => d.reference === reference);
    const callbacksSince = (index: number) =>
      balancer.log.slice(index).filter((f) => f.path.startsWith('/api/callbacks/'));

    it('the browser stream on A hears the status whose callback landed on B', async () => {
      balancer.pinCallbacks = B;
      const mark = balancer.log.length;
      const [beforeA, beforeB] = [await results(A), await results(B)];
      const token = await submittedPassport('203.0.113.1', 'order-stream', A);
      const stream = await fetch(`${instances[A]!.url}/api/sessions/${token}/events`);
      assert.equal(stream.status, 200);
      const events = await readStatusEvents(stream, 15_000);
      assert.equal(
        events.at(-1)?.status,
        'accepted',
        `A's stream ended with ${JSON.stringify(events)}\n${logs()}`,
      );
      const [afterA, afterB] = [await results(A), await results(B)];
      assert.equal(
        afterB.callback - beforeB.callback,
        1,
        `B applied the final status from the callback\n${logs()}\n${routes()}`,
      );
      assert.deepEqual(afterA, beforeA, 'A applied no final status itself');
      const callbacks = callbacksSince(mark);
      assert.ok(
        callbacks.length > 0 && callbacks.every((f) => f.servedBy === B),
        JSON.stringify(callbacks),
      );
      await eventually(() => deliveredFor('order-stream').length === 1, 10_000, 'the delivery');
    });

    it('a result is delivered once although both instances get the callback', async () => {
      balancer.pinCallbacks = undefined; // round-robin: the two copies go to A and to B
      await control('/faults', { rules: [{ operation: 'callback', duplicate: true, times: 1 }] });
      const mark = balancer.log.length;
      await submittedPassport('203.0.113.2', 'order-duplicate', A);
      const callbacks = await eventually(
        () => {
          const seen = callbacksSince(mark).filter((f) => f.status === 200);
          return seen.length >= 2 ? seen : undefined;
        },
        10_000,
        'both copies of the callback',
      );
      assert.deepEqual(
        new Set(callbacks.map((f) => f.servedBy)),
        new Set([A, B]),
        'each instance got a copy',
      );
      await eventually(() => deliveredFor('order-duplicate').length > 0, 10_000, 'the delivery');
      // Both instances have handled their copy (answered) and the delivery is done: give a second one
      // every chance to show up before counting.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      assert.equal(
        deliveredFor('order-duplicate').length,
        1,
        `delivered ${deliveredFor('order-duplicate').length} times\n${logs()}`,
      );
    });

    it('rate limits count across instances: the 5th session of one client in a minute is refused', async () => {
      const mark = balancer.log.length;
      const answers: number[] = [];
      for (let i = 0; i < 5; i++) {
        const created = await browser(
          '203.0.113.3',
          '/sessions',
          json({ mode: 'capture', documentType: 'passport' }),
        );
        answers.push(created.status);
        if (created.status === 429) assert.ok(Number(created.headers.get('Retry-After')) >= 1);
      }
      assert.deepEqual(answers, [201, 201, 201, 201, 429]);
      // Neither instance saw five requests of its own: only a shared counter refuses the fifth.
      const servedBy = balancer.log.slice(mark, mark + 5).map((f) => f.servedBy);
      assert.ok(servedBy.includes(A) && servedBy.includes(B), `served by ${servedBy}`);
      // Another client has its own budget.
      assert.equal(
        (
          await browser(
            '203.0.113.30',
            '/sessions',
            json({ mode: 'capture', documentType: 'passport' }),
          )
        ).status,
        201,
      );
    });

    it('B killed mid-verification loses nothing: A finishes the delivery', async () => {
      balancer.pinCallbacks = B; // Signicat calls back where B was; the balancer moves on to A
      await control('/outcome', { status: 'rejected', delayMs: 1500 });
      const mark = balancer.log.length;
      const token = await submittedPassport('203.0.113.4', 'order-crash', B);
      await instances[B]!.stop({ kill: true });
      const stream = await fetch(`${instances[A]!.url}/api/sessions/${token}/events`);
      assert.equal(stream.status, 200);
      const events = await readStatusEvents(stream, 15_000);
      assert.equal(
        events.at(-1)?.status,
        'rejected',
        `A's stream ended with ${JSON.stringify(events)}\n${logs()}`,
      );
      await eventually(() => deliveredFor('order-crash').length > 0, 10_000, 'the delivery');
      const [delivery] = deliveredFor('order-crash');
      assert.equal(delivery!.status, 'rejected');
      const callback = callbacksSince(mark).find((f) => f.status === 200);
      assert.deepEqual(callback?.tried, [B, A], 'the callback found B gone and reached A');
      assert.equal(callback?.servedBy, A);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(deliveredFor('order-crash').length, 1);
    });
  },
);
