/**
 * End-to-end harness: the real server (sandbox mode, built element and demo) on a free loopback port,
 * driven by Debian's Chromium through puppeteer-core. The fake camera plays a synthetic ID card.
 * E2E_SCREENSHOTS=<dir> saves a screenshot of every step a test names.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { chromiumPath } from '../chromium-path.mjs';
import { startSandbox, type Sandbox, type SandboxOptions } from '../helpers/sandbox.ts';

export const FAKE_VIDEO = fileURLToPath(new URL('../fixtures/id-card.y4m', import.meta.url));
const SCREENSHOT_DIR = process.env.E2E_SCREENSHOTS;

export interface BrowserOptions {
  /** false: the camera permission is refused, as when a user clicks "Block". */
  camera?: boolean;
}

export async function launchBrowser(options: BrowserOptions = {}): Promise<Browser> {
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--use-fake-device-for-media-stream',
      ...(options.camera === false ? ['--deny-permission-prompts'] : ['--use-fake-ui-for-media-stream']),
      `--use-file-for-fake-video-capture=${FAKE_VIDEO}`,
    ],
  });
}

export interface Problems {
  /** Console errors, uncaught exceptions and failed requests seen on the page. */
  list: string[];
}

/** Opens a page that records every console error, page error and failed request. */
export async function openPage(browser: Browser, url: string, allow: RegExp[] = []): Promise<{ page: Page; problems: Problems }> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1100, height: 900 });
  const problems: Problems = { list: [] };
  const note = (text: string) => {
    if (!allow.some((pattern) => pattern.test(text))) problems.list.push(text);
  };
  page.on('console', (message) => {
    if (message.type() === 'error') note(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => note(`pageerror: ${error instanceof Error ? error.message : String(error)}`));
  page.on('requestfailed', (request) => {
    // Closing an EventSource or leaving a page aborts requests on purpose.
    if (request.failure()?.errorText !== 'net::ERR_ABORTED') note(`requestfailed: ${request.url()} ${request.failure()?.errorText}`);
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems };
}

let shotCounter = 0;
/** Saves `<dir>/<nn>-<name>.png` when E2E_SCREENSHOTS is set. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOT_DIR) return;
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  shotCounter += 1;
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${String(shotCounter).padStart(2, '0')}-${name}.png`) as `${string}.png` });
}

export async function startE2eSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  return startSandbox({ ...options, env: { EMULATOR_DELAY_MS: '300', POLL_INITIAL_MS: '200', ...options.env } });
}
