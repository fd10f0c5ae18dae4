import { describe, expect, it } from 'vitest';
import { prettyLine } from './log-line.js';

describe('prettyLine', () => {
  it('turns a pino line into time, level, message and the fields that say something', () => {
    const line = JSON.stringify({ level: 40, time: Date.UTC(2026, 0, 2, 3, 4, 5, 678), pid: 1, hostname: 'h', name: 'order', msg: 'slow call', callee: 'product', ms: 1200 });
    expect(prettyLine(line)).toEqual({ level: 'warn', text: '03:04:05.678 WARN  slow call callee=product ms=1200' });
  });

  it('passes anything else through', () => {
    expect(prettyLine('npm notice hello')).toEqual({ level: 'plain', text: 'npm notice hello' });
    expect(prettyLine('{not json')).toEqual({ level: 'plain', text: '{not json' });
  });
});
