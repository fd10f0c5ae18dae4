import chalk, { Chalk, type ChalkInstance } from 'chalk';

/**
 * Colours for one output stream: off when NO_COLOR is set (https://no-color.org)
 * or the stream is not a terminal, unless FORCE_COLOR asks for them.
 */
export function colorsFor(stream: { isTTY?: boolean }): ChalkInstance {
  if (process.env['NO_COLOR']) return new Chalk({ level: 0 });
  if (process.env['FORCE_COLOR'] !== undefined) return chalk;
  return new Chalk({ level: stream.isTTY ? Math.max(chalk.level, 1) as 1 | 2 | 3 : 0 });
}
