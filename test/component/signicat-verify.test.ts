import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../component/define.js';
import type {
  SignicatVerifyCompleteEvent,
  SignicatVerifyElement,
  SignicatVerifyErrorEvent,
  SignicatVerifyProviderSdkEvent,
  SignicatVerifyStatusEvent,
} from '../../component/index.js';
import {
  SignicatVerifyElement as ElementClass,
  SignicatVerifyRestartRequestedEvent,
} from '../../component/index.js';
import { FakeEventSource, FakeProxy } from './fake-proxy.js';
import {
  click,
  collect,
  continueCountry,
  fastTiming,
  findButton,
  headingText,
  photoByPicker,
  root,
  waitForHeading,
} from './helpers.js';

const START_URL = location.href;

/** Passport flow through the file picker: country accepted, front and (required) selfie chosen, review reached. */
async function captureByPicker(el: SignicatVerifyElement): Promise<void> {
  await click(el, 'Start');
  await continueCountry(el);
  await photoByPicker(el, 'Front of your document');
  await waitForHeading(el, 'Take a selfie');
  expect(!!findButton(el, 'Skip'), 'Skip button').to.equal(false); // the selfie is required: the proxy never offers a Skip
  await photoByPicker(el, 'Take a selfie');
  await waitForHeading(el, 'Check your photos');
}

describe('<signicat-verify>', () => {
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

  describe('intro', () => {
    it('should render the intro with a start button and be accessible', async () => {
      const el = await fixture<SignicatVerifyElement>(html`<signicat-verify></signicat-verify>`);
      await waitForHeading(el, 'Verify your identity');
      expect(findButton(el, 'Start')).to.exist;
      expect(root(el).textContent).to.contain('Signicat');
      expect(proxy.requests).to.have.length(0); // nothing is created before the user starts
      // Lean first screen: camera and image code are not loaded before they are needed.
      const loaded = performance.getEntriesByType('resource').map((entry) => entry.name);
      expect(
        loaded.filter((name) =>
          /camera-controller|image\/|capture-views|country-|consent-/.test(name),
        ),
      ).to.deep.equal([]);
      await expect(el).to.be.accessible();
    });

    it('should not take focus on page load', async () => {
      const el = await fixture<SignicatVerifyElement>(html`<signicat-verify></signicat-verify>`);
      await waitForHeading(el, 'Verify your identity');
      expect(root(el).activeElement === null, 'nothing focused').to.equal(true);
    });

    it('should speak Norwegian from its own lang or the nearest ancestor', async () => {
      const own = await fixture<SignicatVerifyElement>(
        html`<signicat-verify lang="nb-NO"></signicat-verify>`,
      );
      await waitForHeading(own, 'Bekreft identiteten din');
      const wrapper = await fixture(html`<div lang="no"><signicat-verify></signicat-verify></div>`);
      const inner = wrapper.querySelector('signicat-verify')!;
      await waitForHeading(inner, 'Bekreft identiteten din');
      own.setAttribute('lang', 'en');
      await waitForHeading(own, 'Verify your identity');
    });

    it('should apply per-string overrides', async () => {
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify
          .translations=${{ introHeading: 'Confirm it is you' }}
        ></signicat-verify>`,
      );
      await waitForHeading(el, 'Confirm it is you');
    });
  });

  describe('document type', () => {
    it('should offer the kinds the proxy lists when no country is needed, then create the session with the choice', async () => {
      // A provider without `documentCountry`, and an operator who allows three kinds.
      proxy.settings.providers.capture = ['fakeprovider'];
      proxy.settings.documentTypes = ['passport', 'identityCard', 'driversLicense'];
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify provider="fakeprovider"></signicat-verify>`,
      );
      await click(el, 'Start');
      await waitForHeading(el, 'Which document will you use?');
      await waitUntil(() => findButton(el, 'Passport'));
      expect(root(el).activeElement?.id).to.equal('heading'); // focus follows the step after user action
      expect(!!findButton(el, 'Residence permit'), 'residence permit').to.equal(false); // not allowed by the proxy
      expect(proxy.calls('GET', '/config')[0]!.query.get('provider')).to.equal('fakeprovider');
      expect(proxy.calls('GET', '/document-types')[0]!.query.get('provider')).to.equal(
        'fakeprovider',
      );
      await expect(el).to.be.accessible();
      await click(el, "Driver's licence");
      await waitForHeading(el, 'Front of your document');
      expect(proxy.calls('POST', '/sessions')[0]!.body).to.deep.equal({
        mode: 'capture',
        pageUrl: location.href,
        provider: 'fakeprovider',
        documentType: 'driversLicense',
      });
    });

    it('should skip both choices for a preset passport with document-country UNIV', async () => {
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport" document-country="UNIV"></signicat-verify>`,
      );
      await click(el, 'Start');
      await waitForHeading(el, 'Front of your document');
      expect(proxy.calls('GET', '/document-types')).to.have.length(0);
      expect(proxy.calls('POST', '/sessions')[0]!.body).to.deep.equal({
        mode: 'capture',
        pageUrl: location.href,
        documentType: 'passport',
        documentCountry: 'UNIV',
      });
    });

    it('should offer only a passport for document-country UNIV', async () => {
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-country="UNIV"></signicat-verify>`,
      );
      await click(el, 'Start');
      await waitForHeading(el, 'Which document will you use?');
      expect(
        [...root(el).querySelectorAll('[data-kind]')].map((b) => b.getAttribute('data-kind')),
      ).to.deep.equal(['passport']);
    });
  });

  describe('upload', () => {
    it('should upload the JPEG, submit and show the outcome, firing complete once', async () => {
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport"></signicat-verify>`,
      );
      const statuses = collect<SignicatVerifyStatusEvent>(el, 'signicat-verify-status');
      const completes = collect<SignicatVerifyCompleteEvent>(document, 'signicat-verify-complete');
      await captureByPicker(el);
      await expect(el).to.be.accessible();
      await click(el, 'Send for verification');
      await waitForHeading(el, 'Checking your document');
      const put = proxy.calls('PUT', '/sessions/sess-1/images/front')[0]!;
      const bytes = new Uint8Array(await (put.body as Blob).arrayBuffer());
      expect([bytes[0], bytes[1]]).to.deep.equal([0xff, 0xd8]);
      expect(proxy.sessionCalls('PUT', 'sess-1', '/images/selfie')).to.have.length(1);
      expect(proxy.sessionCalls('POST', 'sess-1', '/submit')).to.have.length(1);
      await waitUntil(() => proxy.openStreams.length === 1);
      proxy.setStatus('sess-1', 'accepted');
      await waitForHeading(el, 'You are verified');
      await waitUntil(() => completes.length === 1);
      // The token in use: the one the last upload refreshed.
      expect(completes[0]!.detail).to.deep.equal({ status: 'accepted', session: 'sess-1.r2' });
      expect(proxy.openStreams).to.have.length(0);
      expect(statuses.map((e) => e.detail)).to.deep.equal([
        { status: 'processing', final: false },
        { status: 'accepted', final: true },
      ]);
      // A final status again: one still in flight on the stream, then a fresh start on the same session (the
      // host hands the token back), which reads the final status again. Neither fires complete a second time.
      const stream = FakeEventSource.instances.at(-1)!;
      stream.dispatchEvent(
        new MessageEvent('status', { data: JSON.stringify({ status: 'accepted', final: true }) }),
      );
      el.session = 'sess-1.r2';
      await waitUntil(
        () => proxy.calls('GET', '/sessions/sess-1.r2').length === 1,
        'the session read again',
      );
      await waitForHeading(el, 'You are verified');
      await el.updateComplete;
      expect(completes).to.have.length(1);
      expect(root(el).querySelector('[part~=outcome]')).to.exist;
      await expect(el).to.be.accessible();
    });

    it('should retry transient failures with backoff, then offer a retry button', async () => {
      let failures = 0;
      proxy.on('PUT', '/sessions/[^/]+/images/front', () => (failures++ < 4 ? 'network' : 'pass'));
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport"></signicat-verify>`,
      );
      const errors = collect<SignicatVerifyErrorEvent>(el, 'signicat-verify-error');
      await captureByPicker(el);
      await click(el, 'Send for verification');
      await waitUntil(() => findButton(el, 'Try again'), 'retry button', { timeout: 5000 });
      expect(failures).to.equal(4); // the first try and three automatic retries
      expect(errors.map((e) => e.detail.code)).to.deep.equal(['network']);
      expect(errors[0]!.detail.recoverable).to.equal(true);
      await expect(el).to.be.accessible();
      await click(el, 'Try again');
      await waitForHeading(el, 'Checking your document');
      expect(proxy.sessionCalls('PUT', 'sess-1', '/images/front')).to.have.length(5);
    });

    it('should go back to the capture of a rejected image with the reason', async () => {
      proxy.on('PUT', '/sessions/[^/]+/images/front', () => ({
        status: 422,
        body: { error: { code: 'image_too_large', message: 'Too many pixels.' } },
      }));
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport"></signicat-verify>`,
      );
      await captureByPicker(el);
      setTimeout(() => findButton(el, 'Send for verification')!.click());
      const error = await oneEvent(el, 'signicat-verify-error');
      expect(error.detail).to.deep.equal({
        code: 'upload_rejected',
        message: 'Too many pixels.',
        recoverable: true,
      });
      await waitForHeading(el, 'Front of your document');
      expect(root(el).querySelector('.notice')!.textContent).to.contain('not accepted');
    });
  });

  describe('resume', () => {
    it('should resume a session that is waiting after the element is re-created', async () => {
      const first = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport"></signicat-verify>`,
      );
      await captureByPicker(first);
      await click(first, 'Send for verification');
      await waitForHeading(first, 'Checking your document');
      first.remove();
      expect(proxy.openStreams).to.have.length(0); // removal closed the stream

      const second = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport"></signicat-verify>`,
      );
      await waitForHeading(second, 'Checking your document');
      expect(proxy.calls('POST', '/sessions')).to.have.length(1);
      expect(proxy.calls('GET', '/sessions/sess-1.r2')).to.have.length(1); // the refreshed token was kept
      await waitUntil(() => proxy.openStreams.length === 1);
      proxy.setStatus('sess-1', 'rejected');
      await waitForHeading(second, 'We could not verify you');
    });

    it('should resume capture of the same session after a reload', async () => {
      const first = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport"></signicat-verify>`,
      );
      await click(first, 'Start');
      await continueCountry(first);
      await waitForHeading(first, 'Front of your document');
      first.remove();
      const second = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport"></signicat-verify>`,
      );
      await waitForHeading(second, 'Front of your document');
      expect(proxy.calls('POST', '/sessions')).to.have.length(1);
    });

    it('should never store images or tokens other than the session in sessionStorage', async () => {
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport"></signicat-verify>`,
      );
      await captureByPicker(el);
      const stored = Object.values({ ...sessionStorage }).join('');
      expect(stored).to.contain('sess-1');
      expect(stored).not.to.contain('blob:');
      expect(stored).not.to.contain('data:');
      expect(stored.length).to.be.below(500);
    });

    it('should go straight to waiting for a session attribute that is processing', async () => {
      proxy.addSession('given', { status: 'processing' });
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify session="given"></signicat-verify>`,
      );
      await waitForHeading(el, 'Checking your document');
      expect(proxy.calls('POST', '/sessions')).to.have.length(0);
    });

    it('should show the outcome and fire complete for a session attribute that is final', async () => {
      proxy.addSession('done', { status: 'inconclusive' });
      const completed = oneEvent(document, 'signicat-verify-complete');
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify session="done"></signicat-verify>`,
      );
      expect((await completed).detail).to.deep.equal({ status: 'inconclusive', session: 'done' });
      await waitForHeading(el, 'We could not get a clear result');
      await click(el, 'Try again');
      await waitForHeading(el, 'Verify your identity');
    });

    it('should capture into a pending session attribute without creating another', async () => {
      proxy.addSession('given');
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify session="given" document-type="passport"></signicat-verify>`,
      );
      await click(el, 'Start');
      await waitForHeading(el, 'Front of your document');
      expect(proxy.calls('POST', '/sessions')).to.have.length(0);
    });

    it('should ask the host for a new session when its session attribute has expired, never making one itself', async () => {
      const errors = collect<SignicatVerifyErrorEvent>(document, 'signicat-verify-error');
      const restarts = collect<SignicatVerifyRestartRequestedEvent>(
        document,
        'signicat-verify-restart-requested',
      );
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify session="gone" document-type="passport"></signicat-verify>`,
      );
      await waitUntil(() => restarts.length === 1, 'restart requested');
      expect(restarts[0]).to.be.instanceOf(SignicatVerifyRestartRequestedEvent);
      expect(restarts[0]!.bubbles && restarts[0]!.composed).to.equal(true);
      expect(restarts[0]!.detail).to.deep.equal({ reason: 'session_expired', session: 'gone' });
      expect(errors.map((e) => e.detail)).to.deep.equal([
        { code: 'session_expired', message: 'Unknown or expired session.', recoverable: false },
      ]);
      await waitForHeading(el, 'This session has expired');
      expect(root(el).textContent).to.contain('expired');
      expect(root(el).querySelectorAll('button')).to.have.length(0); // no way to a session without the host's reference
      await expect(el).to.be.accessible();
      // The host mints a new session (keeping its reference) and hands it over.
      proxy.addSession('fresh', { documentType: 'passport' });
      el.session = 'fresh';
      await waitForHeading(el, 'Verify your identity');
      await click(el, 'Start');
      await waitForHeading(el, 'Front of your document');
      expect(proxy.calls('POST', '/sessions')).to.have.length(0);
    });

    it('should start afresh, quietly, when the stored session is unknown on reload', async () => {
      const first = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport"></signicat-verify>`,
      );
      await click(first, 'Start');
      await continueCountry(first);
      await waitForHeading(first, 'Front of your document');
      first.remove();
      proxy.sessions.clear(); // expired, or the proxy lost it
      const errors = collect<SignicatVerifyErrorEvent>(document, 'signicat-verify-error');
      const second = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport"></signicat-verify>`,
      );
      await waitForHeading(second, 'Verify your identity');
      expect(proxy.calls('GET', '/sessions/sess-1')).to.have.length(1);
      expect(errors).to.have.length(0);
      expect(sessionStorage.length).to.equal(0);
      await click(second, 'Start');
      await continueCountry(second);
      await waitForHeading(second, 'Front of your document');
      expect(proxy.calls('POST', '/sessions')).to.have.length(2);
    });

    it('should start afresh, quietly, from a tampered or unreadable stored session', async () => {
      const key = 'signicat-verify:v1:' + new URL('/api', location.href).href + ':capture';
      const stored = { v: 1, session: 'forged', mode: 'capture', step: 'waiting', uploaded: [] };
      sessionStorage.setItem(key, JSON.stringify(stored));
      const errors = collect<SignicatVerifyErrorEvent>(document, 'signicat-verify-error');
      const el = await fixture<SignicatVerifyElement>(html`<signicat-verify></signicat-verify>`);
      await waitForHeading(el, 'Verify your identity');
      expect(proxy.calls('GET', '/sessions/forged')).to.have.length(1);
      expect([errors.length, sessionStorage.length]).to.deep.equal([0, 0]);
      el.remove();
      sessionStorage.setItem(key, '{"v":1,"session":');
      const again = await fixture<SignicatVerifyElement>(html`<signicat-verify></signicat-verify>`);
      await waitForHeading(again, 'Verify your identity');
      expect(proxy.calls('GET', '/sessions/.*')).to.have.length(1); // garbage is not even sent
      expect(sessionStorage.length).to.equal(0);
    });
  });

  describe('session recovery', () => {
    it('should replace an expired session it created and send the photos it still holds, without asking', async () => {
      // The first session expires by submit time: the proxy answers 401 session_expired from then on.
      proxy.on('POST', '/sessions/sess-1[^/]*/submit', () => {
        proxy.sessions.get('sess-1')!.expired = true;
        return 'pass';
      });
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport"></signicat-verify>`,
      );
      const errors = collect<SignicatVerifyErrorEvent>(el, 'signicat-verify-error');
      await captureByPicker(el);
      await click(el, 'Send for verification');
      await waitForHeading(el, 'Checking your document');
      const [first, second] = proxy.calls('POST', '/sessions').map((r) => r.body);
      expect(second).to.deep.equal(first); // the same choices: document type and issuing country
      expect(proxy.sessionCalls('PUT', 'sess-2', '/images/front')).to.have.length(1);
      expect(proxy.sessionCalls('PUT', 'sess-2', '/images/selfie')).to.have.length(1);
      expect(proxy.sessionCalls('POST', 'sess-2', '/submit')).to.have.length(1);
      expect(errors).to.have.length(0);
      expect(Object.values({ ...sessionStorage }).join('')).to.contain('"session":"sess-2.r2"');
      await waitUntil(() => proxy.openStreams.length === 1);
      proxy.setStatus('sess-2', 'accepted');
      await waitForHeading(el, 'You are verified');
    });
  });

  describe('waiting', () => {
    it('should poll with backoff when the event stream fails', async () => {
      FakeEventSource.failOnOpen = true;
      proxy.addSession('slow', { status: 'processing' });
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify session="slow"></signicat-verify>`,
      );
      await waitForHeading(el, 'Checking your document');
      await waitUntil(() => proxy.calls('GET', '/sessions/slow').length >= 3, 'polls', {
        timeout: 3000,
      });
      proxy.setStatus('slow', 'failed');
      await waitForHeading(el, 'Something went wrong');
      const polls = proxy.calls('GET', '/sessions/slow').length;
      // Stopped at the final status: over several of the longest poll intervals, no poll goes out.
      await new Promise((r) => setTimeout(r, ElementClass.timing.pollMaxMs * 5));
      expect(proxy.calls('GET', '/sessions/slow').length).to.equal(polls);
    });
  });

  describe('redirect mode', () => {
    it('should create a redirect session for this page and go to the capture URL', async () => {
      const navigated: string[] = [];
      const original = ElementClass.redirectTo;
      ElementClass.redirectTo = (url) => void navigated.push(url);
      try {
        history.replaceState(null, '', `${START_URL.split('?')[0]}?page=1&status=old`);
        const el = await fixture<SignicatVerifyElement>(
          html`<signicat-verify mode="redirect"></signicat-verify>`,
        );
        await click(el, 'Start');
        await waitUntil(() => navigated.length === 1);
        expect(navigated[0]).to.equal('https://capture.example/flow/sess-1');
        const body = proxy.calls('POST', '/sessions')[0]!.body as {
          mode: string;
          redirectUrl: string;
        };
        expect(body.mode).to.equal('redirect');
        expect(body.redirectUrl).to.equal(`${START_URL.split('?')[0]}?page=1`);
      } finally {
        ElementClass.redirectTo = original;
      }
    });

    /** Start in redirect mode up to the point the page would navigate away (navigation stubbed). */
    async function leaveForHostedFlow() {
      const original = ElementClass.redirectTo;
      ElementClass.redirectTo = () => undefined;
      try {
        const first = await fixture<SignicatVerifyElement>(
          html`<signicat-verify mode="redirect"></signicat-verify>`,
        );
        await click(first, 'Start');
        await waitForHeading(first, 'Opening the secure capture page…');
        first.remove();
      } finally {
        ElementClass.redirectTo = original;
      }
    }

    it('should check the return with the proxy, clean the address bar and follow the status', async () => {
      await leaveForHostedFlow();
      history.pushState(
        null,
        '',
        `${START_URL.split('?')[0]}?keep=1&dossierId=d1&processId=p1&status=success`,
      );
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify mode="redirect"></signicat-verify>`,
      );
      await waitForHeading(el, 'Checking your document');
      expect(proxy.calls('POST', '/sessions/sess-1/return')[0]!.body).to.deep.equal({
        dossierId: 'd1',
        processId: 'p1',
        status: 'success',
      });
      expect(location.search).to.equal('?keep=1');
      await waitUntil(() => proxy.openStreams.length === 1);
      proxy.setStatus('sess-1', 'accepted');
      await waitForHeading(el, 'You are verified');
    });

    it('should report ids that do not belong to the session', async () => {
      proxy.addSession('mine', { mode: 'redirect' });
      proxy.on('POST', '/sessions/mine/return', () => ({
        status: 409,
        body: { error: { code: 'redirect_mismatch', message: 'Not this session.' } },
      }));
      history.pushState(
        null,
        '',
        `${START_URL.split('?')[0]}?dossierId=x&processId=y&status=success`,
      );
      const errored = oneEvent(document, 'signicat-verify-error');
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify mode="redirect" session="mine"></signicat-verify>`,
      );
      expect((await errored).detail.code).to.equal('redirect_mismatch');
      await waitForHeading(el, 'We could not match your return');
      expect(location.search).to.equal('');
    });

    it('should hand a lone status back to the proxy when this page sent the user away', async () => {
      await leaveForHostedFlow();
      history.pushState(null, '', `${START_URL.split('?')[0]}?status=canceled`);
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify mode="redirect"></signicat-verify>`,
      );
      await waitForHeading(el, 'Verification canceled');
      expect(proxy.calls('POST', '/sessions/sess-1/return')[0]!.body).to.deep.equal({
        status: 'canceled',
      });
      expect(location.search).to.equal('');
    });

    it('should come back to the intro when the user returns from the hosted page without finishing', async () => {
      await leaveForHostedFlow();
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify mode="redirect"></signicat-verify>`,
      );
      await waitForHeading(el, 'Verify your identity');
      expect(proxy.calls('GET', '/sessions/sess-1')).to.have.length(1);
      expect(proxy.calls('POST', '/sessions/sess-1/return')).to.have.length(0);
      expect(sessionStorage.length).to.equal(0);
    });

    it('should show a canceled hosted flow with a way to try again', async () => {
      proxy.addSession('mine', { mode: 'redirect' });
      history.pushState(
        null,
        '',
        `${START_URL.split('?')[0]}?dossierId=x&processId=y&status=canceled`,
      );
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify mode="redirect" session="mine"></signicat-verify>`,
      );
      await waitForHeading(el, 'Verification canceled');
      expect(findButton(el, 'Try again')).to.exist;
    });
  });

  describe('provider-sdk mode', () => {
    it('should hand the token to the host and submit on providerCaptureComplete()', async () => {
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify mode="provider-sdk" provider="onfido"></signicat-verify>`,
      );
      setTimeout(() => findButton(el, 'Start')!.click());
      const event = (await oneEvent(
        document,
        'signicat-verify-provider-sdk',
      )) as SignicatVerifyProviderSdkEvent;
      expect(event.detail).to.deep.equal({
        provider: 'onfido',
        token: 'ptok-sess-1',
        session: 'sess-1',
      });
      expect(event.composed && event.bubbles).to.equal(true);
      await waitForHeading(el, 'Continue in the verification window');
      expect(proxy.calls('POST', '/sessions')[0]!.body).to.deep.equal({
        mode: 'provider-sdk',
        pageUrl: location.href,
        provider: 'onfido',
      });
      await el.providerCaptureComplete();
      expect(proxy.calls('POST', '/sessions/sess-1/submit')).to.have.length(1);
      await waitForHeading(el, 'Checking your document');
    });

    it('should report providerCaptureFailed() as provider_failed', async () => {
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify mode="provider-sdk"></signicat-verify>`,
      );
      setTimeout(() => findButton(el, 'Start')!.click());
      await oneEvent(el, 'signicat-verify-provider-sdk');
      setTimeout(() => el.providerCaptureFailed('User closed the SDK'));
      const error = (await oneEvent(el, 'signicat-verify-error')) as SignicatVerifyErrorEvent;
      expect(error.detail).to.deep.equal({
        code: 'provider_failed',
        message: 'User closed the SDK',
        recoverable: false,
      });
      await waitForHeading(el, 'The verification window stopped');
      expect(root(el).textContent).to.contain('Reason given: User closed the SDK');
    });
  });

  describe('network work', () => {
    it('should abort a pending request when the element is removed', async () => {
      let aborted = false;
      proxy.on('POST', '/sessions', () => 'hang');
      const realFetch = window.fetch;
      window.fetch = (input, init) => {
        init?.signal?.addEventListener('abort', () => (aborted = true));
        return realFetch(input, init);
      };
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport" document-country="UNIV"></signicat-verify>`,
      );
      await click(el, 'Start');
      await waitUntil(() => proxy.calls('POST', '/sessions').length === 1);
      el.remove();
      expect(aborted).to.equal(true);
    });

    it('should report a refused configuration as invalid_config', async () => {
      proxy.on('POST', '/sessions', () => ({
        status: 400,
        body: { error: { code: 'provider_not_allowed', message: 'No.' } },
      }));
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify provider="nope" document-type="passport"></signicat-verify>`,
      );
      setTimeout(() => findButton(el, 'Start')!.click());
      const error = (await oneEvent(el, 'signicat-verify-error')) as SignicatVerifyErrorEvent;
      expect(error.detail.code).to.equal('invalid_config');
      expect(headingText(el)).to.equal('Verification is not set up');
    });
  });
});
