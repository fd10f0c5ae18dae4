import { relative } from 'node:path';
import type { TestError } from 'vitest';
import type { Reporter, TestCase, TestModule } from 'vitest/node';

/**
 * Prints each failed test with its error as soon as it fails (the default
 * reporter keeps them for the end of a run that can take many minutes, and
 * a run cut short shows none), and ends the run with one plain
 * `N passed, N failed, N skipped` line that any CI log reader understands.
 */

/** Lines of a failure's message printed in full; a longer one (a whole suite's output) keeps its first and last lines. */
const messageLines = 200;
/** Frames of its stack: enough to reach the test from a helper in test/support. */
const stackFrames = 20;

/**
 * A failure as one can diagnose it from a CI log: the whole message (the output of what failed,
 * when a test passes it as the message) up to `messageLines`, the diff of an assertion, the stack's frames.
 */
export function describeError(error: TestError): string {
  const message = `${error.name ?? 'Error'}: ${error.message}`.split('\n');
  const shown = message.length <= messageLines ? message : [...message.slice(0, messageLines / 2), `... (${message.length - messageLines} lines left out) ...`, ...message.slice(-messageLines / 2)];
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line));
  const moreFrames = frames.length > stackFrames ? [`    ... (${frames.length - stackFrames} frames more)`] : [];
  const cause = error.cause ? [`Caused by: ${describeError(error.cause)}`] : [];
  return [...shown, ...(error.diff ? [error.diff] : []), ...frames.slice(0, stackFrames), ...moreFrames, ...cause].join('\n');
}
export default class SummaryReporter implements Reporter {
  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    if (result.state !== 'failed') return;
    const errors = result.errors.map(describeError);
    process.stdout.write(`\nFAILED ${relative(process.cwd(), test.module.moduleId)} > ${test.fullName}\n${errors.join('\n')}\n\n`);
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const module of testModules) {
      let failedHere = 0;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failedHere++;
        else skipped++;
      }
      // A module can fail outside its tests (a hook, an import); that is a failure too.
      failed += module.state() === 'failed' && failedHere === 0 ? 1 : failedHere;
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
