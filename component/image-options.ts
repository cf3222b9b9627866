/**
 * @module
 * The image pipeline's settings and their defaults, apart from the pipeline itself: the element reads
 * the defaults on the first screen, while the pipeline loads with the capture chunk.
 */

/** Pipeline settings. */
export interface EncodeOptions {
  /** Long edge in pixels after downscaling. */
  maxEdge: number;
  /** JPEG quality to start with (0–1). */
  quality: number;
  /** Byte budget per image; quality and then size step down until the image fits. */
  maxBytes: number;
}

/** The element's defaults (`max-image-edge`, `jpeg-quality`) and the 1 MB budget per image. */
export const DEFAULT_ENCODE_OPTIONS: Readonly<EncodeOptions> = {
  maxEdge: 2000,
  quality: 0.9,
  maxBytes: 1_000_000,
};

/** The settings to use for the element's attributes, falling back to the defaults for unusable values. */
export function encodeOptions(maxEdge: number, quality: number): EncodeOptions {
  return {
    maxEdge: maxEdge > 0 ? maxEdge : DEFAULT_ENCODE_OPTIONS.maxEdge,
    quality: quality > 0 && quality <= 1 ? quality : DEFAULT_ENCODE_OPTIONS.quality,
    maxBytes: DEFAULT_ENCODE_OPTIONS.maxBytes,
  };
}
