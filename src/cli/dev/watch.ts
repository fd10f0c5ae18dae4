import { watch, type FSWatcher } from 'node:fs';
import { join } from 'node:path';
import type { DevProcess } from '../../dev/plan.js';

const debounceMs = 300;

/**
 * Calls `changed` for a process when files of its folder change (Node.js:
 * `src/`; Python: `app/`), once per burst of changes (debounced), never two
 * at once for the same process: changes during a rebuild bring one more.
 * Returns the function that stops watching.
 */
export function watchFolders(root: string, processes: readonly DevProcess[], changed: (p: DevProcess) => Promise<void>): () => void {
  const watchers: FSWatcher[] = [];
  const timers = new Map<string, NodeJS.Timeout>();
  for (const p of processes) {
    let busy = false;
    let again = false;
    const fire = async (): Promise<void> => {
      if (busy) return void (again = true);
      busy = true;
      try {
        await changed(p);
      } finally {
        busy = false;
        if (again) {
          again = false;
          void fire();
        }
      }
    };
    const dir = join(root, p.dir, p.runtime === 'node' ? 'src' : 'app');
    try {
      watchers.push(
        watch(dir, { recursive: true }, () => {
          clearTimeout(timers.get(p.name));
          timers.set(p.name, setTimeout(() => void fire(), debounceMs));
        }),
      );
    } catch {
      // A folder that does not exist has nothing to watch.
    }
  }
  return () => {
    for (const w of watchers) w.close();
    for (const t of timers.values()) clearTimeout(t);
  };
}
