// Last line of a wtr run: "N passed, N failed, N skipped"; a file that fails to load counts as a failure.
export function summaryLineReporter() {
  let line;
  process.once('exit', () => {
    if (line) process.stdout.write(`${line}\n`);
  });
  return {
    stop({ sessions }) {
      let passed = 0,
        failed = 0,
        skipped = 0;
      const walk = (suite) => {
        if (!suite) return;
        for (const t of suite.tests) t.skipped ? skipped++ : t.passed ? passed++ : failed++;
        for (const s of suite.suites) walk(s);
      };
      for (const s of sessions) {
        const before = failed;
        walk(s.testResults);
        if (!s.passed && failed === before) failed++;
      }
      line = `${passed} passed, ${failed} failed, ${skipped} skipped`;
    },
  };
}
