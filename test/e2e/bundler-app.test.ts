/**
 * The npm build inside an integrator's Vite app, under the bundler policy of docs/element.md
 * (`worker-src 'self'`): Vite builds test/e2e/fixtures/bundler-app (the package name aliased to this
 * repository's dist/npm), the image worker comes out as a file of the app (never a `data:` URL, even
 * with a huge inline limit), and a capture verification runs with the worker under that policy.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import type { Browser, WebWorker } from 'puppeteer-core';
import { build } from 'vite';
import { eventually, type Sandbox } from '../helpers/sandbox.ts';
import {
  chooseCountryAndType,
  clickButton,
  cspViolations,
  events,
  launchBrowser,
  openPage,
  startE2eSandbox,
  takePhoto,
  waitForEvents,
  waitForHeading,
  waitForOutcome,
} from './harness.ts';
import { bundlerPolicy, startShop, type Shop } from './shop-server.ts';

const fromRepo = (path: string) => fileURLToPath(new URL(`../../${path}`, import.meta.url));
const APP = fromRepo('test/e2e/fixtures/bundler-app');

let outDir: string;
let sandbox: Sandbox;
let shop: Shop;
let browser: Browser;

before(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'bundler-app-'));
  await build({
    root: APP,
    configFile: false,
    logLevel: 'warn',
    resolve: {
      alias: [{ find: /^signicat-verify\/define$/, replacement: fromRepo('dist/npm/define.js') }],
    },
    // However high an app sets its inline limit, the worker stays a file.
    build: { outDir, emptyOutDir: true, target: 'es2022', assetsInlineLimit: 1024 * 1024 },
  });
  shop = await startShop({ dir: outDir });
  sandbox = await startE2eSandbox({ env: { ALLOWED_ORIGINS: shop.origin } });
  const html = await readFile(join(outDir, 'index.html'), 'utf8');
  shop.set('/index.html', {
    body: html.replaceAll('__PROXY__', sandbox.url),
    headers: { 'Content-Security-Policy': bundlerPolicy(sandbox.url) },
  });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
  await shop?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

test('the app build emits the image worker as a file of its own, not a data: URL', async () => {
  const assets = await readdir(join(outDir, 'assets'));
  const workers = assets.filter((file) => /^image-worker-[\w-]+\.js$/.test(file));
  assert.equal(workers.length, 1, `assets: ${assets}`);
  for (const file of assets.filter((name) => name.endsWith('.js'))) {
    const code = await readFile(join(outDir, 'assets', file), 'utf8');
    assert.doesNotMatch(code, /data:(text|application)\/javascript/, `${file}: no inlined script`);
  }
});

test("a capture in the app under worker-src 'self': the worker file runs, → accepted", async () => {
  await sandbox.control('/outcome', { status: 'accepted', delayMs: 300 });
  const delivered = sandbox.results.length;
  const { page, problems, requests } = await openPage(browser, `${shop.origin}/index.html`);
  const workers: WebWorker[] = [];
  page.on('workercreated', (worker) => workers.push(worker));

  await chooseCountryAndType(page, { type: 'passport' });
  await waitForHeading(page, /^Front of your document$/);
  await takePhoto(page);
  await waitForHeading(page, /^Take a selfie$/);
  const appWorkers = workers.filter((worker) =>
    new RegExp(`^${shop.origin}/assets/image-worker-[\\w-]+\\.js$`).test(worker.url()),
  );
  assert.equal(appWorkers.length, 1, `workers: ${workers.map((w) => w.url())}`);
  assert.equal(
    await appWorkers[0]!.evaluate(() => typeof self.onmessage),
    'function',
    'the worker script ran and set its message handler',
  );
  await takePhoto(page);
  await waitForHeading(page, /^Check your photos$/);
  await clickButton(page, /^Send for verification$/);
  assert.match(await waitForOutcome(page, 'accepted'), /You are verified/);
  await waitForEvents(page, 'signicat-verify-complete');
  assert.deepEqual(await events(page, 'signicat-verify-error'), []);
  assert.equal(await page.evaluate(() => document.body.dataset['done']), 'true');

  const result = await eventually(() => sandbox.results[delivered], 10_000, 'the result');
  assert.equal(result.status, 'accepted');
  assert.ok(
    requests.every(
      (url) => [shop.origin, sandbox.url].includes(url.origin) || url.protocol === 'blob:',
    ),
    `only the app and the proxy: ${requests.map((u) => u.href)}`,
  );
  assert.deepEqual(await cspViolations(page), [], 'no CSP violations');
  assert.deepEqual(problems.list, []);
  await page.close();
});
