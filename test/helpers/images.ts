/** Header-true image bytes for server tests: the checks read magic bytes and IHDR/SOF headers only. */

/** A JPEG with an APP0 segment and a baseline SOF0 header of the given size, padded to `padTo` bytes. */
export function jpegBytes(width = 800, height = 600, padTo = 256): Uint8Array<ArrayBuffer> {
  const head = [
    0xff, 0xd8, // SOI
    0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, // APP0 JFIF
    0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03,
    0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, // SOF0, 3 components
    0xff, 0xda, 0x00, 0x0c, 0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3f, 0x00, // SOS
  ];
  const bytes = new Uint8Array(Math.max(padTo, head.length + 2));
  bytes.set(head);
  bytes.set([0xff, 0xd9], bytes.length - 2); // EOI
  return bytes;
}

/** A PNG signature and IHDR chunk of the given size, padded to `padTo` bytes. */
export function pngBytes(width = 800, height = 600, padTo = 64): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(Math.max(padTo, 33));
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(bytes.buffer);
  view.setUint32(16, width);
  view.setUint32(20, height);
  bytes.set([8, 2, 0, 0, 0], 24); // bit depth, colour type, compression, filter, interlace
  return bytes;
}
