import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../component/define.js';
import { CONSENT_HEADER, type Side } from '../../component/contract/index.js';
import type { SignicatVerifyElement } from '../../component/index.js';
import { FakeProxy } from './fake-proxy.js';
import { click, fastTiming, findButton, photoByPicker, root, waitForHeading } from './helpers.js';

const header = CONSENT_HEADER.toLowerCase();

function checkbox(el: SignicatVerifyElement): HTMLInputElement {
  return root(el).querySelector<HTMLInputElement>('input[type=checkbox]')!;
}

describe('<signicat-verify> consent and refreshed tokens', () => {
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
  });

  it("should ask for Onfido's consent before the first photo and send it with the first upload only", async () => {
    // Onfido in capture mode from a loopback address: location unknown, so the proxy says consentRequired.
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify provider="onfido" document-type="identityCard"></signicat-verify>`,
    );
    await click(el, 'Start');
    await waitForHeading(el, 'Your consent');
    const link = root(el).querySelector<HTMLAnchorElement>('a[href]')!;
    expect(link.href).to.equal('https://onfido.com/privacy/');
    expect(link.target).to.equal('_blank');
    expect(link.rel).to.contain('noopener');
    expect(checkbox(el).checked).to.equal(false);
    expect(root(el).querySelector('label[for=consent]')!.textContent).to.contain(
      "Onfido's privacy notice",
    );
    await expect(el).to.be.accessible();

    await click(el, 'Continue'); // not ticked: the capture cannot start
    await waitUntil(() => root(el).querySelector('.notice'), 'notice');
    expect(root(el).querySelector('.notice')!.textContent).to.contain('Tick the box');
    expect(checkbox(el).getAttribute('aria-invalid')).to.equal('true');
    await waitForHeading(el, 'Your consent');
    expect(!!root(el).querySelector('video, input[type=file]'), 'capture shown').to.equal(false);
    await expect(el).to.be.accessible();

    checkbox(el).click();
    await click(el, 'Continue');
    await photoByPicker(el, 'Front of your document');
    await photoByPicker(el, 'Back of your document');
    await photoByPicker(el, 'Take a selfie');
    await click(el, 'Send for verification');
    await waitForHeading(el, 'Checking your document');
    const puts = proxy.calls('PUT', '/sessions/[^/]+/images/[a-z]+');
    expect(puts.map((p) => p.headers[header])).to.deep.equal(['granted', undefined, undefined]);
  });

  it('should ask for consent when the proxy refuses the first upload for want of it, then send the photos again', async () => {
    proxy.addSession('given', { documentType: 'passport', provider: 'onfido' }); // the status answer says nothing
    let refusals = 0;
    proxy.on('PUT', '/sessions/[^/]+/images/front', (req) =>
      req.headers[header] === 'granted'
        ? 'pass'
        : (refusals++,
          {
            status: 400,
            body: { error: { code: 'consent_required', message: 'Consent first.' } },
          }),
    );
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify session="given"></signicat-verify>`,
    );
    await click(el, 'Start');
    await photoByPicker(el, 'Front of your document');
    await photoByPicker(el, 'Take a selfie');
    await click(el, 'Send for verification');
    await waitForHeading(el, 'Your consent');
    checkbox(el).click();
    await click(el, 'Continue');
    await waitForHeading(el, 'Check your photos'); // nothing to retake
    await click(el, 'Send for verification');
    await waitForHeading(el, 'Checking your document');
    expect(refusals).to.equal(1);
    expect(
      proxy.calls('PUT', '/sessions/[^/]+/images/[a-z]+').map((p) => p.headers[header]),
    ).to.deep.equal([undefined, 'granted', undefined]);
  });

  it('should not ask when the session needs no consent', async () => {
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify document-type="passport" document-country="UNIV"></signicat-verify>`,
    );
    await click(el, 'Start');
    await photoByPicker(el, 'Front of your document');
    await photoByPicker(el, 'Take a selfie');
    await click(el, 'Send for verification');
    await waitForHeading(el, 'Checking your document');
    expect(
      proxy.calls('PUT', '/sessions/[^/]+/images/[a-z]+').map((p) => p.headers[header]),
    ).to.deep.equal([undefined, undefined]);
  });

  it('should ask again after a reload before anything was uploaded', async () => {
    const first = await fixture<SignicatVerifyElement>(
      html`<signicat-verify provider="onfido" document-type="passport"></signicat-verify>`,
    );
    await click(first, 'Start');
    await waitForHeading(first, 'Your consent');
    checkbox(first).click();
    await click(first, 'Continue');
    await waitForHeading(first, 'Front of your document');
    first.remove();
    const second = await fixture<SignicatVerifyElement>(
      html`<signicat-verify provider="onfido" document-type="passport"></signicat-verify>`,
    );
    await waitForHeading(second, 'Your consent');
    expect(proxy.calls('POST', '/sessions')).to.have.length(1);
  });

  it('should adopt the refreshed token of each upload, use it for every later call and keep it for a reload', async () => {
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify document-type="passport" document-country="UNIV"></signicat-verify>`,
    );
    await click(el, 'Start');
    await photoByPicker(el, 'Front of your document');
    await photoByPicker(el, 'Take a selfie');
    await click(el, 'Send for verification');
    await waitForHeading(el, 'Checking your document');
    expect(proxy.calls('PUT', '/sessions/[^/]+/images/[a-z]+').map((p) => p.path)).to.deep.equal([
      '/sessions/sess-1/images/front',
      '/sessions/sess-1.r1/images/selfie',
    ]);
    expect(proxy.calls('POST', '/sessions/sess-1.r2/submit')).to.have.length(1);
    await waitUntil(() => proxy.openStreams.length === 1);
    expect(proxy.openStreams[0]!.token).to.equal('sess-1.r2');
    expect(Object.values({ ...sessionStorage }).join('')).to.contain('"session":"sess-1.r2"');

    el.remove();
    const again = await fixture<SignicatVerifyElement>(
      html`<signicat-verify document-type="passport" document-country="UNIV"></signicat-verify>`,
    );
    await waitForHeading(again, 'Checking your document');
    expect(proxy.calls('GET', '/sessions/sess-1.r2')).to.have.length(1);
  });

  it('should keep working with a 204 upload answer (an older proxy)', async () => {
    proxy.on('PUT', '/sessions/([^/]+)/images/([a-z]+)', (_req, [token, side]) => {
      proxy.sessions.get(token!)!.uploaded.push(side as Side);
      return { status: 204 };
    });
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify document-type="passport" document-country="UNIV"></signicat-verify>`,
    );
    await click(el, 'Start');
    await photoByPicker(el, 'Front of your document');
    await photoByPicker(el, 'Take a selfie');
    await click(el, 'Send for verification');
    await waitForHeading(el, 'Checking your document');
    expect(proxy.calls('PUT', '/sessions/[^/]+/images/selfie')[0]!.path).to.equal(
      '/sessions/sess-1/images/selfie',
    );
    expect(proxy.calls('POST', '/sessions/sess-1/submit')).to.have.length(1);
  });

  it('should resume a backend-created session attribute with the refreshed token after a reload', async () => {
    proxy.addSession('given', { documentType: 'passport' });
    const first = await fixture<SignicatVerifyElement>(
      html`<signicat-verify session="given"></signicat-verify>`,
    );
    await click(first, 'Start');
    await photoByPicker(first, 'Front of your document');
    await photoByPicker(first, 'Take a selfie');
    await click(first, 'Send for verification');
    await waitForHeading(first, 'Checking your document');
    first.remove();
    const second = await fixture<SignicatVerifyElement>(
      html`<signicat-verify session="given"></signicat-verify>`,
    );
    await waitForHeading(second, 'Checking your document');
    expect(proxy.calls('GET', '/sessions/given.r2')).to.have.length(1);
    expect(proxy.calls('GET', '/sessions/given')).to.have.length(1); // the first page load only
    expect(!!findButton(second, 'Start'), 'Start button').to.equal(false);
  });
});
