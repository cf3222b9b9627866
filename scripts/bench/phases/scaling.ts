/**
 * Scale-out: two proxy instances sharing one Redis (REDIS_URL), the load spread over both request by
 * request (round robin, so callbacks, status reads and uploads of one verification land on different
 * instances), against one instance on the same Redis. Same emulator, same closed-loop flow; the two
 * alternate which goes first. Runs only when `redis-server` is installed (nothing is installed here).
 */
import { spawnSync } from 'node:child_process';
import { startRedis } from '../../../test/helpers/redis.ts';
import { jpeg } from '../lib/client.ts';
import { closedLoop, projectVerification } from '../lib/flows.ts';
import { sleep, startEmulatorProcess, startProxyProcess, type Proc } from '../lib/processes.ts';
import { percentile } from '../lib/stats.ts';

export interface ScalingSide {
  perSecond: number;
  p99: number;
  failed: number;
  failures: Record<string, number>;
  cpuMs: number;
}

export interface ScalingRun {
  one: ScalingSide;
  two: ScalingSide;
}

export function redisServer(): string | undefined {
  return (
    spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' }).stdout.trim() ||
    undefined
  );
}

export async function scaling(options: {
  runs: number;
  concurrency: number;
  total: number;
  maxMs: number;
  imageBytes: number;
  webhookUrl: string;
  log: (line: string) => void;
}): Promise<ScalingRun[] | string> {
  const binary = redisServer();
  if (!binary) return 'redis-server is not installed';
  // The tests' throwaway server: a free loopback port, nothing persisted, removed after.
  const redis = await startRedis();
  const emulator = await startEmulatorProcess();
  const proxies: Proc[] = [];
  try {
    for (let i = 0; i < 2; i++)
      proxies.push(
        await startProxyProcess({
          emulatorUrl: emulator.url,
          webhookUrl: options.webhookUrl,
          env: { REDIS_URL: redis.url },
        }),
      );
    const image = jpeg(1600, 1200, options.imageBytes);
    const apis = proxies.map((p) => `${p.url}/api`);
    let turn = 0;
    const roundRobin = () => apis[turn++ % apis.length]!;
    const single = () => apis[0]!;
    await closedLoop(5, 10, () => projectVerification(roundRobin, image));
    const measure = async (api: () => string, servers: Proc[]): Promise<ScalingSide> => {
      await sleep(200);
      const cpu0 = [emulator, ...servers].map((p) => p.cpuMs());
      const { outcomes, wallMs } = await closedLoop(
        options.concurrency,
        options.total,
        () => projectVerification(api, image),
        options.maxMs,
      );
      const ok = outcomes.filter((o) => o.ok);
      const cpu = [emulator, ...servers].reduce((sum, p, i) => sum + p.cpuMs() - cpu0[i]!, 0);
      const failures: Record<string, number> = {};
      for (const o of outcomes)
        if (!o.ok) failures[o.error ?? 'unknown'] = (failures[o.error ?? 'unknown'] ?? 0) + 1;
      return {
        perSecond: (ok.length / wallMs) * 1000,
        p99: percentile(
          ok.map((o) => o.ms),
          99,
        ),
        failed: outcomes.length - ok.length,
        failures,
        cpuMs: cpu / Math.max(1, ok.length),
      };
    };
    const runs: ScalingRun[] = [];
    for (let run = 0; run < options.runs; run++) {
      let one;
      let two;
      if (run % 2 === 0) {
        one = await measure(single, [proxies[0]!]);
        two = await measure(roundRobin, proxies);
      } else {
        two = await measure(roundRobin, proxies);
        one = await measure(single, [proxies[0]!]);
      }
      runs.push({ one, two });
      options.log(
        `  scaling run ${run + 1}: one instance ${one.perSecond.toFixed(1)}/s, two ${two.perSecond.toFixed(1)}/s (${one.failed}/${two.failed} failed${one.failed + two.failed ? `: ${JSON.stringify({ ...one.failures, ...two.failures })}` : ''})`,
      );
    }
    return runs;
  } finally {
    await Promise.all(proxies.map((p) => p.stop()));
    await emulator.stop();
    await redis.stop();
  }
}
