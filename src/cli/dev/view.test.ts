import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { Io } from '../io.js';
import { colorsFor } from '../style.js';
import { anyFreePort } from './net.js';
import { Supervisor } from './supervisor.js';
import { createView, type View } from './view.js';

/**
 * The terminal view of dev fed by a real supervisor and real processes: one
 * that logs a pino JSON line, becomes ready and stays; one that crashes until
 * dev gives up on it. What the view writes is read back as a terminal or a
 * pipe would receive it.
 */

const logsDir = mkdtempSync(join(tmpdir(), 'tf-dev-view-'));
afterAll(() => rmSync(logsDir, { recursive: true, force: true }));
const noColor = process.env['NO_COLOR'];
afterEach(() => {
  if (noColor === undefined) delete process.env['NO_COLOR'];
  else process.env['NO_COLOR'] = noColor;
});

const sgr = /\x1b\[[\d;]*m/;
const plain = (text: string): string => text.replace(/\x1b\[[\d;]*[A-Za-z]/g, '');

async function runWith(isTTY: boolean): Promise<string> {
  const io: Io = { out: () => undefined, write: () => undefined, err: () => undefined, outIsTTY: isTTY, errIsTTY: isTTY };
  let written = '';
  let view: View | undefined;
  const supervisor = new Supervisor({
    logsDir,
    policy: { initialMs: 50, maxMs: 100, stableMs: 10_000, maxCrashes: 3 },
    readyTimeoutMs: 10_000,
    onState: (unit) => view?.state(unit),
    onLine: (unit, line) => view?.line(unit, line),
  });
  const port = await anyFreePort();
  const api = supervisor.add('api', port, () => ({
    file: process.execPath,
    // A pino-like JSON line for each request other than /ready.
    args: ['-e', `require('node:http').createServer((q, s) => { if (q.url !== '/ready') console.log(JSON.stringify({ level: 40, time: Date.UTC(2026, 0, 2, 3, 4, 5, 6), msg: 'hello', path: q.url, pid: process.pid })); s.end('ok'); }).listen(${port})`],
    cwd: logsDir,
    env: {},
  }));
  const crasher = supervisor.add('crasher', await anyFreePort(), () => ({ file: process.execPath, args: ['-e', 'console.log("boom"); process.exit(3)'], cwd: logsDir, env: {} }));
  view = createView(io, colorsFor({ isTTY }), ['api', 'crasher'], (raw) => (written += raw));
  view.say('before the system runs');
  await supervisor.start('api');
  view.live(supervisor.units());
  await (await fetch(`http://127.0.0.1:${port}/hi`)).text();
  await expect(supervisor.start('crasher')).rejects.toThrow(/crasher did not become ready/);
  await supervisor.stopAll(['crasher', 'api'], 2_000, new Promise(() => undefined));
  await new Promise((r) => setTimeout(r, 100)); // the view redraws state changes within 50 ms
  view.close();
  expect(api.state).toBe('stopped');
  expect(crasher.state).toBe('given up');
  return written;
}

describe('dev terminal view (real processes under a real supervisor)', () => {
  it('not a terminal: plain lines, each prefixed by its process, state changes included, no colour and no cursor movement', async () => {
    const written = await runWith(false);
    expect(written).not.toContain('\x1b[');
    const lines = written.trimEnd().split('\n');
    expect(lines[0]).toBe('before the system runs');
    expect(written).toMatch(/^api     │ starting on :\d+$/m);
    expect(written).toMatch(/^api     │ ready on :\d+$/m);
    // A JSON log line, pretty-printed: time, level, message, the fields that matter.
    expect(written).toMatch(/^api     │ 03:04:05\.006 WARN  hello path=\/hi$/m);
    expect(written).toMatch(/^crasher │ boom$/m);
    expect(written).toMatch(/^crasher │ crashed on :\d+: exit 3; restarting in 0\.1 s$/m);
    expect(written).toMatch(/^crasher │ restarting on :\d+ \(restarts: 1\)$/m);
    expect(written).toMatch(/^crasher │ crashed on :\d+ \(restarts: 1\): exit 3; restarting in 0\.1 s$/m);
    expect(written).toMatch(/^crasher │ GIVEN UP on :\d+ \(restarts: 2\): exit 3; crashed 3 times in a row, not restarted again \(see .*crasher\.log\)$/m);
    expect(written).toMatch(/^api     │ stopping on :\d+$/m);
    expect(written).toMatch(/^api     │ stopped on :\d+$/m);
    // Log lines of the processes only once the view is live (start-up progress is listr2's until then).
    expect(written.indexOf('before the system runs')).toBeLessThan(written.indexOf('│ boom'));
  }, 60_000);

  it('a terminal: the same lines in colour, under them a status block with state, port and restarts, redrawn in place', async () => {
    delete process.env['NO_COLOR'];
    const written = await runWith(true);
    expect(written).toMatch(sgr);
    // The block is erased (cursor up N lines, clear to the end) and drawn again below what scrolls.
    expect(written).toContain('\x1b[3F\x1b[0J');
    const screen = plain(written);
    expect(screen).toMatch(/^ {2}api {5}│ ready {6}:\d+ +restarts 0$/m);
    expect(screen).toMatch(/^ {2}crasher │ crashed {4}:\d+ +restarts 1 {2}exit 3; restarting in 0\.1 s$/m);
    expect(screen).toMatch(/^ {2}crasher │ restarting :\d+ +restarts 1$/m);
    expect(screen).toMatch(/^ {2}crasher │ given up {3}:\d+ +restarts 2 {2}exit 3; crashed 3 times in a row/m);
    // Giving up is said loudly, in red and bold, above the block as well.
    expect(written).toMatch(/\x1b\[31m\x1b\[1mGIVEN UP on :\d+ \(restarts: 2\)/);
    expect(screen).toMatch(/^api {5}│ 03:04:05\.006 WARN {2}hello path=\/hi$/m);
    // The last thing on the screen is the final block.
    expect(screen.trimEnd().split('\n').slice(-2).map((l) => l.replace(/:\d+/, ':N').replace(/\s+/g, ' '))).toEqual([' api │ stopped :N restarts 0', expect.stringMatching(/^ crasher │ given up :N restarts 2 exit 3; crashed 3 times in a row/)]);
  }, 60_000);

  it('a terminal with NO_COLOR: the status block and the lines, without a single colour', async () => {
    process.env['NO_COLOR'] = '1';
    const written = await runWith(true);
    expect(written).not.toMatch(sgr);
    expect(written).toContain('\x1b[3F\x1b[0J');
    expect(plain(written)).toMatch(/^ {2}crasher │ given up {3}:\d+ +restarts 2/m);
    expect(plain(written)).toMatch(/^crasher │ GIVEN UP on :\d+ \(restarts: 2\)/m);
  }, 60_000);
});
