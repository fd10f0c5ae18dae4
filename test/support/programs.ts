import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { repoRoot } from './cli.js';

/**
 * The system programs tests run, found the way a shell would, or a failure
 * that names the program and how to get it. The list and each program's
 * Debian package are the `requirements` of scripts/prerequisites.sh, which
 * `npm test` runs first (its pretest step) to install what is missing.
 */

const script = readFileSync(join(repoRoot, 'scripts', 'prerequisites.sh'), 'utf8');
const requirements = /^requirements=\(\n([^]*?)^\)$/m.exec(script)?.[1] ?? '';
const packages = new Map(
  [...requirements.matchAll(/^\s*"(\S+)\s+(\S+)/gm)].map(([, path, pkg]) => [path!.replace(/^.*\//, ''), { path: path!, pkg: pkg! }] as const),
);

const howToGet = (what: string): string =>
  `\`npm test\` installs it (scripts/prerequisites.sh, its pretest step); or run \`bash scripts/prerequisites.sh\` yourself${what}`;

/** The absolute path of `name` (one of the requirements of scripts/prerequisites.sh), or an error naming its Debian package. */
export function program(name: string): string {
  const entry = packages.get(name);
  if (!entry) throw new Error(`${name} is not listed in the requirements of scripts/prerequisites.sh: add it there with its Debian package`);
  const found = isAbsolute(entry.path) ? (executable(entry.path) ? entry.path : undefined) : onPath(name);
  if (found) return found;
  throw new Error(`${name} is not installed, and this test runs it. ${howToGet(`, or: apt-get install ${entry.pkg}`)}.`);
}

/** kubectl: the one scripts/prerequisites.sh takes out of its npm package, else one on PATH. */
export function kubectl(): string {
  const fetched = join(repoRoot, 'node_modules', '.cache', 'taskflow-gen', 'kubectl');
  const found = executable(fetched) ? fetched : onPath('kubectl');
  if (found) return found;
  throw new Error(`kubectl is not installed, and this test runs \`kubectl kustomize\`. ${howToGet(' (it fetches kubectl from the npm registry)')}.`);
}

function onPath(name: string): string | undefined {
  const dirs = (process.env['PATH'] ?? '').split(delimiter).filter(Boolean);
  return dirs.map((dir) => join(dir, name)).find(executable);
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
