/**
 * Per-frame cost of the live capture-quality analysis (component/image/analyse.ts: the frame's luma at
 * 640 px, Laplacian variance, glare, brightness, motion thumbnail) inside a module worker in headless
 * Chromium, next to a plain canvas read of the same frame (drawImage at 640 px + getImageData) as the
 * baseline. The frames are what the element sends: `VideoFrame`s of a 1920×1080 camera (Chromium's
 * fake camera), transferred to the worker. Goal: ≤ 10 ms per frame, a third of a 30 fps frame budget.
 * Also measured, on the page's main thread: taking the frame (`new VideoFrame(video)`, what the element
 * does) against `createImageBitmap(video)` (what it would cost without VideoFrame).
 *
 * Use: `measureFrameAnalysis({ frames, runs })` → {@link FrameAnalysisResult} (times in ms; each run is
 * a fresh page and worker; per run the median and p95 over its frames, then "median [min–max] over
 * runs"). CLI: `node --import tsx scripts/bench/phases/frame-analysis.ts [--quick]` prints JSON and a line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';
import { build, type Rolldown } from 'vite';
import { chromiumArgs, chromiumPath } from '../../../test/chromium-path.mjs';
import { percentile, spread, type Spread } from '../lib/stats.ts';

export interface FrameAnalysisOptions {
  /** Frames per run (at least 100 for the report). Default 120. */
  frames?: number;
  /** Runs, each in a fresh page and worker. Default 3. */
  runs?: number;
  /** Camera size asked for. Default 1920×1080. */
  width?: number;
  height?: number;
}

export interface FrameAnalysisRun {
  analysisMedianMs: number;
  analysisP95Ms: number;
  baselineMedianMs: number;
  baselineP95Ms: number;
  /** Main thread: `new VideoFrame(video)` and `createImageBitmap(video)`. */
  grabVideoFrameMs: number;
  grabImageBitmapMs: number;
}

export interface FrameAnalysisResult {
  /** The camera frame size and pixel format Chromium delivered. */
  source: { width: number; height: number; format: string };
  /** Width the frame is analysed at. */
  analysisWidth: number;
  frames: number;
  runs: FrameAnalysisRun[];
  /** Median per-frame cost of the analysis, over the runs. */
  analysisMs: Spread;
  /** Median per-frame cost of the plain canvas read, over the runs. */
  baselineMs: Spread;
  /** p95 per-frame cost of the analysis, over the runs. */
  analysisP95Ms: Spread;
  grabVideoFrameMs: Spread;
  grabImageBitmapMs: Spread;
  goalMs: number;
  meetsGoal: boolean;
  browser: string;
  /** 1-minute load average before and after (the machine's other work shows up in the figures). */
  loadAverage: [before: number, after: number];
}

const GOAL_MS = 10;
const ANALYSE = fileURLToPath(new URL('../../../component/image/analyse.ts', import.meta.url));
const QUALITY = fileURLToPath(new URL('../../../component/image/quality.ts', import.meta.url));

/** The worker: times the analysis of one frame and the plain canvas read of its clone, alternating. */
const WORKER = `
import { analyse } from ${JSON.stringify(ANALYSE)};
import { ANALYSIS_WIDTH, DEFAULT_QUALITY_THRESHOLDS } from ${JSON.stringify(QUALITY)};

let plain;
const guide = { x: 0.1, y: 0.15, w: 0.8, h: 0.7 };
let n = 0;
self.onmessage = async (e) => {
  const { frame, copy } = e.data;
  const w = frame.displayWidth, h = Math.round((frame.displayHeight * ANALYSIS_WIDTH) / w);
  plain ??= new OffscreenCanvas(ANALYSIS_WIDTH, h).getContext('2d', { willReadFrequently: true });
  const baseline = () => {
    const t0 = performance.now();
    plain.drawImage(copy, 0, 0, ANALYSIS_WIDTH, h);
    plain.getImageData(0, 0, ANALYSIS_WIDTH, h);
    const t = performance.now() - t0;
    copy.close();
    return t;
  };
  const analysis = async () => {
    const t0 = performance.now();
    await analyse({ source: frame, guide, thresholds: DEFAULT_QUALITY_THRESHOLDS, track: 'bench' });
    return performance.now() - t0;
  };
  // Alternate the order, so neither side always runs on a warmer cache.
  let tb, ta;
  if (n++ % 2) { tb = baseline(); ta = await analysis(); } else { ta = await analysis(); tb = baseline(); }
  self.postMessage({ analysis: ta, baseline: tb });
};
`;

/** The page: the fake camera in a <video>; \`window.measure(n)\` runs n frames through the worker. */
const PAGE = `<!doctype html><title>frame analysis</title><video muted playsinline></video>
<script>
window.measure = async (frames, width, height) => {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width, height } });
  const video = document.querySelector('video');
  video.srcObject = stream;
  await video.play();
  const worker = new Worker('/worker.js', { type: 'module' });
  const out = { analysis: [], baseline: [], grabVideoFrame: [], grabImageBitmap: [] };
  let format = '';
  for (let i = 0; i < frames + 5; i++) {
    await new Promise((r) => requestAnimationFrame(r));
    let t0 = performance.now();
    const bitmap = await createImageBitmap(video);
    const tb = performance.now() - t0;
    bitmap.close();
    t0 = performance.now();
    const frame = new VideoFrame(video);
    const tv = performance.now() - t0;
    format = frame.format;
    const copy = frame.clone();
    const times = await new Promise((resolve, reject) => {
      worker.onmessage = (e) => resolve(e.data);
      worker.onerror = (e) => reject(new Error(e.message || 'worker failed'));
      worker.postMessage({ frame, copy }, [frame, copy]);
    });
    if (i < 5) continue; // the first frames warm up the JIT
    out.analysis.push(times.analysis);
    out.baseline.push(times.baseline);
    out.grabVideoFrame.push(tv);
    out.grabImageBitmap.push(tb);
  }
  worker.terminate();
  stream.getTracks().forEach((t) => t.stop());
  return { ...out, width: video.videoWidth, height: video.videoHeight, format };
};
</script>`;

/** Bundles the worker (analyse.ts and quality.ts as the element ships them) with the project's Vite. */
async function bundleWorker(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'frame-analysis-'));
  try {
    const entry = join(dir, 'worker.js');
    writeFileSync(entry, WORKER);
    const output = (await build({
      configFile: false,
      logLevel: 'silent',
      build: {
        write: false,
        minify: true,
        lib: { entry, formats: ['es'], fileName: 'worker' }, // no dynamic imports: one chunk
      },
    })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
    const first = Array.isArray(output) ? output[0]! : output;
    const chunk = first.output.find((o) => o.type === 'chunk');
    if (!chunk || chunk.type !== 'chunk') throw new Error('frame-analysis: no worker bundle');
    return chunk.code;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function serve(worker: string): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    if (request.url === '/worker.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(worker);
    } else {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(PAGE);
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${port}/` });
    }),
  );
}

/** Measures the per-frame analysis cost in Chromium; see the module comment. */
export async function measureFrameAnalysis(
  opts: FrameAnalysisOptions = {},
): Promise<FrameAnalysisResult> {
  const { frames = 120, runs: runCount = 3, width = 1920, height = 1080 } = opts;
  const loadBefore = loadavg()[0]!;
  const { server, url } = await serve(await bundleWorker());
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: chromiumArgs(), // the fake camera's own moving test pattern
  });
  try {
    const runs: FrameAnalysisRun[] = [];
    let source = { width: 0, height: 0, format: '' };
    for (let run = 0; run < runCount; run++) {
      const page = await browser.newPage();
      await page.goto(url);
      const r = await page.evaluate(
        (n: number, w: number, h: number) =>
          (
            window as unknown as {
              measure(
                n: number,
                w: number,
                h: number,
              ): Promise<{
                analysis: number[];
                baseline: number[];
                grabVideoFrame: number[];
                grabImageBitmap: number[];
                width: number;
                height: number;
                format: string;
              }>;
            }
          ).measure(n, w, h),
        frames,
        width,
        height,
      );
      await page.close();
      source = { width: r.width, height: r.height, format: r.format };
      runs.push({
        analysisMedianMs: percentile(r.analysis, 50),
        analysisP95Ms: percentile(r.analysis, 95),
        baselineMedianMs: percentile(r.baseline, 50),
        baselineP95Ms: percentile(r.baseline, 95),
        grabVideoFrameMs: percentile(r.grabVideoFrame, 50),
        grabImageBitmapMs: percentile(r.grabImageBitmap, 50),
      });
    }
    const analysisMs = spread(runs.map((r) => r.analysisMedianMs));
    return {
      source,
      analysisWidth: 640,
      frames,
      runs,
      analysisMs,
      baselineMs: spread(runs.map((r) => r.baselineMedianMs)),
      analysisP95Ms: spread(runs.map((r) => r.analysisP95Ms)),
      grabVideoFrameMs: spread(runs.map((r) => r.grabVideoFrameMs)),
      grabImageBitmapMs: spread(runs.map((r) => r.grabImageBitmapMs)),
      goalMs: GOAL_MS,
      meetsGoal: analysisMs.median <= GOAL_MS,
      browser: await browser.version(),
      loadAverage: [loadBefore, loadavg()[0]!],
    };
  } finally {
    await browser.close();
    server.close();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const result = await measureFrameAnalysis(quick ? { frames: 20, runs: 1 } : {});
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  const f = (s: Spread) => `${s.median.toFixed(2)} ms [${s.min.toFixed(2)}–${s.max.toFixed(2)}]`;
  process.stdout.write(
    `frame analysis at 640 px of ${result.source.width}×${result.source.height} ${result.source.format} frames: ` +
      `${f(result.analysisMs)} per frame (p95 ${f(result.analysisP95Ms)}); plain canvas read: ${f(result.baselineMs)}; ` +
      `goal ≤ ${GOAL_MS} ms: ${result.meetsGoal ? 'met' : 'NOT met'}. Main thread: new VideoFrame ${f(result.grabVideoFrameMs)}, ` +
      `createImageBitmap ${f(result.grabImageBitmapMs)}. Load average ${result.loadAverage.map((l) => l.toFixed(1)).join(' → ')}\n`,
  );
}
