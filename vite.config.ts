import { fileURLToPath } from 'node:url';
import { defineConfig, type UserConfig } from 'vite';

const fromHere = (path: string) => fileURLToPath(new URL(path, import.meta.url));

const LIT = [/^lit($|\/)/, /^@lit\//, /^lit-html($|\/)/, /^lit-element($|\/)/];

// `vite build`                   -> dist/npm/: ES modules for npm and bundler users (Lit stays a dependency)
// `vite build --mode standalone` -> dist/cdn/signicat-verify.js: the script-tag build, Lit inside,
//                                    camera and image code in lazily loaded chunks beside it
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
  if (mode === 'standalone') {
    return {
      base: './', // chunks, preloads and the worker resolve beside the script, on whatever origin serves it
      build: {
        target: 'es2022',
        outDir: 'dist/cdn',
        emptyOutDir: true,
        assetsDir: 'chunks', // the image worker sits beside the chunks, under the one cached /chunks/ path
        sourcemap: true,
        rolldownOptions: {
          input: 'component/bundle.ts',
          preserveEntrySignatures: 'strict',
          output: {
            format: 'es',
            entryFileNames: 'signicat-verify.js',
            chunkFileNames: 'chunks/[name]-[hash].js',
            // What the entry and the lazy capture chunk share (Lit, the heading helper) goes in one chunk.
            advancedChunks: {
              groups: [
                {
                  name: 'shared',
                  test: /node_modules[\\/](lit|lit-html|lit-element|@lit)[\\/]|component[\\/]steps[\\/]heading/,
                },
              ],
            },
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
  };
});
