import { defineConfig } from 'vitest/config';
import SummaryReporter from './test/summary-reporter';

// End-to-end: the real engine + server in-process, the built renderer, Debian's headless Chromium
// through playwright-core. One fork: the machine is small and the tests share nothing but the build.
// The browser benchmark (*.perf.test.ts) runs only when asked: PERF=1 npx vitest run --config vitest.e2e.config.ts
const perf = process.env.PERF === '1';

export default defineConfig({
  test: {
    include: perf ? ['test/e2e/**/*.perf.test.ts'] : ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    reporters: ['default', new SummaryReporter(perf ? 'perf' : 'e2e')],
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: perf ? 300_000 : 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
  },
});
