/**
 * The issuing-country step (Signicat Paper needs `documentCountry`) by keyboard only, on the demo page:
 * Tab into the combobox, browse with ↓/↑ and Escape, type "swe", ↓, Enter to choose Sweden, Enter to
 * continue; then a Swedish identity card with the camera reaches accepted, and the session was created
 * for Sweden (what the page sent, what the proxy answered and what it kept for the process).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../helpers/sandbox.ts';
import {
  chooseCountryAndType,
  clickButton,
  events,
  openPage,
  recordApi,
  takePhoto,
  waitForEvents,
  waitForHeading,
  waitForOutcome,
  useE2e,
} from './harness.ts';

const e2e = useE2e();

test('country by keyboard ("swe", ↓, Enter, Continue) → Swedish identity card → accepted, session for SE', async () => {
  await e2e.sandbox.control('/outcome', { status: 'accepted', delayMs: 300 });
  const delivered = e2e.sandbox.results.length;
  const { page, problems } = await openPage(e2e.browser, `${e2e.sandbox.url}/`);
  const apiCalls = recordApi(page);

  // Start with a click; the country step by keyboard only (the helper checks the combobox's ARIA states).
  await chooseCountryAndType(page, {
    type: 'identityCard',
    country: { search: 'swe', name: 'Sweden' },
  });
  await waitForHeading(page, /^Front of your document$/);

  // The session exists now, created after the country and the type were chosen.
  const calls = await apiCalls();
  const config = calls.find((call) => call.path.startsWith('/config'));
  assert.equal(
    (config?.answer as { countryRequired?: unknown } | undefined)?.countryRequired,
    true,
    'the default provider needs the country',
  );
  const created = calls.filter((call) => call.method === 'POST' && call.path === '/sessions');
  assert.equal(created.length, 1, 'one session');
  const body = created[0]!.body as Record<string, unknown>;
  assert.equal(
    body['documentCountry'],
    'SE',
    `the session asked for Sweden: ${JSON.stringify(body)}`,
  );
  assert.equal(body['documentType'], 'identityCard');
  assert.equal(created[0]!.status, 201);
  const answer = created[0]!.answer as { documentCountry?: unknown; provider?: unknown };
  assert.deepEqual(
    [answer.provider, answer.documentCountry],
    ['signicatpaper', 'SE'],
    'the proxy took Sweden',
  );

  await takePhoto(page);
  await waitForHeading(page, /^Back of your document$/);
  await takePhoto(page);
  await waitForHeading(page, /^Take a selfie$/);
  await takePhoto(page);
  await waitForHeading(page, /^Check your photos$/);
  await clickButton(page, /^Send for verification$/);
  assert.match(await waitForOutcome(page, 'accepted'), /You are verified/);

  const complete = await waitForEvents(page, 'signicat-verify-complete');
  assert.deepEqual(
    complete.map((e) => e.detail['status']),
    ['accepted'],
  );
  assert.deepEqual(await events(page, 'signicat-verify-error'), []);

  // The process the proxy created at the first upload is Signicat Paper's, for a Swedish identity card.
  const result = await eventually(() => e2e.sandbox.results[delivered], 10_000, 'the result');
  assert.equal(result.status, 'accepted');
  assert.equal(result.result.provider, 'signicatpaper');
  assert.equal(result.result.finalResult?.['documentType'], 'identityCard');
  const record = await e2e.sandbox.server.proxy.store.findByProcess(result.processId);
  assert.ok(record, 'the proxy knows the process');
  assert.deepEqual(
    [record.provider, record.documentType, record.documentCountry],
    ['signicatpaper', 'identityCard', 'SE'],
  );

  assert.deepEqual(problems.list, []);
  await page.close();
});
