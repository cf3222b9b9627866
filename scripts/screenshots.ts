/**
 * Makes every screenshot in docs/screenshots/ (shown in the README): the demo page's capture flow at
 * 1280×800 (desktop/, the element alone) and 390×844 (phone/, the whole screen), every step and every
 * outcome, then the extras: an error, the QR hand-off (the desktop's QR code and progress, the phone's
 * capture page and its last screen) and the live quality hints. Headless Chromium, a fake camera and the
 * sandbox server. Needs `npm run build` first; run with `npm run screenshots` (it makes the clips).
 *
 * The fake camera plays test/fixtures/quality-sharp.y4m, the clip written in the range Chromium reads
 * (id-card.y4m shows saturated, i.e. "Move away from the light" and "Glare" everywhere), so the pictures
 * show the guidance a user with a good photo sees. Auto-capture is off on every element, so a picture
 * of the live preview and the walk's "Take photo" never race a photo the element takes by itself.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { chromiumArgs, chromiumPath } from '../test/chromium-path.mjs';
import {
  chooseCountryAndType,
  clickButton,
  openPage,
  startE2eSandbox,
  takePhoto,
  waitForCamera,
  waitForHeading,
  waitInElement,
  type FinalStatus,
} from '../test/e2e/harness.ts';
import { VIEWPORTS, walkCapture, type Step, type ViewportName } from '../test/e2e/walk.ts';
import type { Sandbox } from '../test/helpers/sandbox.ts';

const OUT = 'docs/screenshots';
const OUTCOMES: FinalStatus[] = ['accepted', 'rejected', 'inconclusive', 'failed', 'canceled'];
type Clip = 'sharp' | 'blurred' | 'glare';

/** A browser whose fake camera plays `quality-<clip>.y4m` (test/fixtures/make-y4m.mjs). */
async function launch(clip: Clip): Promise<Browser> {
  const video = fileURLToPath(new URL(`../test/fixtures/quality-${clip}.y4m`, import.meta.url));
  return puppeteer.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: chromiumArgs({ fakeVideo: video }),
  });
}

/** Two frames: the last render and image decodes land before a picture is taken. */
async function frames(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}

/** Waits until every picture in the element is decoded and every preview plays (no half-drawn step). */
async function settled(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const root = document.querySelector('signicat-verify')?.shadowRoot;
      if (!root) return false;
      const images = [...root.querySelectorAll('img')];
      const videos = [...root.querySelectorAll('video')];
      return (
        images.every((img) => img.complete && img.naturalWidth > 0) &&
        videos.every((video) => video.readyState >= 2 && video.videoWidth > 0)
      );
    },
    { timeout: 15_000 },
  );
  await frames(page);
}

async function shoot(page: Page, viewport: ViewportName, name: string): Promise<void> {
  await settled(page);
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

/** Waits until the live hint reads `text`: the picture shows the guidance, not the blank first frame. */
async function hint(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (t: string) =>
      document
        .querySelector('signicat-verify')
        ?.shadowRoot?.querySelector('.quality-hint')
        ?.textContent?.trim() === t,
    { timeout: 15_000 },
    text,
  );
}

/** The review's verdicts, once every photo has one. */
async function verdicts(page: Page): Promise<string[]> {
  await page.waitForFunction(
    () => {
      const root = document.querySelector('signicat-verify')?.shadowRoot;
      const items = [...(root?.querySelectorAll('.review__item') ?? [])];
      return items.length > 0 && items.every((item) => item.querySelector('.quality-verdict'));
    },
    { timeout: 15_000 },
  );
  return page.$$eval('signicat-verify >>> .review__item .quality-verdict', (badges) =>
    badges.map((badge) => badge.textContent?.trim() ?? ''),
  );
}

interface Opened {
  page: Page;
  problems: string[];
}

/**
 * A page at `url` in `viewport` (1× pixels keep the files small; the layout is that of a 2× phone),
 * every element on it with auto-capture off. `prepare` runs before the page loads.
 */
async function open(
  browser: Browser,
  viewport: ViewportName,
  url: string,
  prepare?: (page: Page) => Promise<void>,
  allow: RegExp[] = [],
): Promise<Opened> {
  const { page, problems } = await openPage(browser, 'about:blank', { allow });
  await page.setViewport({ ...VIEWPORTS[viewport], deviceScaleFactor: 1 });
  await page.evaluateOnNewDocument(() => {
    // The demo adds its element from a script, the hand-off page in its HTML: catch both at once.
    new MutationObserver(() => {
      for (const element of document.querySelectorAll('signicat-verify:not([auto-capture])'))
        element.setAttribute('auto-capture', 'off');
    }).observe(document, { childList: true, subtree: true });
  });
  await prepare?.(page);
  await page.goto(url, { waitUntil: 'load' });
  return { page, problems: problems.list };
}

/** Closes the page, and says on stderr what went wrong on it (a picture of a broken page is no doc). */
async function done(name: string, opened: Opened): Promise<void> {
  if (opened.problems.length) {
    process.exitCode = 1;
    console.error(`${name}: problems on the page:\n  ${opened.problems.join('\n  ')}`);
  }
  await opened.page.close();
}

/** Before a step's picture: the guidance and verdicts a good photo gets are on screen. */
async function ready(page: Page, step: Step): Promise<void> {
  if (step.live) await hint(page, 'Looks good');
  if (step.name === 'review') {
    const seen = await verdicts(page);
    if (!seen.length || seen.some((v) => v !== 'Looks good'))
      throw new Error(`the review shows ${JSON.stringify(seen)}, not "Looks good" for every photo`);
  }
}

interface Extra {
  clip: Clip;
  viewports: ViewportName[];
  /** Reaches its steps from the demo page (`opened`) and shoots them with `shot(name)`. */
  reach(context: ExtraContext): Promise<void>;
  /** Runs before the demo page loads. */
  prepare?: (page: Page) => Promise<void>;
  /** Problems on the page that are the point of the picture. */
  allow?: RegExp[];
}

interface ExtraContext {
  opened: Opened;
  viewport: ViewportName;
  sandbox: Sandbox;
  browser: Browser;
  shot(name: string, page?: Page, viewport?: ViewportName): Promise<void>;
}

/** The front of a passport, the live preview running. */
async function atFront(page: Page): Promise<void> {
  await chooseCountryAndType(page, { type: 'passport' });
  await waitForHeading(page, /^Front of your document$/);
  await waitForCamera(page);
}

/** More pictures, each file name numbered where it belongs in the folder. */
const EXTRAS: Extra[] = [
  {
    // An error step: a session the integrator's backend made that the proxy no longer knows.
    clip: 'sharp',
    viewports: ['desktop', 'phone'],
    // The proxy's answer for the unknown session is the point of the picture.
    allow: [
      /^http 404: GET .*\/api\/sessions\/no-such-session$/,
      /^console: Failed to load resource: .* 404/,
    ],
    async reach({ opened: { page }, shot }) {
      await waitForHeading(page, /^Verify your identity$/);
      await page.$eval('signicat-verify', (el) => el.setAttribute('session', 'no-such-session'));
      await waitForHeading(page, /^This session has expired$/);
      await shot('30-error-session-expired');
    },
  },
  {
    // The QR hand-off (test/e2e/handoff.test.ts): the desktop's camera is refused ("Block"), it shows a
    // QR code; a phone (its own browser context) opens the link, takes the photos and sends them.
    clip: 'sharp',
    viewports: ['desktop'],
    async prepare(page) {
      await page.evaluateOnNewDocument(() => {
        navigator.mediaDevices.getUserMedia = () =>
          Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
      });
    },
    async reach({ opened: { page: desktop }, sandbox, browser, shot }) {
      await sandbox.control('/outcome', { status: 'accepted', delayMs: 300 });
      await chooseCountryAndType(desktop, { type: 'passport' });
      await waitForHeading(desktop, /^Front of your document$/);
      await waitInElement(desktop, 'button[data-handoff]');
      await shot('40-handoff-camera-refused');
      await clickButton(desktop, /^Continue on my phone$/);
      await waitForHeading(desktop, /^Continue on your phone$/);
      await waitInElement(desktop, 'svg.qr path');
      const anchor = await waitInElement(desktop, 'a[data-handoff-link]');
      const link = await anchor.evaluate((a) => (a as HTMLAnchorElement).href);
      await anchor.dispose();
      await shot('41-handoff-qr');

      const context = await browser.createBrowserContext();
      try {
        const phone = await open(context as unknown as Browser, 'phone', link);
        await waitForHeading(phone.page, /^Front of your document$/);
        await waitForCamera(phone.page);
        await hint(phone.page, 'Looks good');
        await shot('42-handoff-phone-capture', phone.page, 'phone');

        // The desktop hears the phone connect (the ticks for the photos follow "Send" too fast to
        // catch); in front again, as a background page may not render.
        await desktop.bringToFront();
        await desktop.waitForFunction(
          () =>
            [
              ...(document
                .querySelector('signicat-verify')
                ?.shadowRoot?.querySelectorAll('[data-handoff-progress] li') ?? []),
            ].some((li) => li.textContent?.includes('Phone connected')),
          { timeout: 15_000 },
        );
        await shot('43-handoff-progress');

        await phone.page.bringToFront();
        await takePhoto(phone.page);
        await waitForHeading(phone.page, /^Take a selfie$/);
        await takePhoto(phone.page);
        await waitForHeading(phone.page, /^Check your photos$/);
        await clickButton(phone.page, /^Send for verification$/);
        await waitForHeading(phone.page, /^You can go back to your computer$/);
        await shot('44-handoff-phone-done', phone.page, 'phone');
        await done('hand-off phone', phone);
      } finally {
        await context.close();
      }
    },
  },
  {
    // A shaking or out-of-focus camera: the live hint, then the still that asks for a retake.
    clip: 'blurred',
    viewports: ['desktop', 'phone'],
    async reach({ opened: { page }, shot }) {
      await atFront(page);
      await hint(page, 'Hold still');
      await shot('50-quality-hold-still');
      await clickButton(page, /^Take photo$/);
      await waitInElement(page, '.quality-prompt');
      await shot('51-quality-blurred-retake');
    },
  },
  {
    clip: 'glare',
    viewports: ['desktop', 'phone'],
    async reach({ opened: { page }, shot }) {
      await atFront(page);
      await hint(page, 'Move away from the light');
      await shot('52-quality-glare');
    },
  },
];

async function walks(browser: Browser, sandbox: Sandbox, viewport: ViewportName): Promise<void> {
  let n = 0;
  for (const outcome of OUTCOMES) {
    // The waiting step must stay long enough to be seen.
    await sandbox.control('/outcome', { status: outcome, delayMs: 1500 });
    const opened = await open(browser, viewport, `${sandbox.url}/`);
    const { page } = opened;
    // Every step once (on the accepted run), then only each outcome.
    await walkCapture(
      page,
      outcome,
      async (step) => {
        await ready(page, step);
        const number = step.name.startsWith('outcome-') ? 20 + OUTCOMES.indexOf(outcome) : ++n;
        await shoot(page, viewport, `${String(number).padStart(2, '0')}-${step.name}`);
        if (viewport === 'phone' && step.name === 'review') {
          // On a phone the step opens on "Send" with the page's header above: show the photos too.
          await page.$eval('signicat-verify', (element) =>
            element.scrollIntoView({ block: 'start' }),
          );
          await shoot(page, viewport, `${String(number).padStart(2, '0')}-review-photos`);
        }
      },
      outcome === 'accepted' ? {} : { only: 'outcome' },
    );
    await done(`${viewport} ${outcome}`, opened);
  }
}

async function main(): Promise<void> {
  const viewports = Object.keys(VIEWPORTS) as ViewportName[];
  for (const viewport of viewports) {
    const dir = join(OUT, viewport);
    mkdirSync(dir, { recursive: true });
    for (const file of readdirSync(dir)) if (file.endsWith('.png')) rmSync(join(dir, file));
  }
  const sandbox = await startE2eSandbox();
  try {
    for (const clip of ['sharp', 'blurred', 'glare'] as const) {
      // One fake camera per browser: a browser per clip.
      const browser = await launch(clip);
      try {
        if (clip === 'sharp')
          for (const viewport of viewports) await walks(browser, sandbox, viewport);
        for (const extra of EXTRAS.filter((e) => e.clip === clip)) {
          for (const viewport of extra.viewports) {
            const opened = await open(
              browser,
              viewport,
              `${sandbox.url}/`,
              extra.prepare,
              extra.allow,
            );
            await extra.reach({
              opened,
              viewport,
              sandbox,
              browser,
              shot: (name, page = opened.page, at = viewport) => shoot(page, at, name),
            });
            await done(`${viewport} extra`, opened);
          }
        }
      } finally {
        await browser.close();
      }
    }
  } finally {
    await sandbox.close();
  }
}

await main();
