/**
 * A reload in the middle of a verification resumes the same session (kept in sessionStorage): the element
 * comes back waiting, not at the intro, and reaches the outcome; the server never sees a second session.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { eventually } from '../helpers/sandbox.ts';
import {
  chooseCountryAndType,
  events,
  heading,
  openPage,
  streamStates,
  waitForEvents,
  waitForHeading,
  waitForOutcome,
  photographPassportAndSend,
  useE2e,
  sessionsCreated,
} from './harness.ts';

const e2e = useE2e();

/** The session token the element keeps in sessionStorage. */
async function storedSession(page: Page): Promise<string | undefined> {
  return page.evaluate(() => {
    for (let i = 0; i < sessionStorage.length; i++) {
      const key = sessionStorage.key(i)!;
      if (key.startsWith('signicat-verify:'))
        return (JSON.parse(sessionStorage.getItem(key)!) as { session: string }).session;
    }
    return undefined;
  });
}

/** After a reload the first heading shown is either the intro's or the resumed step's. */
const FIRST_HEADING = /^(Verify your identity|Checking your document|You are verified)$/;

test('reload while waiting resumes the same session and reaches the outcome', async () => {
  await e2e.sandbox.control('/outcome', { status: 'accepted', delayMs: 4000 });
  const created = sessionsCreated(e2e.sandbox);
  const delivered = e2e.sandbox.results.length;
  const { page, problems } = await openPage(e2e.browser, `${e2e.sandbox.url}/`);

  await chooseCountryAndType(page, { type: 'passport' });
  await photographPassportAndSend(page);
  await waitForHeading(page, /^Checking your document$/);
  const session = await storedSession(page);
  assert.ok(session, 'the element keeps its session for a reload');
  assert.deepEqual(await events(page, 'signicat-verify-complete'), [], 'not final yet');

  await page.reload({ waitUntil: 'load' });
  assert.equal(
    await waitForHeading(page, FIRST_HEADING),
    'Checking your document',
    'back in waiting, not at the intro',
  );
  assert.match(
    await page.$eval('signicat-verify >>> [part="status"]', (p) => p.textContent ?? ''),
    /Checking your document/,
  );
  assert.match(await waitForOutcome(page, 'accepted'), /You are verified/);

  const complete = await waitForEvents(page, 'signicat-verify-complete');
  assert.equal(complete.length, 1);
  assert.deepEqual(
    complete[0]!.detail,
    { status: 'accepted', session },
    'the same session completed',
  );
  const statuses = (await events(page, 'signicat-verify-status')).map((e) => e.detail);
  assert.deepEqual(statuses, [
    { status: 'processing', final: false },
    { status: 'accepted', final: true },
  ]);
  assert.deepEqual(await streamStates(page), [], 'the resumed page did not open the camera');

  assert.equal(sessionsCreated(e2e.sandbox), created + 1, 'the server created one session');
  const result = await eventually(() => e2e.sandbox.results[delivered], 10_000, 'the result');
  assert.equal(result.status, 'accepted');
  assert.equal(e2e.sandbox.results.length, delivered + 1, 'one result');

  // A reload at the outcome shows the outcome again, still without a new session.
  await page.reload({ waitUntil: 'load' });
  assert.equal(await waitForHeading(page, FIRST_HEADING), 'You are verified');
  assert.equal(await heading(page), 'You are verified');
  assert.equal(sessionsCreated(e2e.sandbox), created + 1);

  assert.deepEqual(problems.list, []);
  await page.close();
});
