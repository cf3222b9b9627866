/**
 * The script tag's two URLs, `/signicat-verify.js` and the immutable `/signicat-verify@<version>.js`,
 * on a shop page of another origin: each first view renders with that one script (Lit is in the entry;
 * every lazy chunk is held back until then), and the lazy chunks import the entry by the very URL the
 * page loaded, so neither URL ever fetches or runs a second copy of the element.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import type { Browser } from 'puppeteer-core';
import type { Sandbox } from '../helpers/sandbox.ts';
import { holdChunks } from './first-screen.ts';
import {
  chooseCountryAndType,
  launchBrowser,
  openPage,
  startE2eSandbox,
  waitForHeading,
} from './harness.ts';
import { startShop, type Shop } from './shop-server.ts';

const VERSION: string = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;
const SCRIPTS = ['/signicat-verify.js', `/signicat-verify@${VERSION}.js`];

let sandbox: Sandbox;
let shop: Shop;
let browser: Browser;

before(async () => {
  shop = await startShop();
  sandbox = await startE2eSandbox({ env: { ALLOWED_ORIGINS: shop.origin } });
  for (const script of SCRIPTS)
    shop.set(`/shop${script.replace(/\.js$/, '.html')}`, {
      body: `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>One script</title>
    <script type="module" src="${sandbox.url}${script}"></script>
  </head>
  <body>
    <signicat-verify endpoint="${sandbox.url}/api" mode="capture"></signicat-verify>
  </body>
</html>`,
    });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await sandbox?.close();
  await shop?.close();
});

for (const script of SCRIPTS) {
  test(`${script}: the first view with one script request, one copy of the element after Start`, async () => {
    const { page, problems, requests } = await openPage(browser, 'about:blank');
    const chunks = await holdChunks(page);
    await page.goto(`${shop.origin}/shop${script.replace(/\.js$/, '.html')}`);
    const scripts = () =>
      requests
        .filter((url) => url.origin === sandbox.url)
        .map((url) => url.pathname)
        .filter((path) => path.endsWith('.js'));

    await waitForHeading(page, /^Verify your identity$/);
    assert.deepEqual(
      scripts().filter((path) => !chunks.held().includes(path)),
      [script],
      `the first view rendered with the entry alone (held: ${chunks.held()})`,
    );
    await chunks.release();

    await chooseCountryAndType(page, { type: 'passport' });
    await waitForHeading(page, /^Front of your document$/);
    await page.waitForNetworkIdle({ idleTime: 250 });
    const loaded = scripts();
    const entries = loaded.filter((path) => /^\/signicat-verify[^/]*\.js$/.test(path));
    assert.deepEqual(entries, [script], `the entry once, by the URL the page named: ${loaded}`);
    const capture = loaded.find((path) => /^\/chunks\/capture-kit-[\w-]+\.js$/.test(path));
    assert.ok(capture, `the lazy capture chunk: ${loaded}`);
    const code = await (await fetch(`${sandbox.url}${capture}`)).text();
    assert.match(
      code,
      new RegExp(`from\\s*"\\.\\.${script.replace(/[.@]/g, '\\$&')}"`),
      `the chunk imports ${script}`,
    );

    // What ran: one module instance of the entry, and the element defined by it.
    const state = await page.evaluate(() => ({
      resources: performance
        .getEntriesByType('resource')
        .map((entry) => new URL(entry.name).pathname)
        .filter((path) => /^\/signicat-verify[^/]*\.js$/.test(path)),
      same: customElements.get('signicat-verify') === window.SignicatVerifyElement,
    }));
    assert.deepEqual(state.resources, [script]);
    assert.ok(state.same, 'the defined element is the one the entry exported');
    assert.deepEqual(problems.list, []);
    await page.close();
  });
}
