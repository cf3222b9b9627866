/**
 * The whole capture flow on the demo page by keyboard only (Tab, Shift+Tab, Enter, arrow keys; no
 * clicks), with the fake camera: intro → issuing country → document type → front → back → selfie →
 * review → send → waiting → outcome, and Back. After every step the focused element (followed into the
 * element's shadow root) must be the new step's heading (WCAG 2.4.3: focus never drops to <body>).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Page } from 'puppeteer-core';
import {
  chooseCountryByKeyboard,
  openPage,
  screenshot,
  useE2e,
  waitForHeading,
  waitForOutcome,
} from './harness.ts';

const e2e = useE2e();

/** The focused element, followed through shadow roots: `tag#id "text"`. */
async function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let active = document.activeElement;
    while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
    if (!active || active === document.body) return 'body';
    const id = active.id ? `#${active.id}` : '';
    return `${active.tagName.toLowerCase()}${id} "${active.textContent?.replace(/\s+/g, ' ').trim()}"`;
  });
}

/** The new step's heading has focus (waits for the step, then checks where focus is). */
async function assertFocusOnHeading(page: Page, text: RegExp): Promise<void> {
  await waitForHeading(page, text, 20_000);
  // One look at both: a step that passes by itself (sending → checking) may change the heading meanwhile.
  const onHeading = await page
    .waitForFunction(
      (source: string, flags: string) => {
        let active = document.activeElement;
        while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
        return (
          active?.id === 'heading' &&
          new RegExp(source, flags).test(active.textContent?.trim() ?? '')
        );
      },
      { timeout: 5000 },
      text.source,
      text.flags,
    )
    .then(
      () => true,
      () => false,
    );
  assert.ok(onHeading, `focus on the ${text} heading, not on ${await focused(page)}`);
}

/**
 * Tabs (forward, or backward with `back`) until a button whose text matches `label` has focus, then
 * presses Enter. Fails after `max` presses.
 */
async function activate(page: Page, label: RegExp, options: { back?: boolean; max?: number } = {}) {
  const { back = false, max = 40 } = options;
  for (let i = 0; i <= max; i++) {
    const now = await focused(page);
    const match = /^button "(.*)"$/.exec(now);
    if (match && label.test(match[1]!)) {
      await page.keyboard.press('Enter');
      return match[1]!;
    }
    if (back) {
      await page.keyboard.down('Shift');
      await page.keyboard.press('Tab');
      await page.keyboard.up('Shift');
    } else {
      await page.keyboard.press('Tab');
    }
  }
  throw new Error(`no button ${label} within ${max} Tab presses (focus: ${await focused(page)})`);
}

/** A capture step with the live camera: the shutter (or an automatic capture), then keep the photo. */
async function photograph(page: Page, heading: RegExp): Promise<void> {
  await assertFocusOnHeading(page, heading);
  await page.waitForFunction(
    () => {
      const root = document.querySelector('signicat-verify')?.shadowRoot;
      const shutter = root?.querySelector<HTMLButtonElement>('.btn--shutter');
      return (shutter && !shutter.disabled) || root?.querySelector('.preview--still img');
    },
    { timeout: 15_000 },
  );
  const pressed = await activate(page, /^(Take photo|Use this photo|Use it anyway)$/);
  if (pressed === 'Take photo') {
    // The still replaces the preview: focus goes to the step's heading, then on to keep it.
    await page.waitForFunction(
      () =>
        document.querySelector('signicat-verify')?.shadowRoot?.querySelector('.preview--still img'),
      { timeout: 15_000 },
    );
    await assertFocusOnHeading(page, heading);
    await activate(page, /^(Use this photo|Use it anyway)$/);
  }
}

test('the whole capture flow by keyboard only, with focus on each new step’s heading', async () => {
  await e2e.sandbox.control('/outcome', { status: 'accepted', delayMs: 300 });
  const { page, problems } = await openPage(e2e.browser, `${e2e.sandbox.url}/`);
  await page.setViewport({ width: 1280, height: 800 });
  await waitForHeading(page, /^Verify your identity$/);
  assert.equal(await focused(page), 'body', 'the element takes no focus on page load');

  // From the top of the page, Tab reaches Start inside the element.
  await activate(page, /^Start$/, { max: 60 });
  await assertFocusOnHeading(page, /^Which country issued your document\?$/);
  await chooseCountryByKeyboard(page, { search: 'swe', name: 'Sweden' });

  await assertFocusOnHeading(page, /^Which document will you use\?$/);
  // Back, by keyboard, to the country; then on again to the document type.
  await activate(page, /^Back$/, { back: true });
  await assertFocusOnHeading(page, /^Which country issued your document\?$/);
  await activate(page, /^Continue$/);
  await assertFocusOnHeading(page, /^Which document will you use\?$/);
  await activate(page, /^National identity card$/);

  await photograph(page, /^Front of your document$/);
  await photograph(page, /^Back of your document$/);
  // Back from the selfie: the back's photo is kept, to use again.
  await assertFocusOnHeading(page, /^Take a selfie$/);
  await activate(page, /^Back$/, { back: true });
  await assertFocusOnHeading(page, /^Back of your document$/);
  await activate(page, /^(Use this photo|Use it anyway)$/);
  await photograph(page, /^Take a selfie$/);

  await assertFocusOnHeading(page, /^Check your photos$/);
  await screenshot(page, 'keyboard-review');
  await activate(page, /^Send for verification$/);
  await assertFocusOnHeading(
    page,
    /^(Sending your photos|Checking your document|You are verified)$/,
  );
  await waitForOutcome(page, 'accepted');
  await assertFocusOnHeading(page, /^You are verified$/);
  assert.deepEqual(problems.list, []);
  await page.close();
});

test('Cancel by keyboard from a capture step: focus on the canceled outcome', async () => {
  const { page, problems } = await openPage(e2e.browser, `${e2e.sandbox.url}/`);
  await waitForHeading(page, /^Verify your identity$/);
  await activate(page, /^Start$/, { max: 60 });
  await assertFocusOnHeading(page, /^Which country issued your document\?$/);
  await activate(page, /^Continue$/);
  await assertFocusOnHeading(page, /^Which document will you use\?$/);
  await activate(page, /^Passport$/);
  await assertFocusOnHeading(page, /^Front of your document$/);
  await activate(page, /^Cancel$/, { back: true });
  await waitForOutcome(page, 'canceled');
  await assertFocusOnHeading(page, /^Verification canceled$/);
  const tracks = await page.evaluate(
    () =>
      (window as unknown as { __streams?: MediaStream[] }).__streams
        ?.flatMap((s) => s.getTracks())
        .filter((t) => t.readyState === 'live').length ?? 0,
  );
  assert.equal(tracks, 0, 'the camera is off');
  assert.deepEqual(problems.list, []);
  await page.close();
});
