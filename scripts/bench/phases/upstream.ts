/**
 * What the proxy asks of Signicat, counted with a recording `fetch` (in-process: the proxy's Assure
 * client is built here, against an in-process emulator):
 * - calls per verification, by operation: passport, identity card (two-sided), passport with the zip
 *   archived; the design's minimum is one Set images per side, one Get process (after the callback),
 *   one delete: 7, 8, and 8 with Download;
 * - token requests: 50 verifications at once on a cold proxy, and per token lifetime under steady use
 *   with 2-second tokens.
 */
import { createAssureClient } from '../../../server/assure/client.ts';
import { createProxy, type Proxy } from '../../../server/app.ts';
import { loadConfig } from '../../../server/config.ts';
import {
  SANDBOX_CLIENT_ID,
  SANDBOX_CLIENT_SECRET,
  startEmulator,
  type RunningEmulator,
} from '../../../server/emulator/index.ts';
import { listen, type Listening } from '../../../server/http/listen.ts';
import { jpeg } from '../lib/client.ts';
import { closedLoop, projectVerification, type Kind } from '../lib/flows.ts';
import { sleep } from '../lib/processes.ts';

interface Call {
  method: string;
  path: string;
}

export const OPERATIONS = [
  'createDossier',
  'createProcess',
  'setImages',
  'startVerification',
  'getProcess',
  'getDossier',
  'download',
  'deleteDossier',
  'other',
] as const;
export type Operation = (typeof OPERATIONS)[number];

function operationOf({ method, path }: Call): Operation {
  if (method === 'POST' && /\/assure\/dossiers$/.test(path)) return 'createDossier';
  if (method === 'POST' && /\/processes$/.test(path)) return 'createProcess';
  if (method === 'POST' && /\/images$/.test(path)) return 'setImages';
  if (method === 'POST' && /\/processes\/[^/]+$/.test(path)) return 'startVerification';
  if (method === 'GET' && /\/processes\/[^/]+$/.test(path)) return 'getProcess';
  if (method === 'GET' && /\/dossiers\/[^/]+$/.test(path)) return 'getDossier';
  if (method === 'GET' && /\/download$/.test(path)) return 'download';
  if (method === 'DELETE' && /\/dossiers\/[^/]+$/.test(path)) return 'deleteDossier';
  return 'other';
}

interface Rig {
  api: string;
  calls: Call[];
  tokenRequests(): number;
  close(): Promise<void>;
}

async function rig(options: { archive?: boolean; tokenLifetimeSeconds?: number }): Promise<Rig> {
  const emulator: RunningEmulator = await startEmulator({
    processingDelayMs: 0,
    ...(options.tokenLifetimeSeconds && { tokenLifetimeSeconds: options.tokenLifetimeSeconds }),
  });
  const calls: Call[] = [];
  let tokens = 0;
  const recording: typeof fetch = async (input, init) => {
    const url = new URL(
      typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
    );
    if (url.pathname.endsWith('/auth/open/connect/token')) tokens++;
    else calls.push({ method: init?.method ?? 'GET', path: url.pathname });
    return fetch(input, init);
  };
  const config = loadConfig({
    SANDBOX: '1',
    LOG_LEVEL: 'silent',
    RATE_LIMIT_SESSIONS_PER_MINUTE: '1000000',
    RATE_LIMIT_SESSIONS_GLOBAL_PER_MINUTE: '10000000',
    RATE_LIMIT_UPLOADS_PER_MINUTE: '1000000',
    RATE_LIMIT_SUBMITS_PER_MINUTE: '1000000',
    MAX_CONCURRENT_UPLOADS_PER_CLIENT: '1000',
  });
  const assure = createAssureClient({
    apiUrl: emulator.url,
    tokenUrl: `${emulator.url}/auth/open/connect/token`,
    clientId: SANDBOX_CLIENT_ID,
    clientSecret: SANDBOX_CLIENT_SECRET,
    fetch: recording,
  });
  let proxy!: Proxy;
  const listening: Listening = await listen((request, env) => proxy.app.fetch(request, env), {
    port: 0,
    hostname: '127.0.0.1',
  });
  proxy = createProxy({
    config: { ...config, allowedOrigins: [listening.url] },
    assure,
    publicUrl: listening.url,
    onResult: async () => {},
    ...(options.archive && { archive: async (processId: string) => `/dev/null/${processId}.zip` }),
    reconcileEveryMs: 0,
  });
  return {
    api: `${listening.url}/api`,
    calls,
    tokenRequests: () => tokens,
    async close() {
      proxy.close();
      await listening.close();
      await emulator.close();
    },
  };
}

export interface CallCount {
  kind: Kind;
  archived: boolean;
  /** Calls per verification, token requests excluded, for each repetition. */
  totals: number[];
  /** By operation, of the last repetition. */
  byOperation: Partial<Record<Operation, number>>;
  minimum: number;
}

export interface TokenCount {
  coldConcurrent: number;
  coldRequests: number;
  lifetimeSeconds: number;
  steadySeconds: number;
  steadyRequests: number;
  /** One request per lifetime covered. */
  lifetimes: number;
  verifications: number;
}

export async function upstream(options: {
  repeats: number;
  log: (line: string) => void;
}): Promise<{ calls: CallCount[]; tokens: TokenCount }> {
  const image = jpeg(800, 600, 20_000);
  const cases: Array<{ kind: Kind; archived: boolean; minimum: number }> = [
    { kind: 'passport', archived: false, minimum: 7 },
    { kind: 'identityCard', archived: false, minimum: 8 },
    { kind: 'passport', archived: true, minimum: 8 },
  ];
  const calls: CallCount[] = [];
  for (const c of cases) {
    const r = await rig({ archive: c.archived });
    try {
      await projectVerification(() => r.api, image, c.kind); // warm-up: the token, pools
      await waitForDelete(r.calls);
      const totals: number[] = [];
      let byOperation: Partial<Record<Operation, number>> = {};
      for (let i = 0; i < options.repeats; i++) {
        const from = r.calls.length;
        const outcome = await projectVerification(() => r.api, image, c.kind);
        if (!outcome.ok) throw new Error(`upstream: verification failed: ${outcome.error}`);
        await waitForDelete(r.calls, from);
        await sleep(100); // nothing else should follow; give a stray call the chance to show
        const mine = r.calls.slice(from);
        totals.push(mine.length);
        byOperation = {};
        for (const call of mine)
          byOperation[operationOf(call)] = (byOperation[operationOf(call)] ?? 0) + 1;
      }
      calls.push({ ...c, totals, byOperation });
      options.log(
        `  calls ${c.kind}${c.archived ? ' archived' : ''}: ${totals.join(', ')} (minimum ${c.minimum})`,
      );
    } finally {
      await r.close();
    }
  }

  // Cold start with the emulator's usual 600-s tokens: a renewal cannot hide among the requests.
  const coldConcurrent = 50;
  const coldRig = await rig({});
  let coldRequests: number;
  try {
    const cold = await closedLoop(coldConcurrent, coldConcurrent, () =>
      projectVerification(() => coldRig.api, image),
    );
    if (cold.outcomes.some((o) => !o.ok)) throw new Error('upstream: a cold verification failed');
    coldRequests = coldRig.tokenRequests();
  } finally {
    await coldRig.close();
  }

  const lifetimeSeconds = 2;
  const r = await rig({ tokenLifetimeSeconds: lifetimeSeconds });
  try {
    await projectVerification(() => r.api, image);
    // Steady use: start when a token was just fetched, so the window covers whole lifetimes.
    await sleep(lifetimeSeconds * 1000 + 50);
    const before = r.tokenRequests();
    const t0 = performance.now();
    const steady = await closedLoop(
      4,
      100_000,
      () => projectVerification(() => r.api, image),
      10_000,
    );
    const steadySeconds = (performance.now() - t0) / 1000;
    const tokens: TokenCount = {
      coldConcurrent,
      coldRequests,
      lifetimeSeconds,
      steadySeconds,
      steadyRequests: r.tokenRequests() - before,
      lifetimes: steadySeconds / lifetimeSeconds,
      verifications: steady.outcomes.filter((o) => o.ok).length,
    };
    options.log(
      `  tokens: cold ${coldRequests} for ${coldConcurrent}; steady ${tokens.steadyRequests} in ${steadySeconds.toFixed(1)} s with ${lifetimeSeconds}-s tokens`,
    );
    return { calls, tokens };
  } finally {
    await r.close();
  }
}

/** Waits (bounded) until a dossier delete was recorded after index `from`. */
async function waitForDelete(calls: Call[], from = 0): Promise<void> {
  const until = Date.now() + 10_000;
  while (!calls.slice(from).some((c) => operationOf(c) === 'deleteDossier')) {
    if (Date.now() > until) throw new Error('upstream: the dossier was never deleted');
    await sleep(20);
  }
}
