import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './support/cli.js';
import { program } from './support/programs.js';
import { ensureRabbitMq } from './support/services.js';

/**
 * The README's quick start, as a new user runs it in a clean clone (the CI's
 * own checkout after `npm ci`): `npx taskflow-gen init shop --example
 * ecommerce && cd shop && npx taskflow-gen dev`, then the curl dev printed.
 * `npx` has to find taskflow-gen twice: in the clone (the project itself) and
 * in shop/, a folder with a package.json of its own and no taskflow-gen
 * dependency, through the link init leaves in its node_modules/.bin. Nothing
 * is installed globally and the registry has no taskflow-gen (a lookup there
 * fails): only those two ways can work.
 */

const readmeLine = 'npx taskflow-gen init shop --example ecommerce && cd shop && npx taskflow-gen dev';

function processesIn(dir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readlinkSync(`/proc/${pid}/cwd`).startsWith(dir)) found.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ')}`);
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

describe('the README quick start, with npx', () => {
  const parent = mkdtempSync(join(tmpdir(), 'tf-quickstart-'));
  const shop = join(parent, 'shop');
  // The machine's RabbitMQ, in a virtual host of this run's own: the example's name (ecommerce) is shared by every quick start.
  const vhost = `tf-quickstart-${randomBytes(3).toString('hex')}`;
  const rabbitmqctl = (...args: string[]): string => execFileSync(program('rabbitmqctl'), args, { encoding: 'utf8' });
  afterAll(() => {
    spawnSync(program('rabbitmqctl'), ['delete_vhost', vhost]);
    if (processesIn(parent).length === 0) rmSync(parent, { recursive: true, force: true });
  });

  it('is the one line of the README, and from this checkout it answers through the gateway with the printed token and curl', async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    expect(/^Quick start:[^]*?```sh\n(.+)\n```/m.exec(readme)?.[1]).toBe(readmeLine);
    await ensureRabbitMq();
    rabbitmqctl('add_vhost', vhost);
    rabbitmqctl('set_permissions', '-p', vhost, 'guest', '.*', '.*', '.*');

    // The line as it is, with shop/ in a scratch folder rather than inside this checkout; run from the checkout's root.
    const line = readmeLine.replaceAll(' shop ', ` ${JSON.stringify(shop)} `);
    const child = spawn('sh', ['-c', line], {
      cwd: repoRoot,
      // NO_COLOR and a pipe: plain lines to read. BROKER_URL: the virtual host above (dev's first choice when set).
      env: { ...process.env, NO_COLOR: '1', BROKER_URL: `amqp://guest:guest@127.0.0.1:5672/${vhost}` },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      await expect.poll(() => (child.exitCode === null ? output : `exited ${child.exitCode}: ${output}`), { timeout: 500_000, interval: 500 }).toContain(' is ready in ');
      // init's next steps say the same npx command, and its link is what npx found in shop/ (still there after dev's npm install).
      expect(output).toMatch(/^ {2}npx taskflow-gen dev {12}# run it all here/m);
      expect(realpathSync(join(shop, 'node_modules', '.bin', 'taskflow-gen'))).toBe(realpathSync(join(repoRoot, 'bin', 'taskflow-gen.js')));
      expect(JSON.stringify(JSON.parse(readFileSync(join(shop, 'package.json'), 'utf8')))).not.toContain('taskflow-gen"');
      expect(existsSync(join(shop, 'node_modules', '.package-lock.json'))).toBe(true);

      // The printed curl, pasted as it is.
      const curl = /^\s+try\s+(curl .+)$/m.exec(output)?.[1];
      expect(curl, output).toMatch(/^curl -H 'Authorization: Bearer [\w-]+\.[\w-]+\.[\w-]+' http:\/\/127\.0\.0\.1:\d+\/user\/users$/);
      const tried = spawnSync('sh', ['-c', `${curl} -s -w '\\n%{http_code}'`], { encoding: 'utf8' });
      expect(tried.stdout.trim().split('\n')).toEqual(['[]', '200']);
      // Without the token the gateway refuses: the token is what let the curl in.
      const gateway = /^\s+gateway\s+(\S+)/m.exec(output)![1]!;
      expect((await fetch(`${gateway}/user/users`)).status).toBe(401);
    } finally {
      // Ctrl-C as a terminal sends it: to the whole foreground group (sh, npm exec, dev).
      process.kill(-child.pid!, 'SIGINT');
      await exited;
      // dev, which npm started, may finish stopping after npm has gone.
      await expect.poll(() => output, { timeout: 30_000 }).toContain('✔ stopped; logs in .taskflow/dev/logs');
      await expect.poll(() => processesIn(parent), { timeout: 10_000 }).toEqual([]);
    }
  }, 600_000);
});
