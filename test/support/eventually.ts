/**
 * Polls `probe` every 100 ms until it gives a value (anything but undefined
 * or false), at most `ms`; fails naming `what` otherwise. For effects that
 * arrive asynchronously, such as events being applied.
 */
export async function eventually<T>(what: string, probe: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not within ${ms} ms: ${what}`);
}
