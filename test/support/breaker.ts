import { expect } from 'vitest';
import type { RunningSystem } from './running-system.js';
import type { Answer } from './shop.js';

/** How a product outage went for order's circuit breaker. */
export interface Outage {
  /** From the call that opened the circuit to the first order accepted again. */
  readonly recoveredAfterMs: number;
  /** The trial window recovery came in: 1 when the first trial (resetMs after opening) closed the circuit. */
  readonly trialWindows: number;
  /** Orders the client placed during the scenario (the gateway's rate limit counts each one). */
  readonly orders: number;
  /** Answer times, through the gateway, of the orders refused while the circuit was open. */
  readonly openMs: readonly number[];
}

/**
 * examples/ecommerce with product down and back, seen through order's circuit
 * breaker on product (5 failures, `resetMs`): 503 within the call's budget,
 * the circuit opening, answers in under 50 ms while open, and orders accepted
 * again at the first trial once product is back.
 *
 * The client waits for the breaker's trial window instead of polling through
 * it, then asks twice a second: it stays far below the gateway's per-client
 * rate limit (100 a minute in the example), whose 429 would otherwise hide the
 * recovery until the limit's window ends. Gives up after two trial windows.
 */
export async function productOutage(system: RunningSystem, placeOrder: () => Promise<Answer>, resetMs: number): Promise<Outage> {
  let orders = 0;
  const order = async (): Promise<Answer> => {
    orders++;
    const answer = await placeOrder();
    if (answer.status === 429) throw new Error(`the gateway's rate limit answered order ${orders} of the scenario: ${JSON.stringify(answer.body)}`);
    return answer;
  };
  // SIGTERM: product drains and closes its connections, then exits cleanly.
  expect(await system.stop('product')).toEqual({ code: 0, signal: null });
  const first = await order();
  expect(first.status).toBe(503);
  expect(first.ms).toBeLessThan(1500 + 500); // the product call's timeout budget, plus the rest of the request
  expect(first.body.message).toMatch(/^product is unavailable/);
  // Four more consecutive failures open the circuit (the default breaker: 5).
  for (let i = 0; i < 4; i++) expect((await order()).body.message).toMatch(/^product is unavailable/);
  const openedAt = performance.now();
  // Open: order refuses at once, without calling product (cockatiel's BrokenCircuitError).
  const fast: number[] = [];
  for (let i = 0; i < 5; i++) {
    const open = await order();
    expect(open.status).toBe(503);
    expect(open.body.message).toMatch(/circuit breaker is open/);
    fast.push(open.ms);
  }
  await system.start('product');
  // No trial before resetMs: wait for the window, then the first order is the trial.
  await sleep(openedAt + resetMs - performance.now());
  const deadline = openedAt + 2 * resetMs + 1000;
  for (;;) {
    const answer = await order();
    if (answer.status === 201) {
      const recoveredAfterMs = performance.now() - openedAt;
      return { recoveredAfterMs, trialWindows: Math.floor(recoveredAfterMs / resetMs), orders, openMs: fast };
    }
    expect(answer.status, JSON.stringify(answer.body)).toBe(503);
    if (performance.now() > deadline) {
      throw new Error(
        `orders not accepted again within two trial windows (${2 * resetMs} ms) after product came back;\norder's last log lines:\n${system.logs('order').split('\n').slice(-6).join('\n')}`,
      );
    }
    await sleep(500);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
