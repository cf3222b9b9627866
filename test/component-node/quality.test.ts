/**
 * Capture quality (component/image/quality.ts) on synthetic images, in Node: a card with printed lines
 * (the fake camera's card), the same card blurred, with a glare spot, darkened and shifted; and the
 * flow machine's handling of live hints and verdicts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_QUALITY_THRESHOLDS as T,
  FULL_FRAME,
  judge,
  judgeFrame,
  laplacianVariance,
  lightInside,
  liveHint,
  measure,
  motion,
  nextStreak,
  parseQualityThresholds,
  readyToCapture,
  shrinkPlane,
  STUDIO_TO_FULL,
  thumbnail,
  toGrey,
  type Grey,
} from '../../component/image/quality.js';
import { QualityLoop } from '../../component/camera/quality-loop.js';
import type { AnalyseRequest } from '../../component/image/analyse.js';
import type { FrameQuality, LiveHint } from '../../component/image/quality.js';
import { atFront, image } from './flow-driver.ts';

const W = 640;
const H = 480;
const GUIDE = { x: 0.08, y: 0.1, w: 0.84, h: 0.8 };

/** The card of test/fixtures/make-y4m.mjs, as luma, optionally shifted by `dx` pixels. */
function card(dx = 0): Grey {
  const cardW = 480;
  const cardH = Math.round(cardW / 1.586);
  const cardX = (W - cardW) / 2 + dx;
  const cardY = Math.round((H - cardH) / 2);
  const data = new Uint8Array(W * H);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < W; x++) {
      const cx = x - cardX;
      const cy = y - cardY;
      let v = 232;
      if (cx < 0 || cy < 0 || cx >= cardW || cy >= cardH) v = 44;
      else if (cy < 48) v = 76;
      else if (cx > 24 && cx < 144 && cy > 64 && cy < 216) v = 142;
      else if (
        (cx > 168 && cx < 440 && cy > 72 && cy < 200 && (cy - 72) % 24 < 10) ||
        (cx > 24 && cx < 456 && cy > 236 && (cy - 236) % 20 < 8 && cx % 12 < 9)
      )
        v = 21;
      data[y * W + x] = v;
    }
  return { data, width: W, height: H };
}

/** Three passes of a (2r+1) box blur: close to a Gaussian of σ ≈ 1.4 r. */
function blurred(image: Grey, r: number): Grey {
  const { width, height } = image;
  let a = image.data;
  for (let pass = 0; pass < 3; pass++) {
    const h = new Uint8Array(a.length);
    const v = new Uint8Array(a.length);
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        let s = 0;
        for (let k = -r; k <= r; k++) s += a[y * width + Math.min(width - 1, Math.max(0, x + k))]!;
        h[y * width + x] = s / (2 * r + 1);
      }
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) {
        let s = 0;
        for (let k = -r; k <= r; k++) s += h[Math.min(height - 1, Math.max(0, y + k)) * width + x]!;
        v[y * width + x] = s / (2 * r + 1);
      }
    a = v;
  }
  return { data: a, width, height };
}

/** A saturated disc of radius `r` at the centre. */
function withGlare(image: Grey, r: number): Grey {
  const data = image.data.slice();
  const { width, height } = image;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if ((x - width / 2) ** 2 + (y - height / 2) ** 2 < r * r) data[y * width + x] = 255;
  return { data, width, height };
}

const scaled = (image: Grey, f: number): Grey => ({
  ...image,
  data: image.data.map((v) => Math.round(v * f)),
});

describe('quality measures', () => {
  it('toGrey weighs red, green and blue as BT.601 luma', () => {
    const rgba = new Uint8ClampedArray([
      255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255,
    ]);
    const grey = [...toGrey(rgba, 4, 1)];
    assert.deepEqual(grey.slice(0, 3), [76, 149, 28]); // 0.299, 0.587, 0.114 of 255
    assert.equal(grey[3], 255);
  });

  it('sharpness: the printed card scores far above the threshold, the blurred card far below', () => {
    const sharp = laplacianVariance(card(), GUIDE);
    const soft = laplacianVariance(blurred(card(), 3), GUIDE);
    assert.ok(sharp > 10 * T.sharpness, `sharp card ${sharp}`);
    assert.ok(soft < T.blurredStill, `blurred card ${soft}`);
    // Monotonic in the blur radius.
    const radii = [1, 2, 4].map((r) => laplacianVariance(blurred(card(), r), GUIDE));
    assert.ok(radii[0]! > radii[1]! && radii[1]! > radii[2]!, JSON.stringify(radii));
  });

  it('a flat image has no sharpness at all', () => {
    const flat = { data: new Uint8Array(100 * 100).fill(128), width: 100, height: 100 };
    assert.equal(laplacianVariance(flat), 0);
  });

  it('glare is the share of saturated pixels inside the guide only', () => {
    const spot = withGlare(card(), 60); // π·60² ≈ 11 300 px
    const { glare } = lightInside(spot, GUIDE, T.saturated);
    const inside = W * GUIDE.w * H * GUIDE.h;
    assert.ok(Math.abs(glare - (Math.PI * 3600) / inside) < 0.005, `glare ${glare}`);
    assert.equal(lightInside(card(), GUIDE, T.saturated).glare, 0);
    // A saturated corner outside the guide does not count.
    const corner = card();
    for (let y = 0; y < 20; y++) for (let x = 0; x < 20; x++) corner.data[y * W + x] = 255;
    assert.equal(lightInside(corner, GUIDE, T.saturated).glare, 0);
  });

  it('brightness is the mean luma inside the guide', () => {
    const grey = { data: new Uint8Array(10 * 10).fill(40), width: 10, height: 10 };
    for (let i = 0; i < 10; i++) grey.data[i] = 240; // top row, outside the guide below
    assert.equal(lightInside(grey, { x: 0, y: 0.2, w: 1, h: 0.8 }, 250).brightness, 40);
    assert.equal(lightInside(grey, FULL_FRAME, 250).brightness, 40 + 20);
  });

  it('motion: 0 for the same frame, large for a card moved by 8 px, Infinity for other sizes', () => {
    const a = thumbnail(card());
    assert.equal(a.width, 32);
    assert.equal(a.height, 24);
    assert.equal(motion(a, thumbnail(card())), 0);
    assert.ok(motion(a, thumbnail(card(40))) > T.motion, `${motion(a, thumbnail(card(40)))}`);
    assert.equal(motion(a, thumbnail(card(), 16)), Infinity);
  });
});

describe('camera frames without a canvas', () => {
  it('shrinkPlane area-averages a strided luma plane to the analysis width', () => {
    // A 6×2 plane inside rows of 8 bytes, after a 3-byte header: two 3×2 blocks of 10 and 40.
    const data = new Uint8Array(3 + 8 * 2);
    for (let y = 0; y < 2; y++) for (let x = 0; x < 6; x++) data[3 + y * 8 + x] = x < 3 ? 10 : 40;
    const grey = shrinkPlane({ data, width: 6, height: 2, stride: 8, offset: 3 }, 2);
    assert.deepEqual([grey.width, grey.height, ...grey.data], [2, 1, 10, 40]);
  });

  it('a 1920×1080 Y plane of the card gives what the 640 px card gives', () => {
    const small = card();
    const big = new Uint8Array(1920 * 1440);
    for (let y = 0; y < 1440; y++)
      for (let x = 0; x < 1920; x++)
        big[y * 1920 + x] = small.data[Math.floor(y / 3) * W + Math.floor(x / 3)]!;
    const grey = shrinkPlane(
      { data: big, width: 1920, height: 1440, stride: 1920, offset: 0 },
      640,
    );
    assert.deepEqual([grey.width, grey.height], [W, H]);
    assert.deepEqual(grey.data, small.data);
  });

  it('limited-range luma is expanded as a canvas shows it: 16 → 0, 235 → 255', () => {
    assert.deepEqual(
      [STUDIO_TO_FULL[16], STUDIO_TO_FULL[235], STUDIO_TO_FULL[0], STUDIO_TO_FULL[255]],
      [0, 255, 0, 255],
    );
    assert.equal(STUDIO_TO_FULL[126], 128);
    const data = new Uint8Array([235, 235, 16, 16]);
    const grey = shrinkPlane(
      { data, width: 4, height: 1, stride: 4, offset: 0 },
      4,
      STUDIO_TO_FULL,
    );
    assert.deepEqual([...grey.data], [255, 255, 0, 0]);
  });
});

describe('verdicts', () => {
  it('ok for the sharp card; blurry, glare, dark and bright for the spoilt ones', () => {
    assert.equal(judge(measure(card(), GUIDE, T), T), 'ok');
    assert.equal(judge(measure(blurred(card(), 2), GUIDE, T), T), 'blurry');
    assert.equal(judge(measure(withGlare(card(), 60), GUIDE, T), T), 'glare');
    assert.equal(judge(measure(scaled(card(), 0.3), GUIDE, T), T), 'dark');
    const washed = { ...card(), data: card().data.map((v) => Math.min(249, 200 + v)) };
    assert.equal(judge(measure(washed, GUIDE, T), T), 'bright');
  });

  it('light problems come before blur (they spoil the sharpness measure)', () => {
    assert.equal(judge(measure(withGlare(blurred(card(), 3), 60), GUIDE, T), T), 'glare');
    assert.equal(judge(measure(scaled(blurred(card(), 3), 0.3), GUIDE, T), T), 'dark');
  });

  it('a still is judged with the laxer blur limit, and is small below minEdge', () => {
    const slightly = measure(blurred(card(), 1), GUIDE, T);
    assert.ok(slightly.sharpness > T.blurredStill && slightly.sharpness < T.sharpness * 2);
    const live = { ...slightly, sharpness: (T.blurredStill + T.sharpness) / 2 };
    assert.equal(judge(live, T), 'blurry', 'too soft for auto-capture');
    assert.equal(judge(live, T, { width: 1600, height: 1000 }), 'ok', 'not obviously blurred');
    assert.equal(judge(measure(card(), GUIDE, T), T, { width: 400, height: 300 }), 'small');
  });
});

describe('live frames and auto-capture', () => {
  it('the first frame is never steady; the same sharp frame again is', () => {
    const first = judgeFrame(card(), GUIDE, T);
    assert.equal(first.quality.verdict, 'ok');
    assert.equal(first.quality.steady, false);
    assert.equal(liveHint(first.quality), 'ok');
    const second = judgeFrame(card(), GUIDE, T, first.thumb);
    assert.equal(second.quality.steady, true);
    assert.equal(second.quality.motion, 0);
  });

  it('a sharp frame on a moving camera says "hold still" and is not steady', () => {
    const first = judgeFrame(card(), GUIDE, T);
    const moved = judgeFrame(card(40), GUIDE, T, first.thumb);
    assert.equal(moved.quality.verdict, 'ok');
    assert.equal(moved.quality.steady, false);
    assert.equal(liveHint(moved.quality), 'blurry');
  });

  it('blurred or glaring frames never count towards auto-capture', () => {
    for (const image of [blurred(card(), 3), withGlare(card(), 60)]) {
      const a = judgeFrame(image, GUIDE, T);
      const b = judgeFrame(image, GUIDE, T, a.thumb);
      assert.equal(b.quality.steady, false);
      assert.equal(nextStreak(3, b.quality), 0);
    }
  });

  it('auto-capture after `frames` steady frames, and not before `settleMs`', () => {
    let streak = 0;
    let thumb: Grey | undefined;
    const fired: number[] = [];
    for (let i = 0; i < 8; i++) {
      const judged = judgeFrame(card(), GUIDE, T, thumb);
      thumb = judged.thumb;
      streak = nextStreak(streak, judged.quality);
      if (readyToCapture(streak, 10_000, T)) fired.push(i);
    }
    assert.equal(fired[0], T.frames, 'frame 0 has nothing to compare with, so frames 1..4 count');
    assert.equal(readyToCapture(T.frames, T.settleMs - 1, T), false);
    assert.equal(readyToCapture(T.frames - 1, 60_000, T), false);
  });
});

describe('parseQualityThresholds', () => {
  it('merges a JSON string or an object over the defaults', () => {
    assert.deepEqual(parseQualityThresholds('{"sharpness": 120, "frames": 6}'), {
      ...T,
      sharpness: 120,
      frames: 6,
    });
    assert.deepEqual(parseQualityThresholds({ glare: 0.05 }), { ...T, glare: 0.05 });
  });

  it('ignores bad JSON, unknown keys and values that are not finite non-negative numbers', () => {
    assert.deepEqual(parseQualityThresholds('{nope'), T);
    assert.deepEqual(parseQualityThresholds(undefined), T);
    assert.deepEqual(
      parseQualityThresholds({ sharpness: -1, glare: '0.5', dark: Infinity, surprise: 3 }),
      T,
    );
  });
});

describe('the flow machine and quality', () => {
  it('keeps the live hint while the preview runs, re-renders only on a change, and drops it on capture', () => {
    const flow = atFront();
    const hint = () => (flow.state.step === 'capture' ? flow.state.hint : 'not capturing');
    flow.send({ type: 'quality', side: 'front', hint: 'blurry' });
    assert.equal(hint(), undefined, 'no hint before the camera is ready');
    flow.send({ type: 'camera-ready', side: 'front' });
    flow.send({ type: 'quality', side: 'front', hint: 'blurry' });
    assert.equal(hint(), 'blurry');
    const before = flow.state;
    flow.send({ type: 'quality', side: 'front', hint: 'blurry' });
    assert.equal(flow.state, before, 'the same hint is no new state');
    flow.send({ type: 'quality', side: 'selfie', hint: 'ok' });
    assert.equal(flow.state, before, 'a hint for another side is dropped');
    flow.send({ type: 'quality', side: 'front', hint: 'ok' });
    assert.equal(hint(), 'ok');
    // Auto-capture hands the steady frame over as a `frame`: processed like a shutter photo.
    const frame = {} as ImageBitmap;
    flow.send({ type: 'frame', side: 'front', frame });
    assert.deepEqual(flow.one('process-image'), {
      type: 'process-image',
      side: 'front',
      source: frame,
    });
    assert.equal(hint(), undefined);
    flow.send({ type: 'quality', side: 'front', hint: 'glare' });
    assert.equal(hint(), undefined, 'no hint while the photo is processed');
  });

  it("carries each still's verdict to the review", () => {
    const flow = atFront();
    const front = { ...image('front'), quality: 'blurry' as const };
    flow.send(
      { type: 'use-picker' },
      { type: 'file-chosen', file: front.blob },
      { type: 'image-ready', side: 'front', image: front },
      { type: 'accept' },
    );
    const selfie = { ...image('selfie'), quality: 'ok' as const };
    flow.send(
      { type: 'use-picker' },
      { type: 'file-chosen', file: selfie.blob },
      { type: 'image-ready', side: 'selfie', image: selfie },
      { type: 'accept' },
    );
    assert.equal(flow.state.step, 'review');
    if (flow.state.step !== 'review') return;
    assert.equal(flow.state.work.images.front?.quality, 'blurry');
    assert.equal(flow.state.work.images.selfie?.quality, 'ok');
  });
});

describe('the live loop (component/camera/quality-loop.ts)', { timeout: 10_000 }, () => {
  /** A frame that records whether it was closed. */
  class Frame {
    closed = false;
    constructor(readonly n: number) {}
    close() {
      this.closed = true;
    }
  }
  const video = {
    readyState: 4,
    videoWidth: 640,
    videoHeight: 480,
    getBoundingClientRect: () => ({ left: 0, top: 0, width: 640, height: 480 }),
  } as unknown as HTMLVideoElement;
  const good: FrameQuality = {
    sharpness: 900,
    glare: 0,
    brightness: 120,
    verdict: 'ok',
    steady: true,
    motion: 1,
  };
  const blurry: FrameQuality = { ...good, sharpness: 5, verdict: 'blurry', steady: false };

  /** Runs a loop over scripted judgements until it captures or the script ends. */
  async function run(script: FrameQuality[], autoCapture = true) {
    const frames: Frame[] = [];
    const requests: AnalyseRequest[] = [];
    const hints: LiveHint[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    let captured: Frame | undefined;
    let loop: QualityLoop | undefined;
    await new Promise<void>((done) => {
      loop = new QualityLoop({
        video,
        guide: () => null,
        thresholds: { ...T, settleMs: 0, frames: 3 },
        autoCapture,
        intervalMs: 0,
        grab: async () => {
          const frame = new Frame(frames.length);
          frames.push(frame);
          return frame as unknown as ImageBitmap;
        },
        analyse: async (request) => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          requests.push(request);
          await new Promise((r) => setTimeout(r, 1));
          inFlight--;
          const quality = script[requests.length - 1];
          if (!quality) {
            loop!.stop();
            setTimeout(done, 5);
            (request.source as unknown as Frame).close();
            return { quality: blurry };
          }
          // As the worker does: the frame comes back only when kept and steady, else it is closed.
          if (request.keep && quality.steady)
            return { quality, frame: request.source as ImageBitmap };
          (request.source as unknown as Frame).close();
          return { quality };
        },
        onHint: (hint) => hints.push(hint),
        onCapture: (frame) => {
          captured = frame as unknown as Frame;
          done();
        },
      });
    });
    loop!.stop();
    return { frames, requests, hints, captured, maxInFlight };
  }

  it('captures the frame that completed the streak of steady frames, and asks only for that one back', async () => {
    const { frames, requests, captured, maxInFlight } = await run([good, good, good, good]);
    assert.equal(captured, frames[2], 'the third steady frame (frames: 3)');
    assert.equal(captured!.closed, false, 'handed over open, to be encoded');
    assert.deepEqual(
      requests.map((r) => r.keep),
      [false, false, true],
    );
    assert.ok(
      frames.slice(0, 2).every((f) => f.closed),
      'every other frame is closed',
    );
    assert.equal(maxInFlight, 1, 'never more than one frame in flight');
    assert.equal(requests[0]!.track, requests[2]!.track, 'one track for the motion check');
  });

  it('a blurred frame resets the streak: no capture until three steady frames in a row', async () => {
    const { frames, captured } = await run([good, good, blurry, good, good, good]);
    assert.equal(captured, frames[5]);
  });

  it('never captures blurred frames, and says "hold still" once two frames agree', async () => {
    // A lone blurred frame between good ones does not flip the hint back and forth.
    const { captured, hints, frames } = await run([good, blurry, good, blurry, blurry, blurry]);
    assert.equal(captured, undefined);
    assert.deepEqual(hints, ['ok', 'blurry']);
    assert.ok(frames.every((f) => f.closed));
  });

  it('with auto-capture off, steady frames only give hints', async () => {
    const { captured, requests } = await run([good, good, good, good, good], false);
    assert.equal(captured, undefined);
    assert.ok(requests.every((r) => !r.keep));
  });
});
