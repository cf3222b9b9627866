/**
 * @module
 * Module worker running {@link encodeImage} off the main thread, so the camera preview never stutters
 * while a 12-megapixel photo is decoded and re-encoded.
 */
import { encodeImage, type EncodeOptions } from './encode.js';

interface Request {
  id: number;
  source?: Blob | ImageBitmap;
  options?: EncodeOptions;
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<Request>) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = async (e) => {
  const { id, source, options } = e.data;
  if (!source || !options) {
    scope.postMessage({ id, ready: true }); // handshake: the worker loaded and can answer
    return;
  }
  try {
    const image = await encodeImage(source, options);
    scope.postMessage({ id, image });
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
};
