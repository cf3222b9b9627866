/**
 * Build step after Vite: writes `.br` and `.gz` beside every text file of dist/cdn and dist/demo, so
 * the server sends compressed bytes without compressing per request (server/static.ts). Usage:
 * `node --import tsx scripts/compress.ts [dir ...]` (default: dist/cdn dist/demo).
 */
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compressTree } from '../server/compression.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const dirs = process.argv.slice(2).length ? process.argv.slice(2) : ['dist/cdn', 'dist/demo'];

let before = 0,
  brotli = 0,
  gzip = 0,
  files = 0;
for (const dir of dirs.map((d) => resolve(root, d))) {
  if (!existsSync(dir)) {
    console.error(
      `compress: ${relative(root, dir)} does not exist; run the Vite builds first (npm run build)`,
    );
    process.exit(1);
  }
  for (const file of await compressTree(dir)) {
    files += 1;
    before += file.bytes;
    brotli += file.written.br ?? file.bytes;
    gzip += file.written.gzip ?? file.bytes;
  }
}
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
console.log(
  `compress: ${files} files in ${dirs.join(', ')}: ${kb(before)} → brotli ${kb(brotli)}, gzip ${kb(gzip)}`,
);
