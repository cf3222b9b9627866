// Measures the script-tag build (dist/cdn, made by `npm run build`) and writes docs/bundle-size.md.
// "First screen" = the entry plus every chunk it imports statically (what loads before the user acts);
// lazy chunks (dynamic import) load after "Start" or for another language. Budget: 25 KB gzip.
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const DIR = 'dist/cdn';
const BUDGET = 25 * 1024;
const ENTRY = 'signicat-verify.js';

const size = (file) => {
  const bytes = readFileSync(join(DIR, file));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
/** Static `import … from "./chunks/x.js"` of a module, transitively. */
function staticGraph(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  const code = readFileSync(join(DIR, file), 'utf8');
  for (const match of code.matchAll(
    /(?:^|[;}\n])\s*import\s*(?:[^'"`()]*?from\s*)?["'`](\.\/[^"'`]+)["'`]/g,
  )) {
    staticGraph(join(file, '..', match[1]).replace(/^\.\//, ''), seen);
  }
  return seen;
}

const first = [...staticGraph(ENTRY)];
const all = [
  ENTRY,
  ...readdirSync(join(DIR, 'chunks'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => `chunks/${f}`),
];
const rows = all.map((file) => ({ file, ...size(file), first: first.includes(file) }));
const firstGzip = rows.filter((r) => r.first).reduce((sum, r) => sum + r.gzip, 0);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const lines = [
  '# Script-tag bundle size',
  '',
  'Written by `npm run size` (after `npm run build`); gzip level 9. Hashes in chunk names change between builds.',
  '',
  `First screen (entry and its static imports): **${kb(firstGzip)} gzip** of a ${kb(BUDGET)} budget (${Math.round((firstGzip / BUDGET) * 100)} %).`,
  '',
  '| file | loads | raw | gzip |',
  '| --- | --- | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| \`${r.file.replace(/-[\w-]{8}\.js$/, '.js')}\` | ${r.first ? 'first screen' : 'lazily'} | ${kb(r.raw)} | ${kb(r.gzip)} |`,
  ),
  '',
];
writeFileSync('docs/bundle-size.md', lines.join('\n'));
console.log(`first screen ${kb(firstGzip)} gzip (budget ${kb(BUDGET)})`);
if (firstGzip > BUDGET) {
  console.error('over budget');
  process.exitCode = 1;
}
