import { defineConfig } from 'vitest/config';

/** `npm run bench:breaker`: the breaker scenario in a loop, through vitest only so it can import the TypeScript harness. Not part of `npm test`. */
export default defineConfig({
  test: {
    include: ['bench/breaker-loop.ts'],
    testTimeout: 0,
    hookTimeout: 0,
    disableConsoleIntercept: true,
  },
});
