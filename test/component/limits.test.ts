import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../component/define.js';
import type { SignicatVerifyElement, SignicatVerifyErrorEvent } from '../../component/index.js';
import { SignicatVerifyElement as ElementClass } from '../../component/index.js';
import { FakeProxy } from './fake-proxy.js';
import {
  click,
  collect,
  fastTiming,
  findButton,
  headingText,
  photoByPicker,
  root,
  waitForHeading,
} from './helpers.js';

const busy = (retryAfter: string) => ({
  status: 429,
  headers: { 'Retry-After': retryAfter },
  body: { error: { code: 'rate_limited', message: 'Too many requests.' } },
});
const refused = { status: 403, body: { error: { code: 'origin_not_allowed', message: 'No.' } } };

async function toReview(el: SignicatVerifyElement): Promise<void> {
  await click(el, 'Start');
  await photoByPicker(el, 'Front of your document');
  await photoByPicker(el, 'Take a selfie');
  await waitForHeading(el, 'Check your photos');
}

function statusLine(el: SignicatVerifyElement): string {
  return [...root(el).querySelectorAll('[part~=status]')]
    .map((p) => p.textContent!.replace(/\s+/g, ' ').trim())
    .join(' ');
}

describe('<signicat-verify> rate limits and refused origins', () => {
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

  describe('429 with Retry-After', () => {
    it('should wait as long as Retry-After says, say so, then retry the upload by itself', async () => {
      let answered = 0;
      proxy.on('PUT', '/sessions/[^/]+/images/front', () =>
        answered++ === 0 ? busy('1') : 'pass',
      );
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport" document-country="UNIV"></signicat-verify>`,
      );
      const errors = collect<SignicatVerifyErrorEvent>(el, 'signicat-verify-error');
      await toReview(el);
      await click(el, 'Send for verification');
      await waitUntil(
        () => statusLine(el).includes('Trying again in 1 s'),
        `busy line (now "${statusLine(el)}")`,
      );
      expect(root(el).querySelector('[role=status]')!.textContent).to.contain(
        'The service is busy',
      );
      await waitForHeading(el, 'Checking your document');
      const [first, second] = proxy.calls('PUT', '/sessions/[^/]+/images/front');
      expect(second!.at - first!.at).to.be.at.least(950);
      expect(errors).to.have.length(0); // handled without troubling the host page
      expect(statusLine(el)).not.to.contain('busy');
    });

    it('should cap a long Retry-After, retry twice, then report a recoverable rate_limited with a retry button', async () => {
      ElementClass.timing.retryAfterCapMs = 30; // a one-hour Retry-After waits this long instead
      let limited = true;
      proxy.on('POST', '/sessions/[^/]+/submit', () => (limited ? busy('3600') : 'pass'));
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport" document-country="UNIV"></signicat-verify>`,
      );
      await toReview(el);
      const started = performance.now();
      setTimeout(() => findButton(el, 'Send for verification')!.click());
      const error = (await oneEvent(el, 'signicat-verify-error')) as SignicatVerifyErrorEvent;
      expect(performance.now() - started).to.be.below(3000);
      expect(error.detail.code).to.equal('rate_limited');
      expect(error.detail.recoverable).to.equal(true);
      expect(proxy.calls('POST', '/sessions/[^/]+/submit')).to.have.length(3); // the first try and two retries
      await waitUntil(() => findButton(el, 'Try again'), 'retry button');
      await expect(el).to.be.accessible();
      limited = false;
      await click(el, 'Try again');
      await waitForHeading(el, 'Checking your document');
    });

    it('should not retry session creation by itself, but keep the step and let the user try again', async () => {
      let limited = true;
      proxy.on('POST', '/sessions', () => (limited ? busy('7') : 'pass'));
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport" document-country="UNIV"></signicat-verify>`,
      );
      setTimeout(() => findButton(el, 'Start')!.click());
      const error = (await oneEvent(el, 'signicat-verify-error')) as SignicatVerifyErrorEvent;
      expect(error.detail).to.include({ code: 'rate_limited', recoverable: true });
      await waitUntil(() => root(el).querySelector('.notice'), 'notice');
      expect(root(el).querySelector('.notice')!.textContent).to.contain('try again in 7 s');
      expect(headingText(el)).to.equal('Verify your identity');
      expect(proxy.calls('POST', '/sessions')).to.have.length(1);
      limited = false;
      await click(el, 'Start');
      await waitForHeading(el, 'Front of your document');
    });

    it('should wait and retry the config and document-type reads', async () => {
      let configs = 0;
      proxy.on('GET', '/config', () => (configs++ === 0 ? busy('0') : 'pass'));
      let lists = 0;
      proxy.on('GET', '/document-types', () => (lists++ < 2 ? busy('0') : 'pass'));
      const el = await fixture<SignicatVerifyElement>(html`<signicat-verify></signicat-verify>`);
      await click(el, 'Start');
      await waitForHeading(el, 'Which country issued your document?');
      expect([configs, lists]).to.deep.equal([2, 3]);
    });

    it('should follow the status more slowly when the proxy asks for it', async () => {
      ElementClass.timing.retryAfterCapMs = 400;
      proxy.addSession('slow', { status: 'processing' });
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify session="slow"></signicat-verify>`,
      );
      await waitForHeading(el, 'Checking your document');
      const { FakeEventSource } = await import('./fake-proxy.js');
      // The stream fails and polls are rate-limited: the next poll waits the (capped) Retry-After, not 20 ms.
      proxy.on('GET', '/sessions/slow', () => busy('60'));
      FakeEventSource.instances.at(-1)!.dispatchEvent(new Event('error'));
      await waitUntil(
        () => proxy.calls('GET', '/sessions/slow').length === 3,
        'first limited poll',
        { timeout: 3000 },
      );
      await waitUntil(() => proxy.calls('GET', '/sessions/slow').length === 4, 'second poll', {
        timeout: 3000,
      });
      const polls = proxy.calls('GET', '/sessions/slow');
      expect(polls[3]!.at - polls[2]!.at).to.be.at.least(380);
    });
  });

  it('should mark an error that keeps the session as recoverable, with a retry of the same session', async () => {
    let limited = true;
    proxy.on('POST', '/sessions/[^/]+/submit', () => (limited ? busy('0') : 'pass'));
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify mode="provider-sdk"></signicat-verify>`,
    );
    setTimeout(() => findButton(el, 'Start')!.click());
    await oneEvent(el, 'signicat-verify-provider-sdk');
    setTimeout(() => void el.providerCaptureComplete());
    const error = (await oneEvent(el, 'signicat-verify-error')) as SignicatVerifyErrorEvent;
    expect(error.detail).to.include({ code: 'rate_limited', recoverable: true });
    expect(proxy.calls('POST', '/sessions/sess-1/submit')).to.have.length(3);
    await waitForHeading(el, 'The service is busy');
    expect(root(el).textContent).to.contain('busy');
    limited = false;
    await click(el, 'Try again'); // the same session is read again, not a fresh start
    await waitUntil(
      () => proxy.calls('GET', '/sessions/sess-1').length === 1,
      'session read again',
    );
    expect(proxy.calls('POST', '/sessions')).to.have.length(1);
  });

  describe('403 origin_not_allowed', () => {
    it('should report invalid_config naming ALLOWED_ORIGINS when the config read is refused', async () => {
      proxy.on('GET', '/config', () => refused);
      const el = await fixture<SignicatVerifyElement>(html`<signicat-verify></signicat-verify>`);
      setTimeout(() => findButton(el, 'Start')!.click());
      const error = (await oneEvent(el, 'signicat-verify-error')) as SignicatVerifyErrorEvent;
      expect(error.detail.code).to.equal('invalid_config');
      expect(error.detail.message).to.contain('ALLOWED_ORIGINS');
      expect(error.detail.message).to.contain(location.origin);
      expect(error.detail.recoverable).to.equal(false);
      await waitForHeading(el, 'Verification is not set up');
      expect(root(el).textContent).to.contain('not set up correctly');
      expect(proxy.calls('GET', '/document-types')).to.have.length(0);
    });

    it('should report invalid_config naming ALLOWED_ORIGINS when session creation is refused', async () => {
      proxy.on('POST', '/sessions', () => refused);
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify mode="redirect"></signicat-verify>`,
      );
      setTimeout(() => findButton(el, 'Start')!.click());
      const error = (await oneEvent(el, 'signicat-verify-error')) as SignicatVerifyErrorEvent;
      expect(error.detail).to.include({ code: 'invalid_config', recoverable: false });
      expect(error.detail.message).to.contain('ALLOWED_ORIGINS');
      await waitForHeading(el, 'Verification is not set up');
    });
  });
});
