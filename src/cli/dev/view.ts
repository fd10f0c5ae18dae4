import type { ChalkInstance } from 'chalk';
import { prettyLine, type PrettyLine } from '../../dev/log-line.js';
import type { Io } from '../io.js';
import type { State, Unit } from './supervisor.js';

/**
 * What dev shows while the system runs: every process's log lines,
 * interleaved, prefixed and coloured by process, pretty-printed from JSON;
 * on a terminal, a block at the bottom with one line per process (state,
 * port, restarts) kept up to date under the scrolling logs, a crash and a
 * process given up on also said in the scrolling lines. Not on a
 * terminal: plain prefixed lines, state changes included.
 */
export interface View {
  /** A line for the user, outside any process's log. */
  say(text: string): void;
  line(unit: Unit, text: string): void;
  state(unit: Unit): void;
  /** Shows the status block (terminal only); until then only `say` lines are printed. */
  live(units: readonly Unit[]): void;
  close(): void;
}

const palette = ['cyan', 'magenta', 'yellow', 'blue', 'green', 'cyanBright', 'magentaBright', 'yellowBright', 'blueBright', 'greenBright'] as const;

export function createView(io: Io, c: ChalkInstance, names: readonly string[], write: (raw: string) => void): View {
  const width = Math.max(...names.map((n) => n.length), 3);
  const colourOf = new Map(names.map((n, i) => [n, palette[i % palette.length]!]));
  const prefix = (name: string): string => c[colourOf.get(name) ?? 'white'](`${name.padEnd(width)} │`);
  const levelColour = (level: PrettyLine['level'], text: string): string =>
    level === 'error' || level === 'fatal' ? c.red(text) : level === 'warn' ? c.yellow(text) : level === 'debug' || level === 'trace' ? c.dim(text) : text;
  const stateColour = (state: State, text: string): string =>
    state === 'ready' ? c.green(text) : state === 'given up' ? c.red.bold(text) : state === 'crashed' ? c.red(text) : state === 'restarting' ? c.yellow(text) : c.dim(text);

  if (!io.outIsTTY) {
    let shown = false;
    return {
      say: (text) => write(`${text}\n`),
      line: (unit, text) => {
        if (!shown) return;
        const pretty = prettyLine(text);
        write(`${prefix(unit.name)} ${levelColour(pretty.level, pretty.text)}\n`);
      },
      state: (unit) => write(`${prefix(unit.name)} ${stateLine(unit)}\n`),
      live: () => void (shown = true),
      close: () => undefined,
    };
  }

  let units: readonly Unit[] = [];
  let drawn = 0;
  let timer: NodeJS.Timeout | undefined;
  const block = (): string[] => {
    if (units.length === 0) return [];
    const rows = units.map((u) => `  ${prefix(u.name)} ${stateColour(u.state, u.state.padEnd(10))} :${String(u.port).padEnd(6)} restarts ${u.restarts}${u.note ? c.dim(`  ${u.note}`) : ''}`);
    return [c.dim('─'.repeat(Math.min(process.stdout.columns || 80, 100))), ...rows];
  };
  // Erase the block, print what scrolls, draw the block again below it.
  const print = (lines: readonly string[]): void => {
    const erase = drawn > 0 ? `\x1b[${drawn}F\x1b[0J` : '';
    const next = block();
    const all = [...lines, ...next];
    write(erase + (all.length > 0 ? all.join('\n') + '\n' : ''));
    drawn = next.length;
  };
  return {
    say: (text) => print([text]),
    line: (unit, text) => {
      if (units.length === 0) return;
      const pretty = prettyLine(text);
      print([`${prefix(unit.name)} ${levelColour(pretty.level, pretty.text)}`]);
    },
    state: (unit) => {
      if (units.length === 0) return;
      if (unit.state === 'given up' || unit.state === 'crashed') print([`${prefix(unit.name)} ${stateColour(unit.state, stateLine(unit))}`]);
      else if (!timer) timer = setTimeout(() => ((timer = undefined), print([])), 50);
    },
    live: (all) => {
      units = all;
      print([]);
    },
    close: () => {
      clearTimeout(timer);
      if (units.length > 0) print([]); // the final states stay on the screen
      units = [];
    },
  };
}

function stateLine(unit: Unit): string {
  const state = unit.state === 'given up' ? 'GIVEN UP' : unit.state;
  return `${state} on :${unit.port}${unit.restarts > 0 ? ` (restarts: ${unit.restarts})` : ''}${unit.note ? `: ${unit.note}` : ''}`;
}
