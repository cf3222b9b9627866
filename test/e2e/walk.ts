/**
 * Walks the demo page's capture flow step by step (passport, the sandbox's default country, the fake
 * camera) and hands each step to a callback: the layout test measures it (layout.test.ts), the screenshot
 * script photographs it (scripts/screenshots.ts). Every step is shown scrolled to the top of the page,
 * as a user arriving on it would see it.
 */
import type { Page } from 'puppeteer-core';
import {
  clickButton,
  waitForCamera,
  waitForHeading,
  waitForOutcome,
  waitInElement,
  type FinalStatus,
} from './harness.ts';

export const VIEWPORTS = {
  phone: { width: 390, height: 844, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  desktop: { width: 1280, height: 800 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

/** A step of the walk: a stable name (used in file names) and whether it has a primary action. */
export interface Step {
  name: string;
  primary: boolean;
  /** A capture step with the live preview (its guide is measured). */
  live?: 'document' | 'face';
}

export type OnStep = (step: Step) => Promise<void>;

async function top(page: Page): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  // Two frames: the scroll and any pending render land before the step is looked at.
  await page.evaluate(
    () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))),
  );
}

async function at(page: Page, step: Step, onStep: OnStep): Promise<void> {
  await top(page);
  await onStep(step);
}

/** A still of the current side, kept with whichever button the quality verdict offers. */
async function keepStill(page: Page): Promise<void> {
  await waitInElement(page, '.preview--still img');
  await clickButton(page, /^(Use this photo|Use it anyway)$/);
}

/** Intro → country → document → front → selfie → review → waiting → `outcome`. */
export async function walkCapture(
  page: Page,
  outcome: FinalStatus,
  onStep: OnStep,
  options: { only?: 'outcome' } = {},
): Promise<void> {
  const visit =
    options.only === 'outcome' ? async () => {} : (step: Step) => at(page, step, onStep);
  await waitForHeading(page, /^Verify your identity$/);
  await visit({ name: 'intro', primary: true });
  await clickButton(page, /^Start$/);
  await waitForHeading(page, /^Which country issued your document\?$/);
  await waitInElement(page, 'input[role="combobox"]:not([disabled])');
  await visit({ name: 'country', primary: true });
  await clickButton(page, /^Continue$/);
  await waitForHeading(page, /^Which document will you use\?$/);
  await waitInElement(page, 'button[data-kind="passport"]');
  await visit({ name: 'document-type', primary: false });
  await clickButton(page, null, { kind: 'passport' });

  await waitForHeading(page, /^Front of your document$/);
  await waitForCamera(page);
  await visit({ name: 'capture-front', primary: true, live: 'document' });
  await clickButton(page, /^Take photo$/);
  await waitInElement(page, '.preview--still img');
  await visit({ name: 'capture-front-still', primary: true });
  await keepStill(page);

  await waitForHeading(page, /^Take a selfie$/);
  await waitForCamera(page);
  await visit({ name: 'capture-selfie', primary: true, live: 'face' });
  await clickButton(page, /^Take photo$/);
  await keepStill(page);

  await waitForHeading(page, /^Check your photos$/);
  await visit({ name: 'review', primary: true });
  if (outcome === 'canceled') {
    await clickButton(page, /^Cancel$/);
  } else {
    await clickButton(page, /^Send for verification$/);
    await waitForHeading(page, /^(Sending your photos|Checking your document)$/);
    await visit({ name: 'waiting', primary: false });
  }
  await waitForOutcome(page, outcome, 30_000);
  await at(page, { name: `outcome-${outcome}`, primary: outcome !== 'accepted' }, onStep);
}
