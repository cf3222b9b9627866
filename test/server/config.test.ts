import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../server/config.ts';

/** Strong enough for real mode (openssl rand -base64 32 / -hex 32). */
const STRONG = 'pQ7vX2mK9sLr4TzW8nBc3HdYf6JgE1uA5oRiMkNw0eS=';
const STRONG_HEX = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

const REAL = {
  SIGNICAT_CLIENT_ID: 'dev-round-apple-123',
  SIGNICAT_CLIENT_SECRET: 'not-a-real-secret',
  SESSION_SECRET: STRONG,
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
    assert.match(
      problem({ ...REAL, SESSION_SECRET: '' }),
      /SESSION_SECRET: required in real mode \(try: openssl rand/,
    );
    assert.match(problem({ ...REAL, PUBLIC_URL: '' }), /PUBLIC_URL: required in real mode/);
    assert.match(
      problem({ SESSION_SECRET: 'short' }),
      /SESSION_SECRET: must be at least 32 characters/,
    );
    assert.match(problem({ PORT: 'eighty' }), /PORT:/);
    assert.match(
      problem({ ALLOWED_ORIGINS: 'shop.example' }),
      /ALLOWED_ORIGINS: "shop.example" is not an origin/,
    );
    assert.match(
      problem({ RESULT_WEBHOOK_URL: 'http://127.0.0.1:9/x' }),
      /RESULT_WEBHOOK_SECRET: .* go together/,
    );
    assert.match(
      problem({ DOCUMENT_TYPES: 'passport,libraryCard' }),
      /DOCUMENT_TYPES: unknown libraryCard/,
    );
    assert.match(
      problem({ CAPTURE_PROVIDERS: 'Onfido!' }),
      /CAPTURE_PROVIDERS: not provider names/,
    );
    assert.match(problem({ LOG_LEVEL: 'loud' }), /LOG_LEVEL:/);
    assert.match(problem({ DELETE_AFTER_DELIVERY: 'maybe' }), /DELETE_AFTER_DELIVERY:/);
    assert.match(
      problem({ POLL_INITIAL_MS: '5000', POLL_MAX_MS: '100' }),
      /POLL_MAX_MS: must not be below POLL_INITIAL_MS/,
    );
  });

  it('never echoes a secret in its messages', () => {
    const message = problem({
      ...REAL,
      SIGNICAT_CLIENT_SECRET: 'super-secret-value-123',
      PUBLIC_URL: 'not a url',
    });
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

  it('has a default for every security setting', () => {
    const config = loadConfig({});
    assert.equal(config.sandboxForced, false);
    assert.equal(config.signicat.tokenAuth, 'basic');
    assert.equal(config.signicat.eventsSecret, undefined);
    assert.equal(config.signicat.documentCountryFormat, 'alpha2');
    assert.equal(config.defaultDocumentCountry, 'NO', 'sandbox default');
    assert.equal(config.trustProxyHops, 0);
    assert.equal(config.sessionCreation, 'public');
    assert.deepEqual(config.rateLimit, {
      sessionsPerMinute: 20,
      sessionsGlobalPerMinute: 600,
      uploadsPerMinute: 60,
      submitsPerMinute: 20,
    });
    assert.deepEqual(config.limits, {
      jsonBodyBytes: 16_384,
      uploadsPerClient: 4,
      ssePerSession: 3,
      ssePerClient: 50,
      sseTotal: 5000,
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5000,
      maxConnections: 10_000,
    });
    assert.equal(config.allowPrivateWebhook, false);
    assert.deepEqual(
      config.providers['provider-sdk'],
      ['onfido', 'signicatvideoid', 'readid'],
      'no eid: the spec has none; no facetec: its enrolment fields are not collected',
    );
    assert.equal(
      loadConfig(REAL).defaultDocumentCountry,
      undefined,
      'real mode has no default country',
    );
  });

  it('reads every security setting from its variable', () => {
    const config = loadConfig({
      SIGNICAT_TOKEN_AUTH: 'basic-raw',
      SIGNICAT_DOCUMENT_COUNTRY_FORMAT: 'alpha3',
      DEFAULT_DOCUMENT_COUNTRY: 'se',
      TRUST_PROXY_HOPS: '2',
      SESSION_CREATION: 'backend',
      RATE_LIMIT_SESSIONS_PER_MINUTE: '5',
      RATE_LIMIT_SESSIONS_GLOBAL_PER_MINUTE: '50',
      RATE_LIMIT_UPLOADS_PER_MINUTE: '7',
      RATE_LIMIT_SUBMITS_PER_MINUTE: '3',
      MAX_JSON_BODY_BYTES: '4096',
      MAX_CONCURRENT_UPLOADS_PER_CLIENT: '2',
      SSE_MAX_PER_SESSION: '1',
      SSE_MAX_PER_CLIENT: '9',
      SSE_MAX_TOTAL: '99',
      REQUEST_TIMEOUT_MS: '20000',
      HEADERS_TIMEOUT_MS: '5000',
      KEEP_ALIVE_TIMEOUT_MS: '1000',
      MAX_CONNECTIONS: '500',
      ALLOW_PRIVATE_WEBHOOK: '1',
      SIGNICAT_EVENTS_SECRET: STRONG_HEX,
    });
    assert.equal(config.signicat.tokenAuth, 'basic-raw');
    assert.equal(config.signicat.documentCountryFormat, 'alpha3');
    assert.equal(config.signicat.eventsSecret, STRONG_HEX);
    assert.equal(config.defaultDocumentCountry, 'SE', 'upper-cased');
    assert.equal(config.trustProxyHops, 2);
    assert.equal(config.sessionCreation, 'backend');
    assert.deepEqual(config.rateLimit, {
      sessionsPerMinute: 5,
      sessionsGlobalPerMinute: 50,
      uploadsPerMinute: 7,
      submitsPerMinute: 3,
    });
    assert.deepEqual(config.limits, {
      jsonBodyBytes: 4096,
      uploadsPerClient: 2,
      ssePerSession: 1,
      ssePerClient: 9,
      sseTotal: 99,
      requestTimeoutMs: 20_000,
      headersTimeoutMs: 5000,
      keepAliveTimeoutMs: 1000,
      maxConnections: 500,
    });
    assert.equal(config.allowPrivateWebhook, true);
    assert.equal(loadConfig({ DEFAULT_DOCUMENT_COUNTRY: 'univ' }).defaultDocumentCountry, 'UNIV');
  });

  it('names the variable and the fix for each bad security setting', () => {
    assert.match(problem({ SIGNICAT_TOKEN_AUTH: 'digest' }), /SIGNICAT_TOKEN_AUTH: must be basic/);
    assert.match(
      problem({ SIGNICAT_DOCUMENT_COUNTRY_FORMAT: 'numeric' }),
      /SIGNICAT_DOCUMENT_COUNTRY_FORMAT: must be alpha2 or alpha3/,
    );
    for (const bad of ['XX', 'NOR', 'N', 'EU', '1A']) {
      assert.match(
        problem({ DEFAULT_DOCUMENT_COUNTRY: bad }),
        /DEFAULT_DOCUMENT_COUNTRY: ".*" is not an ISO 3166-1 alpha-2 code .* or UNIV/,
        bad,
      );
    }
    assert.match(problem({ TRUST_PROXY_HOPS: '11' }), /TRUST_PROXY_HOPS:/);
    assert.match(problem({ TRUST_PROXY_HOPS: '-1' }), /TRUST_PROXY_HOPS:/);
    assert.match(
      problem({ SESSION_CREATION: 'private' }),
      /SESSION_CREATION: must be public or backend/,
    );
    for (const name of [
      'RATE_LIMIT_SESSIONS_PER_MINUTE',
      'RATE_LIMIT_SESSIONS_GLOBAL_PER_MINUTE',
      'RATE_LIMIT_UPLOADS_PER_MINUTE',
      'RATE_LIMIT_SUBMITS_PER_MINUTE',
      'MAX_CONCURRENT_UPLOADS_PER_CLIENT',
      'SSE_MAX_PER_SESSION',
      'SSE_MAX_PER_CLIENT',
      'SSE_MAX_TOTAL',
    ]) {
      assert.match(problem({ [name]: '0' }), new RegExp(`${name}:`), name);
      assert.match(problem({ [name]: 'lots' }), new RegExp(`${name}:`), name);
    }
    assert.match(problem({ MAX_JSON_BODY_BYTES: '100' }), /MAX_JSON_BODY_BYTES:/);
    assert.match(
      problem({ MAX_JSON_BODY_BYTES: String(64 * 1024 * 1024) }),
      /MAX_JSON_BODY_BYTES:/,
    );
    assert.match(problem({ REQUEST_TIMEOUT_MS: '10' }), /REQUEST_TIMEOUT_MS:/);
    assert.match(
      problem({ REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '6000' }),
      /HEADERS_TIMEOUT_MS: must not be above REQUEST_TIMEOUT_MS/,
    );
    assert.match(problem({ KEEP_ALIVE_TIMEOUT_MS: '1' }), /KEEP_ALIVE_TIMEOUT_MS:/);
    assert.match(problem({ MAX_CONNECTIONS: '1' }), /MAX_CONNECTIONS:/);
    assert.match(
      problem({ ALLOW_PRIVATE_WEBHOOK: 'sure' }),
      /ALLOW_PRIVATE_WEBHOOK: must be 1 or 0/,
    );
    assert.match(problem({ SANDBOX: 'maybe' }), /SANDBOX: must be 1 or 0/);
    assert.match(
      problem({ SIGNICAT_EVENTS_SECRET: 'short' }),
      /SIGNICAT_EVENTS_SECRET: must be at least 16 characters/,
    );
  });
});

describe('no fail-open into sandbox mode', () => {
  const production: Array<[string, Record<string, string>, RegExp]> = [
    ['NODE_ENV=production', { NODE_ENV: 'production' }, /NODE_ENV=production/],
    [
      'a public PUBLIC_URL',
      { PUBLIC_URL: 'https://verify.shop.example' },
      /PUBLIC_URL is on a non-loopback host/,
    ],
    [
      'a public RESULT_WEBHOOK_URL',
      { RESULT_WEBHOOK_URL: 'https://hooks.shop.example/x', RESULT_WEBHOOK_SECRET: STRONG },
      /RESULT_WEBHOOK_URL is on a non-loopback host/,
    ],
    ['SESSION_SECRET', { SESSION_SECRET: STRONG }, /SESSION_SECRET is set/],
    ['only SIGNICAT_CLIENT_ID', { SIGNICAT_CLIENT_ID: 'id' }, /SIGNICAT_CLIENT_ID is set/],
    [
      'only SIGNICAT_CLIENT_SECRET',
      { SIGNICAT_CLIENT_SECRET: 'secret-value' },
      /SIGNICAT_CLIENT_SECRET is set/,
    ],
  ];

  for (const [what, env, signal] of production) {
    it(`refuses to start with ${what} and incomplete credentials, naming what is missing and the fix`, () => {
      const message = problem(env);
      assert.match(
        message,
        /SIGNICAT_(CLIENT_ID|CLIENT_SECRET).*: missing; set both SIGNICAT_CLIENT_ID and SIGNICAT_CLIENT_SECRET for real mode/,
      );
      assert.match(message, /or set SANDBOX=1/);
      assert.match(message, signal);
      assert.doesNotMatch(message, /secret-value|pQ7vX2/, 'names variables, never values');
    });

    it(`runs sandbox mode with ${what} only when SANDBOX=1 says so`, () => {
      const config = loadConfig({ ...env, SANDBOX: '1' });
      assert.equal(config.sandbox, true);
      assert.equal(config.sandboxForced, true);
    });
  }

  it('the production-like failed secret mount of the finding: PUBLIC_URL, SESSION_SECRET and the webhook set, credentials missing', () => {
    const message = problem({
      PUBLIC_URL: 'https://verify.bank.example',
      SESSION_SECRET: STRONG,
      RESULT_WEBHOOK_URL: 'https://backend.bank.example/hooks',
      RESULT_WEBHOOK_SECRET: STRONG_HEX,
    });
    assert.match(message, /SIGNICAT_CLIENT_ID and SIGNICAT_CLIENT_SECRET: missing/);
    assert.match(message, /did a secret mount fail\?/);
  });

  it('stays in sandbox mode for loopback-only settings (local development)', () => {
    for (const env of [
      {},
      { PUBLIC_URL: 'http://127.0.0.1:8787' },
      { PUBLIC_URL: 'http://localhost:8787' },
      { RESULT_WEBHOOK_URL: 'http://[::1]:3000/hooks', RESULT_WEBHOOK_SECRET: 'w'.repeat(32) },
      { NODE_ENV: 'development' },
    ]) {
      const config = loadConfig(env);
      assert.equal(config.sandbox, true, JSON.stringify(env));
      assert.equal(config.sandboxForced, false);
    }
  });

  it('treats loopback look-alike names as production-like', () => {
    assert.match(
      problem({ PUBLIC_URL: 'https://localhost.shop.example' }),
      /PUBLIC_URL is on a non-loopback host/,
    );
    assert.match(
      problem({ PUBLIC_URL: 'http://127.0.0.1.nip.io' }),
      /PUBLIC_URL is on a non-loopback host/,
    );
  });

  it('SANDBOX=0 demands real mode; SANDBOX=1 ignores credentials and says so', () => {
    assert.match(
      problem({ SANDBOX: '0' }),
      /missing; .* Not falling back to sandbox mode: SANDBOX=0 asks for real mode/,
    );
    assert.equal(loadConfig({ ...REAL, SANDBOX: '0' }).sandbox, false);
    const forced = loadConfig({ ...REAL, SANDBOX: '1' });
    assert.equal(forced.sandbox, true);
    assert.equal(forced.signicat.clientSecret, '', 'real credentials are not kept under SANDBOX=1');
    assert.match(
      forced.startupWarnings!.join('\n'),
      /SIGNICAT_CLIENT_ID\/SIGNICAT_CLIENT_SECRET are ignored/,
    );
    assert.deepEqual(loadConfig({ SANDBOX: '1' }).startupWarnings, []);
  });

  it('runs real mode when both credentials are set', () => {
    const config = loadConfig(REAL);
    assert.equal(config.sandbox, false);
    assert.equal(config.sandboxForced, false);
  });
});

describe('strict production config (real mode)', () => {
  it('requires https for PUBLIC_URL, RESULT_WEBHOOK_URL and every ALLOWED_ORIGINS entry, loopback excepted', () => {
    assert.match(
      problem({ ...REAL, PUBLIC_URL: 'http://verify.shop.example' }),
      /PUBLIC_URL: must be https:\/\/ in real mode/,
    );
    assert.match(
      problem({
        ...REAL,
        RESULT_WEBHOOK_URL: 'http://hooks.shop.example/x',
        RESULT_WEBHOOK_SECRET: STRONG_HEX,
      }),
      /RESULT_WEBHOOK_URL: must be https:\/\/ in real mode/,
    );
    const origins = problem({
      ...REAL,
      ALLOWED_ORIGINS: 'https://a.example,http://b.example,http://localhost:5173',
    });
    assert.match(
      origins,
      /ALLOWED_ORIGINS: must be https:\/\/ in real mode \(http only on loopback\): http:\/\/b\.example$/m,
    );
    const local = loadConfig({
      ...REAL,
      PUBLIC_URL: 'http://127.0.0.1:8787',
      RESULT_WEBHOOK_URL: 'http://localhost:3000/hooks',
      RESULT_WEBHOOK_SECRET: STRONG_HEX,
      ALLOWED_ORIGINS: 'http://localhost:5173,http://[::1]:5173',
    });
    assert.equal(local.sandbox, false);
  });

  it('refuses link-local, metadata and private webhook targets unless ALLOW_PRIVATE_WEBHOOK=1', () => {
    for (const url of [
      'https://169.254.169.254/latest/meta-data/',
      'https://[fd00:ec2::254]/',
      'https://metadata.google.internal/computeMetadata/v1/',
      'https://10.0.0.8/hooks',
      'https://192.168.1.20/hooks',
      'https://localhost.attacker.example/hooks',
      'https://169.254.169.254.nip.io/hooks',
    ]) {
      const env = { ...REAL, RESULT_WEBHOOK_URL: url, RESULT_WEBHOOK_SECRET: STRONG_HEX };
      assert.match(
        problem(env),
        /RESULT_WEBHOOK_URL: refused: .*; set ALLOW_PRIVATE_WEBHOOK=1/,
        url,
      );
      assert.equal(loadConfig({ ...env, ALLOW_PRIVATE_WEBHOOK: '1' }).delivery.webhookUrl, url);
    }
    assert.equal(
      loadConfig({
        ...REAL,
        RESULT_WEBHOOK_URL: 'https://hooks.shop.example/x',
        RESULT_WEBHOOK_SECRET: STRONG_HEX,
      }).sandbox,
      false,
    );
  });

  it('refuses low-entropy secrets, naming the variable and never the value', () => {
    const weak = 'aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3aB3';
    for (const [name, env] of [
      ['SESSION_SECRET', { SESSION_SECRET: 's'.repeat(32) }],
      [
        'RESULT_WEBHOOK_SECRET',
        { RESULT_WEBHOOK_URL: 'https://hooks.shop.example/x', RESULT_WEBHOOK_SECRET: weak },
      ],
      ['PROXY_API_KEY', { PROXY_API_KEY: weak }],
      ['SIGNICAT_EVENTS_SECRET', { SIGNICAT_EVENTS_SECRET: weak }],
    ] as const) {
      const message = problem({ ...REAL, ...env });
      assert.match(
        message,
        new RegExp(`${name}: too weak for real mode: it has only \\d+ distinct characters`),
        name,
      );
      assert.match(message, /try: openssl rand/);
      assert.doesNotMatch(message, /aB3aB3|ssssssss/);
    }
    assert.match(
      problem({ ...REAL, SESSION_SECRET: '0123456789abcdef0123456789abcdef' }),
      /SESSION_SECRET: too weak .* sequence/,
    );
    const strong = loadConfig({
      ...REAL,
      PROXY_API_KEY: STRONG_HEX,
      SIGNICAT_EVENTS_SECRET: STRONG_HEX,
    });
    assert.equal(strong.proxyApiKey, STRONG_HEX);
  });

  it('does not apply the production rules in sandbox mode', () => {
    const config = loadConfig({
      SANDBOX: '1',
      SESSION_SECRET: 's'.repeat(32),
      PUBLIC_URL: 'http://verify.shop.example',
      RESULT_WEBHOOK_URL: 'http://10.0.0.8/x',
      RESULT_WEBHOOK_SECRET: 'w'.repeat(32),
    });
    assert.equal(config.sandbox, true);
  });
});
