/**
 * @module
 * Reads a camera frame or a still as grey pixels at {@link ANALYSIS_WIDTH} px and judges it with
 * ./quality.ts. Shared by the image worker and the main-thread fallback, like ./encode.ts. Keeps the
 * thumbnail of the last live frame per preview for the motion check.
 */
import {
  ANALYSIS_WIDTH,
  FULL_FRAME,
  judge,
  judgeFrame,
  measure,
  shrinkPlane,
  STUDIO_TO_FULL,
  toGrey,
  type FrameQuality,
  type Grey,
  type QualityThresholds,
  type Rect,
} from './quality.js';

/** One frame or still to judge. */
export interface AnalyseRequest {
  /**
   * A live frame (transferred to the worker: a `VideoFrame` costs the page nothing to take, an
   * `ImageBitmap` where there is no `VideoFrame`) or a processed still.
   */
  source: Blob | ImageBitmap | VideoFrame;
  /** The guide, in fractions of the source; the whole frame by default. */
  guide?: Rect;
  thresholds: QualityThresholds;
  /** Live frames of one preview share a track: motion is measured against its frame before. */
  track?: string;
  /** Hand the frame back when it is steady (the auto-capture candidate); otherwise it is closed. */
  keep?: boolean;
  /** A still of this size: judged with the still limits (`blurredStill`, `minEdge`). */
  still?: { width: number; height: number };
}

/** The answer: the judgement, and the frame itself (as an ImageBitmap) when kept. */
export interface AnalyseResult {
  quality: FrameQuality;
  frame?: ImageBitmap;
}

/** 8-bit formats whose first plane is luma. */
const YUV: ReadonlySet<string> = new Set(['I420', 'I420A', 'I422', 'I444', 'NV12']);
let copyBuffer = new Uint8Array(0);

/**
 * The grey image straight from a camera frame's Y plane: one copy and an area average, no canvas and no
 * colour conversion. `undefined` for other formats (a canvas draws those).
 */
async function frameGrey(frame: VideoFrame): Promise<Grey | undefined> {
  const rect = frame.visibleRect;
  if (!frame.format || !YUV.has(frame.format) || !rect) return undefined;
  const size = frame.allocationSize();
  if (copyBuffer.length < size) copyBuffer = new Uint8Array(size);
  const [luma] = await frame.copyTo(copyBuffer);
  if (!luma) return undefined;
  const plane = { data: copyBuffer, width: rect.width, height: rect.height, ...luma };
  // Camera frames are limited range unless they say otherwise; the thresholds are in full range.
  return shrinkPlane(
    plane,
    ANALYSIS_WIDTH,
    frame.colorSpace.fullRange ? undefined : STUDIO_TO_FULL,
  );
}

type Context = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;
let surface: { ctx: Context; width: number; height: number } | undefined;

function context(width: number, height: number): Context {
  if (surface && surface.width === width && surface.height === height) return surface.ctx;
  let ctx: Context | null;
  if (typeof OffscreenCanvas !== 'undefined') {
    ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  } else {
    const canvas = document.createElement('canvas'); // main-thread fallback
    canvas.width = width;
    canvas.height = height;
    ctx = canvas.getContext('2d', { willReadFrequently: true });
  }
  if (!ctx) throw new Error('No 2D canvas available.');
  surface = { ctx, width, height };
  return ctx;
}

/** The source drawn at `ANALYSIS_WIDTH` px wide (never enlarged), as grey pixels. */
export function readGrey(source: ImageBitmap | VideoFrame): Grey {
  const [w, h] =
    'displayWidth' in source
      ? [source.displayWidth, source.displayHeight]
      : [source.width, source.height];
  if (!w || !h) throw new Error('Empty image.');
  const width = Math.min(ANALYSIS_WIDTH, w);
  const height = Math.max(1, Math.round((h * width) / w));
  const ctx = context(width, height);
  ctx.drawImage(source, 0, 0, width, height);
  return { data: toGrey(ctx.getImageData(0, 0, width, height).data, width, height), width, height };
}

let last: { track: string; thumb: Grey } | undefined;

/** Judges one frame or still. A live frame is closed unless it is kept and handed back. */
export async function analyse(request: AnalyseRequest): Promise<AnalyseResult> {
  const { source, guide = FULL_FRAME, thresholds, track, keep, still } = request;
  const bitmap =
    source instanceof Blob
      ? await createImageBitmap(source, {
          // Decoding straight to the analysis size is much cheaper than drawing the full image.
          ...(still && { resizeWidth: Math.min(ANALYSIS_WIDTH, Math.max(1, still.width)) }),
        })
      : source;
  let handBack = false;
  try {
    const grey = ('format' in bitmap && (await frameGrey(bitmap))) || readGrey(bitmap);
    if (still) {
      const m = measure(grey, guide, thresholds);
      return { quality: { ...m, verdict: judge(m, thresholds, still), steady: false } };
    }
    const previous = track !== undefined && last?.track === track ? last.thumb : undefined;
    const { quality, thumb } = judgeFrame(grey, guide, thresholds, previous);
    last = track === undefined ? undefined : { track, thumb };
    if (!keep || !quality.steady || source instanceof Blob) return { quality };
    if (bitmap instanceof ImageBitmap) {
      handBack = true;
      return { quality, frame: bitmap };
    }
    // The photo to encode: the very frame judged steady, at full size.
    return { quality, frame: await createImageBitmap(bitmap) };
  } finally {
    if (!handBack) bitmap.close();
  }
}
