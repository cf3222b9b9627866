/**
 * Reads a raw image upload, never more than `max` bytes. Under Node the bytes come straight from the
 * request stream into one buffer of the announced size (the Fetch API path would gather the chunks,
 * concatenate them and copy them once more into an ArrayBuffer: two extra megabyte copies per image);
 * a chunked body is gathered up to the limit and refused past it without reading further. Elsewhere
 * (`app.request()`, another runtime) it reads through the Fetch API request.
 */
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/** Thrown when the body is larger than `max`; the route answers 413. */
export class UploadTooLarge extends Error {}

export async function readUpload(c: Context, max: number): Promise<Uint8Array> {
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  // Only a stream nobody has read from yet (a framework in front may have consumed it already).
  if (incoming && typeof incoming.on === 'function' && !incoming.readableDidRead)
    return readStream(incoming, max, c.req.header('Content-Length'));
  return readFetchBody(c, max);
}

function readStream(
  incoming: IncomingMessage,
  max: number,
  announced: string | undefined,
): Promise<Uint8Array> {
  const length = announced === undefined ? undefined : Number(announced);
  // The route refused a larger announced length already; Node's parser delivers exactly that many bytes.
  if (length !== undefined && (!Number.isSafeInteger(length) || length > max))
    return Promise.reject(new UploadTooLarge());
  return new Promise((resolve, reject) => {
    const whole = length !== undefined ? Buffer.allocUnsafe(length) : undefined;
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (error?: Error) => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
      if (error) return reject(error);
      // Only the bytes written: allocUnsafe memory past them must never be read.
      resolve(whole ? whole.subarray(0, size) : Buffer.concat(chunks, size));
    };
    const onData = (chunk: Buffer) => {
      if (size + chunk.byteLength > (whole ? whole.byteLength : max)) {
        // Stop here: nothing more is buffered, and the 413 closes the connection.
        incoming.pause();
        return done(new UploadTooLarge());
      }
      if (whole) chunk.copy(whole, size);
      else chunks.push(chunk);
      size += chunk.byteLength;
    };
    const onEnd = () => done();
    const onError = (error: Error) => done(error);
    const onClose = () => {
      if (!incoming.readableEnded) done(new Error('The client closed the connection mid-upload.'));
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

async function readFetchBody(c: Context, max: number): Promise<Uint8Array> {
  if (c.req.header('Content-Length') !== undefined)
    return new Uint8Array(await c.req.arrayBuffer());
  const reader = c.req.raw.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw new UploadTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
