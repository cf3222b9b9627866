/**
 * Result delivery: webhook signatures, signed delivery with retries to a real loopback receiver, and the
 * zip archive. The signature check an integrator would run is the snippet from docs/webhooks.md itself.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import {
  createArchive,
  createWebhookDelivery,
  DeliveryError,
  signWebhook,
  verifyWebhookSignature,
  type DeliveryLogEvent,
  type ResultPayload,
} from '../../server/delivery/index.ts';
import { listen, type Listening } from '../../server/http/listen.ts';

const SECRET = 'whsec_test_0123456789';
const PROCESS_ID = '8a303665-c94a-47c1-be8d-5df65f64a0ad';

const payload: ResultPayload = {
  event: 'verification.completed',
  deliveryId: `verification-${PROCESS_ID}`,
  dossierId: 'c03e66c7-8230-4020-a084-5a34a925d5fe',
  processId: PROCESS_ID,
  reference: 'order-1234',
  mode: 'capture',
  status: 'accepted',
  completedAt: '2026-01-01T00:00:00Z',
  result: {
    processId: PROCESS_ID,
    provider: 'signicatpaper',
    status: 'accepted',
    createdAt: '2025-12-31T23:59:20Z',
    updatedAt: '2026-01-01T00:00:00Z',
    finalResult: {
      firstName: 'Maria Paula',
      lastName: 'Santos Mendes',
      documentNumber: '1234567890',
      note: 'ünïcødé ✓', // the signature covers the UTF-8 body, not just ASCII
    },
  },
};

type IntegratorVerify = (
  secret: string,
  rawBody: string,
  header: string | null,
  toleranceSeconds?: number,
) => boolean;

/**
 * The integrator's code: the Node snippet from docs/webhooks.md, extracted and run as-is (a plain `.mjs`
 * module), so the documentation cannot drift from what actually verifies.
 */
async function loadDocSnippet(dir: string): Promise<IntegratorVerify> {
  const markdown = await readFile(new URL('../../docs/webhooks.md', import.meta.url), 'utf8');
  const block = [...markdown.matchAll(/```js\n([\s\S]*?)```/g)]
    .map((match) => match[1]!)
    .find((code) => code.includes('export function verifySignicatVerify'));
  assert.ok(block, 'docs/webhooks.md has the verification snippet');
  assert.ok(block.split('\n').length <= 20, 'the snippet stays short');
  const file = join(dir, 'integrator-verify.mjs');
  await writeFile(file, block);
  const module = (await import(pathToFileURL(file).href)) as {
    verifySignicatVerify: IntegratorVerify;
  };
  return module.verifySignicatVerify;
}

interface Received {
  headers: Headers;
  body: string;
}

/** A loopback webhook receiver answering each request with the next scripted reply. */
async function receiver(replies: Array<number | 'hang'>, fallback: number | 'hang' = 200) {
  const received: Received[] = [];
  const server: Listening = await listen(async (request) => {
    received.push({ headers: request.headers, body: await request.text() });
    const reply = replies.shift() ?? fallback;
    if (reply === 'hang') return new Promise<Response>(() => {});
    return new Response(reply === 200 ? 'ok' : 'nope', { status: reply });
  });
  return { received, url: `${server.url}/hooks/verify`, close: () => server.close() };
}

describe('webhook signatures', () => {
  const t = 1_767_225_600;
  const body = JSON.stringify(payload);
  const at = (seconds: number) => () => seconds * 1000;

  it('should verify its own signature', () => {
    const header = signWebhook(SECRET, body, t);
    assert.match(header, /^t=1767225600,v1=[0-9a-f]{64}$/);
    assert.equal(verifyWebhookSignature(SECRET, body, header, { now: at(t) }), true);
  });

  it('should reject a tampered body, a wrong secret and a missing header', () => {
    const header = signWebhook(SECRET, body, t);
    assert.equal(
      verifyWebhookSignature(SECRET, body.replace('accepted', 'rejected'), header, { now: at(t) }),
      false,
    );
    assert.equal(verifyWebhookSignature('another-secret', body, header, { now: at(t) }), false);
    assert.equal(verifyWebhookSignature(SECRET, body, undefined, { now: at(t) }), false);
    assert.equal(verifyWebhookSignature(SECRET, body, '', { now: at(t) }), false);
  });

  it('should reject a tampered timestamp', () => {
    const header = signWebhook(SECRET, body, t).replace(`t=${t}`, `t=${t + 1}`);
    assert.equal(verifyWebhookSignature(SECRET, body, header, { now: at(t) }), false);
  });

  it('should reject stale and far-future timestamps, honouring the tolerance', () => {
    const header = signWebhook(SECRET, body, t);
    assert.equal(verifyWebhookSignature(SECRET, body, header, { now: at(t + 300) }), true);
    assert.equal(verifyWebhookSignature(SECRET, body, header, { now: at(t + 301) }), false);
    assert.equal(verifyWebhookSignature(SECRET, body, header, { now: at(t - 301) }), false);
    assert.equal(
      verifyWebhookSignature(SECRET, body, header, { now: at(t + 3600), toleranceSeconds: 3600 }),
      true,
    );
  });

  it('should reject malformed headers', () => {
    const v1 = signWebhook(SECRET, body, t).split(',')[1]!;
    for (const header of [
      v1,
      `t=abc,${v1}`,
      `t=${t}`,
      `t=${t},v1=xyz`,
      `t=${t},v0=${v1.slice(3)}`,
      'garbage',
    ]) {
      assert.equal(verifyWebhookSignature(SECRET, body, header, { now: at(t) }), false, header);
    }
  });

  it('should sign with several secrets during a rotation, each verifying', () => {
    const header = signWebhook(['new-secret', 'old-secret'], body, t);
    assert.equal(header.split(',').filter((part) => part.startsWith('v1=')).length, 2);
    assert.equal(verifyWebhookSignature('new-secret', body, header, { now: at(t) }), true);
    assert.equal(verifyWebhookSignature('old-secret', body, header, { now: at(t) }), true);
    assert.equal(
      verifyWebhookSignature(['other', 'old-secret'], body, header, { now: at(t) }),
      true,
    );
    assert.equal(verifyWebhookSignature('other', body, header, { now: at(t) }), false);
  });
});

describe('createWebhookDelivery', () => {
  let dir: string;
  let integratorVerify: IntegratorVerify;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'signicat-verify-delivery-'));
    integratorVerify = await loadDocSnippet(dir);
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('should POST the signed JSON payload, verifiable with the documented snippet', async () => {
    const hook = await receiver([200]);
    try {
      await createWebhookDelivery({ url: hook.url, secret: SECRET })(payload);
      assert.equal(hook.received.length, 1);
      const [{ headers, body }] = hook.received as [Received];
      assert.equal(headers.get('content-type'), 'application/json');
      assert.equal(headers.get('user-agent'), 'signicat-verify');
      assert.equal(
        headers.get('signicat-verify-delivery'),
        payload.deliveryId,
        'the payload names its idempotency key',
      );
      assert.deepEqual(JSON.parse(body), payload);
      const signature = headers.get('signicat-verify-signature');
      assert.equal(integratorVerify(SECRET, body, signature), true);
      assert.equal(verifyWebhookSignature(SECRET, body, signature), true);
      // The documented snippet also fails what it should fail.
      assert.equal(integratorVerify('wrong-secret', body, signature), false);
      assert.equal(integratorVerify(SECRET, body.replace('Maria', 'Mario'), signature), false);
      assert.equal(integratorVerify(SECRET, body, null), false);
      const stale = signWebhook(SECRET, body, Math.floor(Date.now() / 1000) - 600);
      assert.equal(integratorVerify(SECRET, body, stale), false);
      const rotated = signWebhook(['next-secret', SECRET], body, Math.floor(Date.now() / 1000));
      assert.equal(integratorVerify(SECRET, body, rotated), true);
    } finally {
      await hook.close();
    }
  });

  it('should keep one delivery id per result, across separate deliveries of it, and differ between results', async () => {
    const hook = await receiver([]);
    try {
      const sink = createWebhookDelivery({ url: hook.url, secret: SECRET });
      await sink(payload);
      await sink(payload); // a redelivery after a restart: receivers drop it by the same id
      await sink({ ...payload, deliveryId: 'verification-another-process' });
      const ids = hook.received.map((r) => r.headers.get('signicat-verify-delivery'));
      assert.equal(ids[0], ids[1]);
      assert.notEqual(ids[1], ids[2]);
    } finally {
      await hook.close();
    }
  });

  it('should retry 5xx and 429 with backoff, keeping the delivery id, then succeed', async () => {
    const hook = await receiver([500, 503, 429, 200]);
    const events: DeliveryLogEvent[] = [];
    try {
      const started = performance.now();
      const log = (e: DeliveryLogEvent) => events.push(e);
      await createWebhookDelivery({ url: hook.url, secret: SECRET, retryBaseMs: 20, log })(payload);
      // 20 + 40 + 80 ms of backoff.
      assert.ok(performance.now() - started >= 135);
      assert.equal(hook.received.length, 4);
      const ids = new Set(hook.received.map((r) => r.headers.get('signicat-verify-delivery')));
      assert.equal(ids.size, 1);
      for (const { body, headers } of hook.received) {
        assert.equal(
          integratorVerify(SECRET, body, headers.get('signicat-verify-signature')),
          true,
        );
      }
      const attempts = events.filter((e) => e.event === 'delivery.attempt');
      assert.deepEqual(
        attempts.map((e) => e.status),
        [500, 503, 429, 200],
      );
      assert.deepEqual(
        events.filter((e) => e.event === 'delivery.retry').map((e) => e.delayMs),
        [20, 40, 80],
      );
    } finally {
      await hook.close();
    }
  });

  it('should give up after the configured retries with a DeliveryError', async () => {
    const hook = await receiver([], 500);
    try {
      const sink = createWebhookDelivery({
        url: hook.url,
        secret: SECRET,
        retries: 3,
        retryBaseMs: 5,
      });
      await assert.rejects(sink(payload), (error: unknown) => {
        assert.ok(error instanceof DeliveryError);
        assert.equal(error.attempts, 4);
        assert.equal(error.status, 500);
        assert.equal(error.processId, PROCESS_ID);
        return true;
      });
      assert.equal(hook.received.length, 4);
    } finally {
      await hook.close();
    }
  });

  it('should not retry a 400 (or other final 4xx)', async () => {
    for (const status of [400, 401, 404]) {
      const hook = await receiver([status, 200]);
      try {
        const sink = createWebhookDelivery({ url: hook.url, secret: SECRET, retryBaseMs: 5 });
        await assert.rejects(
          sink(payload),
          (e: unknown) => e instanceof DeliveryError && e.status === status,
        );
        assert.equal(hook.received.length, 1);
      } finally {
        await hook.close();
      }
    }
  });

  it('should retry 408', async () => {
    const hook = await receiver([408, 200]);
    try {
      await createWebhookDelivery({ url: hook.url, secret: SECRET, retryBaseMs: 5 })(payload);
      assert.equal(hook.received.length, 2);
    } finally {
      await hook.close();
    }
  });

  it('should time out a hanging receiver and retry', async () => {
    const hook = await receiver(['hang', 200]);
    const events: DeliveryLogEvent[] = [];
    try {
      const started = performance.now();
      const log = (e: DeliveryLogEvent) => events.push(e);
      const sink = createWebhookDelivery({
        url: hook.url,
        secret: SECRET,
        timeoutMs: 150,
        retryBaseMs: 5,
        log,
      });
      await sink(payload);
      assert.ok(performance.now() - started < 2000);
      assert.equal(hook.received.length, 2);
      const first = events.find((e) => e.event === 'delivery.attempt');
      assert.equal(first?.event === 'delivery.attempt' && first.error, 'timeout');
    } finally {
      await hook.close();
    }
  });

  it('should reject with a DeliveryError when every attempt times out', async () => {
    const hook = await receiver([], 'hang');
    try {
      const sink = createWebhookDelivery({
        url: hook.url,
        secret: SECRET,
        timeoutMs: 50,
        retries: 1,
        retryBaseMs: 5,
      });
      await assert.rejects(sink(payload), (error: unknown) => {
        assert.ok(error instanceof DeliveryError);
        assert.equal(error.attempts, 2);
        assert.equal(error.status, undefined);
        assert.match(error.message, /timeout/);
        return true;
      });
    } finally {
      await hook.close();
    }
  });

  it('should retry network errors', async () => {
    const hook = await receiver([]);
    const url = hook.url;
    await hook.close(); // nothing listens on this port any more
    const sink = createWebhookDelivery({ url, secret: SECRET, retries: 2, retryBaseMs: 5 });
    await assert.rejects(
      sink(payload),
      (error: unknown) => error instanceof DeliveryError && error.attempts === 3,
    );
  });

  it('should never log the body or the secret', async () => {
    const hook = await receiver([500, 200]);
    const events: DeliveryLogEvent[] = [];
    try {
      const log = (e: DeliveryLogEvent) => events.push(e);
      await createWebhookDelivery({ url: hook.url, secret: SECRET, retryBaseMs: 5, log })(payload);
      const logged = JSON.stringify(events);
      assert.ok(events.length >= 3);
      assert.ok(logged.includes(PROCESS_ID));
      for (const forbidden of ['Maria', 'Santos', '1234567890', 'order-1234', SECRET, 'v1=']) {
        assert.ok(!logged.includes(forbidden), forbidden);
      }
    } finally {
      await hook.close();
    }
  });

  it('should refuse non-http URLs and empty secrets', () => {
    assert.throws(
      () => createWebhookDelivery({ url: 'file:///etc/passwd', secret: SECRET }),
      TypeError,
    );
    assert.throws(() => createWebhookDelivery({ url: 'http://127.0.0.1/', secret: '' }), TypeError);
  });
});

describe('createArchive', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'signicat-verify-archive-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('should write <dir>/<processId>.zip with the bytes, owner-only, creating the directory', async () => {
    const archiveDir = join(dir, 'nested', 'archive');
    const archive = createArchive({ dir: archiveDir });
    const zip = new Uint8Array([0x50, 0x4b, 0x05, 0x06, ...new Array(18).fill(0)]);
    const path = await archive(PROCESS_ID, zip);
    assert.equal(path, join(archiveDir, `${PROCESS_ID}.zip`));
    assert.deepEqual(new Uint8Array(await readFile(path)), zip);
    if (process.platform !== 'win32') assert.equal((await stat(path)).mode & 0o777, 0o600);

    // Replaced atomically on a second write; no temporary files left behind.
    const second = new Uint8Array([1, 2, 3]);
    await archive(PROCESS_ID, second);
    assert.deepEqual(new Uint8Array(await readFile(path)), second);
    assert.deepEqual(await readdir(archiveDir), [`${PROCESS_ID}.zip`]);
  });

  it('should reject process ids that are not UUIDs (no path traversal)', async () => {
    const archiveDir = join(dir, 'traversal');
    const archive = createArchive({ dir: archiveDir });
    for (const bad of [
      '../../etc/passwd',
      `../${PROCESS_ID}`,
      `${PROCESS_ID}/x`,
      '',
      'abc',
      `${PROCESS_ID}\0`,
    ]) {
      await assert.rejects(archive(bad, new Uint8Array([1])), TypeError, JSON.stringify(bad));
    }
    assert.deepEqual(await readdir(dir), ['nested']);
  });
});
