/**
 * @module
 * Capture quality as pure functions over grey pixels, so the same code runs in the image worker, in the
 * main-thread fallback and in Node tests: sharpness (variance of the Laplacian), glare (share of
 * saturated pixels inside the guide), brightness (mean luma), motion between two frames, and the
 * verdict the live guidance and the review show. Loaded only with the capture chunk and the worker.
 */

/** What a frame or still is judged to be; `small` only for stills. */
export type Verdict = 'ok' | 'blurry' | 'glare' | 'dark' | 'bright' | 'small';

/** What the live preview tells the user: `blurry` also covers a moving camera ("Hold still"). */
export type LiveHint = Exclude<Verdict, 'small'>;

/** A rectangle in fractions (0–1) of the frame's width and height. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The whole frame. */
export const FULL_FRAME: Readonly<Rect> = { x: 0, y: 0, w: 1, h: 1 };

/**
 * Limits, all measured at {@link ANALYSIS_WIDTH} px wide on 0–255 luma. The defaults suit a document held
 * 15–30 cm from a phone camera; integrators tune them with the `quality-thresholds` attribute.
 */
export interface QualityThresholds {
  /** Variance of the Laplacian at or above which a live frame counts as sharp. */
  sharpness: number;
  /** Below this a still is obviously blurred and the user is asked to retake it. */
  blurredStill: number;
  /** Luma at or above which a pixel counts as saturated. */
  saturated: number;
  /** Largest share (0–1) of saturated pixels inside the guide before it counts as glare. */
  glare: number;
  /** Mean luma inside the guide below which the frame is too dark. */
  dark: number;
  /** Mean luma inside the guide above which the frame is too bright. */
  bright: number;
  /** Largest mean absolute difference (0–255) of two consecutive thumbnails for a steady camera. */
  motion: number;
  /** A still whose long edge is shorter than this (px) is too small to read. */
  minEdge: number;
  /** Consecutive good, steady frames before auto-capture. */
  frames: number;
  /** Auto-capture waits at least this long (ms) after the camera starts, to let the user frame the document. */
  settleMs: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: Readonly<QualityThresholds> = {
  sharpness: 60,
  blurredStill: 25,
  saturated: 250,
  glare: 0.02,
  dark: 50,
  bright: 235,
  motion: 8,
  minEdge: 600,
  frames: 4,
  settleMs: 1500,
};

/** Frames are analysed at this width (height in proportion): cheap, and thresholds mean the same everywhere. */
export const ANALYSIS_WIDTH = 640;

/** Thumbnail width for the motion check. */
export const THUMB_WIDTH = 32;

/**
 * The element's `quality-thresholds` value (a JSON object string, or an object) over the defaults; a
 * key that is unknown or not a finite, non-negative number is ignored.
 */
export function parseQualityThresholds(value: unknown): QualityThresholds {
  let input = value;
  if (typeof input === 'string') {
    try {
      input = JSON.parse(input) as unknown;
    } catch {
      input = undefined;
    }
  }
  const result = { ...DEFAULT_QUALITY_THRESHOLDS };
  if (!input || typeof input !== 'object') return result;
  for (const key of Object.keys(result) as Array<keyof QualityThresholds>) {
    const v = (input as Record<string, unknown>)[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) result[key] = v;
  }
  return result;
}

/** Luma (BT.601) of RGBA pixels. */
export function toGrey(
  rgba: Uint8ClampedArray | Uint8Array,
  width: number,
  height: number,
): Uint8Array {
  const n = width * height;
  const grey = new Uint8Array(n);
  for (let i = 0, j = 0; i < n; i++, j += 4) {
    // Integer weights (77, 150, 29)/256 ≈ (0.299, 0.587, 0.114): no floats in the hot loop.
    grey[i] = (77 * rgba[j]! + 150 * rgba[j + 1]! + 29 * rgba[j + 2]!) >> 8;
  }
  return grey;
}

/** A grey image. */
export interface Grey {
  data: Uint8Array;
  width: number;
  height: number;
}

/** 8-bit samples in a buffer: one plane of a video frame (Y), or interleaved pixels. */
export interface Plane {
  data: Uint8Array;
  width: number;
  height: number;
  /** Bytes from one row to the next, and from the buffer's start to the first sample. */
  stride: number;
  offset: number;
}

/** Limited-range ("studio swing", 16–235) luma to full range 0–255, as a canvas would show it. */
export const STUDIO_TO_FULL: Uint8Array = Uint8Array.from({ length: 256 }, (_, y) =>
  Math.min(255, Math.max(0, Math.round(((y - 16) * 255) / 219))),
);

/**
 * A luma plane (e.g. the Y plane of a camera's I420 or NV12 frame) area-averaged down to at most
 * `width` px wide, through `lut` (e.g. {@link STUDIO_TO_FULL}): the grey image without a canvas.
 */
export function shrinkPlane(plane: Plane, width: number, lut?: Uint8Array): Grey {
  const { data, stride, offset } = plane;
  const tw = Math.max(1, Math.min(width, plane.width));
  const th = Math.max(1, Math.round((plane.height * tw) / plane.width));
  const out = new Uint8Array(tw * th);
  // Column bounds once; each source row is then read left to right in one pass (the hot loop).
  const ends = Uint32Array.from({ length: tw }, (_, i) =>
    Math.max(Math.floor((i * plane.width) / tw) + 1, Math.floor(((i + 1) * plane.width) / tw)),
  );
  const acc = new Uint32Array(tw);
  for (let ty = 0; ty < th; ty++) {
    const y0 = Math.floor((ty * plane.height) / th);
    const y1 = Math.max(y0 + 1, Math.floor(((ty + 1) * plane.height) / th));
    acc.fill(0);
    for (let y = y0; y < y1; y++) {
      const row = offset + y * stride;
      let i = row;
      for (let tx = 0; tx < tw; tx++) {
        const end = row + ends[tx]!;
        let sum = 0;
        for (; i < end; i++) sum += data[i]!;
        acc[tx] += sum;
      }
    }
    for (let tx = 0, x0 = 0; tx < tw; x0 = ends[tx]!, tx++) {
      const v = Math.round(acc[tx]! / ((y1 - y0) * (ends[tx]! - x0)));
      out[ty * tw + tx] = lut ? lut[v]! : v;
    }
  }
  return { data: out, width: tw, height: th };
}

/** The pixel bounds of `rect` in the image, clamped, at least 3×3 when the image allows. */
function bounds(image: Grey, rect: Rect): [x0: number, y0: number, x1: number, y1: number] {
  const { width, height } = image;
  const clamp = (v: number, max: number) => Math.min(max, Math.max(0, Math.round(v)));
  let x0 = clamp(rect.x * width, width);
  let y0 = clamp(rect.y * height, height);
  let x1 = clamp((rect.x + rect.w) * width, width);
  let y1 = clamp((rect.y + rect.h) * height, height);
  if (x1 - x0 < 3) [x0, x1] = [0, width];
  if (y1 - y0 < 3) [y0, y1] = [0, height];
  return [x0, y0, x1, y1];
}

/**
 * Variance of the 4-neighbour Laplacian inside `rect` (pixels on the image border skipped): high for crisp
 * edges such as printed text, low when blur spreads them.
 */
export function laplacianVariance(image: Grey, rect: Rect = FULL_FRAME): number {
  const { data, width, height } = image;
  const [bx0, by0, bx1, by1] = bounds(image, rect);
  const x0 = Math.max(1, bx0);
  const y0 = Math.max(1, by0);
  const x1 = Math.min(width - 1, bx1);
  const y1 = Math.min(height - 1, by1);
  let sum = 0;
  let sumSq = 0;
  let n = 0;
  for (let y = y0; y < y1; y++) {
    let i = y * width + x0;
    for (let x = x0; x < x1; x++, i++) {
      const v = data[i - width]! + data[i + width]! + data[i - 1]! + data[i + 1]! - 4 * data[i]!;
      sum += v;
      sumSq += v * v;
      n++;
    }
  }
  if (!n) return 0;
  const mean = sum / n;
  return sumSq / n - mean * mean;
}

/** Mean luma and the share of pixels at or above `saturated`, inside `rect`. */
export function lightInside(
  image: Grey,
  rect: Rect,
  saturated: number,
): { brightness: number; glare: number } {
  const { data, width } = image;
  const [x0, y0, x1, y1] = bounds(image, rect);
  let sum = 0;
  let hot = 0;
  for (let y = y0; y < y1; y++) {
    for (let i = y * width + x0, end = y * width + x1; i < end; i++) {
      const v = data[i]!;
      sum += v;
      if (v >= saturated) hot++;
    }
  }
  const n = (x1 - x0) * (y1 - y0);
  return n ? { brightness: sum / n, glare: hot / n } : { brightness: 0, glare: 0 };
}

/** A box-filtered thumbnail `THUMB_WIDTH` px wide, for comparing consecutive frames. */
export function thumbnail(image: Grey, thumbWidth = THUMB_WIDTH): Grey {
  const { data, width, height } = image;
  const tw = Math.max(1, Math.min(thumbWidth, width));
  const th = Math.max(1, Math.round((height * tw) / width));
  const out = new Uint8Array(tw * th);
  for (let ty = 0; ty < th; ty++) {
    const ys = Math.floor((ty * height) / th);
    const ye = Math.max(ys + 1, Math.floor(((ty + 1) * height) / th));
    for (let tx = 0; tx < tw; tx++) {
      const xs = Math.floor((tx * width) / tw);
      const xe = Math.max(xs + 1, Math.floor(((tx + 1) * width) / tw));
      let sum = 0;
      for (let y = ys; y < ye; y++) for (let x = xs; x < xe; x++) sum += data[y * width + x]!;
      out[ty * tw + tx] = Math.round(sum / ((ye - ys) * (xe - xs)));
    }
  }
  return { data: out, width: tw, height: th };
}

/** Mean absolute difference of two thumbnails (0–255); `Infinity` when their sizes differ. */
export function motion(a: Grey, b: Grey): number {
  if (a.width !== b.width || a.height !== b.height) return Infinity;
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += Math.abs(a.data[i]! - b.data[i]!);
  return a.data.length ? sum / a.data.length : 0;
}

/** The measures of one frame. */
export interface Measures {
  sharpness: number;
  /** Share (0–1) of saturated pixels inside the guide. */
  glare: number;
  /** Mean luma (0–255) inside the guide. */
  brightness: number;
}

/** What the worker answers for one frame or still. */
export interface FrameQuality extends Measures {
  verdict: Verdict;
  /** Mean absolute thumbnail difference to the frame before (live frames after the first). */
  motion?: number;
  /** Sharp, no glare, well lit, and the camera did not move since the frame before. */
  steady: boolean;
}

/** Sharpness over the guide, brightness and glare inside it. */
export function measure(image: Grey, guide: Rect, t: QualityThresholds): Measures {
  return { sharpness: laplacianVariance(image, guide), ...lightInside(image, guide, t.saturated) };
}

/**
 * The verdict: light problems first (they spoil the other measures), then blur. A still (`size` given)
 * is judged with the laxer `blurredStill` limit and may be `small`.
 */
export function judge(
  m: Measures,
  t: QualityThresholds,
  still?: { width: number; height: number },
): Verdict {
  if (still && Math.max(still.width, still.height) < t.minEdge) return 'small';
  if (m.brightness < t.dark) return 'dark';
  if (m.glare > t.glare) return 'glare';
  if (m.brightness > t.bright) return 'bright';
  if (m.sharpness < (still ? t.blurredStill : t.sharpness)) return 'blurry';
  return 'ok';
}

/**
 * Judges a live frame, given the thumbnail of the frame before (if any): `steady` needs an `ok` verdict
 * and a motion under the limit, so the first frame is never steady.
 */
export function judgeFrame(
  image: Grey,
  guide: Rect,
  t: QualityThresholds,
  previous?: Grey,
): { quality: FrameQuality; thumb: Grey } {
  const m = measure(image, guide, t);
  const verdict = judge(m, t);
  const thumb = thumbnail(image);
  const moved = previous ? motion(previous, thumb) : undefined;
  const steady = verdict === 'ok' && moved !== undefined && moved <= t.motion;
  return {
    quality: {
      ...m,
      verdict,
      steady,
      ...(moved !== undefined && Number.isFinite(moved) && { motion: moved }),
    },
    thumb,
  };
}

/** What the live preview says for a frame: a sharp frame on a moving camera is "Hold still" too. */
export function liveHint(q: FrameQuality): LiveHint {
  if (q.verdict === 'small') return 'ok'; // never for live frames
  if (q.verdict === 'ok' && q.motion !== undefined && !q.steady) return 'blurry';
  return q.verdict;
}

/**
 * The auto-capture count after one more frame: grows on steady frames, back to 0 otherwise. Capture
 * when it reaches `t.frames` (see {@link readyToCapture}).
 */
export function nextStreak(streak: number, q: FrameQuality): number {
  return q.steady ? streak + 1 : 0;
}

/** Whether a streak (after the frame just judged) and the time since the camera started allow auto-capture. */
export function readyToCapture(
  streak: number,
  sinceStartMs: number,
  t: QualityThresholds,
): boolean {
  return streak >= Math.max(1, Math.round(t.frames)) && sinceStartMs >= t.settleMs;
}
