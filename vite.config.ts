import { readFileSync } from 'node:fs';
import { dirname, relative } from 'node:path/posix';
import { fileURLToPath } from 'node:url';
import { build, defineConfig, type Plugin, type UserConfig } from 'vite';

const fromHere = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const VERSION: string = JSON.parse(readFileSync(fromHere('package.json'), 'utf8')).version;

const LIT = [/^lit($|\/)/, /^@lit\//, /^lit-html($|\/)/, /^lit-element($|\/)/];

// `vite build`                   -> dist/npm/: ES modules for npm and bundler users (Lit stays a dependency)
// `vite build --mode standalone` -> dist/cdn/signicat-verify.js: the script-tag build, Lit inside,
//                                    camera and image code in lazily loaded chunks beside it; then
//                                    (mode standalone-pinned, started by the first) the same build as
//                                    dist/cdn/signicat-verify@<version>.js, with chunks that import that name
// `vite build --mode demo`       -> dist/demo/: the demo site served by `npm start` at /
export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'demo') {
    // demo/public/standalone.html is copied as it is: it loads /signicat-verify.js like any integrator.
    return {
      root: fromHere('demo'),
      base: '/',
      publicDir: fromHere('demo/public'),
      build: {
        target: 'es2022',
        outDir: fromHere('dist/demo'),
        emptyOutDir: true,
        rolldownOptions: {
          input: {
            index: fromHere('demo/index.html'),
            'provider-sdk': fromHere('demo/provider-sdk.html'),
          },
        },
      },
    };
  }
  if (mode === 'standalone' || mode === 'standalone-pinned') {
    // Lit and everything else the first screen needs sit in the entry: one script request before the
    // first render. The lazy chunks import what they share with it from the entry itself, by the name
    // the page loaded: /signicat-verify.js and /signicat-verify@<version>.js each get chunks of their
    // own (same code, different import), so neither URL ever loads a second copy of the element.
    const pinned = mode === 'standalone-pinned';
    return {
      base: './', // chunks, preloads and the worker resolve beside the script, on whatever origin serves it
      plugins: pinned ? [] : [alsoBuild('standalone-pinned')],
      // A classic script: a page on another origin starts it with importScripts from a blob: worker
      // (component/image/any-origin-worker.ts). IIFE is Vite's default; said here because that relies on it.
      worker: { format: 'iife' },
      build: {
        target: 'es2022',
        outDir: 'dist/cdn',
        emptyOutDir: !pinned,
        assetsDir: 'chunks', // the image worker sits beside the chunks, under the one cached /chunks/ path
        sourcemap: true,
        reportCompressedSize: !pinned,
        rolldownOptions: {
          input: 'component/bundle.ts',
          // The entry may export more than its public API: the bindings its lazy chunks import.
          preserveEntrySignatures: 'allow-extension',
          output: {
            format: 'es',
            entryFileNames: pinned ? `signicat-verify@${VERSION}.js` : 'signicat-verify.js',
            chunkFileNames: 'chunks/[name]-[hash].js',
          },
        },
      },
    };
  }
  return {
    base: './', // the worker URL stays relative for the consumer's bundler
    build: {
      target: 'es2022',
      outDir: 'dist/npm',
      emptyOutDir: true,
      sourcemap: true,
      minify: false, // the consumer's bundler minifies
      lib: {
        entry: { index: 'component/index.ts', define: 'component/define.ts' },
        formats: ['es'],
      },
      rolldownOptions: { external: LIT },
    },
    plugins: [workerForBundlers()],
    worker: { format: 'iife' }, // as in the script-tag build: startable cross-origin too
  };
});

/** Runs the build of `mode` once this one is written (a second output from one `vite build`). */
function alsoBuild(mode: string): Plugin {
  return {
    name: 'signicat-verify:also-build',
    apply: 'build',
    async closeBundle() {
      await build({ configFile: fromHere('vite.config.ts'), mode, logLevel: 'warn' });
    },
  };
}

/**
 * The npm build hands the worker to the integrator's bundler as `new Worker(new URL('./assets/….js',
 * import.meta.url), …)`, the form Vite (and other bundlers) emit as a worker file. Vite's own output,
 * `new URL(new URL('assets/….js', import.meta.url).href, '' + import.meta.url)`, reads to them as a
 * plain asset, which Vite inlines as a `data:` URL when small, and `worker-src 'self'` refuses that.
 * Line breaks are kept so the source map stays right.
 */
function workerForBundlers(): Plugin {
  const VITE_FORM =
    /new URL\(\s*(?:\/\*\s*@vite-ignore\s*\*\/\s*)?new URL\("([^"]+\.js)", import\.meta\.url\)\.href,\s*"" \+ import\.meta\.url\s*\)/g;
  return {
    name: 'signicat-verify:worker-for-bundlers',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const workers = Object.keys(bundle).filter((file) =>
        /(^|\/)[\w-]*worker[\w-]*\.js$/.test(file),
      );
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !workers.some((file) => chunk.code.includes(file))) continue;
        chunk.code = chunk.code.replace(VITE_FORM, (whole, file: string) => {
          const path = relative(dirname(chunk.fileName), file);
          const breaks = '\n'.repeat(whole.split('\n').length - 1);
          return `new URL(${JSON.stringify(path.startsWith('.') ? path : `./${path}`)},${breaks} import.meta.url)`;
        });
        for (const file of workers) {
          const path = relative(dirname(chunk.fileName), file);
          const mentions = chunk.code.split(file).length - 1;
          const asWorker =
            chunk.code.split(`new Worker(new URL(${JSON.stringify(`./${path}`)},`).length - 1;
          if (mentions !== asWorker)
            this.error(
              `${chunk.fileName}: ${file} is not referenced as new Worker(new URL('./…', import.meta.url))`,
            );
        }
      }
    },
  };
}
