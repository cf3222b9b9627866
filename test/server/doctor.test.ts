/**
 * `npm run doctor` against the emulator, over real HTTP on 127.0.0.1: all checks pass, a wrong secret,
 * each Basic decoding, the documentCountry form, an unreachable PUBLIC_URL, no events secret, sandbox
 * mode, the CLI (table and --json) as a child process, and never a secret in any output.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig, type Config } from '../../server/config.ts';
import {
  createScrubber,
  doctorJson,
  DOCTOR_REFERENCE,
  formatDoctor,
  runDoctor,
  SANDBOX_NOTE,
  secretsOf,
  type DoctorReport,
} from '../../server/doctor/index.ts';
import {
  startEmulator,
  type EmulatorEvent,
  type RunningEmulator,
  type StartEmulatorOptions,
} from '../../server/emulator/index.ts';
import { listen, type Listening } from '../../server/http/listen.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

const CLIENT_ID = 'acme-client-1';
/** Every character whose Basic encoding differs between RFC 6749 form-encoding and the raw form. */
const CLIENT_SECRET = 's3-cr+t/x=y:z%';
const SESSION_SECRET = randomBytes(32).toString('base64url');
const EVENTS_SECRET = randomBytes(24).toString('hex');

/** A client secret and the forms it takes on the wire. */
const wireForms = (secret: string) => [
  secret,
  encodeURIComponent(secret),
  new URLSearchParams({ s: secret }).toString().slice(2),
  Buffer.from(`${CLIENT_ID}:${secret}`).toString('base64'),
];

/** Every string that must never appear in the doctor's output (the secrets and their wire forms). */
const FORBIDDEN = [...wireForms(CLIENT_SECRET), SESSION_SECRET, EVENTS_SECRET];

function assertNoSecret(output: string, where: string, more: string[] = []): void {
  for (const secret of [...FORBIDDEN, ...more])
    assert.ok(!output.includes(secret), `${where} contains a secret (${secret.slice(0, 3)}…)`);
  assert.doesNotMatch(output, /Bearer [A-Za-z0-9._~+/-]{8,}/, `${where} contains a bearer token`);
  assert.doesNotMatch(output, /Basic [A-Za-z0-9+/=]{8,}/, `${where} contains Basic credentials`);
}

interface Upstream {
  emulator: RunningEmulator;
  events: EmulatorEvent[];
  close(): Promise<void>;
}

async function upstream(options: StartEmulatorOptions = {}): Promise<Upstream> {
  const events: EmulatorEvent[] = [];
  const emulator = await startEmulator({
    port: 0,
    processingDelayMs: 0,
    clients: [{ clientId: CLIENT_ID, clientSecret: CLIENT_SECRET }],
    log: (event) => events.push(event),
    ...options,
  });
  return { emulator, events, close: () => emulator.close() };
}

function env(
  emulatorUrl: string,
  publicUrl: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    SIGNICAT_CLIENT_ID: CLIENT_ID,
    SIGNICAT_CLIENT_SECRET: CLIENT_SECRET,
    SIGNICAT_API_URL: emulatorUrl,
    SIGNICAT_TOKEN_URL: `${emulatorUrl}/auth/open/connect/token`,
    SESSION_SECRET,
    SIGNICAT_EVENTS_SECRET: EVENTS_SECRET,
    PUBLIC_URL: publicUrl,
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

const byId = (report: DoctorReport, id: string) => {
  const check = report.checks.find((c) => c.id === id);
  assert.ok(check, `no ${id} check in ${report.checks.map((c) => c.id).join(', ')}`);
  return check;
};

/** Runs the doctor as a library and checks that neither its report nor either printed form leaks. */
async function doctor(config: Config): Promise<DoctorReport> {
  const report = await runDoctor(config, { publicUrlTimeoutMs: 1000 });
  // This run's own secret too (some tests configure a wrong one).
  const own = config.signicat.clientSecret ? wireForms(config.signicat.clientSecret) : [];
  // The report itself must be clean, not only what the scrubber lets through.
  assertNoSecret(JSON.stringify(report), 'the report', own);
  const scrub = createScrubber(secretsOf(config));
  assertNoSecret(formatDoctor(report, scrub), 'the table', own);
  assertNoSecret(doctorJson(report, scrub), 'the JSON', own);
  return report;
}

let health: Listening;
let closedUrl: string;

before(async () => {
  // This server's stand-in: answers /healthz as the real server does.
  health = await listen(async (request) =>
    new URL(request.url).pathname === '/healthz'
      ? Response.json({ ok: true })
      : new Response('no', { status: 404 }),
  );
  // A port that was free a moment ago and is closed now: nothing listens there.
  const gone = await listen(() => new Response());
  closedUrl = gone.url;
  await gone.close();
});

after(async () => {
  await health.close();
});

describe('doctor against the emulator (IdentityServer-style Basic decoding)', () => {
  let up: Upstream;
  before(async () => {
    up = await upstream({ basicAuthDecoding: 'form' });
  });
  after(() => up.close());

  it('passes every check with a working configuration, and cleans up what it created', async () => {
    const report = await doctor(loadConfig(env(up.emulator.url, health.url)));
    assert.equal(report.mode, 'real');
    assert.deepEqual(
      report.checks
        .filter((c) => c.status !== 'pass')
        .map((c) => `${c.id}: ${c.status} ${c.detail}`),
      [],
    );
    assert.equal(report.ok, true);
    // The RFC form works; the raw form reads `+` as a space and `%` as an escape, so it is refused.
    assert.deepEqual(report.tokenAuthAccepted, ['basic']);
    assert.match(byId(report, 'token').detail, /SIGNICAT_TOKEN_AUTH=basic/);
    for (const provider of ['signicatpaper', 'onfido'])
      assert.equal(byId(report, `document-types:${provider}`).status, 'pass');
    assert.match(byId(report, 'document-country').detail, /accepted NO \(alpha2/);
    assert.match(byId(report, 'capture-flow').detail, /capture URL/);
    const created = up.events
      .filter((e) => e.type === 'dossier.created')
      .map((e) => (e as { dossierId: string }).dossierId);
    const deleted = new Set(
      up.events
        .filter((e) => e.type === 'dossier.deleted')
        .map((e) => (e as { dossierId: string }).dossierId),
    );
    assert.equal(
      created.length,
      3,
      'a dossier each for: create/delete, documentCountry, capture flow',
    );
    assert.deepEqual(
      created.filter((id) => !deleted.has(id)),
      [],
      'every throwaway dossier is deleted',
    );
  });

  it('fails the token check with a fix on a wrong secret, skips what needs a token, and crashes on nothing', async () => {
    const report = await doctor(
      loadConfig(env(up.emulator.url, health.url, { SIGNICAT_CLIENT_SECRET: 'wrong-Secret+42/x' })),
    );
    const token = byId(report, 'token');
    assert.equal(token.status, 'fail');
    assert.match(token.detail, /both forms were refused/);
    assert.match(token.fix ?? '', /SIGNICAT_CLIENT_ID and SIGNICAT_CLIENT_SECRET/);
    assert.deepEqual(report.tokenAuthAccepted, []);
    for (const id of ['document-types', 'dossier', 'document-country', 'capture-flow'])
      assert.equal(byId(report, id).status, 'skip');
    assert.equal(byId(report, 'public-url').status, 'pass', 'checks that need no token still run');
    assert.equal(report.ok, false);
  });

  it('names SIGNICAT_TOKEN_URL when the token URL is refused before any request', async () => {
    const report = await doctor(
      loadConfig(
        env(up.emulator.url, health.url, {
          SIGNICAT_TOKEN_URL: 'http://signicat.invalid/auth/open/connect/token',
        }),
      ),
    );
    const token = byId(report, 'token');
    assert.equal(token.status, 'fail');
    assert.match(token.fix ?? '', /^Fix SIGNICAT_TOKEN_URL \(tokenUrl must use https/);
  });

  it('fails the PUBLIC_URL check with a fix when nothing answers there', async () => {
    const report = await doctor(loadConfig(env(up.emulator.url, closedUrl)));
    const check = byId(report, 'public-url');
    assert.equal(check.status, 'fail');
    assert.match(check.detail, new RegExp(`GET ${closedUrl}/healthz`));
    assert.match(check.fix ?? '', /npm start/);
    assert.equal(report.ok, false);
    assert.equal(byId(report, 'token').status, 'pass');
  });

  it('fails the PUBLIC_URL check when something else answers there', async () => {
    const report = await doctor(loadConfig(env(up.emulator.url, up.emulator.url)));
    const check = byId(report, 'public-url');
    assert.equal(check.status, 'fail');
    assert.match(check.detail, /HTTP 404/);
  });

  it('warns with the fix when SIGNICAT_EVENTS_SECRET is not set, and still passes', async () => {
    const report = await doctor(
      loadConfig(env(up.emulator.url, health.url, { SIGNICAT_EVENTS_SECRET: '' })),
    );
    const check = byId(report, 'events-secret');
    assert.equal(check.status, 'warn');
    assert.match(check.fix ?? '', /set SIGNICAT_EVENTS_SECRET/);
    assert.match(check.fix ?? '', new RegExp(`${health.url}/api/signicat/events`));
    assert.equal(report.ok, true, 'a warning is not a failure');
  });
});

describe('doctor against an emulator that reads Basic credentials raw', () => {
  let up: Upstream;
  before(async () => {
    up = await upstream({ basicAuthDecoding: 'raw' });
  });
  after(() => up.close());

  it('says the other form worked and to switch to it, and runs the rest with that form', async () => {
    const report = await doctor(
      loadConfig(env(up.emulator.url, health.url, { SIGNICAT_TOKEN_AUTH: 'basic' })),
    );
    const token = byId(report, 'token');
    assert.equal(token.status, 'fail');
    assert.match(token.detail, /basic-raw .* worked/);
    assert.equal(
      token.fix,
      'Set SIGNICAT_TOKEN_AUTH=basic-raw: that is how Signicat reads your client secret.',
    );
    assert.deepEqual(report.tokenAuthAccepted, ['basic-raw']);
    assert.equal(byId(report, 'dossier').status, 'pass');
    assert.equal(byId(report, 'capture-flow').status, 'pass');
  });

  it('passes with SIGNICAT_TOKEN_AUTH=basic-raw', async () => {
    const report = await doctor(
      loadConfig(env(up.emulator.url, health.url, { SIGNICAT_TOKEN_AUTH: 'basic-raw' })),
    );
    assert.equal(byId(report, 'token').status, 'pass');
    assert.deepEqual(report.tokenAuthAccepted, ['basic-raw']);
    assert.equal(report.ok, true);
  });
});

describe('doctor: Signicat Paper documentCountry form', () => {
  let up: Upstream;
  before(async () => {
    up = await upstream({ documentCountryFormat: 'alpha3' });
  });
  after(() => up.close());

  it('says which form Create process accepted and how to switch', async () => {
    const report = await doctor(
      loadConfig(env(up.emulator.url, health.url, { DEFAULT_DOCUMENT_COUNTRY: 'SE' })),
    );
    const check = byId(report, 'document-country');
    assert.equal(check.status, 'fail');
    assert.match(check.detail, /refused SE \(alpha2, as configured\) and accepted SWE \(alpha3\)/);
    assert.equal(check.fix, 'Set SIGNICAT_DOCUMENT_COUNTRY_FORMAT=alpha3.');
    const fixed = await doctor(
      loadConfig(env(up.emulator.url, health.url, { SIGNICAT_DOCUMENT_COUNTRY_FORMAT: 'alpha3' })),
    );
    assert.equal(byId(fixed, 'document-country').status, 'pass');
  });

  it('skips the check when signicatpaper is not configured', async () => {
    const report = await doctor(
      loadConfig(
        env(up.emulator.url, health.url, {
          CAPTURE_PROVIDERS: 'onfido',
          REDIRECT_PROVIDERS: 'onfido',
          PROVIDER_SDK_PROVIDERS: 'onfido',
        }),
      ),
    );
    assert.equal(byId(report, 'document-country').status, 'skip');
    assert.equal(report.checks.filter((c) => c.id.startsWith('document-types:')).length, 1);
  });
});

describe('doctor in sandbox mode', () => {
  it('says it is for real credentials and how to point it at an emulator', async () => {
    const report = await doctor(loadConfig({}));
    assert.equal(report.mode, 'sandbox');
    assert.equal(report.ok, true);
    assert.equal(report.checks.length, 1);
    assert.equal(report.checks[0]!.detail, SANDBOX_NOTE);
    assert.match(SANDBOX_NOTE, /real credentials/);
    assert.match(SANDBOX_NOTE, /SIGNICAT_API_URL and SIGNICAT_TOKEN_URL/);
  });
});

describe('doctor output scrubbing', () => {
  it('replaces a configured secret even if a check were to quote it', () => {
    const config = loadConfig(env('http://127.0.0.1:1', health.url));
    const report: DoctorReport = {
      mode: 'real',
      ok: false,
      tokenAuthAccepted: [],
      checks: [
        {
          id: 'x',
          title: 'x',
          status: 'fail',
          detail: `leak ${CLIENT_SECRET} ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString('base64')} ${EVENTS_SECRET}`,
        },
      ],
    };
    const scrub = createScrubber(secretsOf(config));
    assertNoSecret(formatDoctor(report, scrub), 'the table');
    assertNoSecret(doctorJson(report, scrub), 'the JSON');
    assert.match(formatDoctor(report, scrub), /leak \[redacted\] \[redacted\] \[redacted\]/);
  });
});

describe('npm run doctor (the CLI, as a child process)', () => {
  let up: Upstream;
  before(async () => {
    up = await upstream();
  });
  after(() => up.close());

  async function cli(extra: Record<string, string>, args: string[] = []) {
    try {
      const { stdout, stderr } = await run(
        process.execPath,
        ['--import', 'tsx', 'scripts/doctor.ts', ...args],
        {
          cwd: ROOT,
          // Only what the test sets: nothing of this machine's own Signicat settings.
          env: { PATH: process.env.PATH ?? '', ...extra },
          timeout: 30_000,
        },
      );
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code?: number; stdout?: string; stderr?: string };
      return { code: failed.code ?? -1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }

  it('--json prints a report that parses, exit 0 when all passed', async () => {
    const { code, stdout, stderr } = await cli(env(up.emulator.url, health.url), ['--json']);
    assertNoSecret(stdout + stderr, 'the CLI output');
    assert.equal(code, 0, stderr);
    const report = JSON.parse(stdout) as DoctorReport;
    assert.equal(report.ok, true);
    assert.deepEqual(
      report.checks.map((c) => c.id),
      [
        'token',
        'document-types:signicatpaper',
        'document-types:onfido',
        'document-types:signicatpictureid',
        'document-types:signicatvideoid',
        'dossier',
        'document-country',
        'capture-flow',
        'public-url',
        'events-secret',
      ],
    );
  });

  it('prints the table with fixes and exits 1 when a check failed', async () => {
    const { code, stdout, stderr } = await cli(
      env(up.emulator.url, closedUrl, { SIGNICAT_CLIENT_SECRET: `${CLIENT_SECRET}x` }),
    );
    assertNoSecret(stdout + stderr, 'the CLI output', wireForms(`${CLIENT_SECRET}x`));
    assert.equal(code, 1, stderr);
    assert.match(stdout, /FAIL\s+\| Token request/);
    assert.match(stdout, /FAIL\s+\| PUBLIC_URL reachable/);
    assert.match(stdout, /How to fix:/);
    assert.match(stdout, /checks failed\./);
  });

  it('reports an invalid configuration as a failed check, exit 1', async () => {
    const { code, stdout } = await cli({ SIGNICAT_CLIENT_ID: CLIENT_ID, SESSION_SECRET });
    assert.equal(code, 1);
    assert.match(stdout, /FAIL\s+\| Configuration/);
    assert.match(stdout, /SIGNICAT_CLIENT_SECRET: missing/);
    assertNoSecret(stdout, 'the CLI output');
  });

  it('in sandbox mode says what it is for, exit 0', async () => {
    const { code, stdout } = await cli({});
    assert.equal(code, 0);
    assert.match(stdout, /sandbox mode/);
    assert.match(stdout, /real credentials/);
  });
});

// The throwaway dossiers carry this reference (documented in docs/doctor.md).
assert.equal(DOCTOR_REFERENCE, 'signicat-verify-doctor');
