/**
 * @module
 * Module worker running {@link encodeImage} off the main thread, so the camera preview never stutters
 * while a 12-megapixel photo is decoded and re-encoded; and the capture-quality analysis
 * ({@link analyse}: sharpness, glare, brightness, motion) of live frames and stills.
 */
import { analyse, type AnalyseRequest } from './analyse.js';
import { encodeImage, type EncodeOptions } from './encode.js';

interface Request {
  id: number;
  source?: Blob | ImageBitmap;
  options?: EncodeOptions;
  analyse?: AnalyseRequest;
}

const scope = self as unknown as {
  onmessage: ((e: MessageEvent<Request>) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
};

const failure = (id: number, error: unknown) =>
  scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });

scope.onmessage = async (e) => {
  const { id, source, options, analyse: request } = e.data;
  if (request) {
    try {
      const { quality, frame } = await analyse(request);
      // A kept frame goes back transferred: the auto-capture takes exactly the frame judged sharp.
      scope.postMessage({ id, quality, ...(frame && { frame }) }, frame ? [frame] : []);
    } catch (error) {
      failure(id, error);
    }
    return;
  }
  if (!source || !options) {
    scope.postMessage({ id, ready: true }); // handshake: the worker loaded and can answer
    return;
  }
  try {
    const image = await encodeImage(source, options);
    scope.postMessage({ id, image });
  } catch (error) {
    failure(id, error);
  }
};
