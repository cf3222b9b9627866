/**
 * A reload in the middle of a verification resumes the same session (kept in sessionStorage): the element
 * comes back waiting, not at the intro, and reaches the outcome; the server never sees a second session.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'puppeteer-core';
import { eventually, type Sandbox } from '../helpers/sandbox.ts';
import {
  clickButton,
  events,
  heading,
  launchBrowser,
  openPage,
  startE2eSandbox,
  streamStates,
  takePhoto,
  waitForEvents,
  waitForHeading,
  waitForOutcome,
} from './harness.ts';

let sandbox: Sandbox;
let browser: Browser;

before(async () => {
  sandbox = await startE2eSandbox();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await sandbox?.close();
});

const sessionsCreated = () => sandbox.logs.filter((line) => JSON.parse(line).event === 'session.created').length;

/** The session token the element keeps in sessionStorage. */
async function storedSession(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i)!;
      if (key.startsWith('signicat-verify:')) return (JSON.parse(sessionStorage.getItem(key)!) as { session: string }).session;
    }
    return undefined;
  });
}

/** After a reload the first heading shown is either the intro's or the resumed step's. */
const FIRST_HEADING = /^(Verify your identity|Checking your document|You are verified)$/;

test('reload while waiting resumes the same session and reaches the outcome', async () => {
  await sandbox.control('/outcome', { status: 'accepted', delayMs: 4000 });
  const created = sessionsCreated();
  const delivered = sandbox.results.length;
  const { page, problems } = await openPage(browser, `${sandbox.url}/`);

  await clickButton(page, /^Start$/);
  await clickButton(page, null, { kind: 'passport' });
  await waitForHeading(page, /^Front of your document$/);
  await takePhoto(page);
  await waitForHeading(page, /^Take a selfie$/);
  await takePhoto(page);
  await waitForHeading(page, /^Check your photos$/);
  await clickButton(page, /^Send for verification$/);
  await waitForHeading(page, /^Checking your document$/);
  const session = await storedSession(page);
  assert.ok(session, 'the element keeps its session for a reload');
  assert.deepEqual(await events(page, 'signicat-verify-complete'), [], 'not final yet');

  await page.reload({ waitUntil: 'load' });
  assert.equal(await waitForHeading(page, FIRST_HEADING), 'Checking your document', 'back in waiting, not at the intro');
  assert.match(
    await page.$eval('signicat-verify >>> [part="status"]', (p) => p.textContent ?? ''),
    /Checking your document/,
  );
  assert.match(await waitForOutcome(page, 'accepted'), /You are verified/);

  const complete = await waitForEvents(page, 'signicat-verify-complete');
  assert.equal(complete.length, 1);
  assert.deepEqual(complete[0]!.detail, { status: 'accepted', session }, 'the same session completed');
  const statuses = (await events(page, 'signicat-verify-status')).map((e) => e.detail);
  assert.deepEqual(statuses, [
    { status: 'processing', final: false },
    { status: 'accepted', final: true },
  ]);
  assert.deepEqual(await streamStates(page), [], 'the resumed page did not open the camera');

  assert.equal(sessionsCreated(), created + 1, 'the server created one session');
  const result = await eventually(() => sandbox.results[delivered], 10_000, 'the result');
  assert.equal(result.status, 'accepted');
  assert.equal(sandbox.results.length, delivered + 1, 'one result');

  // A reload at the outcome shows the outcome again, still without a new session.
  await page.reload({ waitUntil: 'load' });
  assert.equal(await waitForHeading(page, FIRST_HEADING), 'You are verified');
  assert.equal(await heading(page), 'You are verified');
  assert.equal(sessionsCreated(), created + 1);

  assert.deepEqual(problems.list, []);
  await page.close();
});
