/**
 * Logs never carry a session token or a URL that contains one: redaction by key and by shape, with a
 * short SHA-256 fingerprint left in place so lines can still be correlated.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createLogger, redact, redactString } from '../../server/log.ts';
import { fingerprint } from '../../server/security.ts';
import { createSessionTokens } from '../../server/session/token.ts';

const b64url = (bytes: number) => randomBytes(bytes).toString('base64url');
/** The shape of the proxy's session tokens: JWE compact, `dir` (empty encrypted-key segment). */
const jwe = () =>
  `eyJhbGciOiJkaXIiLCJlbmMiOiJBMjU2R0NNIn0..${b64url(12)}.${b64url(120)}.${b64url(16)}`;
const UUID = 'c03e66c7-8230-4020-a084-5a34a925d5fe';

function logged(fields: Record<string, unknown>, event = 'test.event'): string {
  const lines: string[] = [];
  createLogger('debug', (line) => lines.push(line))('info', event, fields);
  assert.equal(lines.length, 1);
  return lines[0]!;
}

describe('log redaction', () => {
  it('replaces a session token in a path by its fingerprint (the upstream.error finding)', () => {
    const token = jwe();
    const line = logged({
      method: 'PUT',
      path: `/api/sessions/${token}/images/front`,
      code: 'upstream_unavailable',
    });
    assert.ok(!line.includes(token), 'token in clear');
    for (const segment of token.split('.').filter((s) => s.length > 12))
      assert.ok(!line.includes(segment), 'no segment of it either');
    assert.ok(line.includes(`/api/sessions/[${fingerprint(token)}]/images/front`), line);
  });

  it('redacts a real session token issued by the proxy', async () => {
    const tokens = createSessionTokens({
      secret: randomBytes(32).toString('base64'),
      ttlSeconds: 60,
    });
    const { token: value } = await tokens.issue({
      sessionId: 'abc',
      mode: 'capture',
      provider: 'signicatpaper',
      dossierId: UUID,
      processId: UUID,
    });
    const line = logged({ url: `https://verify.shop.example/api/sessions/${value}/events?x=1` });
    assert.ok(!line.includes(value));
    assert.match(line, /sha256:[0-9a-f]{12}/);
  });

  it('redacts by key: tokens become fingerprints, secrets and personal data disappear', () => {
    const token = jwe();
    const out = redact({
      session: token,
      accessToken: 'opaque-access-token',
      Authorization: 'Bearer abc',
      clientSecret: 'hunter2',
      apiKey: 'k',
      password: 'p',
      cookie: 'c',
      body: '{"a":1}',
      image: 'bytes',
      finalResult: { firstName: 'Maria' },
      reference: 'order-1',
      sessionTtlSeconds: 1800,
      processId: UUID,
    });
    assert.equal(out.session, `[${fingerprint(token)}]`);
    assert.equal(out.accessToken, `[${fingerprint('opaque-access-token')}]`);
    for (const key of [
      'Authorization',
      'clientSecret',
      'apiKey',
      'password',
      'cookie',
      'body',
      'image',
      'finalResult',
      'reference',
    ]) {
      assert.equal(out[key], '[redacted]', key);
    }
    assert.equal(out.sessionTtlSeconds, 1800, 'numbers under token-like keys are not credentials');
    assert.equal(out.processId, UUID, 'Assure ids stay readable');
  });

  it('redacts by shape anywhere: nested objects, arrays, errors, URLs, JWTs and long opaque runs', () => {
    const token = jwe();
    const jwt = `eyJhbGciOiJSUzI1NiJ9.${b64url(60)}.${b64url(64)}`;
    const opaque = b64url(48);
    const out = JSON.stringify(
      redact({
        nested: { deeper: { url: `/api/sessions/${token}/submit` } },
        list: [`Bearer ${jwt}`, 'plain words stay'],
        error: new Error(`GET /api/sessions/${token} failed`),
        link: new URL(`https://x.example/cb?t=${opaque}`),
        note: `processes/${UUID}/images`,
      }),
    );
    for (const secret of [token, jwt, opaque])
      assert.ok(!out.includes(secret), secret.slice(0, 10));
    assert.ok(out.includes(fingerprint(token)));
    assert.ok(out.includes(fingerprint(jwt)));
    assert.ok(out.includes('plain words stay'));
    assert.ok(out.includes(`processes/${UUID}/images`), 'UUID paths untouched');
  });

  it('leaves ordinary strings alone', () => {
    for (const text of [
      'server.started',
      'http://127.0.0.1:8787',
      'api.signicat.com',
      'v1.2.3',
      'no RESULT_WEBHOOK_URL: results are not delivered',
    ]) {
      assert.equal(redactString(text), text);
    }
  });

  it('the same token gets the same fingerprint in every line, different tokens different ones', () => {
    const a = jwe(),
      b = jwe();
    assert.equal(redactString(`x ${a}`), redactString(`x ${a}`));
    assert.notEqual(redactString(`x ${a}`), redactString(`x ${b}`));
  });
});
