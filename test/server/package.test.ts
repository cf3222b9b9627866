/**
 * The two npm packages as integrators get them (README, "Design notes"; docs/deployment.md):
 *
 * - `signicat-verify` (the element, from the repository root): depends on `lit@^3` and nothing else,
 *   runs no install scripts, ships no server code and no tests.
 * - `signicat-verify-proxy` (packages/proxy, assembled by `npm run build:server`): the server compiled
 *   to JavaScript with declarations, the script-tag build and the demo with their .br/.gz twins, and a
 *   `bin`. Every import of the compiled code is a Node built-in, one of its dependencies or a file in
 *   the tarball; its pinned versions are the ones the repository tests.
 *
 * Both are packed with `npm pack`. The compiled bin runs on plain Node (no tsx): --help (generated
 * from the config schema), a refused secret flag, doctor, and a real start, /healthz, SIGTERM. Then
 * each tarball is installed into a fresh project from the npm registry (`--prefer-offline`: the cache
 * `npm ci` filled answers most of it), to count what a browser install pulls in and to run the
 * installed bin and type-check the library entry as a consumer would. PACK_INSTALL=0 skips the
 * installs (no registry at hand).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENVIRONMENT_ONLY, SETTING_HELP } from '../../server/cli/settings.ts';
import { CONFIG_VARIABLES } from '../../server/config.ts';
import { isCompressible } from '../../server/compression.ts';
import { SANDBOX_CLIENT_SECRET, startEmulator } from '../../server/emulator/index.ts';
import { eventually, realModeEnv, TEST_SESSION_SECRET } from '../helpers/sandbox.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PROXY_DIR = join(ROOT, 'packages/proxy');
const BIN = join(PROXY_DIR, 'dist/server/bin.js');
const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall', 'prepare'];
/** The server packages the element must never pull in. */
const SERVER_PACKAGES = [
  'hono',
  '@hono/node-server',
  '@hono/zod-validator',
  'zod',
  'jose',
  'oauth4webapi',
  'ioredis',
  'fflate',
  'tsx',
  'esbuild',
];

interface PackageJson {
  name: string;
  version: string;
  type?: string;
  bin?: Record<string, string>;
  exports?: Record<string, string | Record<string, string>>;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface Packed {
  tarball: string;
  /** Size of the .tgz in bytes. */
  size: number;
  files: string[];
  manifest: PackageJson;
}

const cleanups: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function run(command: string, args: string[], options: SpawnSyncOptions = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 120_000, ...options });
  if (result.error) throw result.error;
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** The environment of a child that must not inherit tsx or the caller's settings. */
const plainEnv = (extra: Record<string, string> = {}) => ({
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? tmpdir(),
  ...extra,
});

async function pack(dir: string, into: string): Promise<Packed> {
  const packed = run('npm', ['pack', dir, '--json', '--pack-destination', into], { cwd: ROOT });
  assert.equal(packed.status, 0, packed.stderr);
  const [info] = JSON.parse(packed.stdout) as Array<{
    filename: string;
    size: number;
    files: Array<{ path: string }>;
  }>;
  const tarball = join(into, info!.filename);
  const unpacked = join(into, info!.filename.replace(/\.tgz$/, ''));
  await mkdir(unpacked, { recursive: true });
  assert.equal(run('tar', ['-xzf', tarball, '-C', unpacked]).status, 0);
  const manifest = JSON.parse(
    await readFile(join(unpacked, 'package/package.json'), 'utf8'),
  ) as PackageJson;
  return { tarball, size: info!.size, files: info!.files.map((f) => f.path).sort(), manifest };
}

/** Every module specifier the compiled file imports (static, re-exports, dynamic with a literal). */
function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const match of source.matchAll(
    /^(?:import|export)\b[^;]*?\bfrom\s*'([^']+)'|^import\s*'([^']+)'|\bimport\('([^']+)'\)/gm,
  )) {
    found.push((match[1] ?? match[2] ?? match[3])!);
  }
  return found;
}

/** True when packages/proxy/dist is missing or older than anything it is built from. */
async function staleBuild(): Promise<boolean> {
  const built = await stat(join(PROXY_DIR, 'dist/server/lib.js')).catch(() => undefined);
  if (!built) return true;
  const inputs = [
    'server',
    'component/contract',
    'dist/cdn',
    'dist/demo',
    'tsconfig.json',
    'tsconfig.build.server.json',
    'scripts/build-proxy.ts',
  ];
  for (const input of inputs.map((path) => join(ROOT, path))) {
    const info = await stat(input).catch(() => undefined);
    if (!info) continue;
    const files = info.isDirectory()
      ? (await readdir(input, { recursive: true, withFileTypes: true }))
          .filter((e) => e.isFile())
          .map((e) => join(e.parentPath, e.name))
      : [input];
    for (const file of files) if ((await stat(file)).mtimeMs > built.mtimeMs) return true;
  }
  return false;
}

let work: string;
let element: Packed;
let proxy: Packed;
let rootManifest: PackageJson;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'signicat-verify-pack-'));
  cleanups.push(() => rm(work, { recursive: true, force: true }));
  rootManifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
  // This test must not judge a stale build; after `npm run build` (as in `npm test`) it is fresh.
  if (await staleBuild()) {
    const built = run(process.execPath, ['--import', 'tsx', 'scripts/build-proxy.ts'], {
      cwd: ROOT,
    });
    assert.equal(built.status, 0, built.stdout + built.stderr);
  }
  element = await pack('.', work);
  proxy = await pack('./packages/proxy', work);
  console.log(
    `# element tarball ${(element.size / 1024).toFixed(1)} KB (${element.files.length} files); proxy tarball ${(proxy.size / 1024).toFixed(1)} KB (${proxy.files.length} files)`,
  );
});

describe('signicat-verify (the element package)', () => {
  it('depends on lit ^3 and nothing else: no server package, no peer or optional extras', () => {
    assert.deepEqual(element.manifest.dependencies, { lit: '^3' });
    assert.equal(element.manifest.peerDependencies, undefined);
    assert.equal(element.manifest.optionalDependencies, undefined);
  });

  it('runs no install scripts', () => {
    for (const script of INSTALL_SCRIPTS)
      assert.equal(element.manifest.scripts?.[script], undefined, script);
  });

  it('ships no server code, no tests, no compressed twins', () => {
    const offending = element.files.filter((f) =>
      /^(server|test|packages|scripts)\/|\.test\.|\.(br|gz)$/.test(f),
    );
    assert.deepEqual(offending, []);
  });

  it('declares every server package the proxy needs as a development dependency only, at the versions the proxy ships', () => {
    for (const [name, version] of Object.entries(proxy.manifest.dependencies ?? {})) {
      assert.equal(
        rootManifest.devDependencies?.[name],
        version,
        `${name}: the repository tests the version the proxy ships`,
      );
      assert.equal(
        rootManifest.dependencies?.[name],
        undefined,
        `${name} is no dependency of the element`,
      );
    }
  });
});

describe('signicat-verify-proxy (the server package)', () => {
  it('is released with the element: same version, so /signicat-verify@<version>.js names the build it serves', () => {
    assert.equal(proxy.manifest.name, 'signicat-verify-proxy');
    assert.equal(proxy.manifest.version, rootManifest.version);
    assert.equal(proxy.manifest.type, 'module');
    for (const script of INSTALL_SCRIPTS)
      assert.equal(proxy.manifest.scripts?.[script], undefined, script);
    assert.equal(
      proxy.manifest.dependencies?.['lit'],
      undefined,
      'the proxy serves a built element; it needs no lit',
    );
    assert.equal(proxy.manifest.dependencies?.['tsx'], undefined, 'compiled: no tsx at run time');
  });

  it('ships the server as JavaScript with a declaration beside every module, and no TypeScript sources or tests', () => {
    const js = proxy.files.filter(
      (f) => f.startsWith('dist/') && f.endsWith('.js') && !/^dist\/(cdn|demo)\//.test(f),
    );
    assert.ok(
      js.includes('dist/server/lib.js') &&
        js.includes('dist/server/bin.js') &&
        js.includes('dist/server/app.js'),
    );
    assert.ok(
      js.includes('dist/component/contract/index.js'),
      'the shared contract the server imports',
    );
    for (const file of js)
      assert.ok(proxy.files.includes(file.replace(/\.js$/, '.d.ts')), `${file} has its .d.ts`);
    assert.deepEqual(
      proxy.files.filter(
        (f) => (f.endsWith('.ts') && !f.endsWith('.d.ts')) || /(^|\/)test\/|\.test\./.test(f),
      ),
      [],
    );
    assert.deepEqual(
      proxy.files.filter(
        (f) =>
          !/^dist\/(server|component\/contract|cdn|demo)\/|^(package\.json|README\.md)$/.test(f),
      ),
      [],
      'nothing but the compiled server, the contract, the static files and the README',
    );
  });

  it('imports only Node built-ins, its own dependencies and files inside the tarball', async () => {
    const dependencies = Object.keys(proxy.manifest.dependencies ?? {});
    const builtins = new Set(builtinModules);
    const unpacked = join(proxy.tarball.replace(/\.tgz$/, ''), 'package');
    for (const file of proxy.files.filter((f) => /^dist\/(server|component)\/.*\.js$/.test(f))) {
      for (const specifier of specifiers(await readFile(join(unpacked, file), 'utf8'))) {
        if (specifier.startsWith('.')) {
          assert.match(specifier, /\.js$/, `${file}: ${specifier} (rewritten from .ts)`);
          const target = posix.join(posix.dirname(file), specifier);
          assert.ok(proxy.files.includes(target), `${file}: ${specifier} is in the tarball`);
        } else if (specifier.startsWith('node:') || builtins.has(specifier)) {
          continue;
        } else {
          const name = specifier.startsWith('@')
            ? specifier.split('/').slice(0, 2).join('/')
            : specifier.split('/')[0]!;
          assert.ok(
            dependencies.includes(name),
            `${file}: ${specifier} needs "${name}" in dependencies`,
          );
        }
      }
    }
  });

  it('points bin and exports (with types first) at files in the tarball', () => {
    assert.deepEqual(Object.keys(proxy.manifest.bin ?? {}), ['signicat-verify-proxy']);
    assert.ok(proxy.files.includes(posix.normalize(proxy.manifest.bin!['signicat-verify-proxy']!)));
    for (const [subpath, target] of Object.entries(proxy.manifest.exports ?? {})) {
      if (typeof target === 'string') {
        assert.ok(proxy.files.includes(posix.normalize(target)), `${subpath}: ${target}`);
        continue;
      }
      assert.equal(Object.keys(target)[0], 'types', `${subpath}: the types condition comes first`);
      for (const file of Object.values(target))
        assert.ok(proxy.files.includes(posix.normalize(file)), `${subpath}: ${file}`);
    }
    assert.ok(
      proxy.manifest.exports?.['.'] && proxy.manifest.exports['./emulator'],
      'the library and the emulator',
    );
    assert.ok(proxy.files.includes('README.md'), 'a README for the npm page');
  });

  it('carries the script-tag build and the demo, each text file with .br and .gz twins', () => {
    assert.ok(
      proxy.files.includes('dist/cdn/signicat-verify.js'),
      'run npm run build first (npm test does)',
    );
    assert.ok(proxy.files.includes('dist/demo/index.html'));
    const missing = proxy.files
      .filter((f) => /^dist\/(cdn|demo)\//.test(f) && isCompressible(f))
      .flatMap((f) =>
        ['.br', '.gz']
          .filter((suffix) => !proxy.files.includes(f + suffix))
          .map((suffix) => f + suffix),
      );
    assert.deepEqual(
      missing,
      [],
      'npm run build compresses dist/cdn and dist/demo (scripts/compress.ts)',
    );
  });
});

describe('the compiled bin on plain Node (no tsx)', () => {
  const bin = (args: string[], env: Record<string, string> = {}) =>
    run(process.execPath, [BIN, ...args], { cwd: tmpdir(), env: plainEnv(env), timeout: 30_000 });

  it('--help lists every setting of the config schema with its flag, default and meaning; secrets are environment only', () => {
    const help = bin(['--help']);
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^signicat-verify-proxy \d+\.\d+\.\d+/);
    assert.match(help.stdout, /doctor/);
    for (const name of Object.keys(CONFIG_VARIABLES.shape)) {
      assert.ok(SETTING_HELP[name], `server/cli/settings.ts: write one line for ${name}`);
      const flag = `--${name.toLowerCase().replace(/_/g, '-')}`;
      const line = new RegExp(
        `^  ${name}  ${ENVIRONMENT_ONLY.has(name) ? '\\(environment only\\)' : flag}`,
        'm',
      );
      assert.match(help.stdout, line, name);
      assert.ok(help.stdout.includes(SETTING_HELP[name]!), `${name}: its meaning`);
    }
    assert.match(help.stdout, /^ {2}PORT {2}--port {2}default 8787 {2}\(0–65535\)$/m);
    assert.match(
      help.stdout,
      /^ {2}TRUST_PROXY_HOPS {2}--trust-proxy-hops {2}default 0 {2}\(0–10\)$/m,
    );
    assert.deepEqual(
      Object.keys(SETTING_HELP).filter((name) => !(name in CONFIG_VARIABLES.shape)),
      [],
      'no help for settings that are gone',
    );
  });

  it('refuses a secret on the command line without echoing it, and unknown flags', () => {
    const secret = bin(['--session-secret', 'do-not-echo-this-value-0123456789']);
    assert.equal(secret.status, 2);
    assert.match(secret.stderr, /SESSION_SECRET in the environment/);
    assert.doesNotMatch(secret.stdout + secret.stderr, /do-not-echo/);
    const unknown = bin(['--no-such-flag']);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /--no-such-flag[\s\S]*--help/);
  });

  it('stops at a bad setting given as a flag and names it', () => {
    const bad = bin(['--port', 'seventy']);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /PORT/);
  });

  it('doctor runs the doctor against the configured Assure API and prints no secret', async () => {
    const emulator = await startEmulator({ processingDelayMs: 0 });
    cleanups.push(() => emulator.close());
    const child = spawn(process.execPath, [BIN, 'doctor', '--json'], {
      cwd: tmpdir(),
      env: plainEnv({ ...realModeEnv(emulator.url, 1), LOG_LEVEL: 'silent' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '',
      stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const report = JSON.parse(stdout) as {
      mode: string;
      checks: Array<{ id: string; status: string }>;
    };
    assert.equal(report.mode, 'real', stderr);
    assert.equal(report.checks.find((check) => check.id === 'token')?.status, 'pass', stdout);
    // Nothing answers /healthz at PUBLIC_URL (port 1): that check fails, so the exit code says so.
    assert.equal(code, 1);
    for (const secret of [SANDBOX_CLIENT_SECRET, TEST_SESSION_SECRET])
      assert.ok(!(stdout + stderr).includes(secret), 'no secret printed');
  });

  it('starts from flags, answers /healthz and compressed static files, and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [BIN, '--port', '0', '--host', '127.0.0.1', '--log-level', 'warn'],
      {
        cwd: tmpdir(),
        env: plainEnv(),
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    cleanups.push(async () => child.kill('SIGKILL'));
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const url = await eventually(
      () => /open (http:\/\/127\.0\.0\.1:\d+)\//.exec(output)?.[1],
      15_000,
      `the start line in: ${output}`,
    );
    const health = await fetch(`${url}/healthz`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { ok: boolean }).ok, true);
    const script = await fetch(`${url}/signicat-verify.js`, {
      headers: { 'Accept-Encoding': 'br' },
    });
    assert.equal(script.status, 200);
    assert.equal(
      script.headers.get('Content-Encoding'),
      'br',
      "served from the package's own dist/cdn",
    );
    await script.arrayBuffer();
    child.kill('SIGTERM');
    assert.equal(await exited, 0, output);
  });

  it('imports as a library without side effects, exporting the proxy, the server, the config, the client and the emulator', () => {
    const probe = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const lib = await import(${JSON.stringify(join(PROXY_DIR, 'dist/server/lib.js'))});
         const emulator = await import(${JSON.stringify(join(PROXY_DIR, 'dist/server/emulator/index.js'))});
         console.log(JSON.stringify({ lib: Object.keys(lib).sort(), emulator: Object.keys(emulator).sort() }));`,
      ],
      { cwd: tmpdir(), env: plainEnv(), timeout: 30_000 },
    );
    assert.equal(probe.status, 0, probe.stderr);
    const { lib, emulator } = JSON.parse(probe.stdout) as { lib: string[]; emulator: string[] };
    for (const name of [
      'createProxy',
      'startServer',
      'loadConfig',
      'createAssureClient',
      'createEmulator',
      'startEmulator',
      'SANDBOX_CLIENT_ID',
    ]) {
      assert.ok(lib.includes(name), `signicat-verify-proxy exports ${name}`);
    }
    for (const name of ['createEmulator', 'startEmulator'])
      assert.ok(emulator.includes(name), `signicat-verify-proxy/emulator exports ${name}`);
  });
});

const installs = process.env.PACK_INSTALL === '0' ? describe.skip : describe;

installs('installed from the tarballs into fresh projects', { timeout: 180_000 }, () => {
  async function freshProject(name: string, tarball: string) {
    const dir = join(work, name);
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'package.json'),
      JSON.stringify({ name, version: '1.0.0', private: true, type: 'module' }),
    );
    const started = Date.now();
    const installed = run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', tarball],
      { cwd: dir, timeout: 150_000 },
    );
    assert.equal(installed.status, 0, installed.stderr);
    const lock = JSON.parse(
      await readFile(join(dir, 'node_modules/.package-lock.json'), 'utf8'),
    ) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const packages = Object.keys(lock.packages).map((path) =>
      path.replace(/^.*node_modules\//, ''),
    );
    const withScripts = Object.entries(lock.packages)
      .filter(([, info]) => info.hasInstallScript)
      .map(([path]) => path);
    const bytes =
      Number(run('du', ['-sk', join(dir, 'node_modules')]).stdout.split(/\s/)[0]) * 1024;
    console.log(
      `# ${name}: ${packages.length} packages, ${(bytes / 1024 / 1024).toFixed(1)} MB, install scripts: ${withScripts.join(', ') || 'none'}, ${Date.now() - started} ms`,
    );
    return { dir, packages, withScripts };
  }

  it('the element pulls in Lit and nothing of the server, and runs no install script', async () => {
    const { packages, withScripts } = await freshProject('browser-app', element.tarball);
    // Printed so the counts in the README's design notes can be checked against a run.
    console.log(`# browser install: ${packages.join(', ')}`);
    assert.ok(packages.includes('signicat-verify') && packages.includes('lit'));
    assert.deepEqual(
      packages.filter((name) => SERVER_PACKAGES.includes(name)),
      [],
      'no server package',
    );
    assert.deepEqual(
      packages.filter(
        (name) =>
          !/^(signicat-verify|lit|lit-html|lit-element|@lit\/.+|@lit-labs\/.+|@types\/trusted-types)$/.test(
            name,
          ),
      ),
      [],
      'Lit and its own dependencies only',
    );
    assert.deepEqual(withScripts, []);
  });

  it('the proxy runs from its installed bin and type-checks as a library for a NodeNext consumer', async () => {
    const { dir, packages } = await freshProject('node-app', proxy.tarball);
    assert.ok(!packages.includes('lit') && !packages.includes('tsx'), 'neither lit nor tsx');
    const installedBin = join(dir, 'node_modules/.bin/signicat-verify-proxy');
    assert.ok(existsSync(installedBin));
    const help = run(installedBin, ['--help'], { cwd: dir, env: plainEnv(), timeout: 30_000 });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /TRUST_PROXY_HOPS/);

    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          noEmit: true,
          // A Node app has @types/node; borrow the repository's rather than install it again.
          typeRoots: [join(ROOT, 'node_modules/@types')],
          types: ['node'],
        },
        files: ['main.ts'],
      }),
    );
    await writeFile(
      join(dir, 'main.ts'),
      `import { Hono } from 'hono';
import { createAssureClient, createProxy, loadConfig, startServer, type Config } from 'signicat-verify-proxy';
import { createEmulator, startEmulator } from 'signicat-verify-proxy/emulator';
const config: Config = loadConfig({});
const assure = createAssureClient({ ...config.signicat, timeoutMs: config.upstreamTimeoutMs });
const proxy = createProxy({ config, assure, publicUrl: 'https://shop.example/verify' });
new Hono().route('/verify', proxy.app);
// @ts-expect-error the types are real, not any: a port is a number
const port: string = config.port;
export { port, startServer, createEmulator, startEmulator };
`,
    );
    const tsc = join(
      dirname(fileURLToPath(import.meta.resolve('typescript/package.json'))),
      'bin/tsc',
    );
    const checked = run(process.execPath, [tsc, '-p', dir], { cwd: dir, timeout: 60_000 });
    assert.equal(checked.status, 0, checked.stdout + checked.stderr);

    // The systemd unit of docs/deployment.md, pointed at this install, is a valid unit with no warning.
    const analyze = run('sh', ['-c', 'command -v systemd-analyze'], {
      env: plainEnv(),
    }).stdout.trim();
    if (!analyze)
      return console.log('# systemd-analyze not installed: the unit file is not checked');
    const docs = await readFile(join(ROOT, 'docs/deployment.md'), 'utf8');
    const unit = /```ini\n([\s\S]*?)```/.exec(docs)?.[1];
    if (!unit) return assert.fail('docs/deployment.md has an ```ini block with the unit');
    assert.ok(
      unit.includes('ExecStart=/opt/signicat-verify/node_modules/.bin/signicat-verify-proxy'),
      'the unit runs the installed bin',
    );
    const unitFile = join(work, 'signicat-verify.service');
    await writeFile(unitFile, unit.replaceAll('/opt/signicat-verify', dir));
    const verified = run(analyze, ['verify', unitFile], { env: plainEnv(), timeout: 30_000 });
    assert.equal(verified.status, 0, verified.stderr);
    assert.equal(verified.stderr.trim(), '', 'no warning');
  });
});
