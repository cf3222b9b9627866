/**
 * Makes every screenshot in docs/screenshots/ (shown in the README): the demo page's capture flow at
 * 1280×800 (desktop/, the element alone) and 390×844 (phone/, the whole screen), every step and every
 * outcome, in headless Chromium with the fake camera against the sandbox server. Needs `npm run build`
 * first; run with `npm run screenshots`. Steps other helpers add (the QR hand-off, quality hints) go in
 * EXTRA below.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer-core';
import {
  launchBrowser,
  openPage,
  startE2eSandbox,
  waitForHeading,
  type FinalStatus,
} from '../test/e2e/harness.ts';
import { VIEWPORTS, walkCapture, type ViewportName } from '../test/e2e/walk.ts';
import type { Sandbox } from '../test/helpers/sandbox.ts';

const OUT = 'docs/screenshots';
const OUTCOMES: FinalStatus[] = ['accepted', 'rejected', 'inconclusive', 'failed', 'canceled'];

/**
 * More pictures: a name and a way to reach the step from the demo page's intro. TODO(lead): the QR
 * hand-off (H5) and the live quality hints (H7), once their steps are in.
 */
const EXTRA: Array<{ name: string; reach: (page: Page, sandbox: Sandbox) => Promise<void> }> = [
  {
    // An error step: a session the integrator's backend made that the proxy no longer knows.
    name: 'error-session-expired',
    async reach(page) {
      await waitForHeading(page, /^Verify your identity$/);
      await page.$eval('signicat-verify', (el) => el.setAttribute('session', 'no-such-session'));
      await waitForHeading(page, /^This session has expired$/);
    },
  },
];

async function shoot(page: Page, viewport: ViewportName, name: string): Promise<void> {
  const path = join(OUT, viewport, `${name}.png`) as `${string}.png`;
  const element = viewport === 'desktop' ? await page.$('signicat-verify') : null;
  if (element) {
    await element.screenshot({ path });
    await element.dispose();
  } else {
    await page.screenshot({ path });
  }
  console.log(path);
}

async function open(browser: Browser, sandbox: Sandbox, viewport: ViewportName): Promise<Page> {
  const { page } = await openPage(browser, 'about:blank');
  // 1× pixels keep the files small; the layout is the same as on a 2× phone.
  await page.setViewport({ ...VIEWPORTS[viewport], deviceScaleFactor: 1 });
  await page.goto(`${sandbox.url}/`);
  return page;
}

async function main(): Promise<void> {
  const sandbox = await startE2eSandbox();
  const browser = await launchBrowser();
  try {
    for (const viewport of Object.keys(VIEWPORTS) as ViewportName[]) {
      const dir = join(OUT, viewport);
      mkdirSync(dir, { recursive: true });
      for (const file of readdirSync(dir)) if (file.endsWith('.png')) rmSync(join(dir, file));
      let n = 0;
      for (const outcome of OUTCOMES) {
        // The waiting step must stay long enough to be seen.
        await sandbox.control('/outcome', { status: outcome, delayMs: 1500 });
        const page = await open(browser, sandbox, viewport);
        // Every step once (on the accepted run), then only each outcome.
        await walkCapture(
          page,
          outcome,
          async (step) => {
            const number = step.name.startsWith('outcome-') ? 20 + OUTCOMES.indexOf(outcome) : ++n;
            await shoot(page, viewport, `${String(number).padStart(2, '0')}-${step.name}`);
          },
          outcome === 'accepted' ? {} : { only: 'outcome' },
        );
        await page.close();
      }
      for (const [i, extra] of EXTRA.entries()) {
        const page = await open(browser, sandbox, viewport);
        await extra.reach(page, sandbox);
        await shoot(page, viewport, `${30 + i}-${extra.name}`);
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await sandbox.close();
  }
}

await main();
