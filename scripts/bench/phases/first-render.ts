/**
 * First render of the script-tag element against Lit alone, in Chromium at 4× CPU slowdown and
 * Lighthouse's "Slow 4G" (formerly "Fast 3G") DevTools throttling: 562.5 ms per request, 1.6 Mbps down
 * and 750 kbps up, each × 0.9 (Lighthouse core/config/constants.js: mobileSlow4G with the DevTools
 * adjustment factors). Both pages are served from loopback by the proxy's own static handler
 * (server/static.ts, brotli twins made from a copy of dist/cdn), each a page with one module script:
 * - baseline: a trivial LitElement (Lit alone, minified and compressed like ours) rendering one heading;
 * - project: `<signicat-verify>` from `/signicat-verify.js` (dist/cdn: run `npm run build` first).
 * First render = from navigation start until the element's shadow root holds `#heading` and the next
 * animation frame ran (the view was painted). Runs alternate which page goes first; each page loads in
 * a fresh browser context (cold cache).
 *
 * Library use (`npm run bench`): `await measureFirstRender({ runs: 5 })` → {@link FirstRender}.
 * Command: `node --import tsx scripts/bench/phases/first-render.ts [--runs 7] [--write]`
 * (`npm run size:render`); `--write` puts the figures into docs/bundle-size.md, between the
 * first-render markers, which `npm run size` keeps.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import puppeteer, { type Browser } from 'puppeteer-core';
import { build } from 'vite';
import { compressTree } from '../../../server/compression.ts';
import { listen } from '../../../server/http/listen.ts';
import { CDN_DIR, serveFile, staticRoutes } from '../../../server/static.ts';
import { chromiumArgs, chromiumPath } from '../../../test/chromium-path.mjs';
import { spread, type Spread } from '../lib/stats.ts';

export interface FirstRenderOptions {
  /** Interleaved runs (one load of each page per run). @default 7 */
  runs?: number;
  /** Repository root whose dist/cdn is measured. @default this repository */
  root?: string;
  /** Progress lines. @default none */
  log?: (line: string) => void;
}

export interface PageFigures {
  /** Time to first render in ms, median [min–max] over the runs. */
  ms: Spread;
  /** Scripts loaded by the time of the first render (of the last run). */
  scripts: number;
  /** Bytes on the wire (compressed) of those scripts. */
  scriptBytes: number;
}

export interface FirstRender {
  lit: PageFigures;
  element: PageFigures;
  /** element ÷ Lit alone: of the medians, and the spread of the per-run ratios. */
  ratio: Spread;
  /** The goal: the ratio of medians at most this. */
  goal: number;
  conditions: string;
}

export const FIRST_RENDER_GOAL = 1.2;
const CPU_SLOWDOWN = 4;
// Lighthouse's mobileSlow4G (150 ms, 1.6 Mbps, 750 kbps) as DevTools throttling applies it.
const NETWORK = {
  latency: 150 * 3.75,
  download: Math.floor((1.6 * 1024 * 1024) / 8) * 0.9,
  upload: Math.floor((750 * 1024) / 8) * 0.9,
};
const CONDITIONS = `Chromium headless, ${CPU_SLOWDOWN}× CPU slowdown, ${NETWORK.latency} ms per request, ${((NETWORK.download * 8) / 1024 / 1024).toFixed(2)} Mbps down, ${Math.round((NETWORK.upload * 8) / 1024)} kbps up (Lighthouse Slow 4G, DevTools throttling)`;
const REPO = fileURLToPath(new URL('../../..', import.meta.url));

const PROBE = `import { LitElement, css, html } from 'lit';
class LitProbe extends LitElement {
  static styles = css\`:host { display: block; font: 16px system-ui, sans-serif; }\`;
  render() {
    return html\`<section><h2 id="heading" tabindex="-1">Verify your identity</h2><p>Lit alone.</p></section>\`;
  }
}
customElements.define('lit-probe', LitProbe);
`;

const page = (script: string, tag: string) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <link rel="icon" href="data:," />
    <title>First render</title>
    <script type="module" src="${script}"></script>
  </head>
  <body>
    <${tag} endpoint="/api" mode="capture"></${tag}>
  </body>
</html>`;

/** Builds the baseline: Lit and a trivial element, minified by the same Vite, precompressed. */
async function buildProbe(dir: string): Promise<void> {
  await writeFile(join(dir, 'probe.js'), PROBE);
  await build({
    root: dir,
    configFile: false,
    logLevel: 'warn',
    resolve: { alias: [{ find: /^lit$/, replacement: join(REPO, 'node_modules/lit/index.js') }] },
    build: {
      outDir: join(dir, 'out'),
      emptyOutDir: true,
      target: 'es2022',
      rolldownOptions: {
        input: join(dir, 'probe.js'),
        output: { format: 'es', entryFileNames: 'lit-probe.js' },
      },
    },
  });
  await compressTree(join(dir, 'out'));
}

/** One cold load of `url` under the throttling: ms to the first painted view, and what scripts it took. */
async function load(
  browser: Browser,
  url: string,
  tag: string,
): Promise<{ ms: number; scripts: number; scriptBytes: number }> {
  const context = await browser.createBrowserContext();
  try {
    const tab = await context.newPage();
    await tab.bringToFront(); // a background tab would get no animation frames
    const cdp = await tab.createCDPSession();
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: NETWORK.latency,
      downloadThroughput: NETWORK.download,
      uploadThroughput: NETWORK.upload,
    });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
    const scripts = new Map<string, number>();
    cdp.on('Network.responseReceived', (event) => {
      if (event.type === 'Script') scripts.set(event.requestId, 0);
    });
    cdp.on('Network.loadingFinished', (event) => {
      if (scripts.has(event.requestId)) scripts.set(event.requestId, event.encodedDataLength);
    });
    // Polls every frame from the document's start; when the view is there, one more frame = painted.
    // A string, not a function: tsx would wrap named functions in a helper the page does not have.
    await tab.evaluateOnNewDocument(`(() => {
      const check = () => {
        if (document.querySelector(${JSON.stringify(tag)})?.shadowRoot?.querySelector('#heading'))
          requestAnimationFrame(() => (window.__firstRender = performance.now()));
        else requestAnimationFrame(check);
      };
      requestAnimationFrame(check);
    })()`);
    await tab.goto(url, { waitUntil: 'domcontentloaded' });
    const handle = await tab.waitForFunction(
      () => (window as unknown as { __firstRender?: number }).__firstRender,
      { timeout: 60_000, polling: 50 },
    );
    const ms = (await handle.jsonValue()) as number;
    const bytes = [...scripts.values()].filter((size) => size > 0); // loaded, not just asked for
    return { ms, scripts: bytes.length, scriptBytes: bytes.reduce((a, b) => a + b, 0) };
  } finally {
    await context.close();
  }
}

/** Measures both pages `runs` times, interleaved; see the module comment. */
export async function measureFirstRender(options: FirstRenderOptions = {}): Promise<FirstRender> {
  const runs = options.runs ?? 7;
  const log = options.log ?? (() => undefined);
  const root = options.root ?? REPO;
  const work = await mkdtemp(join(tmpdir(), 'first-render-'));
  await buildProbe(work);
  // A copy of the build, compressed here: a rebuild meanwhile (or stale twins) changes nothing.
  await cp(join(root, CDN_DIR), join(work, CDN_DIR), {
    recursive: true,
    filter: (path) => !/\.(br|gz)$/.test(path),
  });
  await compressTree(join(work, CDN_DIR));
  const app = new Hono();
  app.get('/lit.html', (c) => c.html(page('/lit-probe.js', 'lit-probe')));
  app.get('/element.html', (c) => c.html(page('/signicat-verify.js', 'signicat-verify')));
  app.get(
    '/lit-probe.js',
    serveFile(join(work, 'out'), () => 'lit-probe.js'),
  );
  app.route('/', staticRoutes({ root: work }));
  const server = await listen((request) => app.fetch(request));
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: chromiumArgs(),
  });
  try {
    const samples = { lit: [] as number[], element: [] as number[] };
    const seen = { lit: { scripts: 0, scriptBytes: 0 }, element: { scripts: 0, scriptBytes: 0 } };
    const pages = [
      ['lit', `${server.url}/lit.html`, 'lit-probe'],
      ['element', `${server.url}/element.html`, 'signicat-verify'],
    ] as const;
    await load(browser, pages[1][1], pages[1][2]); // warm the server and the browser once
    for (let run = 0; run < runs; run++) {
      for (const [name, url, tag] of run % 2 ? [...pages].reverse() : pages) {
        const result = await load(browser, url, tag);
        samples[name].push(result.ms);
        seen[name] = { scripts: result.scripts, scriptBytes: result.scriptBytes };
      }
      log(
        `first render run ${run + 1}/${runs}: Lit alone ${samples.lit[run]!.toFixed(0)} ms, element ${samples.element[run]!.toFixed(0)} ms`,
      );
    }
    const lit = spread(samples.lit);
    const element = spread(samples.element);
    const perRun = spread(samples.element.map((ms, i) => ms / samples.lit[i]!));
    return {
      lit: { ms: lit, ...seen.lit },
      element: { ms: element, ...seen.element },
      ratio: { ...perRun, median: element.median / lit.median },
      goal: FIRST_RENDER_GOAL,
      conditions: CONDITIONS,
    };
  } finally {
    await browser.close();
    await server.close();
    await rm(work, { recursive: true, force: true });
  }
}

const START = '<!-- first-render:start -->';
const END = '<!-- first-render:end -->';

/** The docs/bundle-size.md section for a measurement. */
export function firstRenderSection(result: FirstRender): string {
  const ms = (s: Spread) => `${s.median.toFixed(0)} ms [${s.min.toFixed(0)}–${s.max.toFixed(0)}]`;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const met = result.ratio.median <= result.goal;
  return [
    START,
    '## First render',
    '',
    `Written by \`npm run size:render\` or \`npm run bench\` (scripts/bench/phases/first-render.ts) on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}: ${result.conditions}. Static files come from the proxy's own handler, brotli-compressed. First render: from navigation start until the element's shadow root holds its heading and one more animation frame ran. Median [min–max] of ${result.ratio.runs.length} interleaved cold loads each.`,
    '',
    '| page | first render | scripts loaded by then | their bytes (brotli) |',
    '| --- | ---: | ---: | ---: |',
    `| Lit alone (a trivial LitElement) | ${ms(result.lit.ms)} | ${result.lit.scripts} | ${kb(result.lit.scriptBytes)} |`,
    `| \`<signicat-verify>\` from the script tag | ${ms(result.element.ms)} | ${result.element.scripts} | ${kb(result.element.scriptBytes)} |`,
    '',
    `Ratio: **${result.ratio.median.toFixed(2)}×** Lit alone (per-run ratios ${result.ratio.min.toFixed(2)}–${result.ratio.max.toFixed(2)}; fastest runs ${(result.element.ms.min / result.lit.ms.min).toFixed(2)}×, the figure least disturbed by other load on the machine); goal ≤ ${result.goal}×: ${met ? 'met' : '**missed**'}. The difference, ${(result.element.ms.median - result.lit.ms.median).toFixed(0)} ms, is the element's ${kb(result.element.scriptBytes - result.lit.scriptBytes)} of extra script to download, parse and run at ${CPU_SLOWDOWN}× slowdown (and its first view)${result.element.scripts === result.lit.scripts ? `; both pages load ${result.lit.scripts} script${result.lit.scripts === 1 ? '' : 's'} by then` : ''}.`,
    END,
  ].join('\n');
}

/** Replaces (or appends) the first-render section of docs/bundle-size.md. */
export async function writeFirstRender(
  result: FirstRender,
  doc = join(REPO, 'docs/bundle-size.md'),
) {
  const text = await readFile(doc, 'utf8').catch(() => '# Script-tag bundle size\n');
  const section = firstRenderSection(result);
  const next =
    text.includes(START) && text.includes(END)
      ? text.slice(0, text.indexOf(START)) + section + text.slice(text.indexOf(END) + END.length)
      : `${text.trimEnd()}\n\n${section}\n`;
  await writeFile(doc, next);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const at = process.argv.indexOf('--runs');
  const runs = at > 0 ? Number(process.argv[at + 1]) : undefined;
  const result = await measureFirstRender({ runs, log: (line) => console.log(line) });
  console.log(
    `first render: Lit alone ${result.lit.ms.median.toFixed(0)} ms, element ${result.element.ms.median.toFixed(0)} ms, ratio ${result.ratio.median.toFixed(2)} (goal ≤ ${result.goal})`,
  );
  if (process.argv.includes('--write')) await writeFirstRender(result);
  if (result.ratio.median > result.goal) process.exitCode = 1;
}
