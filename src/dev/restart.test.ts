import { describe, expect, it } from 'vitest';
import { crashesInARow, defaultRestartPolicy as policy, restartDelay } from './restart.js';

describe('restart policy', () => {
  it('backs off exponentially up to the maximum, then gives up after a crash loop', () => {
    const delays = [1, 2, 3, 4, 5].map((n) => restartDelay(n, policy));
    expect(delays).toEqual([500, 1000, 2000, 4000, undefined]);
    expect(restartDelay(4, { ...policy, maxMs: 1500 })).toBe(1500);
  });

  it('counts crashes in a row only while the process keeps crashing soon after starting', () => {
    expect(crashesInARow(3, 1_000, policy)).toBe(4);
    expect(crashesInARow(3, policy.stableMs, policy)).toBe(1);
  });
});
