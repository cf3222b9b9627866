/**
 * Live capture guidance and auto-capture (component/image/quality.ts in the image worker,
 * component/camera/quality-loop.ts), in headless Chromium whose fake camera plays one synthetic card
 * clip per browser (test/fixtures/make-y4m.mjs): the sharp card is captured by itself; the blurred card
 * says "Hold still" and the glaring card "Move away from the light", and neither is ever auto-captured;
 * the shutter still works, and a blurred still gets the retake prompt with "Use it anyway".
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { chromiumArgs, chromiumPath } from '../chromium-path.mjs';
import type { Sandbox } from '../helpers/sandbox.ts';
import {
  clickButton,
  openPage,
  screenshot,
  startE2eSandbox,
  waitForCamera,
  waitInElement,
} from './harness.ts';

const clip = (name: string) => fileURLToPath(new URL(`../fixtures/${name}.y4m`, import.meta.url));

const PAGE = '/e2e/quality.html';
/** A passport from any country: Start goes straight to the front photo. */
const page = (attributes = '') => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Capture quality (e2e)</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <script type="module" src="/signicat-verify.js"></script>
  </head>
  <body>
    <signicat-verify endpoint="/api" document-type="passport" document-country="UNIV" ${attributes}></signicat-verify>
  </body>
</html>`;

/** The default `settleMs` plus several analysis rounds: long enough for an auto-capture that would come. */
const WATCH_MS = 1500 + 2500;

let sandbox: Sandbox;
before(async () => {
  sandbox = await startE2eSandbox();
});
after(async () => {
  await sandbox?.close();
});

/** A browser whose fake camera plays `name`, on the front-photo step; closed by the caller. */
async function atFrontPhoto(
  name: string,
  attributes?: string,
): Promise<{ browser: Browser; page: Page; problems: { list: string[] } }> {
  const browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: chromiumArgs({ fakeVideo: clip(name) }),
  });
  const { page: tab, problems } = await openPage(browser, `${sandbox.url}${PAGE}`, {
    pages: { [PAGE]: page(attributes) },
  });
  await clickButton(tab, /^Start$/);
  await waitForCamera(tab);
  return { browser, page: tab, problems };
}

/** The live hint's text, the guide's colour state and whether a still is shown. */
async function live(tab: Page) {
  return tab.evaluate(() => {
    const root = document.querySelector('signicat-verify')!.shadowRoot!;
    return {
      hint: root.querySelector('.quality-hint')?.textContent?.trim() ?? null,
      region: root.querySelector('.quality-hint')?.getAttribute('aria-live') ?? null,
      guide: root.querySelector('.guide')?.getAttribute('data-quality') ?? null,
      still: !!root.querySelector('.preview--still img'),
    };
  });
}

/** The verdicts the review step shows, photo by photo (waits for the review). */
async function verdicts(tab: Page): Promise<string[]> {
  await waitInElement(tab, '.review .quality-verdict');
  return tab.$$eval('signicat-verify >>> .review__item', (items) =>
    items.map((item) => item.querySelector('.quality-verdict')?.textContent?.trim() ?? ''),
  );
}

/** Waits until the live hint reads `text` (bounded). */
async function waitForHint(tab: Page, text: string): Promise<void> {
  await tab.waitForFunction(
    (t: string) =>
      document
        .querySelector('signicat-verify')
        ?.shadowRoot?.querySelector('.quality-hint')
        ?.textContent?.trim() === t,
    { timeout: 15_000 },
    text,
  );
}

/**
 * Watches the preview for `ms` and fails as soon as a still appears (an auto-capture); resolves when
 * the time is up with the preview still live.
 */
async function assertNoAutoCapture(tab: Page, ms: number): Promise<void> {
  const until = await tab.evaluate((wait: number) => performance.now() + wait, ms);
  const outcome = await tab.waitForFunction(
    (end: number) => {
      const root = document.querySelector('signicat-verify')?.shadowRoot;
      if (root?.querySelector('.preview--still img, .btn--shutter:disabled')) return 'captured';
      return performance.now() >= end ? 'live' : false;
    },
    { timeout: ms + 10_000, polling: 50 },
    until,
  );
  assert.equal(await outcome.jsonValue(), 'live', 'no photo was taken by itself');
}

describe('live capture guidance', () => {
  test('a sharp, steady card: "Looks good", a green guide, then auto-capture with no click', async () => {
    const { browser, page: tab, problems } = await atFrontPhoto('quality-sharp');
    try {
      await waitForHint(tab, 'Looks good');
      const seen = await live(tab);
      assert.equal(seen.guide, 'ok');
      assert.equal(seen.region, 'polite', 'the hint is a polite live region');
      await screenshot(tab, 'quality-sharp-live', 'signicat-verify');
      await waitInElement(tab, '.preview--still img', 15_000);
      // The still passed the check too: no prompt, the usual buttons.
      assert.equal(await tab.$('signicat-verify >>> .quality-prompt'), null);
      await clickButton(tab, /^Use this photo$/);
      // The selfie gets hints but no auto-capture (no face detection): the shutter takes it.
      await waitForCamera(tab);
      await clickButton(tab, /^Take photo$/);
      await waitInElement(tab, '.preview--still img');
      await clickButton(tab, /^Use this photo$/);
      assert.deepEqual(await verdicts(tab), ['Looks good', 'Looks good']);
      assert.deepEqual(problems.list, []);
    } finally {
      await browser.close();
    }
  });

  test('a blurred card: "Hold still", never auto-captured; the shutter takes it and the still asks for a retake', async () => {
    const { browser, page: tab, problems } = await atFrontPhoto('quality-blurred');
    try {
      await waitForHint(tab, 'Hold still');
      assert.equal((await live(tab)).guide, 'warn');
      await screenshot(tab, 'quality-blurred-live', 'signicat-verify');
      await assertNoAutoCapture(tab, WATCH_MS);
      assert.equal((await live(tab)).hint, 'Hold still');

      // The shutter always works; the blurred still is caught before upload, with a way on.
      await clickButton(tab, /^Take photo$/);
      const prompt = await waitInElement(tab, '.quality-prompt');
      assert.match((await prompt.evaluate((p) => p.textContent?.trim())) ?? '', /looks blurred/);
      await screenshot(tab, 'quality-blurred-still', 'signicat-verify');
      const primary = await tab.$eval('signicat-verify >>> .actions .btn--primary', (b) =>
        b.textContent?.trim(),
      );
      assert.equal(primary, 'Retake', 'retaking is the primary action');
      await clickButton(tab, /^Use it anyway$/);
      await waitForCamera(tab);
      await clickButton(tab, /^Take photo$/);
      await clickButton(tab, /^Use it anyway$/);
      assert.deepEqual(await verdicts(tab), ['Blurry', 'Blurry'], 'the review shows each verdict');
      await screenshot(tab, 'quality-review', 'signicat-verify');
      assert.deepEqual(problems.list, []);
    } finally {
      await browser.close();
    }
  });

  test('a glaring card: "Move away from the light", never auto-captured', async () => {
    const { browser, page: tab, problems } = await atFrontPhoto('quality-glare');
    try {
      await waitForHint(tab, 'Move away from the light');
      assert.equal((await live(tab)).guide, 'warn');
      await screenshot(tab, 'quality-glare-live', 'signicat-verify');
      await assertNoAutoCapture(tab, WATCH_MS);
      assert.equal((await live(tab)).hint, 'Move away from the light');
      assert.deepEqual(problems.list, []);
    } finally {
      await browser.close();
    }
  });

  test('auto-capture="off": the sharp card gets "Looks good" and waits for the shutter', async () => {
    const {
      browser,
      page: tab,
      problems,
    } = await atFrontPhoto('quality-sharp', 'auto-capture="off"');
    try {
      await waitForHint(tab, 'Looks good');
      await assertNoAutoCapture(tab, WATCH_MS);
      await clickButton(tab, /^Take photo$/);
      await waitInElement(tab, '.preview--still img');
      assert.equal(await tab.$('signicat-verify >>> .quality-prompt'), null);
      assert.deepEqual(problems.list, []);
    } finally {
      await browser.close();
    }
  });
});
