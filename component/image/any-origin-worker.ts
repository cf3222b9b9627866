/**
 * @module
 * A `Worker` constructor that also starts a worker whose script lives on another origin. Browsers only
 * run same-origin worker scripts, and the script-tag build is often served by a proxy on another origin
 * than the shop page. Then the worker starts from a one-line classic `blob:` worker (same-origin by
 * definition) that loads the real script with `importScripts`. That needs `blob:` in the page's
 * `worker-src` (docs/element.md, Content Security Policy); the script itself is checked against
 * `script-src`, like the element's own. So the worker file must be a classic script: the standalone
 * build emits workers as IIFE (vite.config.ts, `worker.format`). Same-origin URLs (bundler builds, a
 * proxy on the page's origin) start as they are, under `worker-src 'self'`.
 */

/** Same signature as `new Worker(url, options)`; returns a real `Worker`. */
export const AnyOriginWorker = function AnyOriginWorker(url: URL, options?: WorkerOptions): Worker {
  if (url.origin === globalThis.location?.origin || url.protocol === 'blob:')
    return new Worker(url, options);
  const shim = URL.createObjectURL(
    new Blob([`importScripts(${JSON.stringify(url.href)});\n`], { type: 'text/javascript' }),
  );
  const worker = new Worker(shim, { ...options, type: 'classic' });
  // The worker holds what it loaded; the blob is not needed once it answered or failed.
  const revoke = () => URL.revokeObjectURL(shim);
  worker.addEventListener('message', revoke, { once: true });
  worker.addEventListener('error', revoke, { once: true });
  return worker;
} as unknown as typeof Worker;
