import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../server/config.ts';

const REAL = {
  SIGNICAT_CLIENT_ID: 'dev-round-apple-123',
  SIGNICAT_CLIENT_SECRET: 'not-a-real-secret',
  SESSION_SECRET: 's'.repeat(32),
  PUBLIC_URL: 'https://verify.shop.example',
};

function problem(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError);
    return error.message;
  }
  assert.fail('expected a ConfigError');
}

describe('configuration', () => {
  it('runs in sandbox mode with no variables at all', () => {
    const config = loadConfig({});
    assert.equal(config.sandbox, true);
    assert.equal(config.port, 8787);
    assert.equal(config.host, '127.0.0.1');
    assert.equal(config.sessionTtlSeconds, 1800);
    assert.equal(config.maxImageBytes, 4 * 1024 * 1024);
    assert.equal(config.delivery.deleteAfterDelivery, true);
    assert.equal(config.sessionSecretGenerated, true);
    assert.ok(config.sessionSecret.length >= 32);
  });

  it('runs in real mode with credentials, defaulting to Signicat production URLs', () => {
    const config = loadConfig(REAL);
    assert.equal(config.sandbox, false);
    assert.equal(config.signicat.apiUrl, 'https://api.signicat.com');
    assert.equal(config.signicat.tokenUrl, 'https://api.signicat.com/auth/open/connect/token');
    assert.deepEqual(config.allowedOrigins, ['https://verify.shop.example']);
  });

  it('names the variable and the fix for each bad value', () => {
    assert.match(problem({ SIGNICAT_CLIENT_ID: 'x' }), /SIGNICAT_CLIENT_SECRET: missing; set both/);
    assert.match(problem({ ...REAL, SESSION_SECRET: '' }), /SESSION_SECRET: required in real mode \(try: openssl rand/);
    assert.match(problem({ ...REAL, PUBLIC_URL: '' }), /PUBLIC_URL: required in real mode/);
    assert.match(problem({ SESSION_SECRET: 'short' }), /SESSION_SECRET: must be at least 32 characters/);
    assert.match(problem({ PORT: 'eighty' }), /PORT:/);
    assert.match(problem({ ALLOWED_ORIGINS: 'shop.example' }), /ALLOWED_ORIGINS: "shop.example" is not an origin/);
    assert.match(problem({ RESULT_WEBHOOK_URL: 'https://hooks.example/x' }), /RESULT_WEBHOOK_SECRET: .* go together/);
    assert.match(problem({ DOCUMENT_TYPES: 'passport,libraryCard' }), /DOCUMENT_TYPES: unknown libraryCard/);
    assert.match(problem({ CAPTURE_PROVIDERS: 'Onfido!' }), /CAPTURE_PROVIDERS: not provider names/);
    assert.match(problem({ LOG_LEVEL: 'loud' }), /LOG_LEVEL:/);
    assert.match(problem({ DELETE_AFTER_DELIVERY: 'maybe' }), /DELETE_AFTER_DELIVERY:/);
    assert.match(problem({ POLL_INITIAL_MS: '5000', POLL_MAX_MS: '100' }), /POLL_MAX_MS: must not be below POLL_INITIAL_MS/);
  });

  it('never echoes a secret in its messages', () => {
    const message = problem({ ...REAL, SIGNICAT_CLIENT_SECRET: 'super-secret-value-123', PUBLIC_URL: 'not a url' });
    assert.doesNotMatch(message, /super-secret-value-123/);
  });

  it('reads lists and flags', () => {
    const config = loadConfig({
      ALLOWED_ORIGINS: 'https://a.example, https://b.example/',
      EXPOSE_RESULT_FIELDS: 'firstName, lastName',
      DELETE_AFTER_DELIVERY: 'no',
      CAPTURE_PROVIDERS: 'signicatpaper',
    });
    assert.deepEqual(config.allowedOrigins, ['https://a.example', 'https://b.example']);
    assert.deepEqual(config.exposeResultFields, ['firstName', 'lastName']);
    assert.equal(config.delivery.deleteAfterDelivery, false);
    assert.deepEqual(config.providers.capture, ['signicatpaper']);
  });
});
