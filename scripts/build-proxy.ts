/**
 * `npm run build:server`: assembles the `signicat-verify-proxy` package in packages/proxy/dist. It
 * compiles server/ (and the shared contract it imports) to JavaScript with declarations
 * (tsconfig.build.server.json: no tsx at run time), then copies the element's script-tag build and
 * the demo, which the proxy serves (server/static.ts), and writes their `.br`/`.gz` twins. npm packs
 * only what sits inside a package's folder, hence the copy.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compressTree } from '../server/compression.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'packages/proxy/dist');

rmSync(out, { recursive: true, force: true });
const tsc = join(
  dirname(createRequire(import.meta.url).resolve('typescript/package.json')),
  'bin/tsc',
);
const compiled = spawnSync(
  process.execPath,
  [tsc, '-p', join(root, 'tsconfig.build.server.json')],
  { stdio: 'inherit' },
);
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
chmodSync(join(out, 'server/bin.js'), 0o755);

for (const dir of ['dist/cdn', 'dist/demo']) {
  if (!existsSync(join(root, dir))) {
    console.warn(
      `build-proxy: ${dir} is missing (run npm run build): the package will serve no ${dir.slice(5)} files`,
    );
    continue;
  }
  // Timestamps kept: the server trusts a .br/.gz twin only if it is not older than its file.
  cpSync(join(root, dir), join(out, dir.slice(5)), { recursive: true, preserveTimestamps: true });
  // Twins written again here: the package never ships without them, even after a bare `vite build`.
  await compressTree(join(out, dir.slice(5)));
}
console.log(`build-proxy: packages/proxy/dist ready (npm pack ./packages/proxy)`);
