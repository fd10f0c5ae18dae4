// `npm run bench`: lint of synthetic systems (end to end, and per stage and rule), generate, and CLI start-up.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintBenchSystem, syntheticSystem } from './synthetic.js';
import { fileURLToPath } from 'node:url';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const sizes = [100, 1000, 10000];
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// `lint --format json` end to end, as a user runs it: process start to exit, CPU time (user + system, all threads)
// and peak RSS of that process.
const lintDir = mkdtempSync(join(tmpdir(), 'taskflow-bench-lint-'));
const rows = [];
try {
  for (const size of sizes) {
    const file = join(lintDir, `system-${size}.yaml`);
    writeFileSync(file, lintBenchSystem(size));
    const rssFile = join(lintDir, 'rss');
    const runs = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      const run = spawnSync(process.execPath, ['--import', here('./report-rss.js'), here('../bin/taskflow-gen.js'), 'lint', file, '--format', 'json', '--output', join(lintDir, 'out.json')], {
        env: { ...process.env, BENCH_RSS_FILE: rssFile },
      });
      const ms = performance.now() - start;
      if (run.status !== 0 && run.status !== 1) throw new Error(`lint exited ${run.status}: ${run.stderr}`);
      const usage = JSON.parse(readFileSync(rssFile, 'utf8'));
      runs.push({ ms, rssMb: usage.maxRssBytes / 2 ** 20, cpuMs: usage.cpuMicros / 1000 });
    }
    const report = JSON.parse(readFileSync(join(lintDir, 'out.json'), 'utf8'));
    const inside = [];
    for (let i = 0; i < 3; i++) inside.push(JSON.parse(execFileSync(process.execPath, [here('./load-lint.js'), file], { encoding: 'utf8' })));
    const stage = (name) => median(inside.map((r) => r.stages[name]));
    const rule = (id) => median(inside.map((r) => r.ruleMs[id]));
    rows.push({
      size,
      lines: lintBenchSystem(size).split('\n').length - 1,
      wallMs: median(runs.map((r) => r.ms)),
      rssMb: median(runs.map((r) => r.rssMb)),
      cpuMs: median(runs.map((r) => r.cpuMs)),
      findings: report.findings.length,
      stages: Object.fromEntries(Object.keys(inside[0].stages).map((name) => [name, stage(name)])),
      rules: Object.fromEntries(Object.keys(inside[0].ruleMs).map((id) => [id, rule(id)])),
    });
  }
} finally {
  rmSync(lintDir, { recursive: true, force: true });
}

console.log(`machine: ${availableParallelism()} cores, Node.js ${process.version}, load average ${loadavg()[0].toFixed(1)} when the lint runs ended`);
console.log('lint --format json, end to end (process start to exit, median of 5 runs)');
console.log('services   YAML lines   wall ms   CPU ms   peak RSS MB   findings');
for (const r of rows) {
  console.log(`${String(r.size).padStart(8)} ${String(r.lines).padStart(12)} ${r.wallMs.toFixed(0).padStart(9)} ${r.cpuMs.toFixed(0).padStart(8)} ${r.rssMb.toFixed(0).padStart(13)} ${String(r.findings).padStart(10)}`);
}
const column = (label, values) => console.log(`${label.padEnd(26)}${values.map((v) => v.toFixed(1).padStart(10)).join('')}`);
console.log('\nin process, ms (median of 3 fresh processes)');
console.log(`${'stage / rule'.padEnd(26)}${rows.map((r) => String(r.size).padStart(10)).join('')}`);
for (const name of Object.keys(rows[0].stages)) column(name, rows.map((r) => r.stages[name]));
for (const id of Object.keys(rows[0].rules)) column(`  ${id}`, rows.map((r) => r.rules[id]));
console.log('');

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
