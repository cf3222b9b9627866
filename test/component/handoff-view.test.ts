/**
 * The hand-off views in Chromium, rendered on their own: the desktop's QR code (drawn from the proxy's
 * path, never as markup), link, expiry and live progress, its buttons, and the phone's last screen;
 * each accessible (axe). The whole two-device flow is test/e2e/handoff.test.ts.
 */
import { expect, fixture, html } from '@open-wc/testing';
import { render } from 'lit';
import type { FlowEvent, StateOf } from '../../component/flow/types.js';
import { en } from '../../component/i18n/en.js';
import { renderHandoff, renderPhoneDone } from '../../component/steps/handoff-view.js';

const LINK = {
  url: 'http://127.0.0.1:8787/h/AAAAAAAAAAAAAAAAAAAAAA',
  expiresAt: '2030-01-01T00:10:00Z',
  qr: { size: 29, path: 'M4 4h7v1h-7zM4 5h1v1h-1z' },
};

function state(over: Partial<StateOf<'handoff'>> = {}): StateOf<'handoff'> {
  return {
    cfg: { mode: 'capture', timing: { retryBaseMs: 1, retryAfterCapMs: 1, rateLimitDefaultMs: 1 } },
    cameraBlocked: true,
    step: 'handoff',
    side: 'front',
    phase: 'ready',
    link: LINK,
    progress: { state: 'open', uploaded: [] },
    work: {
      session: {
        token: 't',
        origin: 'element',
        mode: 'capture',
        sides: ['front', 'selfie'],
        uploaded: [],
        consentRequired: false,
        consentGiven: false,
      },
      images: {},
    },
    ...over,
  };
}

async function show(view: (act: (e: FlowEvent) => void) => unknown): Promise<{
  el: HTMLElement;
  acted: FlowEvent[];
}> {
  const acted: FlowEvent[] = [];
  const el = await fixture<HTMLElement>(html`<div></div>`);
  render(
    view((e) => acted.push(e)),
    el,
  );
  return { el, acted };
}

const texts = (el: HTMLElement, selector: string) =>
  [...el.querySelectorAll(selector)].map((n) => n.textContent!.replace(/\s+/g, ' ').trim());

describe('hand-off views', () => {
  it('shows the QR code from the proxy path, the link and its expiry', async () => {
    const { el, acted } = await show((act) => renderHandoff(state(), en, act));
    expect(el.querySelector('#heading')!.textContent).to.equal('Continue on your phone');
    const svg = el.querySelector('svg.qr')!;
    expect(svg.getAttribute('viewBox')).to.equal('0 0 29 29');
    expect(svg.getAttribute('role')).to.equal('img');
    expect(svg.getAttribute('aria-label')).to.equal(en.handoffQrLabel);
    expect(svg.querySelector('path')!.getAttribute('d')).to.equal(LINK.qr.path);
    const box = (svg.querySelector('path') as SVGPathElement).getBBox();
    expect(box.width).to.be.greaterThan(0);
    expect(el.querySelector<HTMLAnchorElement>('a[data-handoff-link]')!.href).to.equal(LINK.url);
    expect(texts(el, '[data-handoff-progress] li')).to.deep.equal(['Waiting for your phone…']);
    el.querySelector<HTMLButtonElement>('button[data-handoff-cancel]')!.click();
    expect(acted).to.deep.equal([{ type: 'handoff-cancel' }]);
    expect(texts(el, 'button')).to.deep.equal(['Cancel and stay on this computer']);
    await expect(el).to.be.accessible();
  });

  it('a path from the proxy is an attribute, never markup', async () => {
    const hostile = { ...LINK, qr: { size: 29, path: '"/><script>alert(1)</script>' } };
    const { el } = await show((act) => renderHandoff(state({ link: hostile }), en, act));
    expect(el.querySelector('script')).to.equal(null);
    expect(el.querySelector('svg.qr path')!.getAttribute('d')).to.equal(hostile.qr.path);
  });

  it('follows the phone: connected, then each side; the QR code goes away', async () => {
    const { el } = await show((act) =>
      renderHandoff(
        state({ progress: { state: 'claimed', uploaded: ['selfie', 'front'] } }),
        en,
        act,
      ),
    );
    expect(el.querySelector('svg.qr')).to.equal(null);
    expect(texts(el, '[data-handoff-progress] li')).to.deep.equal([
      'Phone connected. Take the photos on your phone.',
      '✓ Front of the document captured',
      '✓ Selfie captured',
    ]);
    expect(texts(el, 'button')).to.deep.equal(['Cancel the verification']);
    await expect(el).to.be.accessible();
  });

  it('an expired link offers a new one', async () => {
    const { el, acted } = await show((act) => renderHandoff(state({ phase: 'expired' }), en, act));
    expect(texts(el, '.notice')).to.deep.equal(['The link has expired.']);
    el.querySelector<HTMLButtonElement>('button.btn--primary')!.click();
    expect(acted).to.deep.equal([{ type: 'handoff-start' }]);
    await expect(el).to.be.accessible();
  });

  it('the phone: sent, or why the link could not be used', async () => {
    const done = await show(() =>
      renderPhoneDone({ ...state(), step: 'phone-done' } as StateOf<'phone-done'>, en),
    );
    expect(done.el.querySelector('#heading')!.textContent).to.equal(
      'You can go back to your computer',
    );
    await expect(done.el).to.be.accessible();
    const used = await show(() =>
      renderPhoneDone(
        { ...state(), step: 'phone-done', refused: 'handoff_used' } as StateOf<'phone-done'>,
        en,
      ),
    );
    expect(used.el.querySelector('#heading')!.textContent).to.equal('This link was already used');
  });
});
