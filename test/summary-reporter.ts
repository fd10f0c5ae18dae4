import { relative } from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';

/**
 * Prints each failed test with its error as soon as it fails (the default
 * reporter keeps them for the end of a run that can take many minutes, and
 * a run cut short shows none), and ends the run with one plain
 * `N passed, N failed, N skipped` line that any CI log reader understands.
 */
export default class SummaryReporter implements Reporter {
  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    if (result.state !== 'failed') return;
    const errors = result.errors.map((e) => (e.stack ?? e.message).split('\n').slice(0, 12).join('\n'));
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
