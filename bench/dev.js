// `npm run bench:dev`: seconds from `taskflow-gen dev` to the gateway's first 200 for ecommerce, and where the time goes.
// Runs: (1) a cold npm cache: the example copied as `init --example` does, then dev (install from the registry, build,
// new PGlite databases); (2) the same with npm's cache warm; (3) three runs with everything installed and built.
// Each run ends with SIGTERM once the gateway answered. RabbitMQ: the machine's, on 5672.
import { spawn, execFileSync } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../bin/taskflow-gen.js', import.meta.url));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function freePort() {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function token(secret) {
  const part = (v) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ sub: 'bench', iat: now, exp: now + 600 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** `init --example ecommerce` into a new folder, with a unique name and a free gateway port. */
async function newShop() {
  const parent = mkdtempSync(join(tmpdir(), 'tf-bench-dev-'));
  const dir = join(parent, 'shop');
  const started = performance.now();
  execFileSync(process.execPath, [cli, 'init', dir, '--example', 'ecommerce'], { stdio: 'ignore' });
  const initSeconds = (performance.now() - started) / 1000;
  const port = await freePort();
  const file = join(dir, 'system.yaml');
  const name = `bench${randomBytes(3).toString('hex')}`;
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^name: .*$/m, `name: ${name}`).replace(/^(\s+port:\s*)8080\b/m, `$1${port}`));
  return { parent, dir, port, initSeconds };
}

/** Starts dev, polls the gateway until a 200, stops dev; the seconds to that 200 and dev's own timings. */
async function measure(shop, env = {}) {
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'dev', '--dashboard-port', '0'], { cwd: shop.dir, env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const secretFile = join(shop.dir, '.taskflow', 'dev', 'jwt-secret');
  let seconds;
  while (seconds === undefined) {
    if (child.exitCode !== null) throw new Error(`dev exited ${child.exitCode}:\n${output}`);
    if (performance.now() - started > 600_000) throw new Error(`no 200 from the gateway within 600 s:\n${output}`);
    if (existsSync(secretFile)) {
      try {
        const response = await fetch(`http://127.0.0.1:${shop.port}/user/users`, { headers: { authorization: `Bearer ${token(readFileSync(secretFile, 'utf8').trim())}` } });
        if (response.status === 200) seconds = (performance.now() - started) / 1000;
      } catch {
        // not listening yet
      }
    }
    await sleep(20);
  }
  // dev writes its timings once it has printed the summary, just after the gateway's /ready.
  for (let i = 0; i < 100 && !output.includes(' is ready in '); i++) await sleep(50);
  child.kill('SIGTERM');
  await exited;
  return { seconds, timings: JSON.parse(readFileSync(join(shop.dir, '.taskflow', 'dev', 'timings.json'), 'utf8')) };
}

/** From each process's log: when it printed its first line and when it listened, relative to dev's start. */
function processTimes(shop, timings) {
  const rows = [];
  for (const key of Object.keys(timings).filter((k) => k.startsWith('pid:'))) {
    const name = key.slice(4);
    const pid = timings[key];
    const lines = readFileSync(join(shop.dir, '.taskflow', 'dev', 'logs', `${name}.log`), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l))
      .filter((r) => r.pid === pid);
    const at = (record) => (record ? record.time - timings.began : NaN);
    rows.push({ name, spawn: timings[`spawn:${name}`], first: at(lines[0]), listening: at(lines.find((r) => /listening/i.test(r.msg ?? ''))), ready: timings[`ready:${name}`] });
  }
  return rows;
}

const s = (ms) => (ms / 1000).toFixed(2).padStart(6);

function report(label, shop, result) {
  const t = result.timings;
  console.log(`\n${label}: first 200 from the gateway after ${result.seconds.toFixed(1)} s${result.first ? ` (after init, which took ${shop.initSeconds.toFixed(1)} s: ${(shop.initSeconds + result.seconds).toFixed(1)} s in all)` : ''}`);
  console.log(`  before any process: ${s(Math.min(...Object.keys(t).filter((k) => k.startsWith('spawn:')).map((k) => t[k])))} s  (install ${s(t.install ?? 0)} s, build ${s(t.build ?? 0)} s, broker ${s(t.broker ?? 0)} s, databases ${s(t.databases ?? 0)} s)`);
  console.log('  process     spawned   1st log line   listening   /ready 200   (seconds since dev started)');
  for (const r of processTimes(shop, t)) console.log(`  ${r.name.padEnd(10)} ${s(r.spawn)}   ${s(r.first)}         ${s(r.listening)}      ${s(r.ready)}`);
}

const cold = await newShop();
const coldCache = mkdtempSync(join(tmpdir(), 'tf-bench-npm-cache-'));
try {
  report('init + dev, cold npm cache (install from the registry, build, new databases)', cold, { ...(await measure(cold, { npm_config_cache: coldCache })), first: true });
} finally {
  rmSync(coldCache, { recursive: true, force: true });
  rmSync(cold.parent, { recursive: true, force: true });
}

const shop = await newShop();
try {
  report('init + dev, warm npm cache', shop, { ...(await measure(shop)), first: true });
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await measure(shop));
  runs.sort((a, b) => a.seconds - b.seconds);
  console.log(`\ninstalled and built, 3 runs: ${runs.map((r) => `${r.seconds.toFixed(1)} s`).join(', ')} (median ${runs[1].seconds.toFixed(1)} s; target < 20 s)`);
  report('the median run', shop, runs[1]);
} finally {
  rmSync(shop.parent, { recursive: true, force: true });
}
