/**
 * Phone-first layout (issue 11) on the demo page at 390×844 (phone) and 1280×800 (desktop): on every step,
 * without scrolling, the primary button is inside the viewport and not covered; the capture steps on the
 * phone fill the screen with a portrait preview, the card guide at least 85 % of the viewport's width and
 * the face guide sized to it; the numbered steps show "Step n of m".
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Page } from 'puppeteer-core';
import { openPage, screenshot, useE2e, type FinalStatus } from './harness.ts';
import { VIEWPORTS, walkCapture, type Step, type ViewportName } from './walk.ts';

const e2e = useE2e();

interface Measure {
  scrollY: number;
  viewport: { width: number; height: number };
  /** The primary button's box, and whether the point at its centre is that button. */
  primary?: {
    top: number;
    bottom: number;
    left: number;
    right: number;
    hit: boolean;
    text: string;
  };
  preview?: { width: number; height: number };
  guide?: { width: number; height: number };
  step?: string;
}

async function measure(page: Page): Promise<Measure> {
  // No named helpers in here: tsx would wrap them in a __name() call the page does not have.
  return page.evaluate(() => {
    const host = document.querySelector('signicat-verify')!;
    const root = host.shadowRoot!;
    const primary = [...root.querySelectorAll<HTMLElement>('[part~="button-primary"]')].find(
      (el) => el.getClientRects().length > 0,
    );
    const rect = primary?.getBoundingClientRect();
    let hit = false;
    if (rect && primary) {
      const x = rect.left + rect.width / 2;
      const y = rect.top + rect.height / 2;
      const top = document.elementFromPoint(x, y);
      const inner = top === host ? root.elementFromPoint(x, y) : top;
      hit = !!inner && (inner === primary || primary.contains(inner));
    }
    const [preview, guide] = ['[part="preview"]', '[part="guide"]'].map((selector) =>
      root.querySelector(selector)?.getBoundingClientRect(),
    );
    const indicator = root.querySelector('.bar__step')?.textContent?.trim();
    return {
      scrollY: window.scrollY,
      viewport: { width: window.innerWidth, height: window.innerHeight },
      ...(rect && {
        primary: {
          top: rect.top,
          bottom: rect.bottom,
          left: rect.left,
          right: rect.right,
          hit,
          text: primary!.textContent!.replace(/\s+/g, ' ').trim(),
        },
      }),
      ...(preview?.width && { preview: { width: preview.width, height: preview.height } }),
      ...(guide?.width && { guide: { width: guide.width, height: guide.height } }),
      ...(indicator && { step: indicator }),
    };
  });
}

function check(viewport: ViewportName, step: Step, m: Measure): void {
  const where = `${viewport} ${step.name}`;
  assert.equal(m.scrollY, 0, `${where}: not scrolled`);
  if (step.primary) {
    assert.ok(m.primary, `${where}: a primary button`);
    const { top, bottom, left, right, hit, text } = m.primary;
    assert.ok(
      top >= 0 && bottom <= m.viewport.height && left >= 0 && right <= m.viewport.width,
      `${where}: "${text}" inside the ${m.viewport.width}×${m.viewport.height} viewport (top ${Math.round(top)}, bottom ${Math.round(bottom)})`,
    );
    assert.ok(hit, `${where}: "${text}" is not covered`);
  }
  if (['country', 'document-type', 'capture-front', 'capture-selfie', 'review'].includes(step.name))
    assert.match(m.step ?? '', /^Step \d of \d$/, `${where}: the step indicator`);
  if (viewport === 'phone' && step.live) {
    const { width, height } = m.viewport;
    assert.ok(m.preview && m.guide, `${where}: preview and guide`);
    assert.ok(
      m.preview.height > m.preview.width,
      `${where}: a portrait preview on a portrait screen`,
    );
    assert.ok(m.preview.height >= height * 0.5, `${where}: the preview fills the screen`);
    const share = m.guide.width / width;
    if (step.live === 'document')
      assert.ok(share >= 0.85, `${where}: card guide ${Math.round(share * 100)} % of the width`);
    else assert.ok(share >= 0.6, `${where}: face guide ${Math.round(share * 100)} % of the width`);
  }
}

describe('layout: the primary action is on screen at every step', () => {
  const runs: Array<[ViewportName, FinalStatus]> = [
    ['phone', 'rejected'],
    ['desktop', 'inconclusive'],
    ['phone', 'canceled'],
  ];
  for (const [viewport, outcome] of runs) {
    test(`${viewport} ${VIEWPORTS[viewport].width}×${VIEWPORTS[viewport].height}, ending ${outcome}`, async () => {
      await e2e.sandbox.control('/outcome', { status: outcome, delayMs: 1500 });
      const { page, problems } = await openPage(e2e.browser, 'about:blank');
      await page.setViewport(VIEWPORTS[viewport]);
      await page.goto(`${e2e.sandbox.url}/`);
      const seen: string[] = [];
      await walkCapture(page, outcome, async (step) => {
        seen.push(step.name);
        check(viewport, step, await measure(page));
        await screenshot(page, `layout-${viewport}-${step.name}`);
      });
      assert.ok(seen.includes('capture-front') && seen.includes(`outcome-${outcome}`), seen.join());
      assert.deepEqual(problems.list, []);
      await page.close();
    });
  }
});
