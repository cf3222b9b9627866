/** Prints a conformance result: one table row per distinct exchange outcome, then every mismatch in full. */
import type { ConformanceResult } from './conformance.ts';
import type { ExchangeVerdict } from './validate.ts';

const NOTE_WIDTH = 70;

export function formatConformance(result: ConformanceResult): string {
  const { spec, verdicts, problems } = result;
  const rows = groupRows(verdicts);
  const header = ['operation', 'method path', 'status', 'request ok', 'response ok', 'note'];
  const body = rows.map((row) => [
    row.verdict.operation,
    `${row.verdict.method} ${row.verdict.path}`,
    String(row.verdict.status || '-'),
    row.verdict.requestOk ? 'yes' : 'NO',
    row.verdict.responseOk ? 'yes' : 'NO',
    clip(
      `${row.count > 1 ? `×${row.count} ` : ''}${row.verdict.label ?? ''}${firstProblem(row.verdict)}`,
      NOTE_WIDTH,
    ),
  ]);
  const lines = [
    `Assure API conformance against ${spec.title} ${spec.version} (${spec.source})`,
    '',
    ...table([header, ...body]),
    '',
  ];

  const mismatches = new Map<string, string[]>();
  for (const verdict of verdicts) {
    for (const problem of [...verdict.requestProblems, ...verdict.responseProblems]) {
      const key = `${verdict.operation} (${verdict.method} ${verdict.path}, ${verdict.status || 'no answer'})`;
      const list = mismatches.get(key) ?? [];
      const line = `${problem}${verdict.label ? `   [${verdict.label}]` : ''}`;
      if (!list.includes(line)) list.push(line);
      mismatches.set(key, list);
    }
  }
  if (mismatches.size > 0) {
    lines.push('Spec mismatches:');
    for (const [key, list] of mismatches)
      lines.push(`  ${key}`, ...list.map((line) => `    - ${line}`));
    lines.push('');
  }
  const notes = new Set(verdicts.flatMap((v) => v.notes.map((note) => `${v.operation}: ${note}`)));
  if (notes.size > 0) {
    lines.push(
      'Notes (allowed by the spec, worth knowing):',
      ...[...notes].map((note) => `  - ${note}`),
      '',
    );
  }
  if (problems.length > 0) {
    lines.push('Flow problems (a step that did not work, so part of the API went unchecked):');
    for (const { step, problem } of problems) lines.push(`  - ${step}: ${problem}`);
    lines.push('');
  }
  if (spec.repairs.length > 0) {
    lines.push(
      `Spec quirks repaired before validating (${spec.repairs.length}; see docs/doctor.md):`,
    );
    for (const repair of spec.repairs) lines.push(`  - ${repair}`);
    lines.push('');
  }
  const failing = verdicts.filter((v) => !v.requestOk || !v.responseOk).length;
  const operations = new Set(verdicts.map((v) => v.operation)).size;
  lines.push(
    `${verdicts.length} exchanges, ${operations} operations: ${failing} with mismatches, ${problems.length} flow problems → ${result.ok ? 'PASS' : 'FAIL'}`,
  );
  return lines.join('\n');
}

interface Row {
  verdict: ExchangeVerdict;
  count: number;
}

/** Identical outcomes (same operation, status, verdicts, label and problems) share one row with a count. */
function groupRows(verdicts: ExchangeVerdict[]): Row[] {
  const rows = new Map<string, Row>();
  for (const verdict of verdicts) {
    const key = JSON.stringify([
      verdict.operation,
      verdict.method,
      verdict.path,
      verdict.status,
      verdict.label,
      verdict.requestProblems,
      verdict.responseProblems,
      verdict.notes,
    ]);
    const row = rows.get(key);
    if (row) row.count++;
    else rows.set(key, { verdict, count: 1 });
  }
  return [...rows.values()];
}

function firstProblem(verdict: ExchangeVerdict): string {
  const problem = verdict.requestProblems[0] ?? verdict.responseProblems[0] ?? verdict.notes[0];
  return problem ? ` — ${problem}` : '';
}

function clip(text: string, width: number): string {
  return text.length > width ? `${text.slice(0, width - 1)}…` : text;
}

/** Plain-text table with `|` separators and padded columns. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join(' | ')
      .trimEnd();
  return [line(rows[0]!), widths.map((w) => '-'.repeat(w)).join('-|-'), ...rows.slice(1).map(line)];
}
