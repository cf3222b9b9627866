/**
 * Cross-device hand-off in two Chromium contexts against the real server: a desktop whose camera is
 * refused shows a QR code and a link, a phone (its own context, the fake camera, a phone viewport)
 * opens the link, takes the photos and sends them, and the desktop follows the phone's progress to the
 * outcome. A second phone opening the same link, an expired link and a link canceled on the desktop
 * are refused on the phone, and each refusal changes nothing.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'puppeteer-core';
import { codeId } from '../../server/handoff/code.ts';
import type { SessionRecord } from '../../server/state/store.ts';
import { eventually, type Sandbox } from '../helpers/sandbox.ts';
import {
  chooseCountryAndType,
  clickButton,
  cspViolations,
  events,
  launchBrowser,
  openPage,
  screenshot,
  startE2eSandbox,
  takePhoto,
  waitForHeading,
  waitForOutcome,
  waitInElement,
} from './harness.ts';

let sandbox: Sandbox;
let browser: Browser;
const contexts: BrowserContext[] = [];

before(async () => {
  sandbox = await startE2eSandbox();
  browser = await launchBrowser();
});
after(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => {})));
  await browser?.close();
  await sandbox?.close();
});

/** A fresh browser context (its own cookies and storage), handed to openPage as the thing it calls newPage on. */
async function context(): Promise<Browser> {
  const created = await browser.createBrowserContext();
  contexts.push(created);
  return created as unknown as Browser;
}

/**
 * The desktop: its camera refused (as a user who clicked "Block"), at the front of a passport, then
 * "Continue on my phone". Returns the page and the link shown.
 */
async function desktopWithLink(): Promise<{ page: Page; link: string; problems: string[] }> {
  const desktop = await context();
  const { page, problems } = await openPage(desktop, `${sandbox.url}/`, {
    // The refused camera is reported by the element as a recoverable camera_denied: no page error.
    allow: [],
  });
  await page.evaluateOnNewDocument(() => {
    navigator.mediaDevices.getUserMedia = () =>
      Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
  });
  await page.reload({ waitUntil: 'load' });
  await chooseCountryAndType(page, { type: 'passport' });
  await waitForHeading(page, /^Front of your document$/);
  await waitInElement(page, 'button[data-handoff]');
  await clickButton(page, /^Continue on my phone$/);
  await waitForHeading(page, /^Continue on your phone$/);
  const anchor = await waitInElement(page, 'a[data-handoff-link]');
  const link = await anchor.evaluate((a) => (a as HTMLAnchorElement).href);
  await anchor.dispose();
  const qr = await waitInElement(page, 'svg.qr path');
  const drawn = await qr.evaluate((p) => {
    const box = (p as SVGGraphicsElement).getBBox();
    return box.width > 0 && box.height > 0;
  });
  assert.ok(drawn, 'the QR code is drawn');
  await qr.dispose();
  return { page, link, problems: problems.list };
}

/** A phone: its own context, a phone viewport, the fake camera. */
async function phoneAt(
  link: string,
  allow: RegExp[] = [],
): Promise<{ page: Page; problems: string[] }> {
  const phone = await context();
  const { page, problems } = await openPage(phone, 'about:blank', { allow });
  await page.setViewport({ width: 390, height: 844, isMobile: true, hasTouch: true });
  await page.goto(link, { waitUntil: 'load' });
  return { page, problems: problems.list };
}

/** The desktop's progress lines. */
const progressOf = (page: Page) =>
  page.evaluate(() =>
    [
      ...(document
        .querySelector('signicat-verify')
        ?.shadowRoot?.querySelectorAll('[data-handoff-progress] li') ?? []),
    ].map((li) => li.textContent?.replace(/\s+/g, ' ').trim() ?? ''),
  );

async function recordOf(link: string): Promise<SessionRecord> {
  const store = sandbox.server.proxy.store;
  const sessionId = await store.findHandoff(codeId(new URL(link).pathname.split('/').pop()!));
  assert.ok(sessionId);
  return (await store.get(sessionId))!;
}

/** A refused claim answers 4xx by design: the phone's problem list allows exactly that answer. */
const refusedClaim = [
  /^http (409|410): POST .*\/api\/handoff\/claim$/,
  /^console: Failed to load resource: the server responded with a status of (409|410)/,
];

/** Records every progress line the desktop ever shows (they go by fast: the uploads follow "Send"). */
async function recordProgress(page: Page): Promise<() => Promise<string[]>> {
  // A string: tsx would wrap a named function inside an evaluated arrow in a helper the page lacks.
  await page.evaluate(`{
    const root = document.querySelector('signicat-verify').shadowRoot;
    const seen = (window.__handoffSeen = []);
    const read = () => {
      for (const li of root.querySelectorAll('[data-handoff-progress] li')) {
        const text = (li.textContent || '').replace(/\\s+/g, ' ').trim();
        if (!seen.includes(text)) seen.push(text);
      }
    };
    new MutationObserver(read).observe(root, { childList: true, subtree: true, characterData: true });
    read();
  }`);
  return () =>
    page.evaluate(() => (window as unknown as { __handoffSeen: string[] }).__handoffSeen);
}

test('a desktop without a camera finishes the verification on a phone', async () => {
  await sandbox.control('/outcome', { status: 'accepted', delayMs: 300 });
  const desktop = await desktopWithLink();
  assert.equal(new URL(desktop.link).origin, sandbox.url);
  assert.match(new URL(desktop.link).pathname, /^\/h\/[A-Za-z0-9_-]{22}$/);
  await screenshot(desktop.page, 'handoff-desktop-qr', 'signicat-verify');
  assert.deepEqual(await progressOf(desktop.page), ['Waiting for your phone…']);
  const seen = await recordProgress(desktop.page);

  const phone = await phoneAt(desktop.link);
  await waitForHeading(phone.page, /^Front of your document$/);
  await eventually(
    async () =>
      (await progressOf(desktop.page)).includes('Phone connected. Take the photos on your phone.'),
    10_000,
    'the desktop hears that the phone connected',
  );
  await takePhoto(phone.page, 'handoff-phone-front');
  await waitForHeading(phone.page, /^Take a selfie$/);
  await takePhoto(phone.page);
  await waitForHeading(phone.page, /^Check your photos$/);
  await clickButton(phone.page, /^Send for verification$/);
  await waitForHeading(phone.page, /^You can go back to your computer$/);
  await screenshot(phone.page, 'handoff-phone-done', 'signicat-verify');

  // The desktop finishes with the outcome and tells its host page once.
  assert.match(await waitForOutcome(desktop.page, 'accepted'), /verified/i);
  assert.deepEqual(await seen(), [
    'Waiting for your phone…',
    'Phone connected. Take the photos on your phone.',
    '✓ Front of the document captured',
    '✓ Selfie captured',
  ]);
  const complete = await events(desktop.page, 'signicat-verify-complete');
  assert.equal(complete.length, 1);
  assert.equal(complete[0]!.detail['status'], 'accepted');
  // The phone's page reports no outcome of its own: the desktop's host page is the one to know.
  assert.deepEqual(await events(phone.page, 'signicat-verify-complete'), []);
  const result = await eventually(() => sandbox.results.at(-1), 10_000, 'the result');
  assert.equal(result.status, 'accepted');

  assert.deepEqual(await cspViolations(phone.page), [], 'the phone page keeps its strict policy');
  const errors = (await events(desktop.page, 'signicat-verify-error')).map((e) => e.detail['code']);
  assert.deepEqual(errors, ['camera_denied'], 'only the refused camera was reported');
  assert.deepEqual(desktop.problems, []);
  assert.deepEqual(phone.problems, []);
});

test('the link works once: a second phone is refused and nothing changes', async () => {
  const desktop = await desktopWithLink();
  const first = await phoneAt(desktop.link);
  await waitForHeading(first.page, /^Front of your document$/);
  await eventually(
    async () => (await progressOf(desktop.page))[0]?.startsWith('Phone connected'),
    10_000,
    'the first phone connected',
  );
  const before = JSON.stringify(await recordOf(desktop.link));
  const progressBefore = await progressOf(desktop.page);

  const second = await phoneAt(desktop.link, refusedClaim);
  await waitForHeading(second.page, /^This link was already used$/);
  assert.deepEqual(
    (await events(second.page, 'signicat-verify-error')).map((e) => e.detail['code']),
    ['session_expired'],
  );
  assert.equal(JSON.stringify(await recordOf(desktop.link)), before, 'the session is unchanged');
  assert.deepEqual(await progressOf(desktop.page), progressBefore);
  // The first phone goes on as before (in front again: a background page gets no camera frames).
  await first.page.bringToFront();
  await takePhoto(first.page);
  await waitForHeading(first.page, /^Take a selfie$/);
  assert.deepEqual(second.problems, []);
});

test('an expired link is refused on the phone and changes nothing', async () => {
  const desktop = await desktopWithLink();
  const { sessionId } = await recordOf(desktop.link);
  // As if HANDOFF_TTL_SECONDS had passed.
  await sandbox.server.proxy.store.update(sessionId, (r) => ({
    ...r,
    handoff: { ...r.handoff!, expiresAt: Date.now() - 1 },
  }));
  const before = JSON.stringify(await recordOf(desktop.link));
  const phone = await phoneAt(desktop.link, refusedClaim);
  await waitForHeading(phone.page, /^This link has expired$/);
  assert.equal(JSON.stringify(await recordOf(desktop.link)), before);
  assert.deepEqual(phone.problems, []);
});

test('a link canceled on the desktop is refused on the phone; the desktop goes on by itself', async () => {
  const desktop = await desktopWithLink();
  await clickButton(desktop.page, /^Cancel and stay on this computer$/);
  await waitForHeading(desktop.page, /^Front of your document$/);
  assert.equal((await recordOf(desktop.link)).handoff?.state, 'canceled');
  const before = JSON.stringify(await recordOf(desktop.link));

  const phone = await phoneAt(desktop.link, refusedClaim);
  await waitForHeading(phone.page, /^This link was canceled$/);
  assert.equal(JSON.stringify(await recordOf(desktop.link)), before);
  // The desktop can still make a new link.
  await clickButton(desktop.page, /^Continue on my phone$/);
  await waitInElement(desktop.page, 'a[data-handoff-link]');
  assert.deepEqual(phone.problems, []);
  assert.deepEqual(desktop.problems, []);
});
