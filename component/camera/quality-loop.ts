/**
 * @module
 * Live capture guidance (lazily loaded with the capture chunk): every ~150 ms, with never more than one
 * frame in flight, grabs the preview's current frame, has it judged (the image worker, see
 * ../image/analyse.ts) inside the guide's rectangle, reports the hint to show, and after enough steady,
 * sharp, glare-free frames hands the last of them over for auto-capture. The frame captured is the one
 * judged, so auto-capture never takes a blurred frame.
 */
import type { AnalyseRequest, AnalyseResult } from '../image/analyse.js';
import {
  FULL_FRAME,
  liveHint,
  nextStreak,
  readyToCapture,
  type LiveHint,
  type QualityThresholds,
  type Rect,
} from '../image/quality.js';

export interface QualityLoopOptions {
  video: HTMLVideoElement;
  /** The guide drawn over the preview (its rectangle is analysed); the whole frame when absent. */
  guide(): Element | null;
  thresholds: QualityThresholds;
  /** Off: hints only. */
  autoCapture: boolean;
  analyse(request: AnalyseRequest): Promise<AnalyseResult>;
  /** The hint changed (after two frames agree, so it does not flicker). */
  onHint(hint: LiveHint): void;
  /** Auto-capture: the steady frame, now owned by the callee. The loop has stopped. */
  onCapture(frame: ImageBitmap): void;
  intervalMs?: number;
  /** Takes the current frame (tests replace it); a VideoFrame where there is one. */
  grab?(video: HTMLVideoElement): Promise<VideoFrame | ImageBitmap>;
}

let tracks = 0;

/**
 * The frame the video shows. A VideoFrame wraps it at no cost to the page (the worker reads its luma);
 * an ImageBitmap converts the whole frame to RGBA here first (about 200 ms for 1080p on a loaded
 * 2-core machine without a GPU: see docs/benchmarks.md), so it is only the fallback.
 */
async function grab(video: HTMLVideoElement): Promise<VideoFrame | ImageBitmap> {
  if (typeof VideoFrame === 'function') {
    try {
      return new VideoFrame(video);
    } catch {
      // a browser that cannot wrap this source: the bitmap below
    }
  }
  return createImageBitmap(video);
}

/**
 * The guide's rectangle in fractions of the video frame, for a `<video>` shown with `object-fit: cover`
 * (the preview crops the frame to its box).
 */
export function guideRect(video: HTMLVideoElement, guide: Element | null): Rect {
  const vw = video.videoWidth;
  const vh = video.videoHeight;
  const box = video.getBoundingClientRect();
  const g = guide?.getBoundingClientRect();
  if (!g || !vw || !vh || !box.width || !box.height || !g.width || !g.height) return FULL_FRAME;
  const scale = Math.max(box.width / vw, box.height / vh);
  const offX = (box.width - vw * scale) / 2;
  const offY = (box.height - vh * scale) / 2;
  const x = Math.max(0, (g.left - box.left - offX) / scale / vw);
  const y = Math.max(0, (g.top - box.top - offY) / scale / vh);
  const w = Math.min(1 - x, g.width / scale / vw);
  const h = Math.min(1 - y, g.height / scale / vh);
  return w > 0 && h > 0 ? { x, y, w, h } : FULL_FRAME;
}

export class QualityLoop {
  private stopped = false;
  private timer?: ReturnType<typeof setTimeout>;
  private streak = 0;
  private readonly started = performance.now();
  private readonly track = `t${++tracks}`;
  private seen?: LiveHint;
  private shown?: LiveHint;

  constructor(private readonly o: QualityLoopOptions) {
    this.schedule(0);
  }

  /** Stops after the frame in flight (whose answer is then dropped). */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  private schedule(ms: number): void {
    if (!this.stopped) this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    const began = performance.now();
    try {
      await this.once();
    } catch {
      this.streak = 0; // a frame lost (camera stopping, worker gone): the next one counts afresh
    }
    this.schedule(Math.max(0, (this.o.intervalMs ?? 150) - (performance.now() - began)));
  }

  private async once(): Promise<void> {
    const { video, thresholds: t } = this.o;
    if (video.readyState < 2 || !video.videoWidth || globalThis.document?.hidden) return;
    const source = await (this.o.grab ?? grab)(video);
    if (this.stopped) return source.close();
    const since = () => performance.now() - this.started;
    const { quality, frame } = await this.o.analyse({
      source,
      guide: guideRect(video, this.o.guide()),
      thresholds: t,
      track: this.track,
      // Ask for the frame back only when it would complete the streak.
      keep: this.o.autoCapture && readyToCapture(this.streak + 1, since(), t),
    });
    if (this.stopped) return frame?.close();
    this.streak = nextStreak(this.streak, quality);
    if (frame && this.o.autoCapture && readyToCapture(this.streak, since(), t)) {
      this.stop();
      this.o.onCapture(frame);
      return;
    }
    frame?.close();
    const hint = liveHint(quality);
    const agreed = hint === this.seen || this.shown === undefined;
    this.seen = hint;
    if (agreed && hint !== this.shown) {
      this.shown = hint;
      this.o.onHint(hint);
    }
  }
}
