/**
 * Image checks of Set images (reference §7 and §12): base64 dataURLs of PNG or JPEG, recognised by
 * magic bytes that must match the declared type, at most 4 MiB decoded and 5000 px a side.
 */
import { DEPICTIONS, type Depiction } from '../statuses.ts';
import { problem } from './problem.ts';

export type ImageMime = 'image/png' | 'image/jpeg';

export const MAX_IMAGE_BYTES = 4 * 1024 * 1024;
export const MAX_IMAGE_SIDE = 5000;

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];
const DATA_URL = /^data:(image\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/]*={0,2})$/;

export interface ParsedImage {
  mime: ImageMime;
  bytes: Uint8Array;
  width: number;
  height: number;
}

/** A reason to refuse an image, turned into a problem naming the depiction. */
class ImageError extends Error {}

const startsWith = (bytes: Uint8Array, magic: readonly number[]): boolean =>
  bytes.length >= magic.length && magic.every((byte, i) => bytes[i] === byte);

export function sniffMime(bytes: Uint8Array): ImageMime | undefined {
  if (startsWith(bytes, PNG_MAGIC)) return 'image/png';
  if (startsWith(bytes, JPEG_MAGIC)) return 'image/jpeg';
  return undefined;
}

/** Width and height from the IHDR chunk, which PNG requires to come first. */
function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 24) throw new ImageError('the PNG header is truncated');
  const chunkType = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunkType !== 'IHDR' || view.getUint32(8) !== 13) throw new ImageError('the PNG has no IHDR chunk first');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** Markers that carry a frame size: SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC). */
const isSof = (marker: number): boolean => marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker);

/** Walks the JPEG segments up to the first SOFn and reads its frame size. */
function jpegSize(bytes: Uint8Array): { width: number; height: number } {
  let offset = 2;
  for (;;) {
    // Markers may be preceded by any number of 0xFF fill bytes.
    while (offset < bytes.length && bytes[offset] === 0xff && bytes[offset + 1] === 0xff) offset++;
    if (offset + 1 >= bytes.length) throw new ImageError('the JPEG header is truncated (no SOF segment)');
    if (bytes[offset] !== 0xff) throw new ImageError('the JPEG segment structure is invalid');
    const marker = bytes[offset + 1]!;
    offset += 2;
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // stand-alone markers, no length
    if (marker === 0xd9 || marker === 0xda) throw new ImageError('the JPEG has no SOF segment before its image data');
    if (offset + 2 > bytes.length) throw new ImageError('the JPEG header is truncated');
    const length = (bytes[offset]! << 8) | bytes[offset + 1]!;
    if (length < 2) throw new ImageError('the JPEG segment structure is invalid');
    if (isSof(marker)) {
      if (length < 7 || offset + 7 > bytes.length) throw new ImageError('the JPEG SOF segment is truncated');
      const height = (bytes[offset + 3]! << 8) | bytes[offset + 4]!;
      const width = (bytes[offset + 5]! << 8) | bytes[offset + 6]!;
      return { width, height };
    }
    offset += length;
  }
}

/**
 * Checks one image as Set images does. Throws a 400 problem naming the depiction.
 * Accepts a dataURL string (the API's wire format).
 */
export function parseImage(depiction: string, value: unknown): ParsedImage {
  const refuse = (reason: string) => problem(400, 'Invalid image.', `The ${depiction} image is invalid: ${reason}.`);
  if (typeof value !== 'string') throw refuse('expected a dataURL string');
  const match = DATA_URL.exec(value);
  if (!match) throw refuse('expected a base64 dataURL such as data:image/jpeg;base64,...');
  const declared = match[1]!;
  if (declared !== 'image/png' && declared !== 'image/jpeg') {
    throw refuse(`${declared} is not supported, only image/png and image/jpeg`);
  }
  const base64 = match[2]!;
  if (base64.length % 4 !== 0) throw refuse('the base64 data is malformed');
  // Refuse oversized data before decoding it.
  const decodedLength = (base64.length / 4) * 3 - (base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0);
  if (decodedLength > MAX_IMAGE_BYTES) throw refuse(`it is larger than ${MAX_IMAGE_BYTES} bytes (4 MiB)`);
  if (decodedLength === 0) throw refuse('it is empty');
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  const actual = sniffMime(bytes);
  if (!actual) throw refuse('the data is neither PNG nor JPEG');
  if (actual !== declared) throw refuse(`it is declared as ${declared} but the data is ${actual}`);
  let size: { width: number; height: number };
  try {
    size = actual === 'image/png' ? pngSize(bytes) : jpegSize(bytes);
  } catch (error) {
    if (error instanceof ImageError) throw refuse(error.message);
    throw error;
  }
  if (size.width === 0 || size.height === 0) throw refuse('its width or height is 0');
  if (size.width > MAX_IMAGE_SIDE || size.height > MAX_IMAGE_SIDE) {
    throw refuse(`it is ${size.width}×${size.height} px; at most ${MAX_IMAGE_SIDE} px a side are allowed`);
  }
  return { mime: actual, bytes, ...size };
}

/**
 * Checks a Set images body: an object with at least one of `front`, `back`, `selfie` and no other
 * keys. Returns the parsed images, or throws a 400 problem.
 */
export function parseImageSet(body: unknown): Partial<Record<Depiction, ParsedImage>> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw problem(400, 'Invalid request body.', 'Expected a JSON object with front, back and/or selfie dataURLs.');
  }
  const keys = Object.keys(body);
  const unknown = keys.filter((key) => !(DEPICTIONS as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw problem(400, 'Invalid request body.', `Unknown field(s): ${unknown.join(', ')}. Allowed: front, back, selfie.`);
  }
  if (keys.length === 0) throw problem(400, 'Invalid request body.', 'At least one of front, back or selfie is required.');
  const images: Partial<Record<Depiction, ParsedImage>> = {};
  for (const depiction of keys as Depiction[]) images[depiction] = parseImage(depiction, (body as Record<string, unknown>)[depiction]);
  return images;
}

export const toDataUrl = (image: { mime: ImageMime; bytes: Uint8Array }): string =>
  `data:${image.mime};base64,${Buffer.from(image.bytes).toString('base64')}`;
