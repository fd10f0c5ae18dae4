/**
 * Sends `name` to `target` (a pid, or a group as minus its id); signal 0 only
 * asks whether it exists. True when it exists, even if it is not ours to signal.
 */
export function signal(target: number, name: NodeJS.Signals | 0): boolean {
  try {
    process.kill(target, name);
    return true;
  } catch (error) {
    // EPERM: it exists, but is not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether process `pid` exists. */
export function alive(pid: number): boolean {
  return signal(pid, 0);
}
