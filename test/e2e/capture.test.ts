/**
 * Capture mode on the demo page, in headless Chromium with the fake camera, against the real server in
 * sandbox mode: intro → issuing country → document type → front/back/selfie with the camera → review → upload → waiting →
 * outcome, for every final status the emulator can report.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import type { ResultPayload } from '../../server/delivery/types.ts';
import { eventually } from '../helpers/sandbox.ts';
import {
  chooseCountryAndType,
  clickButton,
  events,
  jpegSize,
  openPage,
  screenshot,
  streamStates,
  takePhoto,
  waitForCamera,
  waitForEvents,
  waitForHeading,
  waitForOutcome,
  waitInElement,
  type FinalStatus,
  photographPassportAndSend,
  recordApi,
  useE2e,
  type ApiExchange,
} from './harness.ts';

// Keep the dossiers after delivery, so the test can read the images the emulator received.
const e2e = useE2e({ sandbox: { env: { DELETE_AFTER_DELIVERY: 'false' } } });

/**
 * The images the emulator holds for a delivered result, by Get image (`?depiction=`) for each of the
 * process's `depictions`: unlike Download full result, it answers for a failed process too.
 */
async function receivedImages(result: ResultPayload): Promise<Record<string, Uint8Array>> {
  const depictions = result.result['depictions'];
  assert.ok(
    Array.isArray(depictions),
    `the process lists its depictions: ${JSON.stringify(result.result)}`,
  );
  const images: Record<string, Uint8Array> = {};
  for (const depiction of depictions as string[]) {
    const response = await e2e.sandbox.assure(
      `/assure/dossiers/${result.dossierId}/processes/${result.processId}/images?depiction=${depiction}`,
    );
    assert.equal(response.status, 200, `the ${depiction} image can be read`);
    images[`${depiction}.jpg`] = new Uint8Array(await response.arrayBuffer());
  }
  return images;
}

function assertProcessedJpeg(name: string, bytes: Uint8Array): void {
  assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], `${name} is a JPEG`);
  assert.ok(bytes.length <= 1_000_000, `${name} is at most 1 MB (${bytes.length} bytes)`);
  const { width, height } = jpegSize(bytes);
  assert.ok(width > 0 && height > 0, `${name} has a size`);
  assert.ok(Math.max(width, height) <= 2000, `${name} long edge ≤ 2000 px (${width}×${height})`);
}

/** Status and complete events: statuses in order, ending with the final one; complete exactly once. */
async function assertEvents(page: Page, status: FinalStatus): Promise<string> {
  const complete = await waitForEvents(page, 'signicat-verify-complete');
  const statuses = (await events(page, 'signicat-verify-status')).map((e) => e.detail);
  assert.ok(statuses.length >= 2, `status events: ${JSON.stringify(statuses)}`);
  assert.deepEqual(
    statuses.at(-1),
    { status, final: true },
    'the last status event is the final status',
  );
  for (const detail of statuses.slice(0, -1)) {
    assert.ok(
      ['pending', 'processing'].includes(detail['status'] as string),
      `${JSON.stringify(detail)} before the end`,
    );
    assert.equal(detail['final'], false);
  }
  assert.ok(
    statuses.some((d) => d['status'] === 'processing'),
    'processing was reported',
  );
  assert.equal(complete.length, 1, 'complete fired exactly once');
  assert.equal(complete[0]!.detail['status'], status);
  const session = complete[0]!.detail['session'];
  assert.equal(typeof session, 'string');
  assert.deepEqual(await events(page, 'signicat-verify-error'), [], 'no error events');
  return session as string;
}

/** The session token in an API path (`/sessions/<token>/…`). */
const tokenIn = (path: string): string => decodeURIComponent(path.split('/')[2] ?? '');

/**
 * What the page sent the proxy: one session with the chosen type and country, then one upload per side,
 * each answered `200 {session}` with a refreshed token that the next call uses; submit and every read
 * after it use the newest token, which is also the one the complete event reports.
 */
async function assertTokenChain(
  calls: ApiExchange[],
  completed: string,
  expected: { documentType: string; documentCountry: string; sides: string[] },
): Promise<void> {
  const sessionCalls = calls.filter((call) => call.path.startsWith('/sessions'));
  const created = sessionCalls.filter(
    (call) => call.method === 'POST' && call.path === '/sessions',
  );
  assert.equal(created.length, 1, 'one session was created');
  assert.equal(created[0]!.status, 201);
  const asked = created[0]!.body as Record<string, unknown>;
  assert.deepEqual(
    [asked['mode'], asked['documentType'], asked['documentCountry']],
    ['capture', expected.documentType, expected.documentCountry],
    `the session request: ${JSON.stringify(asked)}`,
  );
  assert.equal(new URL(String(asked['pageUrl'])).origin, e2e.sandbox.url, 'pageUrl is the page');
  const answer = created[0]!.answer as { session: string; documentCountry: string };
  assert.equal(answer.documentCountry, expected.documentCountry);

  let token = answer.session;
  const uploads = sessionCalls.filter((call) => call.method === 'PUT');
  assert.deepEqual(
    uploads.map((call) => call.path.split('/').at(-1)),
    expected.sides,
    'one upload per side, in order',
  );
  for (const upload of uploads) {
    assert.equal(upload.status, 200, `${upload.path} answers 200 with a session`);
    assert.equal(tokenIn(upload.path), token, 'each upload uses the newest token');
    const refreshed = (upload.answer as { session?: unknown } | undefined)?.session;
    assert.ok(
      typeof refreshed === 'string' && refreshed !== token,
      'the upload answers a refreshed token',
    );
    token = refreshed;
  }
  const afterUploads = sessionCalls.slice(sessionCalls.indexOf(uploads.at(-1)!) + 1);
  assert.ok(
    afterUploads.some((call) => call.method === 'POST' && call.path.endsWith('/submit')),
    'submitted',
  );
  for (const call of afterUploads)
    assert.equal(
      tokenIn(call.path),
      token,
      `${call.method} ${call.path.split('/').slice(3).join('/')} uses the newest token`,
    );
  assert.equal(completed, token, 'the complete event reports the newest token');
}

async function waitForResult(processed: number): Promise<ResultPayload> {
  return eventually(
    () => e2e.sandbox.results[processed],
    10_000,
    'the proxy to deliver the result',
  );
}

describe('capture mode on the demo page', () => {
  test('identity card with the camera: front, back, selfie → accepted', async () => {
    // Long enough to see (and photograph) the waiting step; the rest of the file uses short delays.
    await e2e.sandbox.control('/outcome', { status: 'accepted', delayMs: 1500 });
    const delivered = e2e.sandbox.results.length;
    const { page, problems } = await openPage(e2e.browser, `${e2e.sandbox.url}/`);
    const apiCalls = recordApi(page);

    assert.equal(
      await page.$eval(
        'input[name="mode"][value="capture"]',
        (r) => (r as HTMLInputElement).checked,
      ),
      true,
    );
    assert.equal(new URL(page.url()).searchParams.get('mode'), 'capture');
    await waitForHeading(page, /^Verify your identity$/);
    await screenshot(page, '01-intro', 'signicat-verify');

    // The preselected default country (the sandbox's Norway), picked again from the whole list with the mouse.
    await chooseCountryAndType(page, {
      type: 'identityCard',
      pointer: true,
      shots: { country: '02-country', type: '02-document-type' },
    });

    await waitForHeading(page, /^Front of your document$/);
    await takePhoto(page, '03-capture-front');
    await waitForHeading(page, /^Back of your document$/);
    await takePhoto(page);

    await waitForHeading(page, /^Take a selfie$/);
    await waitForCamera(page);
    // The document camera was released before (or when) the selfie camera started.
    const atSelfie = await streamStates(page);
    assert.equal(atSelfie.length, 3, 'one stream per side');
    assert.deepEqual(atSelfie.slice(0, -1).flat(), ['ended', 'ended'], 'document streams ended');
    assert.deepEqual(atSelfie.at(-1), ['live'], 'the selfie stream is live');
    const asked = await page.evaluate(
      () =>
        (
          window as unknown as {
            __constraints: Array<{ video: { facingMode?: { ideal: string } } }>;
          }
        ).__constraints,
    );
    assert.deepEqual(
      asked.map((c) => c.video.facingMode?.ideal),
      ['environment', 'environment', 'user'],
      'rear camera for the document, front camera for the selfie',
    );
    await clickButton(page, /^Take photo$/);
    await waitInElement(page, '.preview--still img');
    await clickButton(page, /^Use this photo$/);

    await waitForHeading(page, /^Check your photos$/);
    const reviewed = await page.$$eval('signicat-verify >>> .review__item img', (imgs) =>
      imgs.map(
        (img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0,
      ),
    );
    assert.deepEqual(reviewed, [true, true, true], 'the review shows three decoded photos');
    await screenshot(page, '04-review', 'signicat-verify');
    await clickButton(page, /^Send for verification$/);

    await waitForHeading(page, /^Checking your document$/);
    await screenshot(page, '05-waiting', 'signicat-verify');
    const text = await waitForOutcome(page, 'accepted');
    assert.match(text, /You are verified/);
    await screenshot(page, '06-accepted', 'signicat-verify');
    // The demo page reacts to the complete event.
    await page.waitForSelector('#account-ready:not([hidden])');

    const session = await assertEvents(page, 'accepted');
    await assertTokenChain(await apiCalls(), session, {
      documentType: 'identityCard',
      documentCountry: 'NO',
      sides: ['front', 'back', 'selfie'],
    });
    const states = await streamStates(page);
    assert.equal(states.length, 3);
    assert.ok(
      states.flat().every((s) => s === 'ended'),
      `every camera track ended: ${JSON.stringify(states)}`,
    );

    // What the proxy knows and what it delivered.
    const state = (await (await e2e.sandbox.api(`/sessions/${session}`)).json()) as {
      status: string;
      final: boolean;
    };
    assert.equal(state.status, 'accepted');
    assert.equal(state.final, true);
    const result = await waitForResult(delivered);
    assert.equal(e2e.sandbox.results.length, delivered + 1, 'exactly one result delivered');
    assert.equal(result.status, 'accepted');
    assert.equal(result.mode, 'capture');
    // Get process carries no top-level documentType (spec: Process); the read document's type is in finalResult.
    assert.equal(result.result.finalResult?.['documentType'], 'identityCard');

    // What the emulator (Signicat) received: three real, bounded JPEGs.
    const images = await receivedImages(result);
    assert.deepEqual(Object.keys(images).sort(), ['back.jpg', 'front.jpg', 'selfie.jpg']);
    for (const [name, bytes] of Object.entries(images)) assertProcessedJpeg(name, bytes);
    assert.deepEqual(
      jpegSize(images['front.jpg']!),
      { width: 640, height: 480 },
      'the camera frame, not a thumbnail',
    );

    assert.deepEqual(problems.list, []);
    await page.close();
  });

  for (const status of ['rejected', 'inconclusive', 'failed'] as const) {
    test(`passport with the camera: front, selfie → ${status}`, async () => {
      await e2e.sandbox.control('/outcome', { status, delayMs: 300 });
      const delivered = e2e.sandbox.results.length;
      const { page, problems } = await openPage(e2e.browser, `${e2e.sandbox.url}/`);
      const apiCalls = recordApi(page);

      await chooseCountryAndType(page, { type: 'passport' });
      await photographPassportAndSend(page);

      const headings: Record<typeof status, RegExp> = {
        rejected: /We could not verify you/,
        inconclusive: /We could not get a clear result/,
        failed: /Something went wrong/,
      };
      const text = await waitForOutcome(page, status);
      assert.match(text, headings[status]);
      assert.match(text, /Try again/, 'a way to start over is offered');
      assert.equal(
        await page.$eval('#account-ready', (el) => (el as HTMLElement).hidden),
        true,
        'no account for a failed check',
      );

      const session = await assertEvents(page, status);
      await assertTokenChain(await apiCalls(), session, {
        documentType: 'passport',
        documentCountry: 'NO',
        sides: ['front', 'selfie'],
      });
      const states = await streamStates(page);
      assert.equal(states.length, 2);
      assert.ok(
        states.flat().every((s) => s === 'ended'),
        `every camera track ended: ${JSON.stringify(states)}`,
      );

      const result = await waitForResult(delivered);
      assert.equal(result.status, status);
      // Signicat's own process body says the same (the type was checked in the session request); a failed
      // process carries its failReason (spec: Process.failReason), the others do not.
      assert.deepEqual([result.result.status, result.result.provider], [status, 'signicatpaper']);
      assert.equal(
        result.result.failReason !== undefined,
        status === 'failed',
        `failReason: ${JSON.stringify(result.result.failReason)}`,
      );
      const images = await receivedImages(result);
      assert.deepEqual(Object.keys(images).sort(), ['front.jpg', 'selfie.jpg']);
      for (const [name, bytes] of Object.entries(images)) assertProcessedJpeg(name, bytes);

      assert.deepEqual(problems.list, []);
      await page.close();
    });
  }
});
