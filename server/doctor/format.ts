/** The doctor's report as a table for people or JSON for machines, scrubbed of every configured secret. */
import type { Scrubber } from './scrub.ts';
import type { DoctorReport } from './types.ts';

const MARK = { pass: 'pass', warn: 'WARN', fail: 'FAIL', skip: 'skip' } as const;

export function formatDoctor(report: DoctorReport, scrub: Scrubber): string {
  const rows = [
    ['result', 'check', 'detail'],
    ...report.checks.map((c) => [MARK[c.status], c.title, c.detail]),
  ];
  const widths = [0, 1].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  const line = (row: string[]) =>
    `${row[0]!.padEnd(widths[0]!)} | ${row[1]!.padEnd(widths[1]!)} | ${row[2]}`;
  const lines = [
    `signicat-verify doctor (${report.mode} mode)`,
    '',
    line(rows[0]!),
    `${'-'.repeat(widths[0]!)}-|-${'-'.repeat(widths[1]!)}-|-------`,
  ];
  lines.push(...rows.slice(1).map(line), '');
  const fixes = report.checks.filter((c) => c.fix && (c.status === 'fail' || c.status === 'warn'));
  if (fixes.length > 0) {
    lines.push('How to fix:');
    for (const check of fixes) lines.push(`  ${MARK[check.status]} ${check.title}: ${check.fix}`);
    lines.push('');
  }
  const failed = report.checks.filter((c) => c.status === 'fail').length;
  const warned = report.checks.filter((c) => c.status === 'warn').length;
  lines.push(
    report.ok
      ? `All checks passed${warned ? ` (${warned} warning${warned > 1 ? 's' : ''})` : ''}.`
      : `${failed} check${failed > 1 ? 's' : ''} failed.`,
  );
  return scrub(lines.join('\n'));
}

export function doctorJson(report: DoctorReport, scrub: Scrubber): string {
  return scrub(JSON.stringify(report, null, 2));
}
