/**
 * The files `npm start` serves besides the API: the script-tag build of the element (with long-lived
 * caching and a versioned URL) and the demo site. Everything comes from dist/ of the package this
 * module belongs to: the repository when run from source, `signicat-verify-proxy` when installed
 * (its build copies dist/cdn and dist/demo in). Text files go out as their build-time `.br`/`.gz` twin
 * when the browser accepts one (server/compression.ts), always with `Vary: Accept-Encoding`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono, type Context, type MiddlewareHandler, type Next } from 'hono';
import { getMimeType } from 'hono/utils/mime';
import {
  acceptedEncodings,
  isCompressible,
  isFreshTwin,
  SUFFIX,
  type Encoding,
} from './compression.ts';

/** The nearest folder at or above `from` that holds a package.json. */
export function packageRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${from}`);
  }
}

const ROOT = packageRoot(dirname(fileURLToPath(import.meta.url)));
export const CDN_DIR = 'dist/cdn';
export const DEMO_DIR = 'dist/demo';
/** The element's version: the proxy package is released with the same number (test/server/package.test.ts). */
export const VERSION: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version;

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
  const from = (dir: string) => join(root, dir);
  const withCache = (value: string) =>
    async function cacheHeader(c: Context, next: Next) {
      await next();
      // A 304 repeats the caching headers the 200 would have had (RFC 9110 §15.4.5).
      if (c.res.status === 200 || c.res.status === 304) c.header('Cache-Control', value);
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
  app.get(
    '/signicat-verify.js',
    withCache(SHORT),
    serveFile(from(CDN_DIR), () => 'signicat-verify.js'),
  );
  // Its own build, not a copy: its lazy chunks import this very URL, so a page that loads it never
  // fetches /signicat-verify.js as a second copy of the element (vite.config.ts, standalone-pinned).
  app.get(
    `/signicat-verify@${VERSION}.js`,
    withCache(IMMUTABLE),
    serveFile(from(CDN_DIR), () => `signicat-verify@${VERSION}.js`),
  );
  for (const map of ['signicat-verify.js.map', `signicat-verify@${VERSION}.js.map`])
    app.get(
      `/${map}`,
      serveFile(from(CDN_DIR), () => map),
    );
  // Chunks carry a content hash in their names.
  app.get('/chunks/*', withCache(IMMUTABLE), serveFile(from(CDN_DIR)));
  app.get('/assets/*', withCache(IMMUTABLE), serveFile(from(DEMO_DIR)));

  app.use('*', async (c, next) => {
    await next();
    if (c.res.headers.get('Content-Type')?.startsWith('text/html')) {
      c.header('Content-Security-Policy', PAGE_CSP);
      c.header('Cache-Control', 'no-cache');
    }
  });
  app.get(
    '/',
    serveFile(from(DEMO_DIR), () => 'index.html'),
  );
  // Browsers ask for /favicon.ico on pages that name no icon (the emulator's hosted page).
  app.get(
    '/favicon.ico',
    withCache(SHORT),
    serveFile(from(DEMO_DIR), () => 'favicon.svg'),
  );
  app.get('/:page{[a-z-]+\\.(html|css|svg)}', serveFile(from(DEMO_DIR)));
  app.get('/', (c) =>
    c.html(
      existsSync(from(DEMO_DIR))
        ? '<!doctype html><title>signicat-verify</title><p>Demo page missing.</p>'
        : '<!doctype html><title>signicat-verify</title><p>The demo is not built yet: run <code>npm run build</code> (npm start does it for you).</p>',
    ),
  );
  return app;
}

/**
 * Serves one file of `dir`: the request path itself, or the file `pick` names. Unknown or unsafe
 * paths fall through to the next handler (404). Text files are negotiated between the file and its
 * fresh `.br`/`.gz` twins; every answer for them says `Vary: Accept-Encoding`, the identity one too,
 * so that no shared cache hands one coding to a client that asked for another. Each representation
 * has its own ETag (a 304 needs the client to hold that very coding).
 */
export function serveFile(dir: string, pick?: (c: Context) => string): MiddlewareHandler {
  return async (c, next) => {
    const relative = pick ? pick(c) : safeRelativePath(c.req.path);
    if (!relative) return next();
    const path = join(dir, relative);
    if (!path.startsWith(dir.endsWith(sep) ? dir : dir + sep)) return next();
    const stats = await stat(path).catch(() => undefined);
    if (!stats?.isFile()) return next();

    let served = path;
    let encoding: Encoding | undefined;
    if (isCompressible(path)) {
      c.header('Vary', 'Accept-Encoding', { append: true });
      for (const candidate of acceptedEncodings(c.req.header('Accept-Encoding'))) {
        if (await isFreshTwin(path + SUFFIX[candidate], stats.mtimeMs)) {
          served = path + SUFFIX[candidate];
          encoding = candidate;
          break;
        }
      }
    }
    const etag = `"${stats.size.toString(36)}-${Math.trunc(stats.mtimeMs).toString(36)}${encoding ? `-${encoding}` : ''}"`;
    c.header('Content-Type', getMimeType(path) ?? 'application/octet-stream');
    c.header('ETag', etag);
    c.header('Last-Modified', stats.mtime.toUTCString());
    if (encoding) c.header('Content-Encoding', encoding);
    if (matchesEtag(c.req.header('If-None-Match'), etag)) return c.body(null, 304);
    const body = await readFile(served);
    c.header('Content-Length', String(body.length));
    return c.body(body, 200);
  };
}

/** `/chunks/a-1.js` → `chunks/a-1.js`; undefined for anything that could leave the folder or name a twin. */
function safeRelativePath(requestPath: string): string | undefined {
  // Our file names are plain: refuse encoded, dotted, doubled or backslashed segments outright.
  if (/%|\\|\0|\/\/|(^|\/)\.\.?(\/|$)/.test(requestPath)) return undefined;
  // Twins are reached through negotiation only, never by name.
  if (Object.values(SUFFIX).some((suffix) => requestPath.endsWith(suffix))) return undefined;
  return requestPath.replace(/^\/+/, '') || undefined;
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  // Weak comparison (RFC 9110 §13.1.2): W/ prefixes do not matter for If-None-Match.
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
