import { describe, expect, it } from 'vitest';
import { describeError } from './summary-reporter.js';

/** What the CI log shows of a failure: enough to diagnose it without running it again. */
describe('describeError', () => {
  const stack = (frames: number): string => ['AssertionError: ignored, the message is printed as given', ...Array.from({ length: frames }, (_, i) => `    at frame${i} (test/support/x.ts:${i + 1}:1)`)].join('\n');

  it('prints a suite output passed as the message whole, its diff and the stack frames', () => {
    const output = Array.from({ length: 60 }, (_, i) => `line ${i + 1} of the suite's output`).join('\n');
    const text = describeError({ name: 'AssertionError', message: `task:\n${output}: expected false to be true`, stack: stack(3), diff: '- Expected\n+ Received' });
    expect(text.split('\n')[0]).toBe('AssertionError: task:');
    expect(text).toContain(output);
    expect(text).toContain('- Expected\n+ Received');
    expect(text).toContain('    at frame2 (test/support/x.ts:3:1)');
    expect(text).not.toContain('ignored');
  });

  it('keeps the first and last lines of a very long message, and says how many it left out', () => {
    const message = Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`).join('\n');
    const lines = describeError({ name: 'Error', message, stack: stack(30) }).split('\n');
    expect(lines).toContain('line 100');
    expect(lines).toContain('... (800 lines left out) ...');
    expect(lines).toContain('line 901');
    expect(lines).not.toContain('line 500');
    expect(lines.filter((l) => l.startsWith('    at '))).toHaveLength(20);
    expect(lines).toContain('    ... (10 frames more)');
  });

  it('prints the cause of an error after it', () => {
    const text = describeError({ name: 'Error', message: 'outer', cause: { name: 'Error', message: 'inner' } });
    expect(text).toBe('Error: outer\nCaused by: Error: inner');
  });
});
