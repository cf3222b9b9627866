/**
 * An integrator's site for e2e tests: a plain HTTP server on its own loopback port (so its own origin,
 * apart from the proxy's), answering the pages and files it is given with the headers it is given,
 * e.g. a strict Content-Security-Policy. Nothing else: everything the element needs comes from the proxy.
 */
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { listen, type Listening } from '../../server/http/listen.ts';

export interface ShopFile {
  body: string | Uint8Array;
  /** Content-Type; default from the path's extension. */
  type?: string;
  headers?: Record<string, string>;
}

export interface Shop {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Adds or replaces the file answered at `path` (e.g. `/checkout.html`). */
  set(path: string, file: ShopFile): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Starts a shop; `dir` (optional) answers every path not set explicitly from that folder (a built app). */
export async function startShop(
  options: { dir?: string; headers?: Record<string, string> } = {},
): Promise<Shop> {
  const files = new Map<string, ShopFile>([
    // Browsers ask for it on pages that name no icon.
    ['/favicon.ico', { body: '<svg xmlns="http://www.w3.org/2000/svg"/>', type: 'image/svg+xml' }],
  ]);
  const listening: Listening = await listen(async (request) => {
    const path = new URL(request.url).pathname;
    let file = files.get(path);
    if (!file && options.dir && !path.includes('..')) {
      const body = await readFile(join(options.dir, path === '/' ? 'index.html' : path)).catch(
        () => undefined,
      );
      if (body) file = { body };
    }
    if (!file) return new Response('not found', { status: 404 });
    const type = file.type ?? TYPES[extname(path === '/' ? 'index.html' : path)];
    return new Response(typeof file.body === 'string' ? file.body : new Uint8Array(file.body), {
      headers: {
        'Cache-Control': 'no-store',
        ...(type && { 'Content-Type': type }),
        ...(type?.startsWith('text/html') && options.headers),
        ...file.headers,
      },
    });
  });
  return {
    origin: listening.url,
    set: (path, file) => void files.set(path, file),
    close: () => listening.close(),
  };
}

/** A CSP header value from directive → sources, e.g. `{ 'script-src': ["'self'", proxy] }`. */
export const csp = (directives: Record<string, string[]>): string =>
  Object.entries(directives)
    .map(([name, sources]) => [name, ...sources].join(' '))
    .join('; ');

/** The policy of docs/element.md ("Content Security Policy", script tag), for a proxy at `proxy`. */
export const scriptTagPolicy = (proxy: string): string =>
  csp({
    'default-src': ["'none'"],
    'script-src': ["'self'", proxy],
    'style-src': ["'self'"],
    'connect-src': [proxy],
    'img-src': ["'self'", 'blob:'],
    'worker-src': ['blob:'],
    'base-uri': ["'none'"],
  });

/** The policy of docs/element.md ("Content Security Policy", bundler) for an app whose proxy is `proxy`. */
export const bundlerPolicy = (proxy: string): string =>
  csp({
    'default-src': ["'none'"],
    'script-src': ["'self'"],
    'style-src': ["'self'"],
    'connect-src': [proxy],
    'img-src': ["'self'", 'blob:'],
    'worker-src': ["'self'"],
    'base-uri': ["'none'"],
  });
