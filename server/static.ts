/**
 * The files `npm start` serves besides the API: the script-tag build of the element (with long-lived
 * caching and a versioned URL) and the demo site. Everything comes from dist/, made by `npm run build`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CDN_DIR = 'dist/cdn';
export const DEMO_DIR = 'dist/demo';
export const VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version;

const IMMUTABLE = 'public, max-age=31536000, immutable';
/** `/signicat-verify.js`, `/signicat-verify@<version>.js`, the source map, and everything under `/chunks/`. */
export const ELEMENT_FILE = /^\/(signicat-verify[^/]*\.js(\.map)?|chunks\/.+)$/;
// The unversioned URL must pick up new releases within an hour; ETag revalidation makes that cheap.
const SHORT = 'public, max-age=3600, stale-while-revalidate=86400';

/** A strict policy for our own pages: no inline script or style anywhere. */
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

export function staticRoutes(options: { root?: string } = {}) {
  const root = options.root ?? ROOT;
  const app = new Hono();
  const from = (dir: string) => `${root}/${dir}`.replace(/\/+/g, '/');
  const withCache = (value: string) =>
    async function cacheHeader(c: { header(name: string, value: string): void; res: Response }, next: () => Promise<void>) {
      await next();
      if (c.res.status === 200) c.header('Cache-Control', value);
    };

  // The element's files load from any site that embeds it (script tags, module imports, the worker):
  // public by design, with no credentials involved (docs/api.md, CORS).
  app.use('*', async (c, next) => {
    await next();
    if (ELEMENT_FILE.test(c.req.path)) {
      c.header('Cross-Origin-Resource-Policy', 'cross-origin');
      c.header('Access-Control-Allow-Origin', '*');
    }
  });
  app.get('/signicat-verify.js', withCache(SHORT), serveStatic({ root: from(CDN_DIR), rewriteRequestPath: () => '/signicat-verify.js' }));
  app.get(`/signicat-verify@${VERSION}.js`, withCache(IMMUTABLE), serveStatic({ root: from(CDN_DIR), rewriteRequestPath: () => '/signicat-verify.js' }));
  app.get('/signicat-verify.js.map', serveStatic({ root: from(CDN_DIR), rewriteRequestPath: () => '/signicat-verify.js.map' }));
  // Chunks carry a content hash in their names.
  app.get('/chunks/*', withCache(IMMUTABLE), serveStatic({ root: from(CDN_DIR) }));
  app.get('/assets/*', withCache(IMMUTABLE), serveStatic({ root: from(DEMO_DIR) }));

  app.use('*', async (c, next) => {
    await next();
    if (c.res.headers.get('Content-Type')?.startsWith('text/html')) {
      c.header('Content-Security-Policy', PAGE_CSP);
      c.header('Cache-Control', 'no-cache');
    }
  });
  app.get('/', serveStatic({ root: from(DEMO_DIR), rewriteRequestPath: () => '/index.html' }));
  // Browsers ask for /favicon.ico on pages that name no icon (the emulator's hosted page).
  app.get('/favicon.ico', withCache(SHORT), serveStatic({ root: from(DEMO_DIR), rewriteRequestPath: () => '/favicon.svg' }));
  app.get('/:page{[a-z-]+\\.(html|css|svg)}', serveStatic({ root: from(DEMO_DIR) }));
  app.get('/', (c) =>
    c.html(
      existsSync(from(DEMO_DIR))
        ? '<!doctype html><title>signicat-verify</title><p>Demo page missing.</p>'
        : '<!doctype html><title>signicat-verify</title><p>The demo is not built yet: run <code>npm run build</code> (npm start does it for you).</p>',
    ),
  );
  return app;
}
