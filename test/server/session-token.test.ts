import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSessionTokens } from '../../server/session/token.ts';

const claims = { dossierId: 'c03e66c7-8230-4020-a084-5a34a925d5fe', processId: '8a303665-c94a-47c1-be8d-5df65f64a0ad', mode: 'capture' as const };

describe('session tokens', () => {
  it('round-trip and hide what they carry', async () => {
    const tokens = createSessionTokens({ secret: 'k'.repeat(32), ttlSeconds: 60 });
    const { token, expiresAt } = await tokens.issue(claims);
    assert.deepEqual(await tokens.verify(token), claims);
    assert.ok(expiresAt.getTime() > Date.now() + 55_000);
    const raw = token.split('.').map((part) => Buffer.from(part, 'base64url').toString('latin1')).join(' ');
    assert.ok(!raw.includes(claims.dossierId) && !raw.includes(claims.processId) && !raw.includes('capture'));
  });

  it('expire', async () => {
    let now = Date.now();
    const tokens = createSessionTokens({ secret: 'k'.repeat(32), ttlSeconds: 60, now: () => now });
    const { token } = await tokens.issue(claims);
    now += 61_000;
    assert.equal(await tokens.verify(token), 'expired');
  });

  it('refuse tampering, other secrets and junk', async () => {
    const tokens = createSessionTokens({ secret: 'k'.repeat(32), ttlSeconds: 60 });
    const other = createSessionTokens({ secret: 'j'.repeat(32), ttlSeconds: 60 });
    const { token } = await tokens.issue(claims);
    const parts = token.split('.');
    const flipped = parts[3]!.startsWith('A') ? `B${parts[3]!.slice(1)}` : `A${parts[3]!.slice(1)}`;
    assert.equal(await tokens.verify([...parts.slice(0, 3), flipped, parts[4]].join('.')), 'invalid');
    assert.equal(await other.verify(token), 'invalid');
    for (const junk of ['', 'x', 'a.b.c.d.e', `${token}x`, 'x'.repeat(5000), '<script>']) assert.equal(await tokens.verify(junk), 'invalid');
  });

  it('derive a stable callback secret per dossier, different from the root secret', () => {
    const tokens = createSessionTokens({ secret: 'k'.repeat(32), ttlSeconds: 60 });
    const again = createSessionTokens({ secret: 'k'.repeat(32), ttlSeconds: 60 });
    assert.equal(tokens.callbackSecret('a'), again.callbackSecret('a'), 'survives a restart');
    assert.notEqual(tokens.callbackSecret('a'), tokens.callbackSecret('b'));
    assert.ok(!tokens.callbackSecret('a').includes('k'.repeat(8)));
  });
});
