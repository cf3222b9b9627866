/**
 * The element's image pipeline (component/image/pipeline.ts `processImage`: decode with EXIF
 * orientation, downscale to the long edge, JPEG within the byte budget, in a module worker) against a
 * naive main-thread canvas (an <img> decoded, drawn at the same size, `canvas.toBlob` JPEG at the same
 * quality) on the same 4000×3000 JPEG, in headless Chromium. Figures: wall time per image, and the
 * main thread's blocking time meanwhile (long tasks and long animation frames beyond 50 ms, as Total
 * Blocking Time counts them, and the longest gap between animation frames).
 *
 * Nothing is built here: the pipeline comes from the script-tag build (dist/cdn, `npm run build`) as
 * the element loads it, served from loopback; without dist/cdn or a Chromium the phase says so.
 * The test photo is made in the page (gradients, shapes and noise, so it compresses like a photo).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import puppeteer from 'puppeteer-core';
import { chromiumArgs, chromiumPath } from '../../../test/chromium-path.mjs';
import { ROOT } from '../lib/processes.ts';
import { percentile } from '../lib/stats.ts';

/** One side's figures in one run: medians over its images. */
export interface PipelineSide {
  ms: number;
  /**
   * Main-thread blocking during one image: over long tasks, or long animation frames where supported
   * (they also count rendering work), the sum of (duration − 50 ms); the larger of the two.
   */
  blockingMs: number;
  /** The longest long task or long animation frame. */
  longestTaskMs: number;
  /** Longest gap between animation frames during one image. */
  longestFrameGapMs: number;
  outputBytes: number;
}

export interface PipelineRun {
  pipeline: PipelineSide;
  naive: PipelineSide;
}

export interface ImagePipelineResult {
  runs: PipelineRun[];
  /** Images per run and side (after warm-up). */
  images: number;
  input: { width: number; height: number; bytes: number };
  options: { maxEdge: number; quality: number; maxBytes: number };
  /** Whether the pipeline ran in its worker (false: the main-thread fallback). */
  worker: boolean;
  browser: string;
}

/** Why the phase did not run, for the report. */
export interface ImagePipelineSkipped {
  skipped: string;
}

const CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
const TYPES: Record<string, string> = {
  '.js': 'text/javascript',
  '.html': 'text/html',
  '.map': 'application/json',
};
// The element's defaults (component/image-options.ts): long edge 2000 px, quality 0.9, 1 MB.
const OPTIONS = { maxEdge: 2000, quality: 0.9, maxBytes: 1_000_000 };

/** The page: makes the photo, then `window.bench(side)` processes it once and reports. */
const PAGE = (kit: string) => `<!doctype html><meta charset="utf-8"><title>image pipeline</title>
<script type="module">
const kit = await import(${JSON.stringify(kit)});
const options = ${JSON.stringify(OPTIONS)};
function photo() {
  const canvas = new OffscreenCanvas(4000, 3000);
  const ctx = canvas.getContext('2d');
  const sky = ctx.createLinearGradient(0, 0, 4000, 3000);
  sky.addColorStop(0, '#7aa7d8'); sky.addColorStop(0.5, '#e8d9b0'); sky.addColorStop(1, '#3d5a3a');
  ctx.fillStyle = sky; ctx.fillRect(0, 0, 4000, 3000);
  let seed = 7;
  const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
  for (let i = 0; i < 400; i++) {
    ctx.fillStyle = 'hsl(' + Math.floor(random() * 360) + ',50%,' + Math.floor(30 + random() * 40) + '%)';
    ctx.beginPath();
    ctx.ellipse(random() * 4000, random() * 3000, 20 + random() * 300, 20 + random() * 200, random() * 3, 0, 7);
    ctx.fill();
  }
  // Sensor-like noise, so the JPEG is about as large as a phone photo's.
  const noise = new Int8Array(500 * 500);
  for (let p = 0; p < noise.length; p++) noise[p] = (random() - 0.5) * 40;
  for (let x = 0; x < 4000; x += 500)
    for (let y = 0; y < 3000; y += 500) {
      const tile = ctx.getImageData(x, y, 500, 500);
      for (let p = 0, i = 0; p < noise.length; p++, i += 4) {
        tile.data[i] += noise[p]; tile.data[i + 1] += noise[p]; tile.data[i + 2] += noise[p];
      }
      ctx.putImageData(tile, x, y);
    }
  return canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 });
}
const source = await photo();
/** What a naive implementation does: an <img>, one canvas, toBlob, all on the main thread. */
async function naive(blob) {
  const url = URL.createObjectURL(blob);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const scale = Math.min(1, options.maxEdge / Math.max(img.naturalWidth, img.naturalHeight));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(img.naturalWidth * scale);
    canvas.height = Math.round(img.naturalHeight * scale);
    canvas.getContext('2d').drawImage(img, 0, 0, canvas.width, canvas.height);
    return await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', options.quality));
  } finally {
    URL.revokeObjectURL(url);
  }
}
window.input = { width: 4000, height: 3000, bytes: source.size };
window.bench = async (side) => {
  // Long tasks miss rendering work (a canvas drawn and rasterised for toBlob): long animation frames
  // include it; each counts beyond 50 ms, as Total Blocking Time counts tasks.
  const tasks = [];
  const frames = [];
  const observer = new PerformanceObserver((list) => tasks.push(...list.getEntries()));
  observer.observe({ type: 'longtask' });
  const loaf = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')
    ? new PerformanceObserver((list) => frames.push(...list.getEntries()))
    : undefined;
  loaf?.observe({ type: 'long-animation-frame' });
  let gap = 0;
  let last = performance.now();
  let running = true;
  const frame = (now) => {
    gap = Math.max(gap, now - last);
    last = now;
    if (running) requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
  const t0 = performance.now();
  const out = side === 'pipeline' ? (await kit.processImage(source, options)).blob : await naive(source);
  const ms = performance.now() - t0;
  gap = Math.max(gap, performance.now() - last);
  running = false;
  await new Promise((resolve) => setTimeout(resolve, 20)); // let the observer deliver
  tasks.push(...observer.takeRecords());
  observer.disconnect();
  if (loaf) {
    frames.push(...loaf.takeRecords());
    loaf.disconnect();
  }
  const during = (t) => t.startTime + t.duration >= t0;
  const longTasks = tasks.filter(during);
  const longFrames = frames.filter(during);
  return {
    ms,
    blockingMs: Math.max(
      longTasks.reduce((sum, t) => sum + Math.max(0, t.duration - 50), 0),
      longFrames.reduce((sum, f) => sum + Math.max(0, f.duration - 50), 0),
    ),
    longestTaskMs: [...longTasks, ...longFrames].reduce((max, t) => Math.max(max, t.duration), 0),
    longestFrameGapMs: gap,
    outputBytes: out.size,
  };
};
window.ready = true;
</script>`;

/** The chunk of the script-tag build that exports processImage (the one the element imports). */
function captureKit(cdn: string): string | undefined {
  const entry = readFileSync(join(cdn, 'signicat-verify.js'), 'utf8');
  const named = /chunks\/(capture-kit-[\w-]+\.js)/.exec(entry)?.[1];
  if (named && existsSync(join(cdn, 'chunks', named))) return `/chunks/${named}`;
  const any = readdirSync(join(cdn, 'chunks')).find((f) => /^capture-kit-[\w-]+\.js$/.test(f));
  return any && `/chunks/${any}`;
}

export async function imagePipeline(options: {
  runs: number;
  images: number;
  log: (line: string) => void;
}): Promise<ImagePipelineResult | ImagePipelineSkipped> {
  const cdn = join(ROOT, 'dist', 'cdn');
  if (!existsSync(join(cdn, 'signicat-verify.js')))
    return { skipped: 'dist/cdn is missing (run `npm run build` first; the bench builds nothing)' };
  const kit = captureKit(cdn);
  if (!kit) return { skipped: 'dist/cdn has no capture-kit chunk (an unexpected build)' };
  const chrome = process.env.CHROME_PATH;
  if (chrome ? !existsSync(chrome) : !CHROMIUMS.some((path) => existsSync(path)))
    return { skipped: 'no Chromium found (CHROME_PATH, or Debian’s chromium package)' };

  const page = PAGE(kit);
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    if (path === '/' || path === '/bench.html') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(page);
      return;
    }
    const file = normalize(join(cdn, path));
    if (!file.startsWith(cdn + sep) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response
      .writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' })
      .end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: chromiumArgs(),
  });
  try {
    const tab = await browser.newPage();
    await tab.bringToFront(); // a background tab gets no animation frames
    const workers: string[] = [];
    tab.on('workercreated', (worker) => workers.push(worker.url()));
    await tab.goto(`http://127.0.0.1:${port}/bench.html`);
    await tab.waitForFunction(() => (window as unknown as { ready?: boolean }).ready === true, {
      timeout: 60_000,
    });
    const input = (await tab.evaluate(
      () => (window as unknown as { input: unknown }).input,
    )) as ImagePipelineResult['input'];
    type Side = 'pipeline' | 'naive';
    const once = (side: Side) =>
      tab.evaluate(
        (s: Side) => (window as unknown as { bench(s: Side): Promise<PipelineSide> }).bench(s),
        side,
      );
    // Warm-up: the worker's start, the JIT, the decoder.
    for (let i = 0; i < 2; i++) {
      await once('pipeline');
      await once('naive');
    }
    const runs: PipelineRun[] = [];
    for (let run = 0; run < options.runs; run++) {
      const samples: Record<Side, PipelineSide[]> = { pipeline: [], naive: [] };
      for (let i = 0; i < options.images; i++) {
        const order: Side[] = (run + i) % 2 ? ['naive', 'pipeline'] : ['pipeline', 'naive'];
        for (const side of order) samples[side].push(await once(side));
      }
      const summary = (list: PipelineSide[]): PipelineSide => ({
        ms: percentile(
          list.map((x) => x.ms),
          50,
        ),
        blockingMs: percentile(
          list.map((x) => x.blockingMs),
          50,
        ),
        longestTaskMs: percentile(
          list.map((x) => x.longestTaskMs),
          50,
        ),
        longestFrameGapMs: percentile(
          list.map((x) => x.longestFrameGapMs),
          50,
        ),
        outputBytes: percentile(
          list.map((x) => x.outputBytes),
          50,
        ),
      });
      runs.push({ pipeline: summary(samples.pipeline), naive: summary(samples.naive) });
      const last = runs.at(-1)!;
      options.log(
        `  image pipeline run ${run + 1}: pipeline ${last.pipeline.ms.toFixed(0)} ms (blocking ${last.pipeline.blockingMs.toFixed(0)} ms), naive canvas ${last.naive.ms.toFixed(0)} ms (blocking ${last.naive.blockingMs.toFixed(0)} ms)`,
      );
    }
    return {
      runs,
      images: options.images,
      input,
      options: OPTIONS,
      worker: workers.some((url) => url.includes('image-worker')),
      browser: await browser.version(),
    };
  } finally {
    await browser.close();
    server.close();
  }
}
