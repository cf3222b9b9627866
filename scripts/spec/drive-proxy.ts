/**
 * Runs the proxy's own flows through its HTTP API (capture of a passport and of an identity card, a
 * redirect session, a provider-SDK session, a cancelled capture) with the proxy's outgoing Assure calls
 * recorded. The proxy is built with `createProxy` around the real Assure client, whose `fetch` is the
 * recorder's, and talks to the emulator the check started.
 */
import { Hono } from 'hono';
import {
  CONSENT_HEADER,
  type CreateSessionResponse,
  type SessionStatusResponse,
} from '../../component/contract/index.ts';
import { createProxy, type Proxy } from '../../server/app.ts';
import { createAssureClient } from '../../server/assure/client.ts';
import { loadConfig } from '../../server/config.ts';
import type { ResultPayload } from '../../server/delivery/types.ts';
import { SANDBOX_CLIENT_ID, SANDBOX_CLIENT_SECRET } from '../../server/emulator/index.ts';
import { listen } from '../../server/http/listen.ts';
import { makeJpeg } from '../../test/helpers/images.ts';
import type { RecordedExchange, Recorder } from './record.ts';
import { createSteps, waitFor, type Steps } from './steps.ts';
import { TOKEN_PATH } from './token.ts';

export interface ProxyDriveOptions {
  emulatorUrl: string;
  recorder: Recorder;
}

const FLOW_TIMEOUT_MS = 15_000;

export async function driveProxy(options: ProxyDriveOptions): Promise<Steps> {
  const { emulatorUrl, recorder } = options;
  const steps = createSteps(recorder);
  const results: ResultPayload[] = [];
  const archived = new Map<string, number>();

  // A sandbox configuration (nothing production-like) with fast polling; the Assure client is ours.
  const config = loadConfig({
    PORT: '0',
    POLL_INITIAL_MS: '50',
    POLL_MAX_MS: '200',
    LOG_LEVEL: 'silent',
    DEFAULT_DOCUMENT_COUNTRY: 'NO',
  });
  const assure = createAssureClient({
    apiUrl: emulatorUrl,
    tokenUrl: `${emulatorUrl}${TOKEN_PATH}`,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    tokenAuth: config.signicat.tokenAuth,
    timeoutMs: config.upstreamTimeoutMs,
    fetch: recorder.fetch,
  });

  let proxy: Proxy | undefined;
  const root = new Hono();
  root.get('/healthz', (c) => c.json({ ok: true }));
  // c.env carries the Node socket: the proxy reads the client address from it.
  root.all('/api/*', (c) =>
    proxy ? proxy.app.fetch(c.req.raw, c.env) : c.json({ error: { code: 'starting' } }, 503),
  );
  const listening = await listen(root.fetch);
  const origin = listening.url;
  try {
    proxy = createProxy({
      config: { ...config, allowedOrigins: [origin] },
      assure,
      publicUrl: origin,
      onResult: async (payload) => {
        results.push(payload);
      },
      archive: async (processId, zip) => {
        archived.set(processId, zip.length);
        return `memory:${processId}`;
      },
    });
    const api = (path: string, init: RequestInit = {}) =>
      fetch(`${origin}/api${path}`, {
        ...init,
        headers: { origin, ...(init.headers as Record<string, string>) },
      });
    const flow = { steps, api, origin, emulatorUrl, results, archived, recorder };

    await steps.run('proxy: capture passport (signicatpaper)', () =>
      captureFlow(flow, 'signicatpaper', 'passport'),
    );
    await steps.run('proxy: capture identity card (onfido)', () =>
      captureFlow(flow, 'onfido', 'identityCard'),
    );
    await steps.run('proxy: redirect session', () => redirectFlow(flow));
    await steps.run('proxy: provider-sdk session (onfido)', () => providerSdkFlow(flow));
    await steps.run('proxy: capture cancelled', () => cancelFlow(flow));
  } finally {
    proxy?.close();
    await listening.close();
  }
  return steps;
}

interface Flow {
  steps: Steps;
  api(path: string, init?: RequestInit): Promise<Response>;
  origin: string;
  emulatorUrl: string;
  results: ResultPayload[];
  archived: Map<string, number>;
  recorder: Recorder;
}

async function json<T>(response: Response, expected: number, what: string): Promise<T> {
  const text = await response.text();
  if (response.status !== expected)
    throw new Error(`${what}: expected ${expected}, got ${response.status} ${text.slice(0, 200)}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

function post(body: unknown): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

async function createSession(
  flow: Flow,
  body: Record<string, unknown>,
): Promise<CreateSessionResponse> {
  return json<CreateSessionResponse>(
    await flow.api('/sessions', post({ pageUrl: `${flow.origin}/shop/verify`, ...body })),
    201,
    'POST /api/sessions',
  );
}

async function captureFlow(
  flow: Flow,
  provider: string,
  documentType: 'passport' | 'identityCard',
): Promise<void> {
  const before = flow.results.length;
  const recordedBefore = (await flow.recorder.exchanges()).length;
  const created = await createSession(flow, {
    mode: 'capture',
    provider,
    documentType,
    documentCountry: 'NO',
  });
  let session = created.session;
  let consentSent = false;
  for (const side of created.images.required) {
    const headers: Record<string, string> = { 'content-type': 'image/jpeg' };
    // The element sends the user's consent with the first upload when the session asks for it.
    if (created.consentRequired && !consentSent) headers[CONSENT_HEADER] = 'granted';
    consentSent = true;
    const response = await flow.api(`/sessions/${session}/images/${side}`, {
      method: 'PUT',
      headers,
      body: makeJpeg(1200, 800, 2048),
    });
    if (response.status === 200)
      session = (await json<{ session: string }>(response, 200, `upload ${side}`)).session;
    else await json(response, 204, `upload ${side}`);
  }
  await json(await flow.api(`/sessions/${session}/submit`, { method: 'POST' }), 202, 'submit');
  await finished(flow, session, before);
  checkCreateProcess(provider, (await flow.recorder.exchanges()).slice(recordedBefore));
}

/**
 * What each provider needs at Create process, beyond the schema: Signicat Paper's `documentCountry`;
 * Onfido's `processParameters.location` when images come through Set images (issue 7, rows 3 and 4).
 */
function checkCreateProcess(provider: string, exchanges: RecordedExchange[]): void {
  const created = exchanges.find(
    (e) => e.method === 'POST' && /\/dossiers\/[^/]+\/processes$/.test(new URL(e.url).pathname),
  );
  if (!created) throw new Error('no Create process call was recorded');
  const body = (created.requestBody ?? {}) as {
    documentCountry?: unknown;
    processParameters?: { location?: Record<string, unknown> };
  };
  if (provider === 'signicatpaper' && typeof body.documentCountry !== 'string')
    throw new Error('Create process for signicatpaper without documentCountry');
  if (provider === 'onfido') {
    const location = body.processParameters?.location;
    if (
      !location ||
      (location.ipAddress === undefined && location.countryOfResidence === undefined)
    ) {
      throw new Error('Create process for onfido (Set images) without processParameters.location');
    }
  }
}

async function redirectFlow(flow: Flow): Promise<void> {
  const before = flow.results.length;
  const created = await createSession(flow, {
    mode: 'redirect',
    redirectUrl: `${flow.origin}/shop/return?step=verify`,
  });
  if (!created.captureUrl) throw new Error('redirect session without captureUrl');
  // The user on the hosted capture page (Signicat's, not the API): plain fetch, not recorded.
  const page = await fetch(created.captureUrl);
  const html = await page.text();
  const action =
    /<form[^>]*action="([^"]+)"/i.exec(html)?.[1]?.replace(/&amp;/g, '&') ?? created.captureUrl;
  const button = /<button[^>]*name="([^"]+)"[^>]*value="complete"/i.exec(html)?.[1] ?? 'action';
  const posted = await fetch(new URL(action, created.captureUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `${button}=complete`,
    redirect: 'manual',
  });
  const location = posted.headers.get('location');
  if (posted.status !== 303 || !location)
    throw new Error(`hosted capture page: expected a 303 back, got ${posted.status}`);
  const back = new URL(location);
  await json(
    await flow.api(
      `/sessions/${created.session}/return`,
      post({
        dossierId: back.searchParams.get('dossierId'),
        processId: back.searchParams.get('processId'),
        status: back.searchParams.get('status'),
      }),
    ),
    200,
    'return',
  );
  await finished(flow, created.session, before);
}

async function providerSdkFlow(flow: Flow): Promise<void> {
  const before = flow.results.length;
  const created = await createSession(flow, {
    mode: 'provider-sdk',
    provider: 'onfido',
    documentType: 'passport',
  });
  if (!created.providerToken) throw new Error('provider-sdk session without providerToken');
  // The provider's SDK uploads on its own (the emulator's stand-in): not the proxy's call, not recorded.
  const dataUrl = `data:image/jpeg;base64,${Buffer.from(makeJpeg(1200, 800, 2048)).toString('base64')}`;
  const upload = await fetch(`${flow.emulatorUrl}/provider-sdk/onfido/images`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${created.providerToken}`,
    },
    body: JSON.stringify({ front: dataUrl, selfie: dataUrl }),
  });
  if (!upload.ok) throw new Error(`provider SDK stand-in upload answered ${upload.status}`);
  await json(
    await flow.api(`/sessions/${created.session}/submit`, { method: 'POST' }),
    202,
    'submit',
  );
  await finished(flow, created.session, before);
}

async function cancelFlow(flow: Flow): Promise<void> {
  const created = await createSession(flow, {
    mode: 'capture',
    provider: 'signicatpaper',
    documentType: 'passport',
    documentCountry: 'NO',
  });
  const response = await flow.api(`/sessions/${created.session}/images/front`, {
    method: 'PUT',
    headers: {
      'content-type': 'image/jpeg',
      ...(created.consentRequired && { [CONSENT_HEADER]: 'granted' }),
    },
    body: makeJpeg(1200, 800, 2048),
  });
  const session =
    response.status === 200
      ? (await json<{ session: string }>(response, 200, 'upload front')).session
      : created.session;
  if (response.status !== 200) await json(response, 204, 'upload front');
  const canceled = await json<SessionStatusResponse>(
    await flow.api(`/sessions/${session}/cancel`, { method: 'POST' }),
    200,
    'cancel',
  );
  if (canceled.status !== 'canceled') throw new Error(`cancel answered status ${canceled.status}`);
  // Cancel fails the process at Signicat and deletes the dossier: wait for both to be recorded.
  const failed = await waitFor(
    'Fail process',
    async () =>
      (await flow.recorder.exchanges()).find(
        (e) => e.method === 'POST' && /\/processes\/[^/]+\/fail$/.test(new URL(e.url).pathname),
      ),
    FLOW_TIMEOUT_MS,
  );
  const dossierId = /\/dossiers\/([^/]+)\//.exec(new URL(failed.url).pathname)![1]!;
  await waitFor(
    `Delete dossier ${dossierId}`,
    async () =>
      (await flow.recorder.exchanges()).some(
        (e) => e.method === 'DELETE' && e.url.endsWith(`/dossiers/${dossierId}`),
      ) || undefined,
    FLOW_TIMEOUT_MS,
  );
}

/**
 * Waits for the final status, the delivered result (the `before`-th one) and the dossier's deletion,
 * which is where every flow ends. An accepted result must also have been archived with a non-empty zip.
 */
async function finished(flow: Flow, session: string, before: number): Promise<void> {
  await waitFor(
    'a final status',
    async () =>
      (
        await json<SessionStatusResponse>(
          await flow.api(`/sessions/${session}`),
          200,
          'GET session',
        )
      ).final || undefined,
    FLOW_TIMEOUT_MS,
  );
  const result = await waitFor(
    'the delivered result',
    async () => flow.results[before],
    FLOW_TIMEOUT_MS,
  );
  await waitFor(
    `Delete dossier ${result.dossierId}`,
    async () =>
      (await flow.recorder.exchanges()).some(
        (e) => e.method === 'DELETE' && e.url.endsWith(`/dossiers/${result.dossierId}`),
      ) || undefined,
    FLOW_TIMEOUT_MS,
  );
  if (result.status === 'accepted' && !(flow.archived.get(result.processId)! > 0)) {
    throw new Error('an accepted result was delivered without a non-empty zip archived');
  }
}
