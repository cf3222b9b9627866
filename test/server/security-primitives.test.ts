/**
 * The rules in server/security.ts that config and middleware rely on: constant-time comparison,
 * fingerprints, secret strength, loopback and webhook-target classification.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  bearerToken,
  constantTimeEqual,
  fingerprint,
  isLoopbackAddress,
  isLoopbackHost,
  normalizeAddress,
  secretWeakness,
  webhookTargetProblem,
} from '../../server/security.ts';

describe('security primitives', () => {
  it('constantTimeEqual compares whole strings of any length', () => {
    assert.equal(constantTimeEqual('abc', 'abc'), true);
    assert.equal(constantTimeEqual('abc', 'abd'), false);
    assert.equal(constantTimeEqual('abc', 'abcd'), false, 'a prefix is not equal');
    assert.equal(constantTimeEqual('', ''), true);
    assert.equal(constantTimeEqual('x'.repeat(10_000), 'x'.repeat(10_000)), true);
  });

  it('bearerToken reads only a well-formed Bearer credential', () => {
    assert.equal(bearerToken('Bearer abc.def'), 'abc.def');
    assert.equal(bearerToken('bearer  abc'), 'abc');
    assert.equal(bearerToken('Basic abc'), undefined);
    assert.equal(bearerToken('Bearer a b'), undefined);
    assert.equal(bearerToken(undefined), undefined);
  });

  it('fingerprint is short, stable and does not contain the value', () => {
    const value = 'a-session-token-value';
    assert.match(fingerprint(value), /^sha256:[0-9a-f]{12}$/);
    assert.equal(fingerprint(value), fingerprint(value));
    assert.notEqual(fingerprint(value), fingerprint(`${value}x`));
  });

  it('secret strength: refuses repeated, low-entropy and sequential secrets', () => {
    assert.match(secretWeakness('s'.repeat(32))!, /1 distinct characters/);
    assert.match(secretWeakness('abcabcabcabcabcabcabcabcabcabcab')!, /3 distinct/);
    assert.match(
      secretWeakness('0123456789abcdef0123456789abcdef')!,
      /run or a sequence/,
      'hex counting 0-f',
    );
    assert.match(secretWeakness('abcdefghijklmnopqrstuvwxyzabcdef')!, /run or a sequence/);
    assert.match(
      secretWeakness('3f9a1c7e5b2d8046')!,
      /estimated 64 bits/,
      '16 hex digits are 64 bits',
    );
    assert.match(secretWeakness('Tr0ub4dor&3-horse')!, /bits of entropy/);
  });

  it('secret strength: openssl-style random secrets always pass (1000 of each)', () => {
    for (let i = 0; i < 1000; i++) {
      assert.equal(secretWeakness(randomBytes(32).toString('hex')), undefined);
      assert.equal(secretWeakness(randomBytes(32).toString('base64')), undefined);
      assert.equal(secretWeakness(randomBytes(32).toString('base64url')), undefined);
      assert.equal(
        secretWeakness(randomBytes(18).toString('base64url')),
        undefined,
        '24-character API key',
      );
    }
  });

  it('loopback: literal addresses and exactly "localhost", IPv4-mapped forms unwrapped', () => {
    for (const host of [
      '127.0.0.1',
      '127.1.2.3',
      '::1',
      '[::1]',
      'localhost',
      'LOCALHOST',
      'localhost.',
    ])
      assert.ok(isLoopbackHost(host), host);
    for (const host of [
      'localhost.evil.example',
      'foo.localhost',
      '127.0.0.1.nip.io',
      '10.0.0.1',
      'example.com',
    ])
      assert.ok(!isLoopbackHost(host), host);
    assert.equal(normalizeAddress('::ffff:127.0.0.1'), '127.0.0.1');
    assert.equal(normalizeAddress('::ffff:203.0.113.9'), '203.0.113.9');
    assert.ok(isLoopbackAddress('::ffff:127.0.0.1'));
    assert.ok(!isLoopbackAddress('0x7f.1'), 'only strict address forms');
  });

  it('webhook targets: public and loopback pass; private, link-local, metadata and name tricks are refused', () => {
    const problem = (url: string) => webhookTargetProblem(new URL(url));
    for (const ok of [
      'https://hooks.shop.example/verify',
      'https://8.8.8.8/x',
      'https://[2606:4700::1]/x',
      'http://127.0.0.1:3000/x',
      'http://localhost/x',
    ]) {
      assert.equal(problem(ok), undefined, ok);
    }
    const refused: Array<[string, RegExp]> = [
      ['https://169.254.169.254/latest/meta-data', /linkLocal/],
      ['https://[fd00:ec2::254]/', /uniqueLocal/],
      ['https://metadata.google.internal/computeMetadata/v1/', /metadata service/],
      ['https://metadata.google.internal./x', /metadata service/],
      ['https://10.1.2.3/x', /private/],
      ['https://192.168.0.10/x', /private/],
      ['https://172.16.5.4/x', /private/],
      ['https://100.100.100.200/x', /carrierGradeNat/],
      ['https://[fe80::1]/x', /linkLocal/],
      ['https://0.0.0.0/x', /unspecified/],
      ['https://[::ffff:169.254.169.254]/x', /linkLocal/],
      ['https://0xa9.0xfe.0xa9.0xfe/x', /linkLocal/], // the URL parser turns hex forms into 169.254.169.254
      ['https://2852039166/x', /linkLocal/],
      ['https://[64:ff9b::a9fe:a9fe]/x', /rfc6052/],
      ['https://localhost.attacker.example/x', /claims to be loopback/],
      ['https://app.localhost/x', /claims to be loopback/],
      ['https://169.254.169.254.nip.io/x', /linkLocal address 169\.254\.169\.254/],
      ['https://10-0-0-1.sslip.io/x', /private address 10\.0\.0\.1/],
      ['https://127.0.0.1.nip.io/x', /loopback address 127\.0\.0\.1/],
    ];
    for (const [url, reason] of refused) assert.match(problem(url) ?? 'accepted', reason, url);
  });
});
