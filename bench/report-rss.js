// Preloaded (`node --import`) into a measured process: writes its peak RSS in bytes and its CPU time
// (user + system, every thread: GC and compiler threads included) in microseconds to $BENCH_RSS_FILE at exit.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  const usage = process.resourceUsage();
  writeFileSync(process.env.BENCH_RSS_FILE, JSON.stringify({ maxRssBytes: usage.maxRSS * 1024, cpuMicros: usage.userCPUTime + usage.systemCPUTime }));
});
