/** Assure emulator on its own: `server/emulator/main.ts` as a child process, and its environment variables. */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { emulatorOptionsFromEnv } from '../../server/emulator/env.ts';
import { verifyEventSignature } from '../../server/events/signature.ts';
import { JPEG_URL, startReceiver } from './emulator-fixtures.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ID = 'acme-client-1';
const SECRET = 's3-cr+t/x=y:z%';

interface Started {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
}

/** Starts main.ts and resolves with the URL from its one stdout line. */
async function startMain(env: Record<string, string>): Promise<Started> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/emulator/main.ts'], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`main.ts did not start: ${stderr}`));
    }, 20_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk;
      const match = /^emulator listening on (http:\/\/127\.0\.0\.1:\d+)\n/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`main.ts exited with ${code}: ${stderr}`));
    });
  });
  return { child, url, stdout: () => stdout, stderr: () => stderr };
}

async function stop(started: Started): Promise<number | null> {
  const exited = once(started.child, 'exit');
  started.child.kill('SIGTERM');
  const [code] = await exited;
  return code as number | null;
}

const token = (url: string, authorization: string) =>
  fetch(`${url}/auth/open/connect/token`, {
    method: 'POST',
    headers: { Authorization: authorization, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'grant_type=client_credentials&scope=signicat-api',
  });
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

describe('Assure emulator: main.ts', () => {
  it('starts from env vars, prints one line, serves the API and delivers signed events; stops on SIGTERM', async () => {
    const receiver = await startReceiver(['ok']);
    const started = await startMain({
      EMULATOR_CLIENTS: JSON.stringify({ [ID]: SECRET }),
      EMULATOR_BASIC_DECODING: 'raw',
      EMULATOR_DOCUMENT_COUNTRY_FORMAT: 'alpha3',
      EMULATOR_EVENTS_URL: receiver.url,
      EMULATOR_EVENTS_SECRET: 'events-secret',
      EMULATOR_LEGACY_CALLBACKS: '0',
      EMULATOR_DELAY_MS: '0',
    });
    try {
      assert.equal(started.stdout(), `emulator listening on ${started.url}\n`, 'exactly one line');
      assert.equal(
        (await token(started.url, basic('sandbox-client', 'sandbox-secret'))).status,
        401,
        'only the configured clients',
      );
      const res = await token(started.url, basic(ID, SECRET));
      assert.equal(res.status, 200, 'raw decoding');
      const auth = {
        Authorization: `Bearer ${(await res.json()).access_token}`,
        'Content-Type': 'application/json',
      };
      const { dossierId } = await (
        await fetch(`${started.url}/assure/dossiers`, { method: 'POST', headers: auth })
      ).json();
      const processes = `${started.url}/assure/dossiers/${dossierId}/processes`;
      const create = (documentCountry: string) =>
        fetch(processes, {
          method: 'POST',
          headers: auth,
          body: JSON.stringify({
            provider: 'signicatpaper',
            documentType: 'passport',
            documentCountry,
          }),
        });
      assert.equal((await create('NO')).status, 400, 'alpha-3 format');
      const { processId } = await (await create('NOR')).json();
      assert.equal(
        (
          await fetch(`${processes}/${processId}/images`, {
            method: 'POST',
            headers: auth,
            body: JSON.stringify({ front: JPEG_URL }),
          })
        ).status,
        201,
      );
      assert.equal(
        (await fetch(`${processes}/${processId}`, { method: 'POST', headers: auth })).status,
        200,
      );
      const [event] = await receiver.waitFor(1, 10_000);
      assert.ok(
        verifyEventSignature(
          'events-secret',
          event!.body,
          (name) => event!.headers[name.toLowerCase()] as string | undefined,
        ),
        "verifyEventSignature('events-secret', event!.body, (name) => event!.headers[name.toLowerCase()]...",
      );
      assert.equal(JSON.parse(event!.body).eventData.processId, processId);
      assert.ok(
        !started.stderr().includes(SECRET) && !started.stderr().includes('events-secret'),
        "!started.stderr().includes(SECRET) && !started.stderr().includes('events-secret')",
      );
    } finally {
      assert.equal(await stop(started), 0);
      await receiver.close();
    }
  });

  it('refuses unusable settings with a message and exit code 2', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/emulator/main.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        EMULATOR_CLIENTS: '{"id":',
        EMULATOR_EVENTS_SECRET: 'hidden',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk));
    const [code] = await once(child, 'exit');
    assert.equal(code, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /EMULATOR_CLIENTS must be JSON/);
  });
});

describe('Assure emulator: emulatorOptionsFromEnv', () => {
  it('reads every variable', () => {
    assert.deepEqual(emulatorOptionsFromEnv({}), { port: 0, hostname: '127.0.0.1' });
    assert.deepEqual(
      emulatorOptionsFromEnv({
        EMULATOR_PORT: '8788',
        EMULATOR_HOST: '::1',
        EMULATOR_CLIENTS: '{"a":"b","c":"d"}',
        EMULATOR_BASIC_DECODING: 'form',
        EMULATOR_DOCUMENT_COUNTRY_FORMAT: 'alpha2',
        EMULATOR_EVENTS_URL: 'http://127.0.0.1:9/events',
        EMULATOR_EVENTS_SECRET: 's',
        EMULATOR_LEGACY_CALLBACKS: '1',
        EMULATOR_DELAY_MS: '250',
        EMULATOR_ZIP_READY_DELAY_MS: '1000',
      }),
      {
        port: 8788,
        hostname: '::1',
        clients: { a: 'b', c: 'd' },
        basicAuthDecoding: 'form',
        documentCountryFormat: 'alpha2',
        events: { url: 'http://127.0.0.1:9/events', secret: 's' },
        legacyCallbacks: true,
        processingDelayMs: 250,
        zipReadyDelayMs: 1000,
      },
    );
    assert.equal(emulatorOptionsFromEnv({ EMULATOR_LEGACY_CALLBACKS: '0' }).legacyCallbacks, false);
  });

  it('names the variable it cannot use, never the secret', () => {
    for (const [env, name] of [
      [{ EMULATOR_PORT: '70000' }, 'EMULATOR_PORT'],
      [{ EMULATOR_PORT: 'x' }, 'EMULATOR_PORT'],
      [{ EMULATOR_CLIENTS: '[]' }, 'EMULATOR_CLIENTS'],
      [{ EMULATOR_CLIENTS: '{"a":1}' }, 'EMULATOR_CLIENTS'],
      [{ EMULATOR_CLIENTS: '{}' }, 'EMULATOR_CLIENTS'],
      [{ EMULATOR_BASIC_DECODING: 'url' }, 'EMULATOR_BASIC_DECODING'],
      [{ EMULATOR_DOCUMENT_COUNTRY_FORMAT: 'numeric' }, 'EMULATOR_DOCUMENT_COUNTRY_FORMAT'],
      [{ EMULATOR_LEGACY_CALLBACKS: 'yes' }, 'EMULATOR_LEGACY_CALLBACKS'],
      [{ EMULATOR_DELAY_MS: '-5' }, 'EMULATOR_DELAY_MS'],
      [{ EMULATOR_EVENTS_SECRET: 'top-secret-value' }, 'EMULATOR_EVENTS_SECRET'],
    ] as const) {
      assert.throws(
        () => emulatorOptionsFromEnv(env),
        (error: Error) =>
          error.message.includes(name) && !error.message.includes('top-secret-value'),
        name,
      );
    }
  });
});
