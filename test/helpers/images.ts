/**
 * Image bytes with real headers for server tests: the checks read magic bytes and IHDR/SOF headers, and
 * small PNGs carry real pixel data so any decoder accepts them.
 */
import { zlibSync } from 'fflate';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Uint8Array): Uint8Array {
  const chunk = new Uint8Array(12 + data.length);
  const view = new DataView(chunk.buffer);
  view.setUint32(0, data.length);
  chunk.set(Buffer.from(type, 'latin1'), 4);
  chunk.set(data, 8);
  view.setUint32(8 + data.length, crc32(chunk.subarray(4, 8 + data.length)));
  return chunk;
}

/**
 * A PNG with a real IHDR (8-bit greyscale). Small images get real pixel data; huge ones (used to
 * test the 5000 px limit) only the header chunks, which is all the checks read.
 */
export function makePng(width: number, height: number): Uint8Array<ArrayBuffer> {
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr.set([8, 0, 0, 0, 0], 8); // bit depth 8, greyscale, deflate, filter 0, no interlace
  const parts = [
    Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a),
    pngChunk('IHDR', ihdr),
  ];
  if (width * height <= 1_000_000) {
    const raw = new Uint8Array((width + 1) * height).fill(0x80);
    for (let y = 0; y < height; y++) raw[y * (width + 1)] = 0; // filter type "none" per row
    parts.push(pngChunk('IDAT', zlibSync(raw)));
  }
  parts.push(pngChunk('IEND', new Uint8Array(0)));
  return new Uint8Array(Buffer.concat(parts));
}

/** A JPEG skeleton with real SOI, APP0 (JFIF), SOF0 and EOI segments, optionally padded to `padTo` bytes. */
export function makeJpeg(width: number, height: number, padTo = 0): Uint8Array<ArrayBuffer> {
  const app0 = [
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
    0x00, 0x00,
  ];
  const sof0 = [
    0xff,
    0xc0,
    0x00,
    0x11,
    0x08,
    height >> 8,
    height & 0xff,
    width >> 8,
    width & 0xff,
    0x03,
  ];
  for (let id = 1; id <= 3; id++) sof0.push(id, id === 1 ? 0x22 : 0x11, id === 1 ? 0 : 1);
  const head = [0xff, 0xd8, ...app0, ...sof0];
  const bytes = new Uint8Array(Math.max(padTo, head.length + 2));
  bytes.set(head);
  bytes.set([0xff, 0xd9], bytes.length - 2);
  return bytes;
}

/** Defaults for proxy tests: a plausible document photo. */
export const jpegBytes = (width = 800, height = 600, padTo = 256) => makeJpeg(width, height, padTo);
export const pngBytes = (width = 800, height = 600) => makePng(width, height);
