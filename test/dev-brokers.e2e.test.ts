import { execFile, spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { cliPath } from './support/cli.js';
import { exampleCopy, field, namespace, processesIn } from './support/dev.js';

/**
 * `taskflow-gen dev` with no broker running: the installed broker started by
 * dev itself in a network namespace where none answers, and no broker at all.
 */

const run = promisify(execFile);

describe('taskflow-gen dev finds no broker running', () => {
  for (const [broker, program, url] of [
    ['nats', 'nats-server', 'nats://127.0.0.1:4222'],
    ['rabbitmq', 'rabbitmq-server', 'amqp://127.0.0.1:5672'],
  ] as const) {
    it(`starts the installed ${program} itself when nothing listens on its port, and stops it with the rest`, async () => {
      const { dir } = exampleCopy('ecommerce', (yaml) => yaml.replace(/^broker: .*$/m, `broker: ${broker}`));
      const ns = namespace();
      try {
        // Installing needs the registry, which the namespace cannot reach: install outside, as a user would have.
        await run(process.execPath, [cliPath, 'generate', join(dir, 'system.yaml')], { cwd: dir });
        await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, maxBuffer: 64 * 1024 * 1024 });
        const [file, ...args] = ns.exec([process.execPath, cliPath, 'dev', '--dashboard-port', '0']);
        const child = spawn(file!, args, { cwd: dir, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
        let output = '';
        child.stdout.on('data', (d: Buffer) => (output += d.toString()));
        child.stderr.on('data', (d: Buffer) => (output += d.toString()));
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        await expect.poll(() => output, { timeout: 400_000, interval: 500 }).toContain(' is ready in ');
        expect(output).toContain(`broker     ${url} (`);
        expect(output).toMatch(new RegExp(`${program} started by dev on 127\\.0\\.0\\.1:`));
        const gateway = field(output, 'gateway');
        const token = field(output, 'token');
        // From inside the namespace, where the gateway listens.
        const probe = `fetch(${JSON.stringify(`${gateway}/product/products`)}, { headers: { authorization: ${JSON.stringify(`Bearer ${token}`)} } }).then((r) => console.log(r.status))`;
        const [probeFile, ...probeArgs] = ns.exec([process.execPath, '-e', probe]);
        expect((await run(probeFile!, probeArgs)).stdout.trim()).toBe('200');
        // The broker (RabbitMQ: its Erlang VM and its own epmd) runs in the system's folder, started by dev.
        expect(processesIn(dir).some((p) => p.includes(broker === 'nats' ? 'nats-server' : 'beam'))).toBe(true);
        child.kill('SIGTERM');
        expect(await exited).toBe(0);
        expect(output).toContain('stopping the broker dev started');
        expect(processesIn(dir)).toEqual([]);
      } finally {
        ns.remove();
        if (processesIn(dir).length === 0) rmSync(dir, { recursive: true, force: true });
      }
    }, 600_000);
  }

  // The Docker client as this machine has it (installed, no engine), found on PATH like any program.
  const dockerClient = (process.env['PATH'] ?? '').split(':').map((d) => join(d, 'docker')).find((f) => spawnSync('test', ['-x', f]).status === 0);
  for (const [broker, docker] of [
    ['nats', 'no engine'],
    ['rabbitmq', 'silent engine'],
  ] as const) {
    it(`exits 2 within 10 s naming what to install when no ${broker} can be had (Docker: ${docker})`, async () => {
      const { dir } = exampleCopy('ecommerce', (yaml) => yaml.replace(/^broker: .*$/m, `broker: ${broker}`));
      const ns = namespace();
      // An engine that accepts the client's connection and never answers: \`docker info\` would wait for ever.
      const silent = createServer(() => undefined);
      const socket = join(dir, 'silent-docker.sock');
      await new Promise<void>((resolve) => silent.listen(socket, resolve));
      try {
        const program = broker === 'nats' ? 'nats-server' : 'rabbitmq-server';
        // A private mount namespace hides the installed program; PATH has no folder holding it either, only Docker's client.
        const hide = `mount --bind /dev/null /usr/sbin/${program} && exec "$@"`;
        const [file, ...args] = ns.exec(['unshare', '--mount', 'sh', '-c', hide, 'sh', process.execPath, cliPath, 'dev']);
        const env = { ...process.env, PATH: ['/usr/bin', '/bin', ...(dockerClient ? [dirname(dockerClient)] : [])].join(':'), NO_COLOR: '1', ...(docker === 'silent engine' && { DOCKER_HOST: `unix://${socket}` }) };
        const started = Date.now();
        const result = spawnSync(file!, args, { cwd: dir, env, encoding: 'utf8', timeout: 30_000 });
        const seconds = (Date.now() - started) / 1000;
        expect(result.status, result.stderr + result.stdout).toBe(2);
        expect(seconds).toBeLessThan(10);
        expect(result.stderr).toContain(`no ${broker} broker: nothing listens on 127.0.0.1:${broker === 'nats' ? 4222 : 5672}, ${program} is not installed, and `);
        if (!dockerClient) expect(result.stderr).toContain(', and Docker is not installed.');
        else if (docker === 'no engine') expect(result.stderr).toContain(`and the Docker client (${dockerClient}) is installed but no Docker engine answers (Cannot connect to the Docker daemon`);
        else expect(result.stderr).toContain(`and the Docker client (${dockerClient}) is installed but no Docker engine answers (docker info did not answer within 3 s).`);
        expect(result.stderr).toContain(`install ${program} (apt-get install ${program}) so dev can start it`);
        expect(result.stderr).toContain(broker === 'nats' ? 'or give one with BROKER_URL=nats://127.0.0.1:4222 taskflow-gen dev' : 'or give one with BROKER_URL=amqp://guest:guest@127.0.0.1:5672 taskflow-gen dev');
        expect(processesIn(dir)).toEqual([]);
      } finally {
        silent.close();
        ns.remove();
        rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);
  }
});
