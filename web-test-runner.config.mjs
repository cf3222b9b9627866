// @ts-check
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { chromeLauncher, defaultReporter } from '@web/test-runner';
import { summaryLineReporter } from './test/wtr-summary-reporter.mjs';
import { chromiumArgs, chromiumPath } from './test/chromium-path.mjs';

// A synthetic ID-card clip the fake camera plays; made by `npm run fixtures`.
const FAKE_VIDEO = fileURLToPath(new URL('./test/fixtures/id-card.y4m', import.meta.url));

/** @type {import('@web/test-runner').TestRunnerConfig} */
export default {
  files: ['test/component/**/*.test.ts'],
  nodeResolve: true,
  concurrency: 1, // two cores: one page at a time is steadier
  testFramework: { config: { timeout: 10000 } },
  plugins: [
    esbuildPlugin({
      ts: true,
      target: 'es2022', // 'auto' leaves decorators untransformed
      tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)), // esbuild does not read it by itself
    }),
  ],
  browsers: [
    chromeLauncher({
      launchOptions: {
        executablePath: chromiumPath(),
        headless: true,
        args: chromiumArgs({ fakeVideo: existsSync(FAKE_VIDEO) ? FAKE_VIDEO : undefined }),
      },
    }),
  ],
  reporters: [defaultReporter(), summaryLineReporter()],
};
