/**
 * The published element as integrators get it: `npm pack`, then a real `npm install` of the tarball
 * (no path aliases) into fresh projects made from test/pack/fixtures/:
 * - plain: the tarball alone. It must bring Lit and nothing else, run no install script, and its typed
 *   entries must resolve under Node's own resolution (NodeNext) with TypeScript 7.
 * - react: React 19; `tsc` 5.9 and 7 (7 also checks every .d.ts: skipLibCheck off) and `vite build` of
 *   the docs/frameworks.md React example; the Next.js example is type-checked there too.
 * - vue: Vue 3.5 + vue-tsc; `vue-tsc` and `vite build` of the docs/frameworks.md example.
 * - svelte, angular: the Svelte 5 / SvelteKit and Angular 21 examples, type-checked only
 *   (`svelte-check`; `ngc`, which compiles the template with strictTemplates).
 * The fixtures include deliberate type errors marked `@ts-expect-error` / `@vue-expect-error`: if the
 * typings were missing or `any`, those markers would be unused and the check would fail.
 *
 * Needs `npm run build` first (as `npm test` does). Uses the npm cache (`PACK_TEST_NPM_CACHE`, default
 * npm's own), so a second run installs offline.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const TSC7 = join(ROOT, 'node_modules/.bin/tsc');
const bin = (dir: string, name: string): string => join(dir, 'node_modules/.bin', name);

/** What installing the element may add: Lit and its own dependencies. */
const ALLOWED = new Set([
  'signicat-verify',
  'lit',
  'lit-html',
  'lit-element',
  '@lit/reactive-element',
  '@lit-labs/ssr-dom-shim',
  '@types/trusted-types',
]);
/** The server stack and build tools the element must never pull in. */
const FORBIDDEN = [
  'hono',
  '@hono/node-server',
  'ioredis',
  'jose',
  'oauth4webapi',
  'zod',
  'esbuild',
  'tsx',
  'vite',
  'typescript',
  'fflate',
];
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];

interface Run {
  code: number | null;
  out: string;
  ms: number;
}

function run(cmd: string, args: string[], cwd: string): Promise<Run> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: {
        ...process.env,
        ...(process.env.PACK_TEST_NPM_CACHE && {
          npm_config_cache: process.env.PACK_TEST_NPM_CACHE,
        }),
        npm_config_audit: 'false',
        npm_config_fund: 'false',
        npm_config_update_notifier: 'false',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out, ms: performance.now() - started }));
  });
}

function ok(result: Run, what: string): void {
  console.log(`${what}: ${(result.ms / 1000).toFixed(1)} s`);
  assert.equal(result.code, 0, `${what} failed:\n${result.out.slice(-6000)}`);
}

/** Package names under node_modules (scoped ones as `@scope/name`). */
async function installedPackages(dir: string): Promise<string[]> {
  const names: string[] = [];
  const modules = join(dir, 'node_modules');
  for (const entry of await readdir(modules)) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@'))
      for (const sub of await readdir(join(modules, entry))) names.push(`${entry}/${sub}`);
    else names.push(entry);
  }
  return names.sort();
}

let work: string;
let tarball: string;
let tarballFiles: string[];
const started = performance.now();
const projects = ['plain', 'react', 'vue', 'svelte', 'angular'] as const;
const installs = new Map<string, Promise<Run>>();

before(async () => {
  for (const file of [
    'dist/npm/index.js',
    'dist/npm/define.js',
    'dist/cdn/signicat-verify.js',
    'dist/ssr/index.js',
    'dist/types/index.d.ts',
    'dist/custom-elements.json',
  ])
    assert.ok(existsSync(join(ROOT, file)), `${file} exists: run \`npm run build\` first`);
  work = await mkdtemp(join(tmpdir(), 'signicat-verify-pack-'));
  const packed = await run('npm', ['pack', '--json', '--pack-destination', work], ROOT);
  ok(packed, 'npm pack');
  const [info] = JSON.parse(packed.out.slice(packed.out.indexOf('['))) as Array<{
    filename: string;
    files: Array<{ path: string }>;
  }>;
  tarball = join(work, info!.filename);
  tarballFiles = info!.files.map((f) => f.path);
  // Fresh projects, installed side by side (the network and the cache do the waiting).
  for (const name of projects) {
    const dir = join(work, name);
    await cp(join(FIXTURES, name), dir, { recursive: true });
    const manifestPath = join(dir, 'package.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    manifest.dependencies = { ...manifest.dependencies, 'signicat-verify': `file:${tarball}` };
    await writeFile(manifestPath, JSON.stringify(manifest, null, 2));
    installs.set(
      name,
      run(
        'npm',
        ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'],
        dir,
      ),
    );
  }
});

after(async () => {
  await Promise.allSettled(installs.values());
  // PACK_TEST_KEEP=1 keeps the projects for a closer look.
  if (work && !process.env.PACK_TEST_KEEP) await rm(work, { recursive: true, force: true });
  else if (work) console.log(`kept ${work}`);
  console.log(`pack test total: ${((performance.now() - started) / 1000).toFixed(1)} s`);
});

describe('the packed element', { timeout: 300_000 }, () => {
  it('ships every export target, the types and the manifest', async () => {
    type Target = string | { [condition: string]: Target };
    const manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      exports: Record<string, Target>;
      types: string;
      customElements: string;
    };
    const targets = [manifest.types, manifest.customElements];
    const collect = (target: Target): void => {
      if (typeof target === 'string') targets.push(target);
      else Object.values(target).forEach(collect);
    };
    for (const [subpath, target] of Object.entries(manifest.exports)) {
      if (typeof target !== 'string' && subpath !== './package.json')
        assert.equal(
          Object.keys(target)[0],
          'types',
          `${subpath}: the types condition comes first`,
        );
      collect(target);
    }
    for (const target of targets)
      assert.ok(tarballFiles.includes(target.replace(/^\.\//, '')), `${target} is in the tarball`);
  });

  it('installs Lit and nothing else, with no install script', async () => {
    const dir = join(work, 'plain');
    ok(await installs.get('plain')!, 'npm install (tarball alone)');
    const names = await installedPackages(dir);
    console.log(`installed with the element: ${names.join(', ')}`);
    for (const name of FORBIDDEN) assert.ok(!names.includes(name), `${name} is not installed`);
    assert.deepEqual(
      names.filter((n) => !ALLOWED.has(n)),
      [],
      'only Lit and its dependencies',
    );
    const lock = JSON.parse(await readFile(join(dir, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    for (const [path, entry] of Object.entries(lock.packages))
      assert.ok(!entry.hasInstallScript, `${path} has no install script`);
    for (const name of names) {
      const pkg = JSON.parse(
        await readFile(join(dir, 'node_modules', name, 'package.json'), 'utf8'),
      ) as { scripts?: Record<string, string> };
      for (const script of INSTALL_SCRIPTS)
        assert.equal(pkg.scripts?.[script], undefined, `${name} has no ${script} script`);
    }
  });

  it('type-checks every entry under NodeNext resolution (TypeScript 7)', async () => {
    await installs.get('plain');
    ok(await run(TSC7, ['-p', '.'], join(work, 'plain')), 'tsc 7 (NodeNext)');
  });

  it('type-checks and builds in a fresh React 19 + TypeScript app', async () => {
    const dir = join(work, 'react');
    ok(await installs.get('react')!, 'npm install (React app)');
    ok(await run(bin(dir, 'tsc'), ['-p', '.', '--skipLibCheck'], dir), 'tsc 5.9 (React)');
    ok(await run(TSC7, ['-p', '.'], dir), 'tsc 7 (React)');
    ok(await run(bin(dir, 'vite'), ['build'], dir), 'vite build (React)');
    const js = await builtScripts(join(dir, 'dist'));
    assert.ok(js.includes('signicat-verify-complete'), 'the element is in the app bundle');
    // The image worker stays a file of its own (a strict CSP refuses a data: worker).
    const files = await readdir(join(dir, 'dist'), { recursive: true });
    assert.ok(
      files.some((f) => /image-worker[^/]*\.js$/.test(f)),
      `a worker file in ${files.join(', ')}`,
    );
    assert.doesNotMatch(js, /new Worker\(\s*["'`]data:/);
  });

  it('type-checks and builds in a fresh Vue 3 + TypeScript app', async () => {
    const dir = join(work, 'vue');
    ok(await installs.get('vue')!, 'npm install (Vue app)');
    ok(await run(bin(dir, 'vue-tsc'), ['-p', '.'], dir), 'vue-tsc (Vue)');
    const built = await run(bin(dir, 'vite'), ['build'], dir);
    ok(built, 'vite build (Vue)');
    assert.doesNotMatch(built.out, /Failed to resolve component/);
    const js = await builtScripts(join(dir, 'dist'));
    assert.ok(js.includes('signicat-verify-complete'), 'the element is in the app bundle');
  });

  it('type-checks the Svelte 5 and SvelteKit examples', async () => {
    const dir = join(work, 'svelte');
    ok(await installs.get('svelte')!, 'npm install (Svelte app)');
    ok(
      await run(
        bin(dir, 'svelte-check'),
        ['--tsconfig', './tsconfig.json', '--threshold', 'error'],
        dir,
      ),
      'svelte-check (Svelte)',
    );
  });

  it('compiles the Angular 21 example (ngc, strict templates)', async () => {
    const dir = join(work, 'angular');
    ok(await installs.get('angular')!, 'npm install (Angular app)');
    ok(await run(bin(dir, 'ngc'), ['-p', 'tsconfig.json'], dir), 'ngc (Angular)');
  });
});

/** The text of every script the app build wrote. */
async function builtScripts(dist: string): Promise<string> {
  const files = (await readdir(dist, { recursive: true })).filter((f) => f.endsWith('.js'));
  assert.ok(files.length > 0, 'vite build wrote scripts');
  return (await Promise.all(files.map((f) => readFile(join(dist, f), 'utf8')))).join('\n');
}
