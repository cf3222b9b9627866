import { expect } from '@open-wc/testing';
import { encodeImage } from '../../component/image/encode.js';
import { processImage } from '../../component/image/pipeline.js';
import { makeJpeg } from './helpers.js';

/** Inserts an APP1 Exif segment with the given orientation right after the JPEG's SOI marker. */
async function withOrientation(jpeg: Blob, orientation: number): Promise<Blob> {
  const bytes = new Uint8Array(await jpeg.arrayBuffer());
  const tiff = [
    0x49,
    0x49,
    0x2a,
    0x00,
    0x08,
    0x00,
    0x00,
    0x00, // little-endian TIFF header, first IFD at 8
    0x01,
    0x00, // one entry
    0x12,
    0x01,
    0x03,
    0x00,
    0x01,
    0x00,
    0x00,
    0x00,
    orientation,
    0x00,
    0x00,
    0x00, // 0x0112 SHORT x1
    0x00,
    0x00,
    0x00,
    0x00, // no next IFD
  ];
  const payload = [0x45, 0x78, 0x69, 0x66, 0x00, 0x00, ...tiff]; // "Exif\0\0"
  const length = payload.length + 2;
  const app1 = [0xff, 0xe1, length >> 8, length & 0xff, ...payload];
  return new Blob([bytes.slice(0, 2), new Uint8Array(app1), bytes.slice(2)], {
    type: 'image/jpeg',
  });
}

async function dimensions(blob: Blob): Promise<[number, number]> {
  const bitmap = await createImageBitmap(blob);
  const size: [number, number] = [bitmap.width, bitmap.height];
  bitmap.close();
  return size;
}

function isJpeg(bytes: Uint8Array): boolean {
  return bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff;
}

/** Records what every image worker the page starts answers (the pipeline starts its worker lazily). */
function watchWorkers(): { replies: Array<{ id?: number; image?: unknown }>; restore(): void } {
  const replies: Array<{ id?: number; image?: unknown }> = [];
  const Real = window.Worker;
  window.Worker = class extends Real {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(url, options);
      this.addEventListener('message', (e: MessageEvent) => replies.push(e.data));
    }
  };
  return { replies, restore: () => void (window.Worker = Real) };
}

describe('image pipeline', () => {
  const options = { maxEdge: 2000, quality: 0.9, maxBytes: 1_000_000 };

  it('should respect EXIF orientation (6: rotate 90°) in the worker', async () => {
    // The first processImage() of the page starts the worker: this test must stay the first to call it.
    const workers = watchWorkers();
    try {
      const rotated = await withOrientation(await makeJpeg(80, 40), 6);
      const out = await processImage(rotated, options);
      expect([out.width, out.height]).to.deep.equal([40, 80]);
      expect(await dimensions(out.blob)).to.deep.equal([40, 80]);
      // The image came from the worker, not from the silent main-thread fallback.
      const encoded = workers.replies.filter((reply) => reply.image);
      expect(encoded, 'images the worker encoded').to.have.length(1);
      expect((encoded[0]!.image as { width: number }).width).to.equal(40);
    } finally {
      workers.restore();
    }
  });

  it('should respect EXIF orientation on the main-thread path too', async () => {
    const rotated = await withOrientation(await makeJpeg(80, 40), 6);
    const out = await encodeImage(rotated, options);
    expect([out.width, out.height]).to.deep.equal([40, 80]);
  });

  it('should downscale the long edge to the maximum and encode JPEG', async () => {
    const out = await processImage(await makeJpeg(1200, 600), { ...options, maxEdge: 500 });
    expect([out.width, out.height]).to.deep.equal([500, 250]);
    expect(out.blob.type).to.equal('image/jpeg');
    expect(isJpeg(new Uint8Array(await out.blob.arrayBuffer()))).to.equal(true);
  });

  it('should keep a noisy 12-megapixel photo under 1 MB', async () => {
    const canvas = new OffscreenCanvas(4000, 3000);
    const ctx = canvas.getContext('2d')!;
    const noise = ctx.createImageData(4000, 3000);
    const view = new Uint32Array(noise.data.buffer);
    let seed = 1;
    for (let i = 0; i < view.length; i++) {
      seed = (seed * 1664525 + 1013904223) >>> 0;
      view[i] = seed | 0xff000000;
    }
    ctx.putImageData(noise, 0, 0);
    const photo = await canvas.convertToBlob({ type: 'image/png' });
    const out = await processImage(photo, options);
    expect(Math.max(out.width, out.height)).to.be.at.most(2000);
    expect(out.blob.size).to.be.at.most(1_000_000);
    expect(isJpeg(new Uint8Array(await out.blob.arrayBuffer()))).to.equal(true);
  });

  it('should reject a file that is not an image', async () => {
    const error = await processImage(new Blob(['hello'], { type: 'text/plain' }), options).catch(
      (e: unknown) => e,
    );
    expect((error as Error).name).to.equal('ImageDecodeError');
  });
});
