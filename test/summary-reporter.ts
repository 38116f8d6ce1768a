/**
 * Prints one plain closing line, "unit: N passed, N failed, N skipped", after vitest's own summary, so
 * that CI logs state the count in a form any reader understands.
 */
import type { Reporter, RunnerTask, RunnerTestFile } from 'vitest/node';

function count(tasks: RunnerTask[], into: { passed: number; failed: number; skipped: number }): void {
  for (const t of tasks) {
    if (t.type === 'suite') count(t.tasks, into);
    else if (t.result?.state === 'pass') into.passed++;
    else if (t.result?.state === 'fail') into.failed++;
    else into.skipped++;
  }
}

export default class SummaryReporter implements Reporter {
  constructor(private readonly label = 'tests') {}

  onFinished(files: RunnerTestFile[] = []): void {
    const c = { passed: 0, failed: 0, skipped: 0 };
    count(files, c);
    const failedFiles = files.filter((f) => f.result?.state === 'fail' && f.tasks.length === 0).length;
    console.log(
      `${this.label}: ${c.passed} passed, ${c.failed + failedFiles} failed${c.skipped ? `, ${c.skipped} skipped` : ''}`,
    );
  }
}
