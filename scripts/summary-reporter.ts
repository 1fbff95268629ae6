/**
 * Vitest reporter that ends the run with one plain line, `N passed, N failed, N skipped`, counting
 * every test case that was collected. CI reads this line; it must stay the last thing printed.
 */
import { appendFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    for (const m of modules) {
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed += 1;
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
    }
    const tail = skipped > 0 ? `, ${skipped} skipped` : '';
    process.stdout.write(`\n${passed} passed, ${failed} failed${tail}\n`);
    // scripts/test.mjs runs vitest more than once and prints the sum of the runs as the last line
    const file = process.env['AMPHI_SUMMARY_FILE'];
    if (file) appendFileSync(file, `${JSON.stringify({ passed, failed, skipped })}\n`);
  }
}
