import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { cliPath } from './cli.js';
import { program } from './programs.js';

/** Drives the built CLI in a real pseudo-terminal through tmux: type, press keys, read the screen. */
export interface Terminal {
  /** Fails loudly when tmux is missing: the terminal tests are never skipped. */
  requireTmux(): void;
  /** Starts `taskflow-gen ARGS` in `cwd` in a new session; its exit code is printed as `EXIT=n`. */
  start(cwd: string, args: readonly string[]): string;
  screen(session: string): string;
  /** Polls the pane until `text` appears `times` times; at most `timeoutMs` (10 s). */
  waitFor(session: string, text: string, times?: number, timeoutMs?: number): Promise<string>;
  type(session: string, text: string): void;
  keys(session: string, ...names: string[]): void;
  /** Kills the sessions this terminal started, and only those. */
  closeAll(): void;
}

/**
 * A private tmux server whose socket lives in `scratch`, so nothing of other
 * tmux users is touched. `label` names the sessions and the tests in messages.
 */
export function terminal(scratch: string, label: string): Terminal {
  const socket = join(scratch, 'tmux.sock');
  const sessions: string[] = [];
  const tmux = (...args: string[]): string => execFileSync(program('tmux'), ['-S', socket, ...args], { encoding: 'utf8' });
  const screen = (session: string): string => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', session);
  return {
    requireTmux() {
      // Throws naming tmux and how to get it: the pseudo-terminal tests are never skipped.
      program('tmux');
    },
    start(cwd, args) {
      const name = `${label}-${process.pid}-${sessions.length}`;
      sessions.push(name);
      const command = `cd ${JSON.stringify(cwd)} && NO_COLOR=1 ${JSON.stringify(process.execPath)} ${JSON.stringify(cliPath)} ${args.map((a) => JSON.stringify(a)).join(' ')}; echo "EXIT=$?"; sleep 120`;
      tmux('new-session', '-d', '-s', name, '-x', '200', '-y', '50', command);
      return name;
    },
    screen,
    async waitFor(session, text, times = 1, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const shown = screen(session);
        if (shown.split(text).length - 1 >= times) {
          await new Promise((r) => setTimeout(r, 150));
          return shown;
        }
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${JSON.stringify(text)} (x${times}); the screen:\n${shown}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    type: (session, text) => void tmux('send-keys', '-t', session, '-l', text),
    keys: (session, ...names) => void tmux('send-keys', '-t', session, ...names),
    closeAll() {
      while (sessions.length > 0) spawnSync(program('tmux'), ['-S', socket, 'kill-session', '-t', sessions.pop()!]);
    },
  };
}
