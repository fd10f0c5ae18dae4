// `npm run bench`: load + validate + lint of synthetic systems, and CLI start-up.
import { execFileSync } from 'node:child_process';
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

const bin = here('../bin/taskflow-gen.js');
const times = [];
for (let i = 0; i < 10; i++) {
  const start = performance.now();
  execFileSync(process.execPath, [bin, '--help'], { stdio: 'ignore' });
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
console.log(`CLI start-up (taskflow-gen --help, 10 runs): median ${times[5].toFixed(0)} ms, best ${times[0].toFixed(0)} ms`);
