// One `taskflow-gen generate` in a fresh process, through the real CLI entry, so peak memory belongs to this run only.
import { main } from '../dist/cli/main.js';

const [file, label] = process.argv.slice(2);
const lines = [];
const io = { out: (t) => lines.push(t), err: (t) => lines.push(t), outIsTTY: false, errIsTTY: false };
const start = performance.now();
const code = await main(['node', 'taskflow-gen', 'generate', file], io);
const ms = performance.now() - start;
const summary = lines.find((l) => / created, \d+ updated, \d+ deleted/.test(l)) ?? '';
// The up-to-date shortcut prints no counts: it writes nothing.
const [, created, updated, deleted] = summary.match(/(\d+) created, (\d+) updated, (\d+) deleted/) ?? ['', '0', '0', '0'];
console.log(JSON.stringify({ label, code, ms, written: Number(created) + Number(updated) + Number(deleted), peakRssMb: process.resourceUsage().maxRSS / 1024 }));
