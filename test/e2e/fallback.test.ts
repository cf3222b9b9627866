/**
 * The camera permission is refused: the element falls back to the file picker (no crash, a recoverable
 * `camera_denied` event), re-encodes what the user picks (JPEG, and a large PNG) and finishes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { unzipSync } from 'fflate';
import type { Browser, Page } from 'puppeteer-core';
import { eventually, type Sandbox } from '../helpers/sandbox.ts';
import {
  chooseCountryAndType,
  clickButton,
  events,
  jpegSize,
  launchBrowser,
  openPage,
  startE2eSandbox,
  streamStates,
  waitForHeading,
  waitForOutcome,
  waitInElement,
} from './harness.ts';

let sandbox: Sandbox;
let browser: Browser;
let dir: string;
const files = { front: '', back: '', selfie: '', broken: '' };

/** Draws a document-like picture on a canvas in the browser and exports it in `type`. */
async function render(
  page: Page,
  width: number,
  height: number,
  type: 'image/jpeg' | 'image/png',
): Promise<Buffer> {
  const dataUrl = await page.evaluate(
    (w: number, h: number, t: string) => {
      const canvas = document.createElement('canvas');
      canvas.width = w;
      canvas.height = h;
      const g = canvas.getContext('2d')!;
      const gradient = g.createLinearGradient(0, 0, w, h);
      gradient.addColorStop(0, '#2c3e50');
      gradient.addColorStop(1, '#4ca1af');
      g.fillStyle = gradient;
      g.fillRect(0, 0, w, h);
      g.fillStyle = '#f4efe1';
      g.fillRect(w * 0.1, h * 0.15, w * 0.8, h * 0.7);
      g.fillStyle = '#1e50a0';
      g.fillRect(w * 0.1, h * 0.15, w * 0.8, h * 0.1);
      g.fillStyle = '#111';
      g.font = `${Math.round(h / 20)}px sans-serif`;
      for (let i = 0; i < 5; i++)
        g.fillText(`LINE ${i} SAMPLE TEXT 0123456789`, w * 0.35, h * (0.35 + i * 0.08));
      // A noisy patch, like a photo: makes the encoder work for its bytes.
      let seed = 7;
      for (let y = h * 0.3; y < h * 0.75; y += 4) {
        for (let x = w * 0.13; x < w * 0.3; x += 4) {
          seed = (seed * 1103515245 + 12345) & 0x7fffffff;
          g.fillStyle = `hsl(${seed % 360} 40% ${30 + (seed % 40)}%)`;
          g.fillRect(x, y, 4, 4);
        }
      }
      return canvas.toDataURL(t, 0.92);
    },
    width,
    height,
    type,
  );
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
}

before(async () => {
  sandbox = await startE2eSandbox({ env: { DELETE_AFTER_DELIVERY: 'false' } });
  browser = await launchBrowser({ camera: false });
  dir = mkdtempSync(join(tmpdir(), 'signicat-verify-e2e-'));
  const page = await browser.newPage();
  files.front = join(dir, 'front.jpg');
  writeFileSync(files.front, await render(page, 1200, 800, 'image/jpeg'));
  files.back = join(dir, 'back.png'); // larger than the 2000 px limit: must be scaled down and re-encoded
  writeFileSync(files.back, await render(page, 2600, 1700, 'image/png'));
  files.selfie = join(dir, 'selfie.jpg');
  writeFileSync(files.selfie, await render(page, 720, 960, 'image/jpeg'));
  files.broken = join(dir, 'not-a-photo.jpg');
  writeFileSync(files.broken, 'this is text, not an image\n');
  await page.close();
});

after(async () => {
  await browser?.close();
  await sandbox?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Picks `path` through the element's "Choose a photo" button and the browser's file chooser. */
async function pick(page: Page, path: string): Promise<void> {
  const [chooser] = await Promise.all([
    page.waitForFileChooser({ timeout: 10_000 }),
    clickButton(page, /^Choose a photo$/),
  ]);
  assert.equal(chooser.isMultiple(), false);
  await chooser.accept([path]);
}

async function pickAndUse(page: Page, path: string): Promise<void> {
  await pick(page, path);
  await waitInElement(page, '.preview--still img');
  await clickButton(page, /^Use this photo$/);
}

test('camera denied: the file picker takes over, JPEG and PNG files go through → accepted', async () => {
  await sandbox.control('/outcome', { status: 'accepted', delayMs: 300 });
  const delivered = sandbox.results.length;
  const { page, problems } = await openPage(browser, `${sandbox.url}/`);

  await chooseCountryAndType(page, { type: 'identityCard' });
  await waitForHeading(page, /^Front of your document$/);

  // No crash: the picker with the reason, and the host page is told (recoverable).
  const notice = await waitInElement(page, '.notice');
  assert.match(await notice.evaluate((n) => n.textContent ?? ''), /Camera access is blocked/);
  await waitInElement(page, 'input[type=file]');
  assert.equal(await page.$('signicat-verify >>> video'), null, 'no camera preview');
  assert.equal(await page.$('signicat-verify >>> button.btn--shutter'), null, 'no shutter');
  const errors = await events(page, 'signicat-verify-error');
  assert.equal(errors.length, 1);
  assert.equal(errors[0]!.detail['code'], 'camera_denied');
  assert.equal(errors[0]!.detail['recoverable'], true);
  assert.equal(
    await page.$$eval('signicat-verify >>> button', (buttons) =>
      buttons.some((b) => /Use the camera/.test(b.textContent ?? '')),
    ),
    false,
    'the camera is not offered again once it was refused',
  );

  // A file that is not a picture is refused in the element, with a plain message.
  await pick(page, files.broken);
  await page.waitForFunction(
    () =>
      /could not be read as a photo/.test(
        document.querySelector('signicat-verify')?.shadowRoot?.querySelector('.notice')
          ?.textContent ?? '',
      ),
    { timeout: 10_000 },
  );
  assert.equal(await page.$('signicat-verify >>> .preview--still'), null);

  await pickAndUse(page, files.front);
  await waitForHeading(page, /^Back of your document$/);
  await pickAndUse(page, files.back);
  await waitForHeading(page, /^Take a selfie$/);
  // The selfie comes from a live camera only: no file, the camera again or a phone...
  await waitInElement(page, 'button.btn--primary');
  const offered = await page.$$eval('signicat-verify >>> button', (buttons) =>
    buttons.map((b) => b.textContent?.trim() ?? ''),
  );
  assert.ok(offered.includes('Try the camera again'), offered.join(' | '));
  assert.ok(!offered.includes('Choose a photo'), 'no file for the selfie');
  // ...unless the integrator allows a file for it.
  await page.$eval('signicat-verify', (el) => el.setAttribute('allow-selfie-upload', ''));
  await pickAndUse(page, files.selfie);

  await waitForHeading(page, /^Check your photos$/);
  await clickButton(page, /^Send for verification$/);
  assert.match(await waitForOutcome(page, 'accepted'), /You are verified/);

  const complete = await events(page, 'signicat-verify-complete');
  assert.equal(complete.length, 1);
  assert.equal(complete[0]!.detail['status'], 'accepted');
  assert.equal((await events(page, 'signicat-verify-error')).length, 1, 'no further errors');
  assert.deepEqual(await streamStates(page), [], 'no camera stream was ever opened');

  const result = await eventually(() => sandbox.results[delivered], 10_000, 'the result');
  assert.equal(result.status, 'accepted');
  const response = await sandbox.assure(
    `/assure/dossiers/${result.dossierId}/processes/${result.processId}/download`,
  );
  const zip = unzipSync(new Uint8Array(await response.arrayBuffer()));
  // The PNG arrived as a JPEG: the element re-encodes every picked file.
  assert.deepEqual(
    Object.keys(zip)
      .filter((n) => n !== 'result.json')
      .sort(),
    ['back.jpg', 'front.jpg', 'selfie.jpg'],
  );
  for (const name of ['front.jpg', 'back.jpg', 'selfie.jpg']) {
    const bytes = zip[name]!;
    assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], `${name} is a JPEG`);
    assert.ok(bytes.length <= 1_000_000, `${name} ≤ 1 MB (${bytes.length})`);
  }
  assert.deepEqual(
    jpegSize(zip['front.jpg']!),
    { width: 1200, height: 800 },
    'small enough: kept its size',
  );
  assert.deepEqual(
    jpegSize(zip['back.jpg']!),
    { width: 2000, height: 1308 },
    '2600×1700 PNG scaled to a 2000 px long edge',
  );
  assert.deepEqual(jpegSize(zip['selfie.jpg']!), { width: 720, height: 960 });

  assert.deepEqual(problems.list, []);
  await page.close();
});
