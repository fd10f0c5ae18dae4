import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const cliPath = fileURLToPath(new URL('../../bin/taskflow-gen.js', import.meta.url));

export interface CliRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the built CLI as a user would, without a terminal and without colour variables. */
export function runCli(args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const env = { ...process.env, ...options.env };
  if (!options.env || !('FORCE_COLOR' in options.env)) delete env['FORCE_COLOR'];
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd: options.cwd ?? repoRoot, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}
