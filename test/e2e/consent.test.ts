/**
 * Onfido in capture mode, on a page that mounts the script-tag build as an integrator would
 * (`<signicat-verify provider="onfido">`): no country step (Onfido takes no documentCountry), then the
 * consent step, which holds back the camera until the box is ticked; the first upload carries the
 * consent, and the verification (which the emulator refuses to start without `consents.privacy`)
 * reaches accepted.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { eventually } from '../helpers/sandbox.ts';
import {
  clickButton,
  events,
  heading,
  openPage,
  photographPassportAndSend,
  recordApi,
  streamStates,
  waitForEvents,
  waitForHeading,
  waitForOutcome,
  waitInElement,
  useE2e,
} from './harness.ts';

const e2e = useE2e();

const PAGE = '/e2e/onfido.html';
const ONFIDO_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <title>Onfido capture (e2e)</title>
    <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
    <script type="module" src="/signicat-verify.js"></script>
  </head>
  <body>
    <signicat-verify endpoint="/api" mode="capture" provider="onfido"></signicat-verify>
  </body>
</html>`;

/** The consent step's checkbox and notice, as the user and assistive technology see them. */
async function consentState(page: Page) {
  return page.evaluate(() => {
    const root = document.querySelector('signicat-verify')!.shadowRoot!;
    const box = root.querySelector<HTMLInputElement>('input[type="checkbox"]')!;
    const link = root.querySelector<HTMLAnchorElement>('a[href*="onfido"]');
    return {
      checked: box.checked,
      invalid: box.getAttribute('aria-invalid'),
      label: box.labels?.[0]?.textContent?.trim() ?? '',
      notice: root.querySelector('[role="alert"]')?.textContent?.trim() ?? '',
      link: link && { href: link.href, target: link.target, rel: link.rel },
    };
  });
}

test('Onfido capture: consent must be ticked before the first photo, goes with the first upload → accepted', async () => {
  await e2e.sandbox.control('/outcome', { status: 'accepted', delayMs: 300 });
  const delivered = e2e.sandbox.results.length;
  const { page, problems } = await openPage(e2e.browser, `${e2e.sandbox.url}${PAGE}`, {
    pages: { [PAGE]: ONFIDO_PAGE },
  });
  const apiCalls = recordApi(page);

  await waitForHeading(page, /^Verify your identity$/);
  await clickButton(page, /^Start$/);
  // Onfido needs no issuing country: straight to the document type, with no country named.
  await waitForHeading(page, /^Which document will you use\?$/);
  assert.equal(
    await page.$$eval('signicat-verify >>> .hint', (hints) =>
      hints.some((h) => /Issued in/.test(h.textContent ?? '')),
    ),
    false,
    'no country was chosen',
  );
  await clickButton(page, null, { kind: 'passport' });

  await waitForHeading(page, /^Your consent$/);
  let consent = await consentState(page);
  assert.deepEqual(
    consent.link,
    { href: 'https://onfido.com/privacy/', target: '_blank', rel: 'noopener noreferrer' },
    "Onfido's privacy notice, in a new tab",
  );
  assert.match(consent.label, /I have read Onfido's privacy notice and I agree/);
  assert.equal(consent.checked, false, 'not ticked for the user');

  // Continue without the tick: the step stays and says why; no camera, nothing uploaded.
  await clickButton(page, /^Continue$/);
  await page.waitForFunction(
    () =>
      /Tick the box/.test(
        document.querySelector('signicat-verify')?.shadowRoot?.querySelector('[role="alert"]')
          ?.textContent ?? '',
      ),
    { timeout: 5000 },
  );
  consent = await consentState(page);
  assert.equal(consent.invalid, 'true', 'the checkbox is marked invalid');
  assert.equal(await heading(page), 'Your consent', 'still the consent step');
  assert.deepEqual(await streamStates(page), [], 'the camera does not start before the consent');

  // Tick it (by its label, as a user would) and go on to the camera.
  const label = await waitInElement(page, 'label[for="consent"]');
  await label.click();
  await label.dispose();
  assert.equal((await consentState(page)).checked, true);
  await clickButton(page, /^Continue$/);
  await photographPassportAndSend(page);
  assert.match(await waitForOutcome(page, 'accepted'), /You are verified/);

  const complete = await waitForEvents(page, 'signicat-verify-complete');
  assert.deepEqual(
    complete.map((e) => e.detail['status']),
    ['accepted'],
  );
  assert.deepEqual(await events(page, 'signicat-verify-error'), []);

  // What the page sent: an Onfido session without a country that needs consent; the consent header on
  // the first upload only, each upload with the newest token.
  const calls = (await apiCalls()).filter((call) => call.path.startsWith('/sessions'));
  const created = calls.filter((call) => call.method === 'POST' && call.path === '/sessions');
  assert.equal(created.length, 1);
  const body = created[0]!.body as Record<string, unknown>;
  assert.deepEqual(
    [body['provider'], body['documentType'], body['documentCountry']],
    ['onfido', 'passport', undefined],
    JSON.stringify(body),
  );
  assert.equal(
    (created[0]!.answer as { consentRequired?: unknown }).consentRequired,
    true,
    'the proxy asked for consent',
  );
  const uploads = calls.filter((call) => call.method === 'PUT');
  assert.deepEqual(
    uploads.map((call) => [
      call.path.split('/').at(-1),
      call.status,
      call.headers['signicat-verify-consent'],
    ]),
    [
      ['front', 200, 'granted'],
      ['selfie', 200, undefined],
    ],
    'consent with the first upload only',
  );
  assert.equal(
    uploads[1]!.path.split('/')[2],
    (uploads[0]!.answer as { session: string }).session,
    'the second upload uses the refreshed token',
  );

  // Signicat's side: an Onfido process that the emulator agreed to verify (it needs consents.privacy
  // for a user at an unknown location, as 127.0.0.1 is).
  const result = await eventually(() => e2e.sandbox.results[delivered], 10_000, 'the result');
  assert.equal(result.status, 'accepted');
  assert.equal(result.result.provider, 'onfido');
  const record = await e2e.sandbox.server.proxy.store.findByProcess(result.processId);
  assert.equal(record?.consent, true, 'the proxy recorded the consent');

  assert.deepEqual(problems.list, []);
  await page.close();
});
