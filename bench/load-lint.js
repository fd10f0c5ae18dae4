// One measurement in a fresh process, so peak memory belongs to this size only.
import { loadSystem } from '../dist/load.js';
import { lint } from '../dist/lint/lint.js';
import { syntheticSystem } from './synthetic.js';

const count = Number(process.argv[2]);
const text = syntheticSystem(count);
const before = process.memoryUsage().rss;
const start = performance.now();
const loaded = loadSystem(text, 'system.yaml');
if (!loaded.ok) throw new Error(`synthetic system is invalid: ${loaded.diagnostics[0].message}`);
const loadedAt = performance.now();
const result = lint(loaded.model);
const end = performance.now();
console.log(
  JSON.stringify({
    services: count,
    lines: text.split('\n').length,
    loadMs: loadedAt - start,
    lintMs: end - loadedAt,
    totalMs: end - start,
    rssBeforeMb: before / 2 ** 20,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    findings: result.findings.length,
  }),
);
