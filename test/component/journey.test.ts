/**
 * No dead ends in the browser (issue 11): the bar with Back, "Step n of m" and Cancel; Cancel that calls
 * the proxy and shows the canceled outcome; each outcome's own icon and colour; the support link and slot;
 * focus that never drops to <body>; the notice after a reload mid-capture.
 */
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../component/define.js';
import type { SignicatVerifyCompleteEvent, SignicatVerifyElement } from '../../component/index.js';
import { FakeProxy } from './fake-proxy.js';
import {
  click,
  continueCountry,
  fastTiming,
  findButton,
  chooseFile,
  makeJpeg,
  root,
  waitForHeading,
} from './helpers.js';

const START_URL = location.href;

/** The element that has focus, inside the shadow root. */
const focused = (el: SignicatVerifyElement) => root(el).activeElement as HTMLElement | null;
const barText = (el: SignicatVerifyElement) =>
  root(el).querySelector('.bar')?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

describe('<signicat-verify> journey', () => {
  let proxy: FakeProxy;
  let restoreTiming: () => void;

  beforeEach(() => {
    sessionStorage.clear();
    proxy = new FakeProxy();
    restoreTiming = fastTiming();
  });

  afterEach(() => {
    proxy.restore();
    restoreTiming();
    sessionStorage.clear();
    history.replaceState(null, '', START_URL);
  });

  it('should show Back and "Step 1 of 4" on the document choice, and go back to the intro with focus on its heading', async () => {
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify provider="onfido"></signicat-verify>`,
    );
    await click(el, 'Start');
    await waitForHeading(el, 'Which document will you use?');
    expect(barText(el)).to.equal('Back Step 1 of 4');
    expect(focused(el)?.id).to.equal('heading');
    await expect(el).to.be.accessible();
    await click(el, 'Back');
    await waitForHeading(el, 'Verify your identity');
    expect(root(el).querySelector('.bar')).to.equal(null);
    expect(focused(el)?.id).to.equal('heading');
  });

  it('should let the user change the document choice from the first photo', async () => {
    const el = await fixture<SignicatVerifyElement>(html`<signicat-verify></signicat-verify>`);
    await click(el, 'Start');
    await continueCountry(el);
    await waitForHeading(el, 'Which document will you use?');
    await click(el, 'Passport');
    await waitForHeading(el, 'Front of your document');
    expect(barText(el)).to.equal('Back Step 2 of 4 Cancel');
    expect(focused(el)?.id, 'focus on the new step, not <body>').to.equal('heading');
    await click(el, 'Back'); // the choice is asked again: the issuing country first (this provider needs it)
    await continueCountry(el);
    await waitForHeading(el, 'Which document will you use?');
    await click(el, 'National identity card');
    await waitForHeading(el, 'Front of your document');
    expect(barText(el)).to.contain('Step 2 of 5');
    const created = proxy.calls('POST', '/sessions').map((r) => (r.body as any).documentType);
    expect(created).to.deep.equal(['passport', 'identityCard']);
  });

  it('should keep focus in the element when the camera gives way to the file picker', async () => {
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify document-type="passport" document-country="UNIV"></signicat-verify>`,
    );
    await click(el, 'Start');
    await waitForHeading(el, 'Front of your document');
    await click(el, 'Upload a photo instead');
    await waitUntil(() => findButton(el, 'Choose a photo'), 'picker');
    await waitUntil(() => focused(el)?.id === 'heading', 'focus on the heading');
  });

  it('should cancel: the proxy ends the session, the camera stops, the canceled outcome with its icon', async () => {
    let canceled = 0;
    proxy.on('POST', '/sessions/([^/]+)/cancel', () => {
      canceled++;
      return {
        status: 200,
        body: { status: 'canceled', final: true, updatedAt: '2030-01-01T00:00:00Z' },
      };
    });
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify document-type="passport" document-country="UNIV"></signicat-verify>`,
    );
    await click(el, 'Start');
    await waitForHeading(el, 'Front of your document');
    const complete = oneEvent(el, 'signicat-verify-complete');
    await click(el, 'Cancel');
    const { detail } = (await complete) as SignicatVerifyCompleteEvent;
    expect(detail.status).to.equal('canceled');
    expect(canceled).to.equal(1);
    await waitForHeading(el, 'Verification canceled');
    expect(root(el).querySelector('video')).to.equal(null);
    expect(root(el).querySelector('.outcome--canceled svg.outcome__icon path')).to.exist;
    expect(focused(el)?.id).to.equal('heading');
    expect(root(el).querySelector('[role=status]')!.textContent).to.contain('Canceled');
  });

  it('should give every outcome its own icon and colour, and a support link for all but accepted', async () => {
    const icons = new Map<string, string>();
    const colours = new Map<string, string>();
    for (const status of ['accepted', 'rejected', 'inconclusive', 'failed', 'canceled']) {
      sessionStorage.clear();
      proxy.addSession(`s-${status}`, { status, submitted: true, documentType: 'passport' });
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify
          session=${`s-${status}`}
          support-url="https://help.example/verify"
        ></signicat-verify>`,
      );
      await waitUntil(() => root(el).querySelector(`.outcome--${status}`), `${status} outcome`);
      const icon = root(el).querySelector(`.outcome--${status} svg.outcome__icon`)!;
      icons.set(status, icon.innerHTML.replace(/<!--[^>]*-->/g, ''));
      colours.set(status, getComputedStyle(icon).color);
      const link = root(el).querySelector<HTMLAnchorElement>('a[part=support-link]');
      if (status === 'accepted') expect(link, 'no support link when accepted').to.equal(null);
      else expect(link?.href).to.equal('https://help.example/verify');
      await expect(el).to.be.accessible();
    }
    expect(new Set(icons.values()).size, 'five icons').to.equal(5);
    expect(new Set(colours.values()).size, 'five colours').to.equal(5);
  });

  it('should take the support slot instead of the link, and never link a javascript: URL', async () => {
    proxy.addSession('s-rej', { status: 'rejected', submitted: true, documentType: 'passport' });
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify session="s-rej" support-url="javascript:alert(1)"
        ><a slot="support" href="/help">Call us</a></signicat-verify
      >`,
    );
    await waitUntil(() => root(el).querySelector('.outcome--rejected'), 'outcome');
    expect(root(el).querySelector('a[part=support-link]')).to.equal(null);
    const slot = root(el).querySelector<HTMLSlotElement>('slot[name=support]')!;
    expect(slot.assignedElements()[0]!.textContent).to.equal('Call us');
  });

  it('should say after a reload mid-capture that photos are not kept, at the first missing side', async () => {
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify document-type="identityCard" allow-selfie-upload></signicat-verify>`,
    );
    await click(el, 'Start');
    await continueCountry(el);
    await click(el, 'Upload a photo instead');
    await waitUntil(() => root(el).querySelector('input[type=file]'), 'file input');
    chooseFile(el, new File([await makeJpeg(640, 400)], 'front.jpg', { type: 'image/jpeg' }));
    await click(el, /^Use (this photo|it anyway)$/);
    await waitForHeading(el, 'Back of your document');
    el.remove(); // what a reload keeps: sessionStorage only
    const again = await fixture<SignicatVerifyElement>(
      html`<signicat-verify document-type="identityCard"></signicat-verify>`,
    );
    await waitForHeading(again, 'Front of your document');
    expect(root(again).querySelector('.notice')!.textContent).to.contain(
      'Photos are never kept in the browser, so please continue with the front of the document',
    );
  });
});
