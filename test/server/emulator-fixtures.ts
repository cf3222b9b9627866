/**
 * Helpers for the emulator tests: synthetic PNG/JPEG buffers with real headers, valid process bodies,
 * a harness that serves an emulator over loopback HTTP with a ready access token, a receiver for
 * callbacks and events, and a condition wait.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createEmulator,
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  type AssureEmulator,
  type EmulatorOptions,
} from '../../server/emulator/index.ts';
import { listen, type Listening } from '../../server/http/listen.ts';

// ---------------------------------------------------------------- images

export { makeJpeg, makePng } from '../helpers/images.ts';
import { makeJpeg, makePng } from '../helpers/images.ts';

export const dataUrl = (mime: string, bytes: Uint8Array): string =>
  `data:${mime};base64,${Buffer.from(bytes).toString('base64')}`;

export const PNG_URL = dataUrl('image/png', makePng(4, 3));
export const JPEG_URL = dataUrl('image/jpeg', makeJpeg(640, 480));

// ---------------------------------------------------------------- request bodies

/** A Signicat Paper passport process (documentCountry is required for signicatpaper). */
export const PAPER = {
  provider: 'signicatpaper',
  documentType: 'passport',
  documentCountry: 'NO',
} as const;
/** An Onfido passport process with a location, so Start verification accepts Set images uploads. */
export const ONFIDO = {
  provider: 'onfido',
  documentType: 'passport',
  processParameters: { location: { countryOfResidence: 'NOR', ipAddress: '185.91.65.70' } },
} as const;

// ---------------------------------------------------------------- emulator harness

export const basicAuth = (id = SANDBOX_CLIENT_ID, secret = SANDBOX_CLIENT_SECRET): string =>
  `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

export interface CallResult<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface Harness {
  url: string;
  emulator: AssureEmulator;
  token: string;
  /** Raw request; `token: null` sends no Authorization header. */
  fetch(path: string, init?: RequestInit & { token?: string | null }): Promise<Response>;
  /** JSON request and parsed JSON (or text, or null) answer. */
  call<T = any>(
    method: string,
    path: string,
    body?: unknown,
    init?: { token?: string | null; headers?: Record<string, string> },
  ): Promise<CallResult<T>>;
  getToken(): Promise<string>;
  createDossier(): Promise<string>;
  /** Creates a process, asserting 201. */
  createProcess(dossierId: string, body: Record<string, unknown>): Promise<any>;
  /** Creates a process, uploads images through Set images (201) and starts verification (200); returns its ID. */
  startProcess(
    dossierId: string,
    body?: Record<string, unknown>,
    images?: Record<string, string>,
  ): Promise<string>;
  /** Polls Get process until `status` (or times out). */
  waitForStatus(
    dossierId: string,
    processId: string,
    status: string,
    timeoutMs?: number,
  ): Promise<any>;
  close(): Promise<void>;
}

export async function startHarness(options: EmulatorOptions = {}): Promise<Harness> {
  const emulator = createEmulator({ processingDelayMs: 0, ...options });
  const server: Listening = await listen(emulator.app.fetch);
  const harness: Harness = {
    url: server.url,
    emulator,
    token: '',
    async fetch(path, init = {}) {
      const { token, ...rest } = init;
      const headers = new Headers(rest.headers);
      const bearer = token === undefined ? harness.token : token;
      if (bearer !== null && !headers.has('Authorization'))
        headers.set('Authorization', `Bearer ${bearer}`);
      return fetch(new URL(path, server.url), { ...rest, headers, redirect: 'manual' });
    },
    async call(method, path, body, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      if (body !== undefined && typeof body !== 'string')
        headers['Content-Type'] = 'application/json';
      const response = await harness.fetch(path, {
        method,
        headers,
        ...(init.token !== undefined && { token: init.token }),
        ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await response.text();
      let parsed: unknown = text === '' ? null : text;
      if (/json/.test(response.headers.get('Content-Type') ?? '')) parsed = JSON.parse(text);
      return { status: response.status, headers: response.headers, body: parsed as any };
    },
    async getToken() {
      const response = await fetch(`${server.url}/auth/open/connect/token`, {
        method: 'POST',
        headers: {
          Authorization: basicAuth(),
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: 'grant_type=client_credentials&scope=signicat-api',
      });
      if (response.status !== 200) throw new Error(`token: HTTP ${response.status}`);
      return ((await response.json()) as { access_token: string }).access_token;
    },
    async createDossier() {
      const res = await harness.call('POST', '/assure/dossiers');
      if (res.status !== 201) throw new Error(`create dossier: HTTP ${res.status}`);
      return res.body.dossierId as string;
    },
    async createProcess(dossierId, body) {
      const res = await harness.call('POST', `/assure/dossiers/${dossierId}/processes`, body);
      if (res.status !== 201)
        throw new Error(`create process: HTTP ${res.status} ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async startProcess(dossierId, body = PAPER, images = { front: JPEG_URL, selfie: JPEG_URL }) {
      const p = await harness.createProcess(dossierId, body);
      const path = `/assure/dossiers/${dossierId}/processes/${p.processId}`;
      const set = await harness.call('POST', `${path}/images`, images);
      if (set.status !== 201)
        throw new Error(`set images: HTTP ${set.status} ${JSON.stringify(set.body)}`);
      const started = await harness.call('POST', path);
      if (started.status !== 200)
        throw new Error(
          `start verification: HTTP ${started.status} ${JSON.stringify(started.body)}`,
        );
      return p.processId as string;
    },
    async waitForStatus(dossierId, processId, status, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const res = await harness.call(
          'GET',
          `/assure/dossiers/${dossierId}/processes/${processId}`,
        );
        if (res.body?.status === status) return res.body;
        if (Date.now() > deadline)
          throw new Error(`process stayed ${res.body?.status}, expected ${status}`);
        await sleep(10);
      }
    },
    async close() {
      emulator.close();
      await server.close();
    },
  };
  harness.token = await harness.getToken();
  return harness;
}

/** A StandardException problem body: exactly its seven fields. */
export function assertProblem(body: any, status: number, instance: string, method: string): void {
  assert.deepEqual(Object.keys(body).sort(), [
    'detail',
    'instance',
    'method',
    'status',
    'title',
    'traceId',
    'type',
  ]);
  assert.equal(body.status, status);
  assert.equal(body.instance, instance);
  assert.equal(body.method, method);
  assert.equal(body.type, status >= 500 ? 'base:server-problem' : 'base:client-problem');
  assert.equal(typeof body.title, 'string');
  assert.equal(typeof body.detail, 'string');
  assert.match(body.traceId, /^[0-9a-f]{32}$/);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Resolves once `condition()` is truthy; rejects after `timeoutMs` naming `what`. */
export async function waitUntil(
  condition: () => unknown,
  what: string,
  timeoutMs = 3000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

// ---------------------------------------------------------------- callback receiver

export interface ReceivedCallback {
  at: number;
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** What the receiver does with each request, in order; the last entry repeats. */
export type ReceiverBehaviour = 'ok' | 'error' | 'hang' | 'created';

export interface Receiver {
  url: string;
  received: ReceivedCallback[];
  /** Resolves once `count` requests arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedCallback[]>;
  close(): Promise<void>;
}

export async function startReceiver(behaviours: ReceiverBehaviour[] = ['ok']): Promise<Receiver> {
  const received: ReceivedCallback[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const behaviour = behaviours[Math.min(received.length, behaviours.length - 1)]!;
      received.push({
        at: Date.now(),
        method: req.method ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      });
      if (behaviour === 'hang') return void hanging.push(res);
      res.statusCode = behaviour === 'ok' ? 200 : behaviour === 'created' ? 201 : 500;
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook?source=assure`,
    received,
    async waitFor(count, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline)
          throw new Error(`got ${received.length} callbacks, expected ${count}`);
        await sleep(5);
      }
      return received;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
