import { defineConfig } from 'vitest/config';

// End-to-end: the real engine + server in-process, the built renderer, Debian's headless Chromium
// through playwright-core. One fork: the machine is small and the tests share nothing but the build.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    poolOptions: { forks: { singleFork: true } },
    fileParallelism: false,
  },
});
