// `npm run bench:breaker [-- runs]`: the circuit breaker scenario of the
// ecommerce e2e test (product down, circuit open, product back, orders
// accepted again) run again and again against one running system, stopping at
// the first failure. Prints each run and how many passed in a row. It runs
// through vitest only to import the TypeScript harness of the e2e tests.
import { randomUUID } from 'node:crypto';
import { test } from 'vitest';
import { productOutage } from '../test/support/breaker.js';
import { prepareSystem, startSystem } from '../test/support/running-system.js';
import { placeOrder, seed, Shop } from '../test/support/shop.js';

const runs = Number(process.env['BREAKER_RUNS'] ?? 30);

test(`circuit breaker scenario, ${runs} times in a row`, async () => {
  const prepared = await prepareSystem('ecommerce', 'rabbitmq');
  const system = await startSystem(prepared, 'postgres');
  let passed = 0;
  try {
    const shop = new Shop(system);
    const catalogue = await seed(shop, 1_000_000);
    for (let run = 1; run <= runs; run++) {
      // A new client each run, so no run inherits another's rate-limit count.
      const client = shop.as(`breaker-${randomUUID()}`);
      const outage = await productOutage(system, () => placeOrder(client, catalogue, 1), 10_000);
      if (outage.trialWindows > 2) throw new Error(`run ${run} needed ${outage.trialWindows} trial windows`);
      passed++;
      const open = outage.openMs.map((ms) => ms.toFixed(0)).join(', ');
      console.log(
        `run ${run}: orders accepted again ${(outage.recoveredAfterMs / 1000).toFixed(2)} s after the circuit opened (trial window ${outage.trialWindows}), ${outage.orders} orders; refused while open in ${open} ms`,
      );
    }
  } finally {
    console.log(`${passed} of ${runs} runs passed in a row`);
    await system.close();
  }
});
