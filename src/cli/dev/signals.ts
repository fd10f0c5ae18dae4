/**
 * Ctrl-C, SIGTERM and SIGHUP (its terminal closed) for dev: the first asks for
 * a graceful stop, the second forces it. The children lead process groups of
 * their own, so only dev can stop them: it must never just die of a signal.
 */
export interface Signals {
  /** Resolves at the first SIGINT or SIGTERM. */
  readonly requested: Promise<void>;
  /** Resolves at the second: stop at once. */
  readonly forced: Promise<void>;
  dispose(code: number): number;
}

export function signals(): Signals {
  let request!: () => void;
  let force!: () => void;
  const requested = new Promise<void>((r) => (request = r));
  const forced = new Promise<void>((r) => (force = r));
  let count = 0;
  const handler = (): void => {
    count += 1;
    if (count === 1) request();
    else force();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  process.on('SIGHUP', handler);
  return {
    requested,
    forced,
    dispose(code) {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
      process.off('SIGHUP', handler);
      // Handles left open by a library (a broker socket closing, a fetch in flight) must not keep dev alive.
      setTimeout(() => process.exit(code), 200).unref();
      return code;
    },
  };
}
