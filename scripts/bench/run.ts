/**
 * `npm run bench`: measures the proxy against baselines measured in the same interleaved run (three
 * runs each) and writes docs/benchmarks.md. Nothing is built; the server under test runs as its own
 * process (real mode against the standalone emulator), loopback only, every loop bounded in count and
 * time. `--quick` runs a smaller version (for checking the script, not for figures). The raw results
 * are kept next to the system's temporary files; `--render <file>` writes the document from such a
 * file again without measuring (after a change to the report's wording).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import os from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT } from './lib/processes.ts';
import { bodyLimitDetour } from './phases/body-limit.ts';
import { emulatorParse } from './phases/emulator-parse.ts';
import { imagePipeline } from './phases/image-pipeline.ts';
import { latency } from './phases/latency.ts';
import { overhead } from './phases/overhead.ts';
import { scaling } from './phases/scaling.ts';
import { throughput } from './phases/throughput.ts';
import { upstream } from './phases/upstream.ts';
import { renderReport, type BenchResults, type Machine } from './report.ts';

const quick = process.argv.includes('--quick');
const renderFrom = process.argv.includes('--render')
  ? process.argv[process.argv.indexOf('--render') + 1]
  : undefined;
const target = join(ROOT, 'docs', 'benchmarks.md');
if (renderFrom) {
  writeFileSync(target, renderReport(JSON.parse(readFileSync(renderFrom, 'utf8')) as BenchResults));
  process.stdout.write(`wrote ${target} from ${renderFrom}\n`);
  process.exit(0);
}
const RUNS = 3;
const started = Date.now();
const log = (line: string) => process.stdout.write(`${line}\n`);
const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;

function machine(): Machine {
  const cpus = os.cpus();
  let commit = 'unknown';
  let dirty = false;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    dirty =
      execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], {
        cwd: ROOT,
        encoding: 'utf8',
      }).trim() !== '';
  } catch {
    // Not a git checkout: the commit stays unknown.
  }
  return {
    cpuModel: cpus[0]?.model.trim() || 'unknown',
    cores: os.availableParallelism?.() ?? cpus.length,
    memoryGiB: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: `${os.type()} ${os.release()} (${os.arch()})`,
    loadBefore: os.loadavg(),
    loadAfter: [],
    commit,
    dirty,
    date: new Date().toISOString(),
    quick,
    durationS: 0,
  };
}

/** Runs a phase; a failure is reported in the document instead of ending the bench. */
async function phase<T>(name: string, run: () => Promise<T> | T): Promise<T | { error: string }> {
  log(`${name} (${elapsed()})`);
  (info.phaseLoad ??= {})[name] = os.loadavg()[0] ?? 0;
  try {
    return await run();
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    log(`  ${name} failed: ${message}`);
    return { error: message };
  }
}

const info = machine();
// The proxy delivers every result here, as to an integrator's backend; counted to know when it is done.
let deliveries = 0;
const hookPort = await freePort();
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    deliveries++;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"ok":true}');
  });
});
await new Promise<void>((resolve) => receiver.listen(hookPort, '127.0.0.1', resolve));
const webhookUrl = `http://127.0.0.1:${hookPort}/result`;

const results: BenchResults = {
  machine: info,
  overhead: await phase('proxy overhead', () =>
    overhead({ runs: RUNS, statusN: quick ? 100 : 400, uploadN: quick ? 10 : 40, webhookUrl, log }),
  ),
  latency: await phase('callback → SSE latency', () =>
    latency({ runs: RUNS, n: quick ? 10 : 30, webhookUrl, log }),
  ),
  throughput: await phase('throughput', () =>
    throughput({
      runs: RUNS,
      levels: quick
        ? [
            { concurrency: 10, total: 30, maxMs: 5000 },
            { concurrency: 50, total: 60, maxMs: 5000 },
          ]
        : [
            { concurrency: 10, total: 100, maxMs: 8000 },
            { concurrency: 50, total: 200, maxMs: 10_000 },
            { concurrency: 200, total: 300, maxMs: 12_000 },
            // 1.5 per worker at c = 500 (the review ran 2): keeps the whole bench near 10 minutes.
            { concurrency: 500, total: 750, maxMs: 20_000 },
          ],
      uncappedAt: quick ? [50] : [500],
      webhookUrl,
      deliveries: () => deliveries,
      imageBytes: 300_000,
      log,
    }),
  ),
  scaling: await phase('scaling on Redis', () =>
    scaling({
      runs: RUNS,
      concurrency: 50,
      total: quick ? 60 : 200,
      maxMs: quick ? 5000 : 8000,
      imageBytes: 300_000,
      webhookUrl,
      log,
    }),
  ),
  upstream: await phase('upstream calls and tokens', () => upstream({ repeats: RUNS, log })),
  emulatorParse: await phase('emulator image parse', () =>
    emulatorParse({ runs: RUNS, n: quick ? 10 : 40, log }),
  ),
  bodyLimit: await phase('body-size check detour', () =>
    bodyLimitDetour({ runs: RUNS, n: quick ? 10 : 40, log }),
  ),
  // Browser phases last, so Chromium does not share the cores with the server figures above. They
  // need the built element (dist/cdn) and say so without it; this bench builds nothing itself.
  imagePipeline: await phase('image pipeline (Chromium)', () =>
    imagePipeline({ runs: RUNS, images: quick ? 2 : 5, log }),
  ),
  firstRender: await phase('first render (Chromium)', async () => {
    if (!existsSync(join(ROOT, 'dist', 'cdn', 'signicat-verify.js')))
      return {
        skipped: 'dist/cdn is missing (run `npm run build` first; the bench builds nothing)',
      };
    // Loaded only here: it bundles its Lit baseline with Vite.
    const { measureFirstRender, writeFirstRender } = await import('./phases/first-render.ts');
    const result = await measureFirstRender({
      runs: quick ? 3 : 5,
      log: (line) => log(`  ${line}`),
    });
    // docs/bundle-size.md shows the same run's figure as docs/benchmarks.md.
    await writeFirstRender(result);
    return result;
  }),
  frameAnalysis: await phase('capture-assistance per-frame cost (Chromium)', async () => {
    const { measureFrameAnalysis } = await import('./phases/frame-analysis.ts');
    return measureFrameAnalysis(quick ? { frames: 20, runs: 1 } : { frames: 120, runs: RUNS });
  }),
};
receiver.close();
info.loadAfter = os.loadavg();
info.durationS = (Date.now() - started) / 1000;

const raw = join(os.tmpdir(), `signicat-verify-bench-${Date.now()}.json`);
writeFileSync(raw, JSON.stringify(results));
writeFileSync(target, renderReport(results));
log(`wrote ${target} in ${elapsed()} (raw results: ${raw})`);
process.exit(0);
