import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../../component/define.js';
import type { SignicatVerifyElement, SignicatVerifyErrorEvent } from '../../component/index.js';
import { FakeProxy } from './fake-proxy.js';
import {
  chooseFile,
  click,
  collect,
  continueCountry,
  fastTiming,
  findButton,
  makeJpeg,
  root,
  waitForHeading,
} from './helpers.js';

function video(el: SignicatVerifyElement): HTMLVideoElement | null {
  return root(el).querySelector('video');
}

/** Waits for the live preview and returns its tracks. */
async function liveTracks(el: SignicatVerifyElement): Promise<MediaStreamTrack[]> {
  await waitUntil(
    () => {
      const shutter = findButton(el, 'Take photo');
      return shutter && !shutter.disabled && (video(el)?.srcObject as MediaStream | null);
    },
    'live camera preview',
    { timeout: 8000 },
  );
  return (video(el)!.srcObject as MediaStream).getTracks();
}

async function shoot(el: SignicatVerifyElement, heading: string): Promise<MediaStreamTrack[]> {
  await waitForHeading(el, heading);
  const tracks = await liveTracks(el);
  findButton(el, 'Take photo')!.click();
  await waitUntil(() => findButton(el, 'Use this photo'), 'captured still', { timeout: 8000 });
  return tracks;
}

describe('<signicat-verify> capture', () => {
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

  it('should capture front, back and selfie with the camera, review and upload them', async () => {
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify document-type="identityCard"></signicat-verify>`,
    );
    await click(el, 'Start');
    await continueCountry(el);
    const frontTracks = await shoot(el, 'Front of your document');
    expect(video(el) === null, 'no preview').to.equal(true); // the still replaces the preview
    expect(frontTracks.every((t) => t.readyState === 'ended')).to.equal(true);
    await expect(el).to.be.accessible();
    findButton(el, 'Use this photo')!.click();

    await waitForHeading(el, 'Back of your document');
    await liveTracks(el);
    expect(root(el).querySelector('[part=guide]')!.classList.contains('guide--document')).to.equal(
      true,
    );
    await shoot(el, 'Back of your document');
    findButton(el, 'Retake')!.click(); // retake restarts the camera
    await shoot(el, 'Back of your document');
    findButton(el, 'Use this photo')!.click();

    await waitForHeading(el, 'Take a selfie');
    await liveTracks(el);
    expect(root(el).querySelector('.guide--face')).to.exist;
    expect(video(el)!.getAttribute('aria-label')).to.contain('selfie');
    await expect(el).to.be.accessible();
    findButton(el, 'Take photo')!.click();
    await click(el, 'Use this photo');

    await waitForHeading(el, 'Check your photos');
    expect(root(el).querySelectorAll('.review img')).to.have.length(3);
    await expect(el).to.be.accessible();
    await click(el, 'Retake the back of the document');
    await shoot(el, 'Back of your document');
    findButton(el, 'Use this photo')!.click();
    await waitForHeading(el, 'Check your photos');

    await click(el, 'Send for verification');
    await waitForHeading(el, 'Checking your document');
    for (const side of ['front', 'back', 'selfie']) {
      const [put] = proxy.sessionCalls('PUT', 'sess-1', `/images/${side}`);
      const body = put!.body as Blob;
      expect(body.type).to.equal('image/jpeg');
      expect(body.size).to.be.within(1000, 1_000_000);
      const bitmap = await createImageBitmap(body);
      expect(Math.max(bitmap.width, bitmap.height)).to.be.at.most(2000);
    }
    expect(proxy.sessionCalls('POST', 'sess-1', '/submit')).to.have.length(1);
  });

  it('should stop the camera when the user leaves the capture step', async () => {
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify document-type="passport" document-country="UNIV"></signicat-verify>`,
    );
    await click(el, 'Start');
    await waitForHeading(el, 'Front of your document');
    const tracks = await liveTracks(el);
    findButton(el, 'Upload a photo instead')!.click();
    await waitUntil(() => tracks.every((t) => t.readyState === 'ended'), 'tracks ended');
    expect(video(el) === null, 'no preview').to.equal(true);
  });

  it('should stop the camera when the element is removed', async () => {
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify document-type="passport" document-country="UNIV"></signicat-verify>`,
    );
    await click(el, 'Start');
    await waitForHeading(el, 'Front of your document');
    const tracks = await liveTracks(el);
    el.remove();
    expect(tracks.every((t) => t.readyState === 'ended')).to.equal(true);
  });

  it('should restart the camera when a removed element is put back', async () => {
    const el = await fixture<SignicatVerifyElement>(
      html`<signicat-verify document-type="passport" document-country="UNIV"></signicat-verify>`,
    );
    await click(el, 'Start');
    await waitForHeading(el, 'Front of your document');
    const parent = el.parentElement!;
    const before = await liveTracks(el);
    el.remove();
    parent.append(el);
    const after = await liveTracks(el);
    expect(after[0]).not.to.equal(before[0]);
    expect(after[0]!.readyState).to.equal('live');
  });

  describe('when the camera is denied', () => {
    const media = navigator.mediaDevices;
    const original = media.getUserMedia;
    beforeEach(() => {
      media.getUserMedia = () =>
        Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    });
    afterEach(() => {
      media.getUserMedia = original;
    });

    it('should switch to the file picker, say why and fire a recoverable camera_denied', async () => {
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport" document-country="UNIV"></signicat-verify>`,
      );
      const errors = collect<SignicatVerifyErrorEvent>(el, 'signicat-verify-error');
      setTimeout(() => findButton(el, 'Start')!.click());
      const error = (await oneEvent(el, 'signicat-verify-error')) as SignicatVerifyErrorEvent;
      expect(error.detail.code).to.equal('camera_denied');
      expect(error.detail.recoverable).to.equal(true);
      await waitUntil(() => findButton(el, 'Choose a photo'), 'picker');
      expect(!!findButton(el, 'Use the camera'), 'camera button').to.equal(false);
      expect(root(el).querySelector('.notice')!.textContent).to.contain('blocked');
      await expect(el).to.be.accessible();
      chooseFile(el, new File([await makeJpeg(300, 200)], 'id.jpg', { type: 'image/jpeg' }));
      await click(el, /^(Use this photo|Use it anyway)$/);
      await waitForHeading(el, 'Take a selfie');
      // The selfie comes from a live camera only: no picker, the camera again (or a phone).
      expect(findButton(el, 'Choose a photo')).to.equal(undefined);
      expect(findButton(el, 'Try the camera again')).to.exist;
      expect(root(el).querySelector('.notice')!.textContent).to.contain('live with a camera');
      expect(errors).to.have.length(1);
    });

    it('should explain an unreadable file and stay on the step', async () => {
      const el = await fixture<SignicatVerifyElement>(
        html`<signicat-verify document-type="passport" document-country="UNIV"></signicat-verify>`,
      );
      await click(el, 'Start');
      await waitUntil(() => findButton(el, 'Choose a photo'), 'picker');
      chooseFile(el, new File(['not an image'], 'notes.txt', { type: 'text/plain' }));
      await waitUntil(
        () => root(el).querySelector('.notice')?.textContent?.includes('could not be read'),
        'notice',
      );
      await waitForHeading(el, 'Front of your document');
    });
  });
});
