import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints one plain closing line, `vitest: N passed, N failed`, that any CI log parser reads.
 * A test file that fails to load counts as one failure, and so do each suite whose hook failed
 * and each unhandled error, so a broken suite can never look green.
 *
 * @example
 * // vitest.config.ts
 * export default defineConfig({ test: { reporters: ['default', './tools/scripts/summary-reporter.ts'] } });
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const module of testModules) {
      let testsInModule = 0;
      for (const test of module.children.allTests()) {
        testsInModule += 1;
        const state = test.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
      if (module.state() === 'failed' && (testsInModule === 0 || module.errors().length > 0)) failed += 1;
      // A failed beforeAll leaves its tests "skipped": the suite's own error is the failure.
      for (const suite of module.children.allSuites()) if (suite.errors().length > 0) failed += 1;
    }
    failed += unhandledErrors.length;
    const skippedPart = skipped > 0 ? `, ${skipped} skipped` : '';
    process.stdout.write(`\nvitest: ${passed} passed, ${failed} failed${skippedPart}\n`);
  }
}
