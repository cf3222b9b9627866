/**
 * A test driver that walks verifications through the proxy API the way the element does: capture
 * (uploads, submit), redirect (hosted page, return), provider-sdk (the provider's own upload, submit)
 * and cancel. Every step that answers a retryable error (429, 502, 503, 504) is checked (stable error
 * code, `Retry-After`, and, when asked, that the session looks the same before and after) and tried
 * again, like the element's automatic retry. Used by the fault and outage tests.
 */
import assert from 'node:assert/strict';
import { jpegBytes } from './images.ts';
import { json } from './sandbox.ts';

export type FlowMode = 'capture' | 'redirect' | 'provider-sdk';

/** Answers the element retries after `Retry-After`: the proxy's own 429 and the upstream 502/503/504. */
export const RETRYABLE = [429, 502, 503, 504] as const;

export interface Refusal {
  step: string;
  status: number;
  code: string;
  retryAfter: string | null;
  /** When the refused attempt started (performance.now()). */
  startedAt: number;
}

export interface DriverOptions {
  /** `fetch` against the proxy's `/api`. */
  api(path: string, init?: RequestInit): Promise<Response>;
  /** PROXY_API_KEY: sessions are created by "the backend" (with `reference`). */
  apiKey?: string;
  /** After each refused attempt, before the next: clear a fault, or wait. @default waits for Retry-After */
  onRefused?(refusal: Refusal): Promise<void>;
  /** Compare GET /sessions/{token} before and after every refused attempt. @default false */
  checkUnchanged?: boolean;
  /** Attempts per step before the flow fails. @default 30 */
  maxAttempts?: number;
}

export interface Created {
  session: string;
  images: { required: string[] };
  captureUrl?: string;
  providerToken?: string;
  consentRequired?: boolean;
}

export interface Driver {
  refusals: Refusal[];
  create(body: Record<string, unknown>): Promise<Created>;
  /** Uploads one side; answers the refreshed token. */
  upload(token: string, side: string, headers?: Record<string, string>): Promise<string>;
  submit(token: string): Promise<string>;
  /** The hosted capture page's button; answers the redirect's query. */
  hosted(
    captureUrl: string,
    action: 'complete' | 'cancel' | 'fail',
  ): Promise<Record<string, string>>;
  returnFrom(token: string, back: Record<string, string>): Promise<string>;
  /** Stands in for the Onfido web SDK's own upload (path D1) at the emulator. */
  sdkUpload(emulatorUrl: string, providerToken: string): Promise<void>;
  cancel(token: string): Promise<string>;
  /** GET /document-types?provider=…; answers the list. */
  documentTypes(provider: string): Promise<unknown[]>;
  /** GET /sessions/{token} until final (errors there are retried too). */
  finalStatus(token: string, ms?: number): Promise<string>;
  /** A whole verification in `mode`, up to submit/return; answers every token it held, newest last. */
  start(mode: FlowMode, where: Where): Promise<string[]>;
  /** A session in `mode` made ready to cancel (capture: one upload, so a process exists), then canceled. */
  startAndCancel(mode: FlowMode, where: Where): Promise<{ tokens: string[]; status: string }>;
}

export interface Where {
  /** Origin of the page the element runs on (redirectUrl, pageUrl): an allowed origin. */
  origin: string;
  /** The emulator, for the provider SDK's upload. */
  emulatorUrl: string;
  /** More fields for POST /sessions (e.g. `reference`). */
  body?: Record<string, unknown>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createDriver(options: DriverOptions): Driver {
  const refusals: Refusal[] = [];
  const maxAttempts = options.maxAttempts ?? 30;
  const waitRetryAfter = async (refusal: Refusal) => {
    const seconds = Number(refusal.retryAfter ?? 1);
    await sleep(Math.min(5, Number.isFinite(seconds) ? seconds : 1) * 1000);
  };
  const onRefused = options.onRefused ?? waitRetryAfter;

  async function snapshot(token: string) {
    const answer = await options.api(`/sessions/${token}`);
    return { status: answer.status, body: (await answer.json()) as unknown };
  }

  /** Sends `send` until it answers one of `ok`; each retryable refusal is checked and recorded. */
  async function step(
    name: string,
    token: string | undefined,
    ok: number[],
    send: () => Promise<Response>,
  ): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      const before = token && options.checkUnchanged ? await snapshot(token) : undefined;
      const startedAt = performance.now();
      const answer = await send();
      if (ok.includes(answer.status)) return answer;
      const text = await answer.text();
      assert.ok(
        (RETRYABLE as readonly number[]).includes(answer.status),
        `${name}: not a retryable error: ${answer.status} ${text}`,
      );
      const code = (JSON.parse(text) as { error?: { code?: string } }).error?.code ?? '';
      assert.match(code, /^[a-z_]+$/, `${name}: a stable error code (${text})`);
      const refusal = {
        step: name,
        status: answer.status,
        code,
        retryAfter: answer.headers.get('Retry-After'),
        startedAt,
      };
      assert.match(
        refusal.retryAfter ?? '',
        /^\d+$/,
        `${name}: ${answer.status} ${code} without Retry-After`,
      );
      if (before)
        assert.deepEqual(
          await snapshot(token!),
          before,
          `${name}: the refused request changed the session`,
        );
      refusals.push(refusal);
      if (attempt >= maxAttempts)
        assert.fail(`${name}: still refused after ${attempt} attempts (${answer.status} ${code})`);
      await onRefused(refusal);
    }
  }

  const headers = (extra: Record<string, string> = {}) => ({
    ...(options.apiKey && { Authorization: `Bearer ${options.apiKey}` }),
    ...extra,
  });

  const driver: Driver = {
    refusals,
    async create(body) {
      const answer = await step('create', undefined, [201], () =>
        options.api('/sessions', json(body, headers())),
      );
      return (await answer.json()) as Created;
    },
    async upload(token, side, extra = {}) {
      const answer = await step(`upload ${side}`, token, [200], () =>
        options.api(`/sessions/${token}/images/${side}`, {
          method: 'PUT',
          headers: { 'Content-Type': 'image/jpeg', ...extra },
          body: jpegBytes(),
        }),
      );
      return ((await answer.json()) as { session: string }).session;
    },
    async submit(token) {
      const answer = await step('submit', token, [202], () =>
        options.api(`/sessions/${token}/submit`, { method: 'POST' }),
      );
      const { status } = (await answer.json()) as { status: string };
      // A claim left behind would answer "pending" here for 30 s: the retry must start the verification.
      assert.notEqual(status, 'pending', 'submit answered pending: was a claim left taken?');
      return status;
    },
    async hosted(captureUrl, action) {
      const page = await fetch(captureUrl, {
        method: 'POST',
        body: new URLSearchParams({ action }),
        redirect: 'manual',
      });
      assert.equal(page.status, 303, `hosted page answered ${page.status}`);
      return Object.fromEntries(new URL(page.headers.get('Location')!).searchParams);
    },
    async returnFrom(token, back) {
      const answer = await step('return', token, [200], () =>
        options.api(
          `/sessions/${token}/return`,
          json({ dossierId: back.dossierId, processId: back.processId, status: back.status }),
        ),
      );
      return ((await answer.json()) as { status: string }).status;
    },
    async sdkUpload(emulatorUrl, providerToken) {
      const dataUrl = `data:image/jpeg;base64,${Buffer.from(jpegBytes()).toString('base64')}`;
      const uploaded = await fetch(`${emulatorUrl}/provider-sdk/onfido/images`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${providerToken}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ front: dataUrl, selfie: dataUrl }),
      });
      assert.ok(uploaded.ok, `provider SDK upload answered ${uploaded.status}`);
    },
    async cancel(token) {
      const answer = await step('cancel', token, [200], () =>
        options.api(`/sessions/${token}/cancel`, { method: 'POST' }),
      );
      return ((await answer.json()) as { status: string }).status;
    },
    async documentTypes(provider) {
      const answer = await step('document types', undefined, [200], () =>
        options.api(`/document-types?provider=${provider}`),
      );
      return (await answer.json()) as unknown[];
    },
    async finalStatus(token, ms = 15_000) {
      const until = Date.now() + ms;
      for (;;) {
        const answer = await options.api(`/sessions/${token}`);
        if (answer.ok) {
          const state = (await answer.json()) as { status: string; final: boolean };
          if (state.final) return state.status;
        } else {
          const text = await answer.text();
          assert.ok(
            (RETRYABLE as readonly number[]).includes(answer.status),
            `status: ${answer.status} ${text}`,
          );
        }
        if (Date.now() > until) assert.fail(`no final status within ${ms} ms`);
        await sleep(25);
      }
    },
    async start(mode, where) {
      if (mode === 'capture') {
        const created = await driver.create({
          mode,
          provider: 'signicatpaper',
          documentType: 'passport',
          ...where.body,
        });
        const tokens = [created.session];
        for (const side of created.images.required)
          tokens.push(await driver.upload(tokens.at(-1)!, side));
        await driver.submit(tokens.at(-1)!);
        return tokens;
      }
      if (mode === 'redirect') {
        const created = await driver.create({
          mode,
          provider: 'signicatpaper',
          redirectUrl: `${where.origin}/done`,
          ...where.body,
        });
        assert.ok(created.captureUrl, 'a capture URL');
        const back = await driver.hosted(created.captureUrl!, 'complete');
        await driver.returnFrom(created.session, back);
        return [created.session];
      }
      const created = await driver.create({
        mode,
        provider: 'onfido',
        pageUrl: `${where.origin}/shop`,
        ...where.body,
      });
      assert.ok(created.providerToken, 'a provider token');
      await driver.sdkUpload(where.emulatorUrl, created.providerToken!);
      await driver.submit(created.session);
      return [created.session];
    },
    async startAndCancel(mode, where) {
      const body =
        mode === 'capture'
          ? { mode, provider: 'signicatpaper', documentType: 'passport' }
          : mode === 'redirect'
            ? { mode, provider: 'signicatpaper', redirectUrl: `${where.origin}/done` }
            : { mode, provider: 'onfido', pageUrl: `${where.origin}/shop` };
      const created = await driver.create({ ...body, ...where.body });
      const tokens = [created.session];
      if (mode === 'capture')
        tokens.push(await driver.upload(created.session, created.images.required[0]!));
      return { tokens, status: await driver.cancel(tokens.at(-1)!) };
    },
  };
  return driver;
}
