import { defineConfig } from 'vitest/config';

/** `npm run bench:runtime`: the runtime benchmark, through vitest only so it can import the TypeScript harness. Not a test. */
export default defineConfig({
  test: {
    include: ['bench/runtime.ts'],
    testTimeout: 0,
    hookTimeout: 0,
    // The figures go straight to the terminal, not through vitest's per-test console capture.
    disableConsoleIntercept: true,
  },
});
