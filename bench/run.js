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
