import { defineConfig } from 'vite';

// `vite build --config vite.config.ssr.ts` -> dist/ssr/: the npm entries with Lit's Node build inlined
// (its DOM shim included). package.json points the `node` + `browser` conditions here: a runtime
// without a DOM that still resolves the `browser` condition (Node with `--conditions=browser`, some
// server bundlers) would otherwise load Lit's browser build, which extends `HTMLElement` at load
// time and throws. Plain Node resolves Lit's Node build by itself and keeps using dist/npm.
export default defineConfig({
  ssr: { noExternal: true, resolve: { conditions: ['node'], externalConditions: ['node'] } },
  build: {
    ssr: true,
    target: 'node20',
    outDir: 'dist/ssr',
    emptyOutDir: true,
    minify: false,
    rolldownOptions: {
      input: {
        index: 'component/index.ts',
        define: 'component/define.ts',
        bundle: 'component/bundle.ts',
      },
      output: { format: 'es' },
    },
  },
});
