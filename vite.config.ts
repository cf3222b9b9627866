import { defineConfig, type UserConfig } from 'vite';

const LIT = [/^lit($|\/)/, /^@lit\//, /^lit-html($|\/)/, /^lit-element($|\/)/];

// `vite build`                   -> dist/npm/: ES modules for npm and bundler users (Lit stays a dependency)
// `vite build --mode standalone` -> dist/cdn/signicat-verify.js: the script-tag build, Lit inside,
//                                    camera and image code in lazily loaded chunks beside it
// `vite build --mode demo`       -> dist/demo/: the demo site served by `npm start` at /
export default defineConfig(({ mode }): UserConfig => {
  if (mode === 'demo') {
    return {
      base: '/',
      build: {
        target: 'es2022',
        outDir: 'dist/demo',
        emptyOutDir: true,
        rolldownOptions: {
          input: { index: 'demo/index.html', standalone: 'demo/standalone.html', 'provider-sdk': 'demo/provider-sdk.html' },
        },
      },
    };
  }
  if (mode === 'standalone') {
    return {
      build: {
        target: 'es2022',
        outDir: 'dist/cdn',
        emptyOutDir: true,
        sourcemap: true,
        rolldownOptions: {
          input: 'component/bundle.ts',
          preserveEntrySignatures: 'strict',
          output: { format: 'es', entryFileNames: 'signicat-verify.js', chunkFileNames: 'chunks/[name]-[hash].js' },
        },
      },
    };
  }
  return {
    build: {
      target: 'es2022',
      outDir: 'dist/npm',
      emptyOutDir: true,
      sourcemap: true,
      minify: false, // the consumer's bundler minifies
      lib: { entry: { index: 'component/index.ts', define: 'component/define.ts' }, formats: ['es'] },
      rolldownOptions: { external: LIT },
    },
  };
});
