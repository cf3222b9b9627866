/**
 * @module
 * Image pipeline entry (lazily loaded): runs {@link encodeImage} in a module worker when the browser allows
 * it (OffscreenCanvas in workers), else on the main thread. A worker cannot start from another origin, so
 * the script-tag build served from a proxy on a different origin quietly uses the fallback.
 */
import { encodeImage, type EncodedImage, type EncodeOptions } from './encode.js';

export type { EncodedImage, EncodeOptions } from './encode.js';

/** Thrown when a file cannot be decoded as an image. */
export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';
}

interface Reply {
  id: number;
  ready?: boolean;
  image?: EncodedImage;
  error?: string;
}

let workerPromise: Promise<Worker | null> | undefined;
let nextId = 1;
const pending = new Map<number, (reply: Reply) => void>();

function startWorker(): Promise<Worker | null> {
  if (typeof Worker === 'undefined' || typeof OffscreenCanvas === 'undefined')
    return Promise.resolve(null);
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = new Worker(new URL('./image-worker.ts', import.meta.url), { type: 'module' });
    } catch {
      resolve(null); // cross-origin script URL or workers blocked by CSP
      return;
    }
    const giveUp = () => {
      worker.terminate();
      resolve(null);
    };
    const timer = setTimeout(giveUp, 5000);
    worker.addEventListener('error', () => {
      clearTimeout(timer);
      giveUp();
      workerPromise = Promise.resolve(null); // a worker that failed once is not tried again
      for (const [id, settle] of pending) settle({ id, error: 'worker failed' });
    });
    worker.addEventListener('message', (e: MessageEvent<Reply>) => {
      if (e.data.ready) {
        clearTimeout(timer);
        resolve(worker);
        return;
      }
      pending.get(e.data.id)?.(e.data);
      pending.delete(e.data.id);
    });
    worker.postMessage({ id: 0 });
  });
}

/**
 * Decodes `source` (respecting EXIF orientation), downscales it to `options.maxEdge` and encodes a JPEG
 * of at most `options.maxBytes`.
 */
export async function processImage(
  source: Blob | ImageBitmap,
  options: EncodeOptions,
): Promise<EncodedImage> {
  workerPromise ??= startWorker();
  const worker = await workerPromise;
  if (worker) {
    const id = nextId++;
    // Structured clone, not transfer: if the worker dies mid-way the source is still here for the fallback.
    const reply = await new Promise<Reply>((resolve) => {
      pending.set(id, resolve);
      worker.postMessage({ id, source, options });
    });
    if (reply.image) {
      if (!(source instanceof Blob)) source.close();
      return reply.image;
    }
    if (reply.error !== 'worker failed') {
      if (!(source instanceof Blob)) source.close();
      throw new ImageDecodeError(reply.error);
    }
  }
  try {
    return await encodeImage(source, options);
  } catch (error) {
    throw new ImageDecodeError(error instanceof Error ? error.message : String(error));
  }
}
