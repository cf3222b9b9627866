/**
 * Callback → browser: from the moment Assure's callback is sent to the proxy until the final status
 * event arrives on the browser's SSE stream. The emulator's own callbacks are switched off so the bench
 * sends each callback itself (with the per-dossier secret the proxy derives from SESSION_SECRET) and
 * knows when it left. Baseline: a minimal relay (scripts/bench/relay.ts) that pushes the callback body
 * to its SSE client. One sample at a time, project and baseline alternating.
 */
import { createSessionTokens } from '../../../server/session/token.ts';
import {
  createPassportSession,
  directToken,
  jpeg,
  jsonOf,
  openSse,
  send,
  type Tally,
} from '../lib/client.ts';
import {
  SESSION_SECRET,
  sleep,
  startEmulatorProcess,
  startProxyProcess,
  startRelayProcess,
} from '../lib/processes.ts';
import { percentile } from '../lib/stats.ts';

export interface LatencyRun {
  project: { p50: number; p99: number };
  relay: { p50: number; p99: number };
  n: number;
}

export async function latency(options: {
  runs: number;
  n: number;
  webhookUrl: string;
  log: (line: string) => void;
}): Promise<LatencyRun[]> {
  const emulator = await startEmulatorProcess();
  const proxy = await startProxyProcess({
    emulatorUrl: emulator.url,
    webhookUrl: options.webhookUrl,
  });
  const relay = await startRelayProcess();
  const tokens = createSessionTokens({ secret: SESSION_SECRET, ttlSeconds: 1800 });
  const bearer = directToken(emulator.url);
  const image = jpeg(800, 600, 20_000);
  const tally: Tally = { retries: 0, networkRetries: 0 };
  const api = `${proxy.url}/api`;
  try {
    const switched = await fetch(`${emulator.url}/control/callbacks`, {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: '{"drop":true}',
    });
    if (switched.status !== 200)
      throw new Error(
        `latency: could not switch the emulator's callbacks off (${switched.status})`,
      );

    /** A submitted passport verification whose process is final at "Signicat", nobody told yet. */
    const ready = async () => {
      let token = await createPassportSession(api, tally);
      for (const side of ['front', 'selfie']) {
        const answer = await send(
          'upload',
          `${api}/sessions/${token}/images/${side}`,
          { method: 'PUT', headers: { 'Content-Type': 'image/jpeg' }, body: image },
          [200],
          tally,
        );
        token = (await jsonOf<{ session: string }>(answer)).session;
      }
      await (
        await send('submit', `${api}/sessions/${token}/submit`, { method: 'POST' }, [202], tally)
      ).body?.cancel();
      const claims = await tokens.verify(token);
      if (typeof claims !== 'object' || !claims.dossierId || !claims.processId)
        throw new Error('latency: no process in the token');
      const processUrl = `${emulator.url}/assure/dossiers/${claims.dossierId}/processes/${claims.processId}`;
      for (let i = 0; ; i++) {
        const process = await jsonOf<{ status: string }>(
          await fetch(processUrl, { headers: { Authorization: `Bearer ${await bearer()}` } }),
        );
        if (process.status !== 'processing' && process.status !== 'pending') break;
        if (i > 200) throw new Error('latency: the emulator did not finish the process');
        await sleep(10);
      }
      return { token, dossierId: claims.dossierId, processId: claims.processId };
    };

    const project = async (): Promise<number> => {
      const { token, dossierId, processId } = await ready();
      const stream = await openSse(`${api}/sessions/${token}/events`);
      try {
        await stream.next((e) => e.event === 'status'); // the current status: subscribed
        const body = JSON.stringify({ dossierId, processId, status: 'accepted' });
        const t0 = performance.now();
        const posted = fetch(`${proxy.url}/api/callbacks/assure`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Bearer ${tokens.callbackSecret(dossierId)}`,
          },
          body,
        });
        const final = await stream.next(
          (e) => e.event === 'status' && (JSON.parse(e.data) as { final: boolean }).final,
        );
        const answer = await posted;
        await answer.body?.cancel();
        if (answer.status !== 200) throw new Error(`latency: callback answered ${answer.status}`);
        return final.at - t0;
      } finally {
        stream.close();
      }
    };

    let next = 0;
    const baseline = async (): Promise<number> => {
      const id = `s${next++}`;
      const stream = await openSse(`${relay.url}/events/${id}`);
      try {
        await stream.opened;
        const body = JSON.stringify({
          dossierId: '00000000-0000-4000-8000-000000000000',
          processId: '00000000-0000-4000-8000-000000000001',
          status: 'accepted',
        });
        const t0 = performance.now();
        const posted = fetch(`${relay.url}/callback/${id}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body,
        });
        const event = await stream.next((e) => e.event === 'status');
        await (await posted).body?.cancel();
        return event.at - t0;
      } finally {
        stream.close();
      }
    };

    for (let i = 0; i < 5; i++) {
      await project();
      await baseline();
    }
    const runs: LatencyRun[] = [];
    for (let run = 0; run < options.runs; run++) {
      const p: number[] = [];
      const r: number[] = [];
      for (let i = 0; i < options.n; i++) {
        if (i % 2 === 0) {
          p.push(await project());
          r.push(await baseline());
        } else {
          r.push(await baseline());
          p.push(await project());
        }
      }
      runs.push({
        project: { p50: percentile(p, 50), p99: percentile(p, 99) },
        relay: { p50: percentile(r, 50), p99: percentile(r, 99) },
        n: options.n,
      });
      options.log(
        `  latency run ${run + 1}: p50 relay ${percentile(r, 50).toFixed(2)} / proxy ${percentile(p, 50).toFixed(2)} ms`,
      );
    }
    return runs;
  } finally {
    await Promise.all([proxy.stop(), relay.stop()]);
    await emulator.stop();
  }
}
