/**
 * When a crashed process is started again: exponential backoff from
 * `initialMs`, doubling per crash up to `maxMs`. A process that stayed up for
 * `stableMs` has recovered and starts the count again; `maxCrashes` crashes in
 * a row (each before `stableMs`) is a crash loop, and dev gives up on it.
 */
export interface RestartPolicy {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly stableMs: number;
  readonly maxCrashes: number;
}

export const defaultRestartPolicy: RestartPolicy = { initialMs: 500, maxMs: 8_000, stableMs: 30_000, maxCrashes: 5 };

/** Crashes in a row after this one, given how long the process ran before it crashed. */
export function crashesInARow(previous: number, uptimeMs: number, policy: RestartPolicy): number {
  return uptimeMs >= policy.stableMs ? 1 : previous + 1;
}

/** Milliseconds to wait before the next start, or undefined to give up. */
export function restartDelay(crashes: number, policy: RestartPolicy): number | undefined {
  if (crashes >= policy.maxCrashes) return undefined;
  return Math.min(policy.maxMs, policy.initialMs * 2 ** (crashes - 1));
}
