import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Generated systems kept as fixtures carry their own tests, run by those systems.
    exclude: ['**/node_modules/**', 'test/fixtures/**'],
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    // vitest's default: cores - 1 files at once, so one on a 2-core machine. Three at
    // once (`--maxWorkers=3`) takes half the time, but a run with it still finds a test
    // that assumed an idle machine now and then (see "How long it takes" in README.md).
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
