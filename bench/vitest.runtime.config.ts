import { defineConfig } from 'vitest/config';

/** `npm run bench:runtime` and `bench:python`: the runtime benchmarks, through vitest only so they can import the TypeScript harness. Not tests. */
export default defineConfig({
  test: {
    include: ['bench/runtime.ts', 'bench/python-runtime.ts'],
    testTimeout: 0,
    hookTimeout: 0,
    // The figures go straight to the terminal, not through vitest's per-test console capture.
    disableConsoleIntercept: true,
  },
});
