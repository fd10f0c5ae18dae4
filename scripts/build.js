// `npm run build`: dist/ afresh from src/ (tsc), then the precompiled schema validator, then a digest of what it was
// built from. `--if-stale` (npm's `prepare`) builds only when that digest no longer matches: `npx taskflow-gen` run in
// a checkout links the checkout into npx's cache and runs `prepare` again, which would otherwise delete and rebuild a
// dist/ that `npm install` had just built, under any CLI already running from it.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const dist = join(root, 'dist');
const stamp = join(dist, '.sources-digest');
/** Besides src/: what decides the output (the lockfile pins the compiler and ajv, which writes the validator). */
const inputs = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'schema/system.schema.json', 'scripts/build.js', 'scripts/build-validator.js'];

function sourcesDigest() {
  const hash = createHash('sha256');
  const add = (path) => hash.update(`${relative(root, path)}\0`).update(existsSync(path) ? readFileSync(path) : '(absent)').update('\0');
  const visit = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else add(path);
    }
  };
  visit(join(root, 'src'));
  for (const input of inputs) add(join(root, input));
  return hash.digest('hex');
}

const digest = sourcesDigest();
if (process.argv.includes('--if-stale') && existsSync(stamp) && readFileSync(stamp, 'utf8') === digest) process.exit(0);

rmSync(dist, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const run = (script, ...args) => execFileSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });
try {
  run(tsc, '-p', 'tsconfig.build.json');
  run(join(root, 'scripts', 'build-validator.js'));
} catch {
  // tsc and the validator have said what went wrong.
  process.exit(1);
}
writeFileSync(stamp, digest);
