// `npm run bench:contracts`: wall time of the generated contract tests of examples/ecommerce,
// one service's suite (order: consumer of user and product, provider for product's and search's
// event pacts, schema tests) and the whole system's (consumers first, then every suite).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = 3;
const dir = mkdtempSync(join(tmpdir(), 'taskflow-bench-contracts-'));

function sh(command, args, cwd) {
  execFileSync(command, args, { cwd, stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 64 * 1024 * 1024 });
}

/** Median and range of `runs` wall times of `npm run <script>` in `cwd`, in seconds. */
function time(script, cwd) {
  const seconds = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    sh('npm', ['run', script, '--silent'], cwd);
    seconds.push((performance.now() - started) / 1000);
  }
  seconds.sort((a, b) => a - b);
  return { median: seconds[Math.floor(runs / 2)], min: seconds[0], max: seconds[runs - 1] };
}

try {
  cpSync(join(root, 'examples', 'ecommerce'), dir, { recursive: true });
  console.log('generating, installing and building examples/ecommerce (not timed)...');
  sh(process.execPath, [join(root, 'bin', 'taskflow-gen.js'), 'generate', join(dir, 'system.yaml')], dir);
  sh('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  sh('npm', ['run', 'build', '--workspaces', '--silent'], dir);
  sh('npm', ['run', 'test:consumer', '--workspaces', '--if-present', '--silent'], dir);

  const one = time('test:contracts', join(dir, 'services', 'order'));
  const all = time('test:contracts', dir);
  const row = (label, t) => `${label.padEnd(48)} ${t.median.toFixed(1).padStart(8)} s   (${t.min.toFixed(1)}-${t.max.toFixed(1)} s)`;
  console.log(`\ncontract tests of ecommerce, wall time, median of ${runs} runs (range)`);
  console.log(row("one service: order's `npm run test:contracts`", one));
  console.log(row('whole system: root `npm run test:contracts`', all));
  console.log(`target: one service under 20 s: ${one.median < 20 ? 'met' : 'missed'}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
