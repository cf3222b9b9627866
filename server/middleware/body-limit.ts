/**
 * A byte limit for JSON request bodies, applied before anything parses them. A body announced by
 * Content-Length above the limit is refused from the header alone, before a byte of it is read; a
 * chunked body is read up to the limit and no further, then refused. Either way the answer is
 * `413 payload_too_large` and the connection is closed, so the rest of the body is not drained.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { errorBody } from '../errors.ts';

export interface JsonBodyLimitOptions {
  /** Requests the limit does not apply to (e.g. raw image uploads, which have their own limit). */
  skip?: (c: Context) => boolean;
  /**
   * The answer to a body over the limit (e.g. the emulator's problem body). It should close the
   * connection, as the default `413 payload_too_large` does. It may throw to its app's error handler.
   */
  refuse?: (c: Context, maxBytes: number) => Response | Promise<Response>;
}

const NO_BODY = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE']);

export function jsonBodyLimit(
  maxBytes: number,
  options: JsonBodyLimitOptions = {},
): MiddlewareHandler {
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 0)
    throw new TypeError('jsonBodyLimit: maxBytes must be a byte count');
  const refuse = options.refuse ?? tooLarge;
  return async function jsonBodyLimit(c, next) {
    if (NO_BODY.has(c.req.method) || options.skip?.(c)) return next();
    const raw = c.req.raw;
    const announced = raw.headers.get('Content-Length');
    if (announced !== null && !raw.headers.has('Transfer-Encoding')) {
      // Node's parser has already refused malformed lengths and delivers exactly this many bytes.
      return Number(announced) > maxBytes ? refuse(c, maxBytes) : next();
    }
    if (!raw.body) return next();

    const reader = raw.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        // Stop reading here: cancelling releases the socket's stream and nothing more is buffered.
        void reader.cancel().catch(() => {});
        return refuse(c, maxBytes);
      }
      chunks.push(value);
    }
    const body = new Uint8Array(size);
    let offset = 0;
    for (const chunk of chunks) {
      body.set(chunk, offset);
      offset += chunk.byteLength;
    }
    c.req.raw = new Request(raw, { body });
    return next();
  };
}

function tooLarge(c: Context, maxBytes: number): Response {
  return c.json(
    errorBody('payload_too_large', `The request body is larger than ${maxBytes} bytes.`),
    413,
    {
      // Without this, Node would read (and discard) the rest of a huge body to keep the connection alive.
      Connection: 'close',
    },
  );
}
