/**
 * Proxy overhead on single requests, interleaved request by request with the baseline:
 * - session status GET against the emulator's Get process called directly with a bearer token, with
 *   the verified-token cache on (the default) and off (SESSION_TOKEN_CACHE_ENTRIES=0: before/after);
 * - a 1 MB JPEG upload (raw PUT) against a direct Set images with the same image as dataURL JSON.
 */
import { createSessionTokens } from '../../../server/session/token.ts';
import {
  createPassportSession,
  dataUrl,
  directToken,
  jpeg,
  jsonOf,
  send,
  type Tally,
} from '../lib/client.ts';
import { SESSION_SECRET, startEmulatorProcess, startProxyProcess } from '../lib/processes.ts';
import { percentile } from '../lib/stats.ts';

export interface Latencies {
  p50: number;
  p99: number;
}

export interface OverheadRun {
  status: { direct: Latencies; cached: Latencies; uncached: Latencies; n: number };
  upload: { direct: Latencies; proxy: Latencies; n: number; bytes: number; dataUrlBytes: number };
}

const lat = (values: number[]): Latencies => ({
  p50: percentile(values, 50),
  p99: percentile(values, 99),
});

async function timeOne(request: () => Promise<Response>, ok: number): Promise<number> {
  const t0 = performance.now();
  const response = await request();
  await response.arrayBuffer();
  const ms = performance.now() - t0;
  if (response.status !== ok) throw new Error(`overhead: expected ${ok}, got ${response.status}`);
  return ms;
}

export async function overhead(options: {
  runs: number;
  statusN: number;
  uploadN: number;
  webhookUrl: string;
  log: (line: string) => void;
}): Promise<OverheadRun[]> {
  const emulator = await startEmulatorProcess();
  const cached = await startProxyProcess({
    emulatorUrl: emulator.url,
    webhookUrl: options.webhookUrl,
  });
  const uncached = await startProxyProcess({
    emulatorUrl: emulator.url,
    webhookUrl: options.webhookUrl,
    env: { SESSION_TOKEN_CACHE_ENTRIES: '0' },
  });
  try {
    const tally: Tally = { retries: 0, networkRetries: 0 };
    const small = jpeg(800, 600, 20_000);
    const big = jpeg(4000, 3000, 1_000_000);
    const bigJson = `{"selfie":"${dataUrl(big)}"}`;
    const tokens = createSessionTokens({ secret: SESSION_SECRET, ttlSeconds: 1800 });
    /** A passport session with its front uploaded (so dossier and process exist); answers its token and ids. */
    const started = async (api: string) => {
      const first = await createPassportSession(api, tally);
      const uploaded = await send(
        'upload',
        `${api}/sessions/${first}/images/front`,
        { method: 'PUT', headers: { 'Content-Type': 'image/jpeg' }, body: small },
        [200],
        tally,
      );
      const token = (await jsonOf<{ session: string }>(uploaded)).session;
      const claims = await tokens.verify(token);
      if (typeof claims !== 'object' || !claims.dossierId || !claims.processId)
        throw new Error('overhead: no process in the session token');
      return {
        token,
        process: `${emulator.url}/assure/dossiers/${claims.dossierId}/processes/${claims.processId}`,
      };
    };
    const a = await started(`${cached.url}/api`);
    const b = await started(`${uncached.url}/api`);
    const bearer = directToken(emulator.url);
    const auth = { Authorization: `Bearer ${await bearer()}` };

    const statusCached = () => fetch(`${cached.url}/api/sessions/${a.token}`);
    const statusUncached = () => fetch(`${uncached.url}/api/sessions/${b.token}`);
    const statusDirect = () => fetch(a.process, { headers: auth });
    const uploadProxy = () =>
      fetch(`${cached.url}/api/sessions/${a.token}/images/selfie`, {
        method: 'PUT',
        headers: { 'Content-Type': 'image/jpeg' },
        body: big,
      });
    const uploadDirect = () =>
      fetch(`${a.process}/images`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: bigJson,
      });

    // Warm-up: JIT, connection pools, caches.
    for (let i = 0; i < 100; i++) {
      await timeOne(statusCached, 200);
      await timeOne(statusUncached, 200);
      await timeOne(statusDirect, 200);
    }
    for (let i = 0; i < 10; i++) {
      await timeOne(uploadProxy, 200);
      await timeOne(uploadDirect, 201);
    }

    const runs: OverheadRun[] = [];
    for (let run = 0; run < options.runs; run++) {
      const s = { cached: [] as number[], uncached: [] as number[], direct: [] as number[] };
      const order = [
        ['cached', statusCached],
        ['uncached', statusUncached],
        ['direct', statusDirect],
      ] as const;
      for (let i = 0; i < options.statusN; i++) {
        // Rotate who goes first, so no side always meets a warmer or colder moment.
        for (let k = 0; k < 3; k++) {
          const [name, request] = order[(i + k) % 3]!;
          s[name].push(await timeOne(request, 200));
        }
      }
      const u = { proxy: [] as number[], direct: [] as number[] };
      for (let i = 0; i < options.uploadN; i++) {
        if (i % 2 === 0) {
          u.proxy.push(await timeOne(uploadProxy, 200));
          u.direct.push(await timeOne(uploadDirect, 201));
        } else {
          u.direct.push(await timeOne(uploadDirect, 201));
          u.proxy.push(await timeOne(uploadProxy, 200));
        }
      }
      runs.push({
        status: {
          direct: lat(s.direct),
          cached: lat(s.cached),
          uncached: lat(s.uncached),
          n: options.statusN,
        },
        upload: {
          direct: lat(u.direct),
          proxy: lat(u.proxy),
          n: options.uploadN,
          bytes: big.byteLength,
          dataUrlBytes: bigJson.length,
        },
      });
      const last = runs.at(-1)!;
      options.log(
        `  overhead run ${run + 1}: status p50 direct ${last.status.direct.p50.toFixed(2)} / cached ${last.status.cached.p50.toFixed(2)} / uncached ${last.status.uncached.p50.toFixed(2)} ms; ` +
          `upload p50 direct ${last.upload.direct.p50.toFixed(1)} / proxy ${last.upload.proxy.p50.toFixed(1)} ms`,
      );
    }
    return runs;
  } finally {
    await Promise.all([cached.stop(), uncached.stop()]);
    await emulator.stop();
  }
}
