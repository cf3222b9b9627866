/**
 * Closed-loop load at several concurrencies: verifications per second, end-to-end p50/p99, failures,
 * server CPU per verification and peak resident memory, the proxy against the same flow sent to the
 * emulator directly. Every (run, concurrency) block gets fresh processes, so one block's memory is not
 * the next one's floor; within a block project and baseline alternate which goes first.
 */
import { dataUrl, directToken, jpeg } from '../lib/client.ts';
import { closedLoop, directVerification, projectVerification, type Outcome } from '../lib/flows.ts';
import { sleep, startEmulatorProcess, startProxyProcess, type Proc } from '../lib/processes.ts';
import { percentile } from '../lib/stats.ts';

export interface SideResult {
  perSecond: number;
  p50: number;
  p99: number;
  completed: number;
  failed: number;
  failures: Record<string, number>;
  retries: number;
  /** Requests without any answer (connect timeout, reset) that were sent again. */
  networkRetries: number;
  /** Server-side CPU per verification, ms (project: proxy + emulator; direct: emulator). */
  cpuMs: number;
  /** The part of cpuMs spent by the server under test alone (project: the proxy), ms. */
  ownCpuMs: number;
  /** Peak RSS of the server under test (project: the proxy; direct: the emulator), MiB. */
  peakMiB: number;
  /** Its RSS just before the load, MiB. */
  idleMiB: number;
  /** Project only: the emulator's peak meanwhile. */
  emulatorPeakMiB?: number;
}

export interface Block {
  concurrency: number;
  total: number;
  maxMs: number;
  project: SideResult;
  direct: SideResult;
  /** The proxy with MAX_UPSTREAM_CONCURRENCY=0 (admission control off), when measured. */
  uncapped?: SideResult;
}

export interface ThroughputOptions {
  runs: number;
  /** `total` verifications per side, or fewer when `maxMs` is up (those in flight still finish). */
  levels: Array<{ concurrency: number; total: number; maxMs: number }>;
  /** Also run the proxy without admission control at these concurrencies (first run only). */
  uncappedAt: number[];
  webhookUrl: string;
  deliveries: () => number;
  imageBytes: number;
  log: (line: string) => void;
}

function summarise(
  outcomes: Outcome[],
  wallMs: number,
): Pick<
  SideResult,
  'perSecond' | 'p50' | 'p99' | 'completed' | 'failed' | 'failures' | 'retries' | 'networkRetries'
> {
  const ok = outcomes.filter((o) => o.ok);
  const failures: Record<string, number> = {};
  for (const o of outcomes)
    if (!o.ok) failures[o.error ?? 'unknown'] = (failures[o.error ?? 'unknown'] ?? 0) + 1;
  return {
    perSecond: (ok.length / wallMs) * 1000,
    p50: percentile(
      ok.map((o) => o.ms),
      50,
    ),
    p99: percentile(
      ok.map((o) => o.ms),
      99,
    ),
    completed: ok.length,
    failed: outcomes.length - ok.length,
    failures,
    retries: outcomes.reduce((sum, o) => sum + o.retries, 0),
    networkRetries: outcomes.reduce((sum, o) => sum + o.networkRetries, 0),
  };
}

async function measure(
  server: Proc,
  others: Proc[],
  run: () => Promise<{ outcomes: Outcome[]; wallMs: number }>,
  drain?: (n: number) => Promise<void>,
) {
  await sleep(200); // let start-up and warm-up garbage settle
  const idleMiB = server.rssMiB();
  for (const p of [server, ...others]) p.resetPeak();
  const cpu0 = [server, ...others].map((p) => p.cpuMs());
  const { outcomes, wallMs } = await run();
  const summary = summarise(outcomes, wallMs);
  // The proxy's clean-up after the user saw the result (webhook, delete) is part of its cost.
  if (drain) await drain(summary.completed);
  const cpu = [server, ...others].reduce((sum, p, i) => sum + (p.cpuMs() - cpu0[i]!), 0);
  const own = server.cpuMs() - cpu0[0]!;
  return {
    ...summary,
    cpuMs: cpu / Math.max(1, summary.completed),
    ownCpuMs: own / Math.max(1, summary.completed),
    peakMiB: server.peakMiB(),
    idleMiB,
    emulatorPeakMiB: others[0]?.peakMiB(),
  };
}

/** Waits (at most 15 s) until the proxy delivered `n` more results than when it was made. */
function drainer(deliveries: () => number) {
  const before = deliveries();
  return async (n: number) => {
    const until = Date.now() + 15_000;
    while (deliveries() - before < n && Date.now() < until) await sleep(50);
  };
}

export async function throughput(options: ThroughputOptions): Promise<Block[][]> {
  const image = jpeg(1600, 1200, options.imageBytes);
  const url = dataUrl(image);
  const imageJson = (side: string) => `{"${side}":"${url}"}`;
  const all: Block[][] = [];
  for (let run = 0; run < options.runs; run++) {
    const blocks: Block[] = [];
    for (const { concurrency, total, maxMs } of options.levels) {
      const emulator = await startEmulatorProcess();
      const proxy = await startProxyProcess({
        emulatorUrl: emulator.url,
        webhookUrl: options.webhookUrl,
      });
      try {
        const bearer = directToken(emulator.url);
        const api = `${proxy.url}/api`;
        // Warm-up of both paths (JIT, pools, the proxy's Assure token).
        await closedLoop(5, 10, () => projectVerification(() => api, image));
        await closedLoop(5, 10, () => directVerification(emulator.url, bearer, imageJson));
        const doProject = () => {
          const drain = drainer(options.deliveries);
          return measure(
            proxy,
            [emulator],
            () =>
              closedLoop(concurrency, total, () => projectVerification(() => api, image), maxMs),
            drain,
          );
        };
        const doDirect = () =>
          measure(emulator, [], () =>
            closedLoop(
              concurrency,
              total,
              () => directVerification(emulator.url, bearer, imageJson),
              maxMs,
            ),
          );
        let project: SideResult;
        let direct: SideResult;
        if (run % 2 === 0) {
          project = await doProject();
          direct = await doDirect();
        } else {
          direct = await doDirect();
          project = await doProject();
        }
        blocks.push({ concurrency, total, maxMs, project, direct });
        options.log(
          `  run ${run + 1} c=${concurrency}: project ${project.perSecond.toFixed(1)}/s p99 ${Math.round(project.p99)} ms, ${project.failed} failed, ${project.retries} refusals and ${project.networkRetries} network errors retried, peak ${Math.round(project.peakMiB)} MiB; ` +
            `direct ${direct.perSecond.toFixed(1)}/s p99 ${Math.round(direct.p99)} ms, ${direct.failed} failed, ${direct.networkRetries} network errors retried, peak ${Math.round(direct.peakMiB)} MiB`,
        );
        for (const [side, result] of [
          ['project', project],
          ['direct', direct],
        ] as const) {
          if (result.failed)
            options.log(`    ${side} failures: ${JSON.stringify(result.failures)}`);
        }
      } finally {
        await proxy.stop();
        await emulator.stop();
      }
      if (run === 0 && options.uncappedAt.includes(concurrency)) {
        const emulator2 = await startEmulatorProcess();
        const proxy2 = await startProxyProcess({
          emulatorUrl: emulator2.url,
          webhookUrl: options.webhookUrl,
          env: { MAX_UPSTREAM_CONCURRENCY: '0' },
        });
        try {
          const api = `${proxy2.url}/api`;
          await closedLoop(5, 10, () => projectVerification(() => api, image));
          const drain = drainer(options.deliveries);
          const uncapped = await measure(
            proxy2,
            [emulator2],
            () =>
              closedLoop(concurrency, total, () => projectVerification(() => api, image), maxMs),
            drain,
          );
          blocks.at(-1)!.uncapped = uncapped;
          options.log(
            `  run ${run + 1} c=${concurrency} without admission control: ${uncapped.perSecond.toFixed(1)}/s p99 ${Math.round(uncapped.p99)} ms, ${uncapped.failed} failed, peak ${Math.round(uncapped.peakMiB)} MiB`,
          );
        } finally {
          await proxy2.stop();
          await emulator2.stop();
        }
      }
    }
    all.push(blocks);
  }
  return all;
}
