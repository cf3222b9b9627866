/**
 * Identifies a PNG or JPEG by its magic bytes and reads its dimensions from the header (PNG IHDR,
 * JPEG SOFn) without decoding pixels. Shared by the proxy (raw uploads) and the emulator (dataURLs),
 * so both refuse exactly the same files, with the same reasons.
 */
export type ImageMime = 'image/png' | 'image/jpeg';

/** Assure's limits as this proxy assumes them (docs/assure-compatibility.md): 4 MiB and 5000 px a side. */
export const MAX_IMAGE_BYTES = 4 * 1024 * 1024;
export const MAX_IMAGE_SIDE = 5000;

export interface ImageInfo {
  mime: ImageMime;
  width: number;
  height: number;
}

/** Why bytes are not a usable image, in words fit for an error message. */
export interface ImageProblem {
  reason: string;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean =>
  bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte);

export function sniffMime(bytes: Uint8Array): ImageMime | undefined {
  if (startsWith(bytes, PNG_MAGIC)) return 'image/png';
  if (startsWith(bytes, JPEG_MAGIC)) return 'image/jpeg';
  return undefined;
}

/** The type, width and height of a PNG or JPEG, or why it is not one; the size limit is the caller's. */
export function inspectImage(bytes: Uint8Array): ImageInfo | ImageProblem {
  const mime = sniffMime(bytes);
  if (!mime) return { reason: 'the data is neither PNG nor JPEG' };
  const size = mime === 'image/png' ? pngSize(bytes) : jpegSize(bytes);
  if ('reason' in size) return size;
  if (size.width === 0 || size.height === 0) return { reason: 'its width or height is 0' };
  return { mime, ...size };
}

export function isImageProblem(value: ImageInfo | ImageProblem): value is ImageProblem {
  return 'reason' in value;
}

type Size = { width: number; height: number } | ImageProblem;

/** Width and height from the IHDR chunk, which PNG requires to come first. */
function pngSize(bytes: Uint8Array): Size {
  if (bytes.length < 24) return { reason: 'the PNG header is truncated' };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunkType = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunkType !== 'IHDR' || view.getUint32(8) !== 13)
    return { reason: 'the PNG has no IHDR chunk first' };
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Markers that carry a frame size: SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
const isSof = (marker: number): boolean =>
  marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);

/** Walks the JPEG segments up to the first SOFn and reads its frame size. */
function jpegSize(bytes: Uint8Array): Size {
  let offset = 2;
  for (;;) {
    // Markers may be preceded by any number of 0xFF fill bytes.
    while (offset < bytes.length && bytes[offset] === 0xff && bytes[offset + 1] === 0xff) offset++;
    if (offset + 1 >= bytes.length)
      return { reason: 'the JPEG header is truncated (no SOF segment)' };
    if (bytes[offset] !== 0xff) return { reason: 'the JPEG segment structure is invalid' };
    const marker = bytes[offset + 1]!;
    offset += 2;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // stand-alone markers, no length
    if (marker === 0xd9 || marker === 0xda)
      return { reason: 'the JPEG has no SOF segment before its image data' };
    if (offset + 2 > bytes.length) return { reason: 'the JPEG header is truncated' };
    const length = (bytes[offset]! << 8) | bytes[offset + 1]!;
    if (length < 2) return { reason: 'the JPEG segment structure is invalid' };
    if (isSof(marker)) {
      if (length < 7 || offset + 7 > bytes.length)
        return { reason: 'the JPEG SOF segment is truncated' };
      return {
        height: (bytes[offset + 3]! << 8) | bytes[offset + 4]!,
        width: (bytes[offset + 5]! << 8) | bytes[offset + 6]!,
      };
    }
    offset += length;
  }
}
