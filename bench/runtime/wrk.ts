import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Load {
  readonly requests: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Socket errors, timeouts and answers other than 2xx/3xx: a figure with any of them is not a fair one. */
  readonly failures: number;
}

// wrk's own summary as one JSON line (latencies in microseconds).
const report = `done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('\\nwrk-json {"requests":%d,"us":%d,"failures":%d,"p50":%d,"p99":%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout + e.status,
    latency:percentile(50), latency:percentile(99)))
end
`;

/**
 * GET `url` with wrk (C, one thread, epoll): a closed loop of `connections`
 * keep-alive connections for `seconds`. wrk rather than a Node.js load
 * generator because it needs far less CPU per request, and here it shares
 * the machine's cores with the processes it measures.
 */
export async function wrk(url: string, options: { connections: number; seconds: number; headers: Readonly<Record<string, string>> }): Promise<Load> {
  const dir = mkdtempSync(join(tmpdir(), 'tf-bench-wrk-'));
  try {
    const script = join(dir, 'report.lua');
    writeFileSync(script, report);
    const headers = Object.entries(options.headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
    const args = ['-t1', `-c${options.connections}`, `-d${options.seconds}s`, '--timeout', '5s', '-s', script, ...headers, url];
    const { stdout } = await run('wrk', args).catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new Error('wrk is not installed (Debian: apt-get install wrk)') : error;
    });
    const line = stdout.split('\n').find((l) => l.startsWith('wrk-json '));
    if (!line) throw new Error(`wrk printed no summary:\n${stdout}`);
    const r = JSON.parse(line.slice('wrk-json '.length)) as { requests: number; us: number; failures: number; p50: number; p99: number };
    return { requests: r.requests, perSecond: r.requests / (r.us / 1e6), p50Ms: r.p50 / 1000, p99Ms: r.p99 / 1000, failures: r.failures };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
