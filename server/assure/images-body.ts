/**
 * The `setImages` request body (`UploadImageRequest`: `front`, `back`, `selfie` as dataURLs), written
 * as bytes into one buffer of the exact size: the JSON around each image as Latin-1, each image
 * base64-encoded straight into its place. `JSON.stringify` would scan megabytes of base64 for
 * characters to escape; a string body would cost fetch a UTF-8 length count and an encode of the whole
 * body (the length count alone, on a concatenated string, was most of the proxy's time per 1 MB upload
 * when profiled); `toString('base64')` would first make a megabyte string on the JS heap. Base64 and
 * the two allowed MIME types need no escaping, so the bytes are the JSON `JSON.stringify` would give.
 *
 * @module
 */
import { DEPICTIONS } from '../statuses.ts';
import type { ImageSet } from './types.ts';

const IMAGE_MIMES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png']);

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
/** Both base64 characters of every 12-bit value: one lookup per half of a 3-byte group. */
const PAIRS = new Uint16Array(4096);
for (let i = 0; i < 4096; i++)
  PAIRS[i] = (ALPHABET.charCodeAt(i >> 6) << 8) | ALPHABET.charCodeAt(i & 63);

const base64Length = (bytes: number) => Math.ceil(bytes / 3) * 4;

/**
 * Node hands out a string of at least this many characters as an external string (string_bytes.cc,
 * EXTERN_APEX): no copy onto the JS heap. From there its native encoder plus one Latin-1 copy is
 * cheaper than the loop below; under it the string would be copied onto the heap, and the loop wins
 * (measured per Set images body: about 1.5 ms less CPU at 300 KB for the loop, 1.5 ms less at 1 MB
 * for the native encoder). Either way the bytes are the same.
 */
const EXTERNAL_STRING_CHARS = 0xfbee9;

/** Writes `bytes` as base64 (padded) into `out` from `at`; answers the bytes written. */
export function writeBase64(bytes: Uint8Array, out: Buffer, at: number): number {
  if (base64Length(bytes.length) >= EXTERNAL_STRING_CHARS) {
    const encoded = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(
      'base64',
    );
    return out.write(encoded, at, 'latin1');
  }
  const whole = bytes.length - (bytes.length % 3);
  let o = at;
  for (let i = 0; i < whole; i += 3) {
    const group = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    const high = PAIRS[group >>> 12]!;
    const low = PAIRS[group & 4095]!;
    out[o] = high >> 8;
    out[o + 1] = high & 255;
    out[o + 2] = low >> 8;
    out[o + 3] = low & 255;
    o += 4;
  }
  if (whole < bytes.length) {
    // The last one or two bytes and their `=` padding.
    const tail = Buffer.from(bytes.subarray(whole)).toString('base64');
    for (let k = 0; k < 4; k++) out[o + k] = tail.charCodeAt(k);
    o += 4;
  }
  return o - at;
}

export function setImagesBody(images: ImageSet): Uint8Array<ArrayBuffer> {
  const parts: Array<{ head: string; bytes: Uint8Array }> = [];
  let size = 2; // `{` and `}`
  for (const depiction of DEPICTIONS) {
    const image = images[depiction];
    if (!image) continue;
    // Also what keeps the bytes valid JSON: nothing but these fixed strings and base64 goes in.
    if (!IMAGE_MIMES.has(image.mime))
      throw new TypeError(`Unsupported image type for ${depiction}`);
    const head = `${parts.length ? ',' : ''}"${depiction}":"data:${image.mime};base64,`;
    parts.push({ head, bytes: image.bytes });
    size += head.length + base64Length(image.bytes.byteLength) + 1; // and the closing `"`
  }
  const body = Buffer.allocUnsafe(size);
  let at = body.write('{', 0, 'latin1');
  for (const { head, bytes } of parts) {
    at += body.write(head, at, 'latin1');
    at += writeBase64(bytes, body, at);
    at += body.write('"', at, 'latin1');
  }
  at += body.write('}', at, 'latin1');
  // allocUnsafe is not zeroed: a size mistake must never send leftover memory.
  if (at !== size) throw new Error('setImagesBody: size mismatch');
  return body;
}
