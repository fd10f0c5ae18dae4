import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The nearest-rank percentile `p` (0-100) of `values`. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));

/** CPU time (user + system) a process has used so far, in seconds; undefined when it cannot be read (not Linux, process gone). */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are fields 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

export const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
export const int = (value: number): string => Math.round(value).toLocaleString('en-US');
export const verdict = (met: boolean): string => (met ? 'met' : 'MISSED');

/** Share (0-1) of the machine's CPU time spent busy over the next `seconds`, from /proc/stat; undefined where it cannot be read. */
export async function machineBusy(seconds: number): Promise<number | undefined> {
  const sample = (): { busy: number; total: number } | undefined => {
    try {
      // cpu  user nice system idle iowait irq softirq steal ...
      const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1, 9).map(Number);
      const total = fields.reduce((sum, value) => sum + value, 0);
      return { busy: total - fields[3]! - fields[4]!, total };
    } catch {
      return undefined;
    }
  };
  const before = sample();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const after = sample();
  return before && after ? (after.busy - before.busy) / (after.total - before.total) : undefined;
}
