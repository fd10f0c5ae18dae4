// `npm run bench`: load + validate + lint of synthetic systems, and CLI start-up.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticSystem } from './synthetic.js';
import { fileURLToPath } from 'node:url';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const sizes = [100, 1000, 10000];
const rows = [];
for (const size of sizes) {
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(JSON.parse(execFileSync(process.execPath, [here('./load-lint.js'), String(size)], { encoding: 'utf8' })));
  runs.sort((a, b) => a.totalMs - b.totalMs);
  rows.push(runs[1]); // the median of three
}

console.log('load + validate + lint (median of 3 runs, each in a fresh process)');
console.log('services   lines    load ms   lint ms   total ms   peak RSS MB   findings');
for (const r of rows) {
  console.log(
    `${String(r.services).padStart(8)} ${String(r.lines).padStart(8)} ${r.loadMs.toFixed(0).padStart(9)} ${r.lintMs.toFixed(0).padStart(9)} ${r.totalMs.toFixed(0).padStart(10)} ${r.peakRssMb.toFixed(0).padStart(13)} ${String(r.findings).padStart(10)}`,
  );
}
const [small, , large] = rows;
console.log(`growth 100 -> 10,000 services: time x${(large.totalMs / small.totalMs).toFixed(0)} for x100 services`);

// generate on the 1,000-service system: a first run into an empty folder, then a run with nothing to change.
const dir = mkdtempSync(join(tmpdir(), 'taskflow-bench-'));
try {
  const file = join(dir, 'system.yaml');
  writeFileSync(file, syntheticSystem(1000));
  console.log('\ngenerate, 1,000 services (each run in a fresh process)');
  console.log('run              wall ms   files written   peak RSS MB');
  for (const label of ['first', 'no change']) {
    const r = JSON.parse(execFileSync(process.execPath, [here('./generate-once.js'), file, label], { encoding: 'utf8' }));
    if (r.code !== 0) throw new Error(`generate exited ${r.code}`);
    console.log(`${label.padEnd(14)} ${r.ms.toFixed(0).padStart(9)} ${String(r.written).padStart(15)} ${r.peakRssMb.toFixed(0).padStart(13)}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
console.log('');

// Start-up is dominated by Node itself on small machines, so print both.
function startup(args) {
  const times = [];
  for (let i = 0; i < 11; i++) {
    const start = performance.now();
    execFileSync(process.execPath, args, { stdio: 'ignore' });
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return `median ${times[5].toFixed(0)} ms, best ${times[0].toFixed(0)} ms`;
}
console.log(`CLI start-up, taskflow-gen --help (11 runs): ${startup([here('../bin/taskflow-gen.js'), '--help'])}`);
console.log(`Node.js alone, node -e '' (11 runs):          ${startup(['-e', ''])}`);
