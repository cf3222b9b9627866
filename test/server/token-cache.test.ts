/**
 * The verified-session-token cache (server/session/token.ts): a token is decrypted once and then
 * answered from memory, with exactly the claims decryption gives; a tampered token is never answered
 * from it; an entry never outlives its token's `exp` (to the millisecond jose uses); the cache is
 * bounded, least recently used out first; SESSION_TOKEN_CACHE_ENTRIES sizes it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompactEncrypt } from 'jose';
import { loadConfig } from '../../server/config.ts';
import { createSessionTokens, deriveKey, type SessionClaims } from '../../server/session/token.ts';

const SECRET = 'kQ7vZp2rX9mWc4tLs8yHb3nJf6dGa1eU';
const full: SessionClaims = {
  sessionId: 'Zt1yq8WvH0m2c5RkP4aLbA',
  mode: 'capture',
  provider: 'signicatpaper',
  documentType: 'identityCard',
  documentCountry: 'NO',
  reference: 'customer-42',
  consent: true,
  dossierId: 'c03e66c7-8230-4020-a084-5a34a925d5fe',
  processId: '8a303665-c94a-47c1-be8d-5df65f64a0ad',
  uploaded: ['front', 'back'],
};
const minimal: SessionClaims = {
  sessionId: 'AAAAAAAAAAAAAAAAAAAAAA',
  mode: 'redirect',
  provider: 'onfido',
};
/** A whole second, so `exp` is exactly this instant. */
const EXP = 1_800_000_000_000;

function clock(start: number) {
  const state = { now: start };
  return { state, now: () => state.now };
}

/** Changes one character of the token's ciphertext (part 4 of 5). */
function tamper(token: string): string {
  const parts = token.split('.');
  const c = parts[3]!;
  parts[3] = `${c.slice(0, 5)}${c[5] === 'A' ? 'B' : 'A'}${c.slice(6)}`;
  return parts.join('.');
}

describe('verified-token cache', () => {
  it('answers a token it issued from memory, with the claims decryption gives', async () => {
    for (const claims of [full, minimal]) {
      const tokens = createSessionTokens({ secret: SECRET, ttlSeconds: 600 });
      const uncached = createSessionTokens({ secret: SECRET, ttlSeconds: 600, cacheEntries: 0 });
      const { token } = await tokens.issue(claims);
      const fromCache = await tokens.verify(token);
      assert.deepEqual(
        tokens.cacheStats(),
        { entries: 1, hits: 1, decrypts: 0 },
        'issue put it in the cache',
      );
      assert.deepEqual(fromCache, await uncached.verify(token), 'the same claims as decrypting it');
      assert.equal(uncached.cacheStats().decrypts, 1);
    }
  });

  it('decrypts a token it did not issue once, then answers it from memory', async () => {
    const issuer = createSessionTokens({ secret: SECRET, ttlSeconds: 600 });
    const tokens = createSessionTokens({ secret: SECRET, ttlSeconds: 600 });
    const { token } = await issuer.issue(full);
    const first = await tokens.verify(token);
    for (let i = 0; i < 5; i++) assert.deepEqual(await tokens.verify(token), first);
    assert.deepEqual(tokens.cacheStats(), { entries: 1, hits: 5, decrypts: 1 });
  });

  it('never answers a tampered token from the cache, nor caches it', async () => {
    const tokens = createSessionTokens({ secret: SECRET, ttlSeconds: 600 });
    const { token } = await tokens.issue(full);
    assert.equal(typeof (await tokens.verify(token)), 'object');
    const changed = tamper(token);
    assert.notEqual(changed, token);
    for (let i = 0; i < 3; i++) assert.equal(await tokens.verify(changed), 'invalid');
    assert.deepEqual(
      tokens.cacheStats(),
      { entries: 1, hits: 1, decrypts: 3 },
      'each try decrypted and refused',
    );
    // A token of another secret with the same claims: a different key, refused.
    const foreign = (
      await createSessionTokens({ secret: `${SECRET}x`, ttlSeconds: 600 }).issue(full)
    ).token;
    assert.equal(await tokens.verify(foreign), 'invalid');
    assert.equal(tokens.cacheStats().entries, 1);
  });

  it('never caches a token that decrypts but carries malformed claims', async () => {
    const tokens = createSessionTokens({ secret: SECRET, ttlSeconds: 600 });
    const iat = Math.floor(Date.now() / 1000);
    const payload = {
      s: full.sessionId,
      m: 'bogus-mode',
      v: 'signicatpaper',
      iss: 'signicat-verify',
      iat,
      exp: iat + 600,
    };
    const token = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(deriveKey(SECRET, 'session-token-v1'));
    for (let i = 0; i < 3; i++) assert.equal(await tokens.verify(token), 'invalid');
    assert.deepEqual(tokens.cacheStats(), { entries: 0, hits: 0, decrypts: 3 });
  });

  it('expires a cached token at its exp, to the millisecond, as decryption does', async () => {
    const { state, now } = clock(EXP - 60_000);
    const tokens = createSessionTokens({ secret: SECRET, ttlSeconds: 600, now });
    const uncached = createSessionTokens({ secret: SECRET, ttlSeconds: 600, now, cacheEntries: 0 });
    const { token, expiresAt } = await tokens.issue(full, new Date(EXP));
    assert.equal(expiresAt.getTime(), EXP);

    state.now = EXP - 1;
    const last = await tokens.verify(token);
    assert.equal(typeof last, 'object', 'valid in the last millisecond');
    assert.equal(typeof (await uncached.verify(token)), 'object', 'jose agrees');
    assert.equal(tokens.cacheStats().hits, 1);

    state.now = EXP;
    assert.equal(await tokens.verify(token), 'expired', 'expired at exp exactly');
    assert.equal(await uncached.verify(token), 'expired', 'jose agrees');
    assert.equal(tokens.cacheStats().entries, 0, 'the expired entry is gone');
  });

  it('keeps answering expired for a token that was cached, long after its exp', async () => {
    const { state, now } = clock(EXP - 10_000);
    const tokens = createSessionTokens({ secret: SECRET, ttlSeconds: 600, now });
    const { token } = await tokens.issue(minimal, new Date(EXP));
    for (let i = 0; i < 3; i++) assert.equal(typeof (await tokens.verify(token)), 'object');
    for (const later of [EXP + 1, EXP + 1000, EXP + 86_400_000]) {
      state.now = later;
      assert.equal(await tokens.verify(token), 'expired', `at exp + ${later - EXP} ms`);
    }
  });

  it('holds at most cacheEntries tokens, the least recently used out first', async () => {
    const tokens = createSessionTokens({ secret: SECRET, ttlSeconds: 600, cacheEntries: 3 });
    const issue = async (id: string) =>
      (await tokens.issue({ ...minimal, sessionId: id.repeat(22) })).token;
    const a = await issue('a');
    const b = await issue('b');
    const c = await issue('c');
    assert.equal(tokens.cacheStats().entries, 3);
    await tokens.verify(a); // a is now the most recently used, b the least
    const d = await issue('d'); // the fourth: b goes
    assert.equal(tokens.cacheStats().entries, 3);
    for (const token of [a, c, d]) await tokens.verify(token);
    assert.equal(tokens.cacheStats().decrypts, 0, 'a, c and d stayed');
    await tokens.verify(b);
    assert.equal(tokens.cacheStats().decrypts, 1, 'b was pushed out');
    assert.equal(tokens.cacheStats().entries, 3);
  });

  it('hands out copies: changing an answer does not change the next', async () => {
    const tokens = createSessionTokens({ secret: SECRET, ttlSeconds: 600 });
    const { token } = await tokens.issue(full);
    const first = await tokens.verify(token);
    assert.ok(typeof first === 'object');
    first.uploaded!.push('selfie');
    first.processId = 'changed';
    const second = await tokens.verify(token);
    assert.ok(typeof second === 'object');
    assert.deepEqual(second.uploaded, ['front', 'back']);
    assert.equal(second.processId, full.processId);
  });

  it('cacheEntries 0 turns it off; SESSION_TOKEN_CACHE_ENTRIES sizes it (default 10000)', async () => {
    const tokens = createSessionTokens({ secret: SECRET, ttlSeconds: 600, cacheEntries: 0 });
    const { token } = await tokens.issue(full);
    for (let i = 0; i < 3; i++) assert.equal(typeof (await tokens.verify(token)), 'object');
    assert.deepEqual(tokens.cacheStats(), { entries: 0, hits: 0, decrypts: 3 });
    assert.equal(loadConfig({}).sessionTokenCacheEntries, 10_000);
    assert.equal(loadConfig({ SESSION_TOKEN_CACHE_ENTRIES: '0' }).sessionTokenCacheEntries, 0);
    assert.equal(loadConfig({}).upstreamConcurrency, 64);
    assert.equal(loadConfig({ MAX_UPSTREAM_CONCURRENCY: '0' }).upstreamConcurrency, 0);
    assert.throws(
      () => loadConfig({ SESSION_TOKEN_CACHE_ENTRIES: '-1' }),
      /SESSION_TOKEN_CACHE_ENTRIES/,
    );
  });
});
