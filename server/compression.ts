/**
 * Precompressed static files: which files get `.br` and `.gz` twins (written once at build time by
 * scripts/compress.ts, never per request) and which twin a request may have (Accept-Encoding, RFC 9110
 * §12.5.3). server/static.ts serves them; both sides share these rules so they cannot disagree.
 */
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

/** Content codings we precompress, in the server's order of preference (brotli is ~15% smaller). */
export const ENCODINGS = ['br', 'gzip'] as const;
export type Encoding = (typeof ENCODINGS)[number];
export const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' };

/** Text formats only: images and fonts we serve are compressed already. */
const COMPRESSIBLE = /\.(?:js|mjs|map|css|html|svg|json|txt|xml|webmanifest)$/i;

export function isCompressible(path: string): boolean {
  return COMPRESSIBLE.test(path);
}

/**
 * The codings this Accept-Encoding allows, best first: by q-value, ties in our order. `q=0` refuses a
 * coding (also through `*;q=0`); no header means identity only, as browsers always send one.
 */
export function acceptedEncodings(header: string | undefined): Encoding[] {
  if (!header) return [];
  const weights = new Map<string, number>();
  for (const part of header.split(',')) {
    const [rawName, ...params] = part.trim().split(';');
    const name = rawName!.trim().toLowerCase();
    if (!name) continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key?.trim().toLowerCase() === 'q') q = Number(value);
    }
    if (!Number.isFinite(q) || q < 0 || q > 1) continue;
    weights.set(name === 'x-gzip' ? 'gzip' : name, q);
  }
  const weightOf = (encoding: Encoding) => weights.get(encoding) ?? weights.get('*') ?? 0;
  return ENCODINGS.filter((encoding) => weightOf(encoding) > 0).sort(
    (a, b) => weightOf(b) - weightOf(a),
  );
}

const brotli = promisify(brotliCompress);
const gzipAsync = promisify(gzip);

export interface CompressedFile {
  path: string;
  bytes: number;
  /** Size of each twin written; a coding is missing when it did not make the file smaller. */
  written: Partial<Record<Encoding, number>>;
}

/**
 * Writes `<file>.br` (quality 11) and `<file>.gz` (level 9) beside every compressible file under
 * `dir`, and removes twins left from an earlier build (their file is gone or no longer shrinks).
 * A twin that would not be smaller is not written: the server then sends the file as it is.
 */
export async function compressTree(dir: string): Promise<CompressedFile[]> {
  const results: CompressedFile[] = [];
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = new Set(
    entries.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name)),
  );
  for (const path of [...files].sort()) {
    const twinOf = Object.values(SUFFIX).find((suffix) => path.endsWith(suffix));
    if (twinOf) {
      const original = path.slice(0, -twinOf.length);
      if (!files.has(original) || !isCompressible(original)) await rm(path, { force: true });
      continue;
    }
    if (!isCompressible(path)) continue;
    const content = await readFile(path);
    const twins: Record<Encoding, Uint8Array> = {
      br: await brotli(content, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_SIZE_HINT]: content.length,
        },
      }),
      gzip: await gzipAsync(content, { level: constants.Z_BEST_COMPRESSION }),
    };
    const written: CompressedFile['written'] = {};
    for (const encoding of ENCODINGS) {
      const twin = path + SUFFIX[encoding];
      if (twins[encoding].length < content.length) {
        await writeFile(twin, twins[encoding]);
        written[encoding] = twins[encoding].length;
      } else {
        await rm(twin, { force: true });
      }
    }
    results.push({ path, bytes: content.length, written });
  }
  return results;
}

/** True when `twin` exists and was written after `original` (a stale twin would serve old bytes). */
export async function isFreshTwin(twin: string, originalMtimeMs: number): Promise<boolean> {
  const stats = await stat(twin).catch(() => undefined);
  return Boolean(stats?.isFile() && stats.mtimeMs >= originalMtimeMs);
}
