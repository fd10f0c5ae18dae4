import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Builds dist/ once, so the end-to-end tests run the CLI a user would get from this checkout. */
export function setup(): void {
  const root = fileURLToPath(new URL('../', import.meta.url));
  execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
}
