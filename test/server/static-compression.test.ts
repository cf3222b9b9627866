/**
 * Precompressed static files over real HTTP (server/compression.ts, server/static.ts): the build step
 * writes `.br` and `.gz` twins, the server picks one by Accept-Encoding (q-values included), says
 * `Vary: Accept-Encoding` on every answer for a text file (identity too), keeps the right Content-Type,
 * gives each coding its own ETag, never serves a stale twin, and falls back to identity. Raw node:http
 * requests, so nothing decompresses behind the test's back. The tree is a small fixture compressed by
 * the same function `npm run build` uses (scripts/compress.ts), served by the whole server.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { acceptedEncodings, compressTree } from '../../server/compression.ts';
import { loadConfig } from '../../server/config.ts';
import { startServer, type RunningServer } from '../../server/server.ts';
import { VERSION } from '../../server/static.ts';

const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

// Repetitive like real bundles, so both codings shrink them well.
const script = (name: string) =>
  `export const ${name} = ${JSON.stringify('signicat-verify '.repeat(400))};\n`.repeat(8);
const FIXTURE: Record<string, string | Uint8Array> = {
  'dist/cdn/signicat-verify.js': script('element'),
  // The pinned URL's own build (its chunks import that URL): vite.config.ts, standalone-pinned.
  [`dist/cdn/signicat-verify@${VERSION}.js`]: script('pinned element'),
  'dist/cdn/signicat-verify.js.map': JSON.stringify({
    version: 3,
    sources: ['a.ts'],
    mappings: 'AAAA;'.repeat(2000),
  }),
  'dist/cdn/chunks/capture-abc123.js': script('capture'),
  'dist/demo/index.html': `<!doctype html><title>demo</title>${'<p>demo page</p>'.repeat(200)}`,
  'dist/demo/standalone.css': 'signicat-verify { display: block; margin: 0 auto; }\n'.repeat(50),
  'dist/demo/favicon.svg': `<svg xmlns="http://www.w3.org/2000/svg">${'<circle r="1"/>'.repeat(40)}</svg>`,
  'dist/demo/assets/panel-x1.js': script('panel'),
  // Already compressed formats get no twins.
  'dist/demo/assets/photo.png': new Uint8Array([
    0x89,
    0x50,
    0x4e,
    0x47,
    ...Array.from({ length: 2000 }, (_, i) => i % 251),
  ]),
};

let root: string;
let server: RunningServer;
before(async () => {
  root = await mkdtemp(join(tmpdir(), 'signicat-verify-compress-'));
  cleanups.push(() => rm(root, { recursive: true, force: true }));
  for (const [path, content] of Object.entries(FIXTURE)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), content);
  }
  await compressTree(join(root, 'dist/cdn'));
  await compressTree(join(root, 'dist/demo'));
  server = await startServer(loadConfig({ PORT: '0', LOG_LEVEL: 'silent' }), { staticRoot: root });
  cleanups.push(() => server.close());
});

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One request with exactly these headers; the body as it came over the wire (not decompressed). */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    // `path` goes out as written: no client-side URL normalization.
    const req = request(
      { host: '127.0.0.1', port: new URL(server.url).port, path, method, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.once('error', reject);
    req.end();
  });
}

const original = (path: string) => Buffer.from(FIXTURE[path]!);
const decode = (raw: Raw) =>
  raw.headers['content-encoding'] === 'br'
    ? brotliDecompressSync(raw.body)
    : raw.headers['content-encoding'] === 'gzip'
      ? gunzipSync(raw.body)
      : raw.body;
const varies = (raw: Raw) =>
  /(^|,\s*)accept-encoding(\s*,|$)/i.test(String(raw.headers['vary'] ?? ''));

describe('the build step (compressTree)', () => {
  it('writes a .br and a .gz twin beside every text file, none beside images; each decodes to its file', async () => {
    for (const path of Object.keys(FIXTURE)) {
      const text = !path.endsWith('.png');
      for (const [suffix, decompress] of [
        ['.br', brotliDecompressSync],
        ['.gz', gunzipSync],
      ] as const) {
        const twin = await readFile(join(root, path + suffix)).catch(() => undefined);
        if (!text) {
          assert.equal(twin, undefined, `${path}${suffix} must not exist`);
          continue;
        }
        assert.ok(twin, `${path}${suffix} exists`);
        assert.ok(twin.length < original(path).length, `${path}${suffix} is smaller`);
        assert.deepEqual(decompress(twin), original(path), `${path}${suffix} decodes to the file`);
      }
    }
  });

  it('writes no twin that would not be smaller, and removes twins whose file is gone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'signicat-verify-compress-small-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    await writeFile(join(dir, 'tiny.js'), 'x');
    await writeFile(join(dir, 'gone.js.br'), 'left from an earlier build');
    await writeFile(join(dir, 'gone.js.gz'), 'left from an earlier build');
    const results = await compressTree(dir);
    assert.deepEqual(
      results.map((r) => [r.path.slice(dir.length), r.written]),
      [['/tiny.js', {}]],
    );
    for (const name of ['tiny.js.br', 'tiny.js.gz', 'gone.js.br', 'gone.js.gz']) {
      await assert.rejects(stat(join(dir, name)), { code: 'ENOENT' }, name);
    }
  });
});

describe('Accept-Encoding negotiation', () => {
  it('follows q-values, refuses q=0, honours *, and prefers brotli on a tie', () => {
    assert.deepEqual(acceptedEncodings(undefined), []);
    assert.deepEqual(acceptedEncodings(''), []);
    assert.deepEqual(acceptedEncodings('gzip, deflate, br, zstd'), ['br', 'gzip']);
    assert.deepEqual(acceptedEncodings('gzip;q=1.0, br;q=0.5'), ['gzip', 'br']);
    assert.deepEqual(acceptedEncodings('br;q=0, gzip'), ['gzip']);
    assert.deepEqual(acceptedEncodings('BR, GZip'), ['br', 'gzip']);
    assert.deepEqual(acceptedEncodings('*'), ['br', 'gzip']);
    assert.deepEqual(acceptedEncodings('*;q=0.1, gzip;q=0.5'), ['gzip', 'br']);
    assert.deepEqual(acceptedEncodings('*;q=0'), []);
    assert.deepEqual(acceptedEncodings('identity'), []);
    assert.deepEqual(acceptedEncodings('x-gzip'), ['gzip']);
    assert.deepEqual(acceptedEncodings('gzip;q=abc, br;q=2'), []);
  });
});

describe('serving over HTTP', () => {
  const URLS: Array<[string, string, RegExp]> = [
    ['/signicat-verify.js', 'dist/cdn/signicat-verify.js', /^text\/javascript/],
    [
      `/signicat-verify@${VERSION}.js`,
      `dist/cdn/signicat-verify@${VERSION}.js`,
      /^text\/javascript/,
    ],
    ['/signicat-verify.js.map', 'dist/cdn/signicat-verify.js.map', /^application\/json/],
    ['/chunks/capture-abc123.js', 'dist/cdn/chunks/capture-abc123.js', /^text\/javascript/],
    ['/', 'dist/demo/index.html', /^text\/html/],
    ['/index.html', 'dist/demo/index.html', /^text\/html/],
    ['/standalone.css', 'dist/demo/standalone.css', /^text\/css/],
    ['/favicon.ico', 'dist/demo/favicon.svg', /^image\/svg\+xml/],
    ['/assets/panel-x1.js', 'dist/demo/assets/panel-x1.js', /^text\/javascript/],
  ];

  it("sends brotli, gzip or identity as asked, always with Vary: Accept-Encoding and the file's own type", async () => {
    for (const [url, file, type] of URLS) {
      for (const [acceptEncoding, expected] of [
        ['gzip, deflate, br', 'br'],
        ['gzip', 'gzip'],
        ['gzip;q=1, br;q=0.5', 'gzip'],
        ['br;q=0, gzip', 'gzip'],
        ['*', 'br'],
        [undefined, undefined],
        ['identity', undefined],
        ['deflate', undefined],
      ] as const) {
        const raw = await get(
          url,
          acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding },
        );
        const what = `${url} with Accept-Encoding ${acceptEncoding ?? '(none)'}`;
        assert.equal(raw.status, 200, what);
        assert.equal(raw.headers['content-encoding'], expected, what);
        assert.ok(varies(raw), `${what}: Vary: Accept-Encoding`);
        assert.match(String(raw.headers['content-type']), type, what);
        assert.equal(
          Number(raw.headers['content-length']),
          raw.body.length,
          `${what}: Content-Length of the bytes sent`,
        );
        assert.deepEqual(decode(raw), original(file), `${what}: the file's content`);
        if (expected) assert.ok(raw.body.length < original(file).length, `${what}: fewer bytes`);
      }
    }
  });

  it('keeps the element files public and cacheable when compressed', async () => {
    const raw = await get('/signicat-verify.js', { 'Accept-Encoding': 'br' });
    assert.equal(raw.headers['access-control-allow-origin'], '*');
    assert.equal(raw.headers['cross-origin-resource-policy'], 'cross-origin');
    assert.match(String(raw.headers['cache-control']), /max-age=\d+/);
    const pinned = await get(`/signicat-verify@${VERSION}.js`, { 'Accept-Encoding': 'gzip' });
    assert.match(String(pinned.headers['cache-control']), /immutable/);
    assert.equal(pinned.headers['content-encoding'], 'gzip');
  });

  it('answers HEAD with the headers of the chosen coding and no body', async () => {
    const head = await get('/chunks/capture-abc123.js', { 'Accept-Encoding': 'br' }, 'HEAD');
    const full = await get('/chunks/capture-abc123.js', { 'Accept-Encoding': 'br' });
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-encoding'], 'br');
    assert.ok(varies(head));
    assert.equal(head.headers['content-length'], full.headers['content-length']);
    assert.equal(head.body.length, 0);
  });

  it('gives each coding its own ETag; a 304 only for the coding the client holds, with Vary and caching headers', async () => {
    const br = await get('/signicat-verify.js', { 'Accept-Encoding': 'br' });
    const gzip = await get('/signicat-verify.js', { 'Accept-Encoding': 'gzip' });
    const identity = await get('/signicat-verify.js');
    const etags = [br, gzip, identity].map((raw) => String(raw.headers['etag']));
    assert.equal(new Set(etags).size, 3, `distinct ETags: ${etags.join(' ')}`);

    const revalidated = await get('/signicat-verify.js', {
      'Accept-Encoding': 'br',
      'If-None-Match': etags[0]!,
    });
    assert.equal(revalidated.status, 304);
    assert.equal(revalidated.body.length, 0);
    assert.ok(varies(revalidated), '304 carries Vary');
    assert.match(
      String(revalidated.headers['cache-control']),
      /max-age=\d+/,
      '304 carries Cache-Control',
    );
    assert.equal(revalidated.headers['etag'], etags[0]);

    const otherCoding = await get('/signicat-verify.js', {
      'Accept-Encoding': 'gzip',
      'If-None-Match': etags[0]!,
    });
    assert.equal(otherCoding.status, 200, 'a brotli ETag does not validate the gzip body');
    assert.equal(otherCoding.headers['content-encoding'], 'gzip');
  });

  it('serves images as they are, without Vary', async () => {
    const raw = await get('/assets/photo.png', { 'Accept-Encoding': 'br, gzip' });
    assert.equal(raw.status, 200);
    assert.equal(raw.headers['content-encoding'], undefined);
    assert.equal(raw.headers['content-type'], 'image/png');
    assert.ok(!varies(raw));
    assert.deepEqual(raw.body, original('dist/demo/assets/photo.png'));
  });

  it('never serves a twin older than its file (a rebuild without the compress step): identity instead', async () => {
    const path = join(root, 'dist/demo/assets/panel-x1.js');
    const rebuilt = `${script('rebuilt')}// new build\n`;
    await writeFile(path, rebuilt);
    const later = new Date(Date.now() + 60_000);
    await utimes(path, later, later);
    const raw = await get('/assets/panel-x1.js', { 'Accept-Encoding': 'br, gzip' });
    assert.equal(raw.headers['content-encoding'], undefined);
    assert.ok(varies(raw));
    assert.equal(raw.body.toString(), rebuilt);
  });

  it('does not serve twins by name, nor paths that leave the folder', async () => {
    for (const url of [
      '/chunks/capture-abc123.js.br',
      '/chunks/capture-abc123.js.gz',
      '/signicat-verify.js.map.br',
      '/chunks/..%2f..%2fpackage.json',
      '/assets/..%5c..%5cpackage.json',
      '/assets/../../package.json',
    ]) {
      const raw = await get(url, { 'Accept-Encoding': 'br' });
      assert.equal(raw.status, 404, url);
      assert.match(
        String(raw.headers['content-type']),
        /json/,
        `${url}: the JSON not_found answer`,
      );
    }
  });
});
