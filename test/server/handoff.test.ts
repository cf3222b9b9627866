/**
 * Cross-device hand-off over real HTTP (server/routes/handoff.ts): a desktop session creates a
 * single-use link, a phone claims it once and finishes the capture with its own token, the desktop's
 * status stream shows the progress. Refused claims (used, expired, canceled, unknown, replaced) answer
 * a clear 4xx and change nothing. On Redis, of many claims racing from two instances one wins.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { codeId } from '../../server/handoff/code.ts';
import { createHandoffService } from '../../server/handoff/service.ts';
import { createSessionTokens } from '../../server/session/token.ts';
import { createRedisStore, type RedisStore } from '../../server/state/redis-store.ts';
import type { SessionRecord } from '../../server/state/store.ts';
import { jpegBytes } from '../helpers/images.ts';
import { redisSkipReason, startRedis, type RedisServer } from '../helpers/redis.ts';
import { eventually, json, startSandbox, type Sandbox } from '../helpers/sandbox.ts';

let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox();
});
after(() => sandbox.close());

interface Created {
  url: string;
  expiresAt: string;
  qr: { size: number; path: string };
}

async function newSession(documentType = 'passport'): Promise<string> {
  const res = await sandbox.api('/sessions', json({ mode: 'capture', documentType }));
  assert.equal(res.status, 201);
  return ((await res.json()) as { session: string }).session;
}

async function createHandoff(session: string): Promise<{ created: Created; code: string }> {
  const res = await sandbox.api(`/sessions/${session}/handoff`, { method: 'POST' });
  assert.equal(res.status, 201, await res.clone().text());
  const created = (await res.json()) as Created;
  return { created, code: new URL(created.url).pathname.split('/').pop()! };
}

const claim = (code: string) => sandbox.api('/handoff/claim', json({ code }));

async function errorCode(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

const store = () => sandbox.server.proxy.store;

async function recordOf(code: string): Promise<SessionRecord> {
  const sessionId = await store().findHandoff(codeId(code));
  assert.ok(sessionId, 'the link is indexed');
  return (await store().get(sessionId))!;
}

/** The record without the fields every write touches: what a refused request must leave alone. */
const settled = (r: SessionRecord) => JSON.stringify(r);

/** Reads `handoff` and `status` events from a session's stream until `until` holds or the stream ends. */
async function readEvents(
  session: string,
  until: (events: Array<{ event: string; data: Record<string, unknown> }>) => boolean,
  ms = 10_000,
) {
  const res = await sandbox.api(`/sessions/${session}/events`);
  assert.equal(res.status, 200);
  const events: Array<{ event: string; data: Record<string, unknown> }> = [];
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const timer = setTimeout(() => void reader.cancel(), ms);
  let buffer = '';
  const ready = { opened: () => {} };
  const opened = new Promise<void>((resolve) => (ready.opened = resolve));
  const done = (async () => {
    try {
      for (;;) {
        const { value, done: end } = await reader.read();
        if (end) break;
        buffer += value;
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (!event || !data) continue;
          events.push({ event, data: JSON.parse(data) });
          ready.opened();
          if (until(events)) {
            await reader.cancel();
            return events;
          }
        }
      }
    } finally {
      clearTimeout(timer);
    }
    return events;
  })();
  await opened;
  return { events, done };
}

describe('cross-device hand-off', () => {
  it('creates a short-lived link with a QR code, on the proxy origin', async () => {
    const session = await newSession();
    const before = Date.now();
    const { created, code } = await createHandoff(session);
    assert.equal(new URL(created.url).origin, sandbox.url);
    assert.match(new URL(created.url).pathname, /^\/h\/[A-Za-z0-9_-]{22}$/);
    const ttl = Date.parse(created.expiresAt) - before;
    assert.ok(ttl > 590_000 && ttl <= 601_000, `default lifetime 10 minutes, got ${ttl} ms`);
    assert.ok(created.qr.size >= 21 + 8, 'a QR code with its quiet zone');
    assert.match(created.qr.path, /^(M\d+ \d+h\d+v1h-\d+z)+$/);
    // Only the hash is kept; the record knows the link.
    const record = await recordOf(code);
    assert.equal(record.handoff?.state, 'open');
    assert.ok(!JSON.stringify(record).includes(code), 'the code itself is never stored');
  });

  it('serves the phone page with the strict page policy, and opening it claims nothing', async () => {
    const session = await newSession();
    const { created, code } = await createHandoff(session);
    const page = await fetch(created.url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('Content-Type') ?? '', /^text\/html/);
    assert.match(page.headers.get('Content-Security-Policy') ?? '', /script-src 'self'/);
    assert.equal(page.headers.get('Cache-Control'), 'no-store');
    assert.equal(page.headers.get('Referrer-Policy'), 'no-referrer');
    const html = await page.text();
    assert.match(html, new RegExp(`<signicat-verify [^>]*handoff="${code}"`));
    assert.match(html, /<script type="module" src="\.\.\/signicat-verify\.js"><\/script>/);
    assert.doesNotMatch(html, /<script>|<style>| on\w+=/, 'nothing inline');
    assert.equal(
      (await recordOf(code)).handoff?.state,
      'open',
      'a GET (a link preview) is no claim',
    );
    // Mounted as a library (createProxy without server.ts's secure headers), the page keeps its headers.
    const mounted = await sandbox.server.proxy.app.request(new URL(created.url).pathname);
    assert.equal(mounted.status, 200);
    assert.equal(mounted.headers.get('Referrer-Policy'), 'no-referrer');
    assert.match(mounted.headers.get('Content-Security-Policy') ?? '', /frame-ancestors 'none'/);
    assert.match(html, /<html lang="en">/, 'no Accept-Language: English');
    // The page speaks the phone's first language; anything but a plain tag falls back to English.
    const norwegian = await fetch(created.url, {
      headers: { 'Accept-Language': 'nb-NO,nb;q=0.9,en;q=0.8' },
    });
    assert.match(await norwegian.text(), /<html lang="nb-NO">/);
    const hostile = await fetch(created.url, { headers: { 'Accept-Language': '"><script>x' } });
    assert.match(await hostile.text(), /<html lang="en">/);
    const bad = await fetch(`${sandbox.url}/h/%3Cscript%3E`);
    assert.equal(bad.status, 404);
    assert.doesNotMatch(await bad.text(), /<script>/);
  });

  it('claims once: the phone finishes the capture, the desktop sees every step and the outcome', async () => {
    const desktop = await newSession('passport');
    const { code } = await createHandoff(desktop);
    const stream = await readEvents(desktop, (events) =>
      events.some((e) => e.event === 'status' && e.data.final === true),
    );

    const claimed = await claim(code);
    assert.equal(claimed.status, 200);
    const phone = (await claimed.json()) as {
      session: string;
      mode: string;
      documentType: string;
      images: { required: string[] };
      expiresAt: string;
    };
    assert.notEqual(phone.session, desktop, 'the phone gets a token of its own');
    assert.equal(phone.mode, 'capture');
    assert.equal(phone.documentType, 'passport');
    assert.deepEqual(phone.images.required, ['front', 'selfie']);

    // A second device: refused, and nothing changes.
    const stored = settled(await recordOf(code));
    const again = await claim(code);
    assert.equal(again.status, 409);
    assert.equal(await errorCode(again), 'handoff_used');
    assert.equal(settled(await recordOf(code)), stored);

    for (const side of ['front', 'selfie']) {
      const res = await sandbox.api(`/sessions/${phone.session}/images/${side}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'image/jpeg' },
        body: jpegBytes(),
      });
      assert.equal(res.status, 200);
    }
    const status = await sandbox.api(`/sessions/${desktop}`);
    assert.deepEqual(((await status.json()) as { handoff: unknown }).handoff, {
      state: 'claimed',
      uploaded: ['front', 'selfie'],
    });
    assert.equal(
      (await sandbox.api(`/sessions/${phone.session}/submit`, { method: 'POST' })).status,
      202,
    );
    const events = await stream.done;
    const progress = events.filter((e) => e.event === 'handoff').map((e) => e.data);
    assert.deepEqual(progress, [
      { state: 'open', uploaded: [] },
      { state: 'claimed', uploaded: [] },
      { state: 'claimed', uploaded: ['front'] },
      { state: 'claimed', uploaded: ['front', 'selfie'] },
    ]);
    const statuses = events.filter((e) => e.event === 'status').map((e) => e.data);
    assert.deepEqual(statuses[0], { status: 'pending', final: false });
    assert.equal(statuses.at(-1)?.final, true);
    // `status` events are exactly what they always were: one per status change.
    assert.deepEqual(
      statuses.map((s) => Object.keys(s).sort().join()),
      statuses.map(() => 'final,status'),
    );
  });

  it('refuses an expired link with handoff_expired and changes nothing', async () => {
    const session = await newSession();
    const { code } = await createHandoff(session);
    const { sessionId } = await recordOf(code);
    // As if HANDOFF_TTL_SECONDS had passed.
    await store().update(sessionId, (r) => ({
      ...r,
      handoff: { ...r.handoff!, expiresAt: Date.now() - 1 },
    }));
    const stored = settled(await recordOf(code));
    const res = await claim(code);
    assert.equal(res.status, 410);
    assert.equal(await errorCode(res), 'handoff_expired');
    assert.equal(settled(await recordOf(code)), stored);
    const status = (await (await sandbox.api(`/sessions/${session}`)).json()) as {
      handoff: { state: string };
    };
    assert.equal(status.handoff.state, 'expired');
  });

  it('cancels an unclaimed link from the desktop: the phone gets handoff_canceled', async () => {
    const session = await newSession();
    const { code } = await createHandoff(session);
    const canceled = await sandbox.api(`/sessions/${session}/handoff`, { method: 'DELETE' });
    assert.equal(canceled.status, 200);
    assert.deepEqual(await canceled.json(), { handoff: { state: 'canceled', uploaded: [] } });
    const stored = settled(await recordOf(code));
    const res = await claim(code);
    assert.equal(res.status, 410);
    assert.equal(await errorCode(res), 'handoff_canceled');
    assert.equal(settled(await recordOf(code)), stored);
    // The desktop session goes on by itself.
    const status = (await (await sandbox.api(`/sessions/${session}`)).json()) as { status: string };
    assert.equal(status.status, 'pending');
    // Nothing left to cancel.
    const twice = await sandbox.api(`/sessions/${session}/handoff`, { method: 'DELETE' });
    assert.equal(twice.status, 404);
    assert.equal(await errorCode(twice), 'handoff_not_found');
  });

  it('cancels a claimed hand-off by canceling the verification', async () => {
    const session = await newSession();
    const { code } = await createHandoff(session);
    assert.equal((await claim(code)).status, 200);
    const canceled = await sandbox.api(`/sessions/${session}/handoff`, { method: 'DELETE' });
    assert.equal(canceled.status, 200);
    const status = (await (await sandbox.api(`/sessions/${session}`)).json()) as {
      status: string;
      handoff: { state: string };
    };
    assert.equal(status.status, 'canceled');
    assert.equal(status.handoff.state, 'canceled');
  });

  it('a new link replaces the old one', async () => {
    const session = await newSession();
    const first = await createHandoff(session);
    const second = await createHandoff(session);
    const res = await claim(first.code);
    assert.equal(res.status, 410);
    assert.equal(await errorCode(res), 'handoff_canceled');
    assert.equal((await claim(second.code)).status, 200);
  });

  it('refuses unknown and malformed codes with handoff_not_found', async () => {
    for (const code of ['A'.repeat(22), 'short', '../../etc', '']) {
      const res = await claim(code);
      assert.equal(res.status, 404, code);
      assert.equal(await errorCode(res), 'handoff_not_found');
    }
    const extra = await sandbox.api('/handoff/claim', json({ code: 'A'.repeat(22), session: 'x' }));
    assert.equal(extra.status, 400);
  });

  it('binds the link to its session: a wrong or expired session token cannot create or cancel one', async () => {
    for (const method of ['POST', 'DELETE']) {
      const res = await sandbox.api('/sessions/not-a-token/handoff', { method });
      assert.equal(res.status, 404, method);
      assert.equal(await errorCode(res), 'session_not_found');
    }
    // A session that never handed off has nothing to cancel, and another session's link is not its own.
    const mine = await newSession();
    const other = await newSession();
    const { code } = await createHandoff(other);
    const res = await sandbox.api(`/sessions/${mine}/handoff`, { method: 'DELETE' });
    assert.equal(res.status, 404);
    assert.equal(await errorCode(res), 'handoff_not_found');
    assert.equal((await recordOf(code)).handoff?.state, 'open');
  });

  it('refuses a hand-off for a submitted session and for other modes', async () => {
    const submitted = await (async () => {
      const session = await newSession();
      for (const side of ['front', 'selfie'])
        await sandbox.api(`/sessions/${session}/images/${side}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'image/jpeg' },
          body: jpegBytes(),
        });
      await sandbox.api(`/sessions/${session}/submit`, { method: 'POST' });
      return session;
    })();
    const late = await sandbox.api(`/sessions/${submitted}/handoff`, { method: 'POST' });
    assert.equal(late.status, 409);
    assert.equal(await errorCode(late), 'already_submitted');

    const redirect = await sandbox.api(
      '/sessions',
      json({ mode: 'redirect', redirectUrl: `${sandbox.url}/` }),
    );
    assert.equal(redirect.status, 201);
    const { session } = (await redirect.json()) as { session: string };
    const wrong = await sandbox.api(`/sessions/${session}/handoff`, { method: 'POST' });
    assert.equal(wrong.status, 409);
    assert.equal(await errorCode(wrong), 'wrong_mode');
  });

  it('refuses a claim once the session was submitted from the desktop', async () => {
    const session = await newSession();
    const { code } = await createHandoff(session);
    for (const side of ['front', 'selfie'])
      await sandbox.api(`/sessions/${session}/images/${side}`, {
        method: 'PUT',
        headers: { 'Content-Type': 'image/jpeg' },
        body: jpegBytes(),
      });
    await sandbox.api(`/sessions/${session}/submit`, { method: 'POST' });
    const res = await claim(code);
    assert.equal(res.status, 409);
    assert.equal(await errorCode(res), 'already_submitted');
  });

  it('rate-limits claims per client address', async () => {
    let last: Response | undefined;
    for (let i = 0; i < 31; i++) last = await claim('B'.repeat(22));
    assert.equal(last!.status, 429);
    assert.ok(Number(last!.headers.get('Retry-After')) > 0);
  });

  it('logs neither the code nor any token', async () => {
    const session = await newSession();
    const { code } = await createHandoff(session);
    const res = await claim(code);
    const { session: phone } = (await res.json()) as { session: string };
    await eventually(() => sandbox.logs.some((line) => line.includes('handoff.claimed')));
    const logs = sandbox.logs.join('\n');
    assert.ok(!logs.includes(code));
    assert.ok(!logs.includes(phone));
  });
});

describe('hand-off claims on Redis', { skip: redisSkipReason() }, () => {
  let redis: RedisServer;
  const stores: RedisStore[] = [];
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await redis.stop();
  });

  it('of many claims from two instances at once, exactly one wins', async () => {
    const prefix = `h-${randomUUID()}:`;
    const a = createRedisStore({ url: redis.url, prefix });
    const b = createRedisStore({ url: redis.url, prefix });
    stores.push(a, b);
    await Promise.all([a.ready(), b.ready()]);
    const at = new Date().toISOString();
    const record: SessionRecord = {
      sessionId: randomUUID(),
      mode: 'capture',
      provider: 'signicatpaper',
      documentType: 'passport',
      status: 'pending',
      createdAt: at,
      updatedAt: at,
      expiresAt: Date.now() + 600_000,
      uploaded: [],
      submitted: false,
      delivery: 'none',
      cleanedUp: false,
    };
    await a.insert(record);
    const tokens = createSessionTokens({ secret: 'x'.repeat(32), ttlSeconds: 600 });
    const service = (store: RedisStore) =>
      createHandoffService({
        config: { handoffTtlSeconds: 600 },
        store,
        tokens,
        verification: {
          resolve: async () => ({
            claims: { ...record, expiresAt: record.expiresAt },
            record: (await store.get(record.sessionId))!,
          }),
          cancel: async () => record,
        },
        publicUrl: 'http://127.0.0.1:1',
        log: () => {},
      });
    const [one, two] = [service(a), service(b)];
    const { url } = await one.create('token');
    const code = url.split('/').pop()!;
    const attempts = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? one : two).claim(code)),
    );
    const won = attempts.filter((r) => r.status === 'fulfilled');
    assert.equal(won.length, 1, 'one claim wins');
    for (const lost of attempts.filter((r) => r.status === 'rejected'))
      assert.equal((lost.reason as { code: string }).code, 'handoff_used');
    assert.equal((await b.get(record.sessionId))?.handoff?.state, 'claimed');
    assert.equal(await b.findHandoff(codeId(code)), record.sessionId, 'shared between instances');
  });
});
