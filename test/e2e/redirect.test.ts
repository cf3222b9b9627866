/**
 * Redirect mode (path G) on the demo page: the element sends the browser to the emulator's hosted capture
 * page, which sends it back with `dossierId`, `processId` and `status`; the element reports to the proxy,
 * cleans the address bar and shows the outcome.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { eventually } from '../helpers/sandbox.ts';
import {
  clickButton,
  events,
  openPage,
  screenshot,
  waitForEvents,
  waitForHeading,
  waitForOutcome,
  useE2e,
  sessionsCreated,
} from './harness.ts';

const e2e = useE2e();

/** Start → the hosted capture page of the emulator; returns its URL. */
async function goToHostedPage(page: Page): Promise<URL> {
  await waitForHeading(page, /^Verify your identity$/);
  await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), clickButton(page, /^Start$/)]);
  const hosted = new URL(page.url());
  assert.equal(hosted.origin, e2e.sandbox.url, 'the hosted page is on the sandbox server');
  assert.match(
    hosted.pathname,
    /^\/emulator\/capture\/[^/]+$/,
    `hosted capture page, got ${hosted.pathname}`,
  );
  assert.equal(await page.$eval('h1', (h) => h.textContent), 'Verify your identity');
  return hosted;
}

/** Clicks one of the hosted page's form buttons and waits until the demo page is back. */
async function chooseOnHostedPage(page: Page, action: 'complete' | 'cancel'): Promise<void> {
  await Promise.all([
    page.waitForNavigation({ waitUntil: 'load' }),
    page.click(`button[name="action"][value="${action}"]`),
  ]);
  assert.equal(new URL(page.url()).pathname, '/', 'back on the demo page');
}

async function assertAddressBarClean(page: Page): Promise<void> {
  // The element removes the return parameters once it has used them; the demo's own `mode` stays.
  await page.waitForFunction(() => !/[?&](dossierId|processId|status)=/.test(location.search), {
    timeout: 10_000,
  });
  assert.equal(page.url(), `${e2e.sandbox.url}/?mode=redirect`);
}

test('redirect: hosted page Submit → back on the demo with a clean URL → accepted', async () => {
  await e2e.sandbox.control('/outcome', { status: 'accepted', delayMs: 300 });
  const delivered = e2e.sandbox.results.length;
  const { page, problems } = await openPage(e2e.browser, `${e2e.sandbox.url}/?mode=redirect`);
  assert.equal(
    await page.$eval(
      'input[name="mode"][value="redirect"]',
      (r) => (r as HTMLInputElement).checked,
    ),
    true,
  );

  await goToHostedPage(page);
  await screenshot(page, 'redirect-hosted-page', 'main');

  // The hosted page returns with the three parameters; check them on the way back.
  const returned = page.waitForResponse(
    (response) => new URL(response.url()).pathname === '/' && response.request().method() === 'GET',
  );
  await chooseOnHostedPage(page, 'complete');
  const back = new URL((await returned).url());
  assert.ok(
    back.searchParams.get('dossierId') && back.searchParams.get('processId'),
    `return URL: ${back.href}`,
  );
  assert.equal(back.searchParams.get('status'), 'processing');
  assert.equal(back.searchParams.get('mode'), 'redirect');

  assert.match(await waitForOutcome(page, 'accepted'), /You are verified/);
  await assertAddressBarClean(page);
  await page.waitForSelector('#account-ready:not([hidden])');

  const complete = await waitForEvents(page, 'signicat-verify-complete');
  assert.equal(complete.length, 1);
  assert.equal(complete[0]!.detail['status'], 'accepted');
  const statuses = (await events(page, 'signicat-verify-status')).map((e) => e.detail);
  assert.deepEqual(statuses.at(-1), { status: 'accepted', final: true });
  assert.deepEqual(await events(page, 'signicat-verify-error'), []);

  const result = await eventually(() => e2e.sandbox.results[delivered], 10_000, 'the result');
  assert.equal(result.mode, 'redirect');
  assert.equal(result.status, 'accepted');
  assert.equal(result.processId, back.searchParams.get('processId'));
  assert.equal(result.dossierId, back.searchParams.get('dossierId'));

  assert.deepEqual(problems.list, []);
  await page.close();
});

test('redirect: hosted page Cancel → canceled, and "Try again" starts a fresh session', async () => {
  await e2e.sandbox.control('/outcome', { status: 'accepted', delayMs: 300 });
  const delivered = e2e.sandbox.results.length;
  const created = sessionsCreated(e2e.sandbox);
  const { page, problems } = await openPage(e2e.browser, `${e2e.sandbox.url}/?mode=redirect`);

  const first = await goToHostedPage(page);
  await chooseOnHostedPage(page, 'cancel');
  const text = await waitForOutcome(page, 'canceled');
  assert.match(text, /Verification canceled/);
  await assertAddressBarClean(page);
  const complete = await waitForEvents(page, 'signicat-verify-complete');
  assert.deepEqual(
    complete.map((e) => e.detail['status']),
    ['canceled'],
  );
  assert.equal(await page.$eval('#account-ready', (el) => (el as HTMLElement).hidden), true);
  const canceled = await eventually(
    () => e2e.sandbox.results[delivered],
    10_000,
    'the canceled result',
  );
  assert.equal(canceled.status, 'canceled');

  // Try again: the intro, then a new session with a new capture link.
  await clickButton(page, /^Try again$/);
  const second = await goToHostedPage(page);
  assert.notEqual(second.pathname, first.pathname, 'a new capture link');
  assert.equal(sessionsCreated(e2e.sandbox), created + 2, 'a second session was created');
  await chooseOnHostedPage(page, 'complete');
  assert.match(await waitForOutcome(page, 'accepted'), /You are verified/);
  await assertAddressBarClean(page);
  const result = await eventually(
    () => e2e.sandbox.results[delivered + 1],
    10_000,
    'the second result',
  );
  assert.equal(result.status, 'accepted');
  assert.notEqual(result.processId, canceled.processId, 'a different process');

  assert.deepEqual(problems.list, []);
  await page.close();
});
