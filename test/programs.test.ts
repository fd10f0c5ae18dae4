import { afterEach, describe, expect, it } from 'vitest';
import { program } from './support/programs.js';

// A test that needs a program it cannot find fails naming the program, its
// Debian package and the command that brings it; never on a null.

const path = process.env['PATH'];
afterEach(() => {
  process.env['PATH'] = path;
});

describe('programs the tests run', () => {
  it('are found on PATH (or at their absolute path) when installed', () => {
    expect(program('psql')).toMatch(/\/psql$/);
    expect(program('nginx')).toBe('/usr/sbin/nginx');
  });

  it('when missing, fail naming the program, its Debian package and npm test', () => {
    process.env['PATH'] = '/nonexistent';
    expect(() => program('tmux')).toThrow(/^tmux is not installed, .*`npm test` installs it .*apt-get install tmux\.$/);
    expect(() => program('psql')).toThrow(/apt-get install postgresql-client/);
  });

  it('refuses a program scripts/prerequisites.sh does not list', () => {
    expect(() => program('wrk')).toThrow('wrk is not listed in the requirements of scripts/prerequisites.sh');
  });
});
