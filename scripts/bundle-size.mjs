// Measures the script-tag build (dist/cdn, made by `npm run build`) and writes docs/bundle-size.md.
// "First screen" = the entry plus every chunk it imports statically (what loads before the user acts);
// lazy chunks (dynamic import, the worker) load after "Start" or for another language. Budget: 25 KB
// gzip, and one script request: the first screen is the entry alone. The first-render section of the
// document (scripts/bench/phases/first-render.ts, `npm run size:render`) is kept as it is.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const DIR = 'dist/cdn';
const DOC = 'docs/bundle-size.md';
const BUDGET = 25 * 1024;
const ENTRY = 'signicat-verify.js';
const RENDER_START = '<!-- first-render:start -->';
const RENDER_END = '<!-- first-render:end -->';

const size = (file) => {
  const bytes = readFileSync(join(DIR, file));
  return { raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
};
const resolve = (from, specifier) => join(from, '..', specifier).replace(/^\.\//, '');
/** Static `import … from "./x.js"` of a module: what must load before it runs. */
const staticImports = (code) =>
  [
    ...code.matchAll(/(?:^|[;}\n])\s*import\s*(?:[^'"`()]*?from\s*)?["'`](\.\.?\/[^"'`]+)["'`]/g),
  ].map((m) => m[1]);
/** `import("./x.js")`, preload lists and `new URL("x.js", import.meta.url)`: what may load later. */
const laterImports = (code) =>
  [
    ...code.matchAll(/import\(\s*["'`](\.\.?\/[^"'`]+)["'`]\s*\)/g),
    ...code.matchAll(/["'`](\.\.?\/chunks\/[^"'`]+\.js)["'`]/g),
    ...code.matchAll(/new URL\(\s*["'`]([^"'`]+\.js)["'`]\s*,\s*import\.meta\.url/g),
  ].map((m) => m[1]);

/** Every file reachable from `entry`, each marked first screen (static path) or lazy. */
function graph(entry) {
  const first = new Set();
  const all = new Set();
  const visit = (file, isFirst) => {
    if (isFirst ? first.has(file) : all.has(file)) return;
    all.add(file);
    if (isFirst) first.add(file);
    const code = readFileSync(join(DIR, file), 'utf8');
    for (const spec of staticImports(code)) visit(resolve(file, spec), isFirst);
    for (const spec of laterImports(code)) {
      const target = spec.startsWith('.') ? resolve(file, spec) : resolve(file, `./${spec}`);
      if (existsSync(join(DIR, target))) visit(target, false);
    }
  };
  visit(entry, true);
  return { first, all };
}

const { first, all } = graph(ENTRY);
const rows = [...all].map((file) => ({ file, ...size(file), first: first.has(file) }));
const firstGzip = rows.filter((r) => r.first).reduce((sum, r) => sum + r.gzip, 0);
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const previous = existsSync(DOC) ? readFileSync(DOC, 'utf8') : '';
const keep =
  previous.includes(RENDER_START) && previous.includes(RENDER_END)
    ? previous.slice(
        previous.indexOf(RENDER_START),
        previous.indexOf(RENDER_END) + RENDER_END.length,
      )
    : '';

const lines = [
  '# Script-tag bundle size',
  '',
  'Written by `npm run size` (after `npm run build`); gzip level 9. Hashes in chunk names change between builds.',
  '',
  `First screen (entry and its static imports): **${kb(firstGzip)} gzip** of a ${kb(BUDGET)} budget (${Math.round((firstGzip / BUDGET) * 100)} %), in **${first.size}** script request${first.size === 1 ? '' : 's'}.`,
  '',
  '| file | loads | raw | gzip |',
  '| --- | --- | ---: | ---: |',
  ...rows.map(
    (r) =>
      `| \`${r.file.replace(/-[\w-]{8}\.js$/, '.js')}\` | ${r.first ? 'first screen' : 'lazily'} | ${kb(r.raw)} | ${kb(r.gzip)} |`,
  ),
  '',
  '`/signicat-verify@<version>.js` is the same build under its own name, with its own copies of the lazy',
  'chunks (they import the entry by the name the page loaded), so it has the same sizes.',
  '',
  ...(keep ? [keep, ''] : []),
];
writeFileSync(DOC, lines.join('\n'));
console.log(
  `first screen ${kb(firstGzip)} gzip in ${first.size} request(s) (budget ${kb(BUDGET)}, 1 request)`,
);
if (firstGzip > BUDGET || first.size !== 1) {
  console.error(firstGzip > BUDGET ? 'over budget' : 'the first screen needs more than one script');
  process.exitCode = 1;
}
