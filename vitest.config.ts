import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Generated systems kept as fixtures carry their own tests, run by those systems.
    exclude: ['**/node_modules/**', 'test/fixtures/**'],
    globalSetup: ['test/global-setup.ts'],
    reporters: ['default', './test/summary-reporter.ts'],
    // An e2e file spends most of its time waiting on what it started (installs,
    // builds, services, brokers, pytest), so one file more than there are cores
    // runs at once: 3 on a 2-core machine (vitest's default, cores - 1, is 1).
    maxWorkers: availableParallelism() + 1,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
