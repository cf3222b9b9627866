/**
 * @module
 * Image pipeline entry (lazily loaded): runs {@link encodeImage} in a module worker when the browser allows
 * it (OffscreenCanvas in workers), else on the main thread. A worker script on another origin (the
 * script-tag build served by a proxy on another origin) starts from a `blob:` worker
 * (./any-origin-worker.ts); where the page's CSP refuses that, the main thread takes over.
 */
import type { AnalyseRequest, AnalyseResult } from './analyse.js';
import { encodeImage, type EncodedImage, type EncodeOptions } from './encode.js';
import { AnyOriginWorker } from './any-origin-worker.js';
import type { FrameQuality } from './quality.js';

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
  /** An analysis answer (./analyse.ts), with the frame handed back when kept. */
  quality?: FrameQuality;
  frame?: ImageBitmap;
}

let workerPromise: Promise<Worker | null> | undefined;
let nextId = 1;
const pending = new Map<number, (reply: Reply) => void>();

/**
 * Bundlers (our build, and Vite in an integrator's app) find the worker and emit it as a file by this
 * literal `new Worker(new URL('…', import.meta.url))`; the `Worker` passed in also starts it cross-origin.
 */
function spawnImageWorker(Worker: typeof globalThis.Worker): Worker {
  return new Worker(new URL('./image-worker.ts', import.meta.url), { type: 'module' });
}

function startWorker(): Promise<Worker | null> {
  if (typeof Worker === 'undefined' || typeof OffscreenCanvas === 'undefined')
    return Promise.resolve(null);
  return new Promise((resolve) => {
    let worker: Worker;
    try {
      worker = spawnImageWorker(AnyOriginWorker);
    } catch {
      resolve(null); // workers blocked by the CSP
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

/**
 * Judges a live frame or a still (./analyse.ts) in the worker, else here. A live frame is transferred
 * (and comes back only when kept); if the worker dies meanwhile the frame is lost and this rejects.
 */
export async function analyseImage(request: AnalyseRequest): Promise<AnalyseResult> {
  workerPromise ??= startWorker();
  const worker = await workerPromise;
  if (!worker) return (await import('./analyse.js')).analyse(request);
  const id = nextId++;
  const reply = await new Promise<Reply>((resolve) => {
    pending.set(id, resolve);
    const { source } = request;
    worker.postMessage({ id, analyse: request }, source instanceof Blob ? [] : [source]);
  });
  if (!reply.quality) throw new Error(reply.error ?? 'No analysis.');
  return { quality: reply.quality, ...(reply.frame && { frame: reply.frame }) };
}
