/**
 * Provider-SDK mode (path D1) on /provider-sdk.html: the element hands the provider token to the host
 * page, the emulator's stand-in SDK uploads the images with it, and the element submits and follows the
 * verification to its outcome. A failing SDK ends in a `provider_failed` error.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unzipSync } from 'fflate';
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
  type FinalStatus,
  useE2e,
} from './harness.ts';

const e2e = useE2e({ sandbox: { env: { DELETE_AFTER_DELIVERY: 'false' } } });

/** Start → the hand-over event (the `nth` on this page) → the host page's provider window. Returns its detail. */
async function startProviderFlow(page: Page, nth = 1): Promise<Record<string, unknown>> {
  await waitForHeading(page, /^Verify your identity$/);
  assert.equal(
    await page.$eval('#provider-window', (el) => (el as HTMLElement).hidden),
    true,
    'no provider window before Start',
  );
  await clickButton(page, /^Start$/);
  const handoffs = await waitForEvents(page, 'signicat-verify-provider-sdk', nth);
  assert.equal(handoffs.length, nth, 'one hand-over per start');
  const handoff = handoffs[nth - 1];
  await page.waitForSelector('#provider-window:not([hidden])');
  await waitForHeading(page, /^Continue in the verification window$/);
  return handoff!.detail;
}

for (const status of ['accepted', 'rejected'] as const satisfies readonly FinalStatus[]) {
  test(`provider SDK uploads with the token, the element submits → ${status}`, async () => {
    await e2e.sandbox.control('/outcome', { status, delayMs: 300 });
    const delivered = e2e.sandbox.results.length;
    const { page, problems } = await openPage(e2e.browser, `${e2e.sandbox.url}/provider-sdk.html`);

    const detail = await startProviderFlow(page);
    assert.deepEqual(Object.keys(detail).sort(), ['provider', 'session', 'token']);
    assert.equal(detail['provider'], 'onfido');
    assert.ok(
      typeof detail['token'] === 'string' && detail['token'].length >= 16,
      'a provider token',
    );
    assert.ok(typeof detail['session'] === 'string' && detail['session'] !== detail['token']);
    if (status === 'accepted') await screenshot(page, 'provider-window', 'section.signup');

    const sdk = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/emulator/provider-sdk/sdk.js',
    );
    const upload = page.waitForResponse((r) =>
      /^\/emulator\/provider-sdk\/onfido\/images$/.test(new URL(r.url()).pathname),
    );
    await page.click('#provider-capture');
    assert.equal((await sdk).status(), 200, 'the stand-in SDK was loaded');
    assert.ok((await upload).ok(), 'the stand-in SDK uploaded the images');

    const text = await waitForOutcome(page, status);
    assert.match(text, status === 'accepted' ? /You are verified/ : /We could not verify you/);
    assert.equal(
      await page.$eval('#provider-window', (el) => (el as HTMLElement).hidden),
      true,
      'the provider window closed',
    );

    const complete = await waitForEvents(page, 'signicat-verify-complete');
    assert.deepEqual(
      complete.map((e) => e.detail),
      [{ status, session: detail['session'] }],
    );
    const statuses = (await events(page, 'signicat-verify-status')).map((e) => e.detail);
    assert.ok(
      statuses.some((s) => s['status'] === 'processing'),
      JSON.stringify(statuses),
    );
    assert.deepEqual(statuses.at(-1), { status, final: true });
    assert.deepEqual(await events(page, 'signicat-verify-error'), []);

    const result = await eventually(() => e2e.sandbox.results[delivered], 10_000, 'the result');
    assert.equal(result.mode, 'provider-sdk');
    assert.equal(result.status, status);
    assert.equal(result.result.provider, 'onfido');
    const zip = await e2e.sandbox.assure(
      `/assure/dossiers/${result.dossierId}/processes/${result.processId}/download`,
    );
    const names = Object.keys(unzipSync(new Uint8Array(await zip.arrayBuffer())));
    assert.ok(
      names.some((n) => n.startsWith('front.')) && names.some((n) => n.startsWith('selfie.')),
      `images: ${names}`,
    );

    assert.deepEqual(problems.list, []);
    await page.close();
  });
}

test('provider SDK failure → provider_failed error, and a way to start again', async () => {
  await e2e.sandbox.control('/outcome', { status: 'accepted', delayMs: 300 });
  const delivered = e2e.sandbox.results.length;
  const { page, problems } = await openPage(e2e.browser, `${e2e.sandbox.url}/provider-sdk.html`);

  await startProviderFlow(page);
  await page.click('#provider-fail');

  const [error] = await waitForEvents(page, 'signicat-verify-error');
  assert.deepEqual(error!.detail, {
    code: 'provider_failed',
    message: 'The user closed the provider window.',
    recoverable: false,
  });
  await waitForHeading(page, /^The verification window stopped$/);
  assert.match(
    await page.$eval('signicat-verify >>> [role="alert"]', (p) => p.textContent ?? ''),
    /The verification window reported a problem/,
  );
  // The provider SDK's own reason reaches the screen.
  assert.match(
    await page.$eval('signicat-verify', (el) => el.shadowRoot?.textContent ?? ''),
    /Reason given: The user closed the provider window\./,
  );
  assert.deepEqual(await events(page, 'signicat-verify-complete'), [], 'nothing completed');
  assert.equal(await page.$eval('#provider-window', (el) => (el as HTMLElement).hidden), true);

  // "Start again" → intro → a new hand-over with a new session.
  const first = (await events(page, 'signicat-verify-provider-sdk'))[0]!.detail;
  await clickButton(page, /^Start again$/);
  const second = await startProviderFlow(page, 2);
  assert.notEqual(second['session'], first['session'], 'a fresh session');
  assert.notEqual(second['token'], first['token'], 'a fresh provider token');
  assert.equal(
    e2e.sandbox.results.length,
    delivered,
    'nothing was delivered for the failed attempt',
  );

  assert.deepEqual(problems.list, []);
  await page.close();
});
