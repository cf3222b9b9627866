/**
 * @module
 * The image work itself, shared by the worker and the main-thread fallback: decode (honouring EXIF
 * orientation), downscale so the long edge is at most `maxEdge`, encode JPEG, and step quality then size
 * down until the bytes fit `maxBytes`.
 */

import type { EncodeOptions } from '../image-options.js';

export type { EncodeOptions } from '../image-options.js';

/** A processed image. */
export interface EncodedImage {
  blob: Blob;
  width: number;
  height: number;
}

const MIN_QUALITY = 0.6;
const MAX_ATTEMPTS = 8;

type Canvas2D = OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D;
interface Surface {
  ctx: Canvas2D;
  toJpeg(quality: number): Promise<Blob>;
}

function surface(width: number, height: number): Surface {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    const ctx = canvas.getContext('2d');
    if (ctx)
      return { ctx, toJpeg: (quality) => canvas.convertToBlob({ type: 'image/jpeg', quality }) };
  }
  // Main-thread fallback for browsers without a 2D OffscreenCanvas.
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('No 2D canvas available.');
  return {
    ctx,
    toJpeg: (quality) =>
      new Promise((resolve, reject) =>
        canvas.toBlob(
          (b) => (b ? resolve(b) : reject(new Error('JPEG encoding failed.'))),
          'image/jpeg',
          quality,
        ),
      ),
  };
}

/** Decodes `source` (a file or a camera frame) and re-encodes it as a JPEG within the limits. */
export async function encodeImage(
  source: Blob | ImageBitmap,
  options: EncodeOptions,
): Promise<EncodedImage> {
  // `from-image` applies the EXIF orientation, so a portrait phone photo stays upright.
  const bitmap =
    source instanceof Blob
      ? await createImageBitmap(source, { imageOrientation: 'from-image' })
      : source;
  try {
    const longEdge = Math.max(bitmap.width, bitmap.height);
    if (!longEdge) throw new Error('Empty image.');
    let scale = Math.min(1, options.maxEdge / longEdge);
    let quality = Math.min(1, Math.max(0.1, options.quality));
    let last: EncodedImage | undefined;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const width = Math.max(1, Math.round(bitmap.width * scale));
      const height = Math.max(1, Math.round(bitmap.height * scale));
      const { ctx, toJpeg } = surface(width, height);
      ctx.imageSmoothingEnabled = true;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(bitmap, 0, 0, width, height);
      last = { blob: await toJpeg(quality), width, height };
      if (last.blob.size <= options.maxBytes) return last;
      if (quality > MIN_QUALITY + 0.001) quality = Math.max(MIN_QUALITY, quality - 0.1);
      else scale *= 0.8;
    }
    return last!;
  } finally {
    bitmap.close();
  }
}
