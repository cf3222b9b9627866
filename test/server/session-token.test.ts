import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CompactEncrypt } from 'jose';
import { createExternalReferences } from '../../server/session/external-reference.ts';
import { createSessionTokens, deriveKey } from '../../server/session/token.ts';

const SECRET = 'kQ7vZp2rX9mWc4tLs8yHb3nJf6dGa1eU';
const claims = {
  sessionId: 'Zt1yq8WvH0m2c5RkP4aLbA',
  mode: 'capture' as const,
  provider: 'signicatpaper',
  documentType: 'identityCard' as const,
  documentCountry: 'NO',
  reference: 'customer-42',
  dossierId: 'c03e66c7-8230-4020-a084-5a34a925d5fe',
  processId: '8a303665-c94a-47c1-be8d-5df65f64a0ad',
  uploaded: ['front' as const, 'back' as const],
};

describe('session tokens', () => {
  it('round-trip and hide what they carry', async () => {
    const tokens = createSessionTokens({ secret: SECRET, ttlSeconds: 60 });
    const { token, expiresAt } = await tokens.issue(claims);
    const verified = await tokens.verify(token);
    assert.ok(typeof verified === 'object');
    const { expiresAt: exp, ...rest } = verified;
    assert.deepEqual(rest, claims);
    assert.equal(exp, expiresAt.getTime());
    assert.ok(expiresAt.getTime() > Date.now() + 55_000);
    const raw = token
      .split('.')
      .map((part) => Buffer.from(part, 'base64url').toString('latin1'))
      .join(' ');
    for (const hidden of [
      claims.dossierId,
      claims.processId,
      claims.reference,
      'capture',
      claims.sessionId,
    ])
      assert.ok(!raw.includes(hidden), hidden);
  });

  it('expire, and keep a given expiry when refreshed', async () => {
    let now = Date.now();
    const tokens = createSessionTokens({ secret: SECRET, ttlSeconds: 60, now: () => now });
    const { token, expiresAt } = await tokens.issue(claims);
    const refreshed = await tokens.issue(claims, expiresAt);
    assert.equal(refreshed.expiresAt.getTime(), expiresAt.getTime());
    now += 61_000;
    assert.equal(await tokens.verify(token), 'expired');
    assert.equal(await tokens.verify(refreshed.token), 'expired');
  });

  it('refuse a token without an expiry, even correctly encrypted', async () => {
    const tokens = createSessionTokens({ secret: SECRET, ttlSeconds: 60 });
    const payload = {
      s: claims.sessionId,
      m: 'capture',
      v: 'signicatpaper',
      iss: 'signicat-verify',
      iat: Math.floor(Date.now() / 1000),
    };
    const forever = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .encrypt(deriveKey(SECRET, 'session-token-v1'));
    assert.equal(await tokens.verify(forever), 'invalid');
  });

  it('refuse tampering, other secrets and junk', async () => {
    const tokens = createSessionTokens({ secret: SECRET, ttlSeconds: 60 });
    const other = createSessionTokens({ secret: `${SECRET}x`, ttlSeconds: 60 });
    const { token } = await tokens.issue(claims);
    const parts = token.split('.');
    const flipped = parts[3]!.startsWith('A') ? `B${parts[3]!.slice(1)}` : `A${parts[3]!.slice(1)}`;
    assert.equal(
      await tokens.verify([...parts.slice(0, 3), flipped, parts[4]].join('.')),
      'invalid',
    );
    assert.equal(await other.verify(token), 'invalid');
    for (const junk of ['', 'x', 'a.b.c.d.e', `${token}x`, 'x'.repeat(5000), '<script>'])
      assert.equal(await tokens.verify(junk), 'invalid');
  });

  it('derive a stable callback secret per dossier, different from the root secret', () => {
    const tokens = createSessionTokens({ secret: SECRET, ttlSeconds: 60 });
    const again = createSessionTokens({ secret: SECRET, ttlSeconds: 60 });
    assert.equal(tokens.callbackSecret('a'), again.callbackSecret('a'), 'survives a restart');
    assert.notEqual(tokens.callbackSecret('a'), tokens.callbackSecret('b'));
    assert.ok(!tokens.callbackSecret('a').includes(SECRET.slice(0, 8)));
  });
});

describe('sealed external references', () => {
  it('round-trip under the same secret, unreadable at Signicat, refused under another or tampered', () => {
    const references = createExternalReferences(SECRET);
    const sealed = references.seal({ sessionId: 's1', mode: 'redirect', reference: 'customer-42' });
    assert.match(sealed, /^sv1\./);
    assert.ok(!sealed.includes('customer-42'));
    assert.deepEqual(createExternalReferences(SECRET).open(sealed), {
      sessionId: 's1',
      mode: 'redirect',
      reference: 'customer-42',
    });
    assert.equal(createExternalReferences(`${SECRET}x`).open(sealed), undefined);
    assert.equal(references.open(`${sealed.slice(0, -2)}AA`), undefined);
    for (const foreign of [undefined, '', 'someReferenceExample', 'sv1.', 'sv1.!!!'])
      assert.equal(references.open(foreign), undefined);
  });
});
