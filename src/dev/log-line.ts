/**
 * One line a process printed, made readable: pino JSON lines (the generated
 * services' and gateway's logs) become `time LEVEL message key=value ...`;
 * anything else is passed through as it is.
 */
export interface PrettyLine {
  readonly level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'plain';
  readonly text: string;
}

const levels: Readonly<Record<number, PrettyLine['level']>> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'fatal' };
// Fields every line carries that say nothing to a developer watching the run.
const noise = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'v', 'service', 'name']);

export function prettyLine(line: string): PrettyLine {
  if (!line.startsWith('{')) return { level: 'plain', text: line };
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { level: 'plain', text: line };
  }
  if (typeof record !== 'object' || record === null) return { level: 'plain', text: line };
  const level = levels[Number(record['level'])] ?? 'info';
  const time = typeof record['time'] === 'number' ? new Date(record['time']).toISOString().slice(11, 23) : '';
  const fields = Object.entries(record)
    .filter(([key]) => !noise.has(key))
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  const message = typeof record['msg'] === 'string' ? record['msg'] : '';
  return { level, text: [time, level.toUpperCase().padEnd(5), message, ...fields].filter(Boolean).join(' ') };
}
