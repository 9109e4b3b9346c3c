import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { medianOf } from '../report/evaluate';
import { figureResult, type FigureResult } from '../report/figure-result';
import { formatMedian, formatRange, formatRatio } from '../report/format';
import type { MachineInfo } from '../report/machine';
import { renderProfiles } from '../report/profile-markdown';
import type { Outcomes } from '../report/outcomes';
import type { Unit } from '../report/rows';
import type { PhaseProfile } from '../system/phase-profile';
import { COLUMN_NAMES, COMPARISON_ROWS, LONG_LOG_ROWS, type Column, type ComparisonRow } from './comparison-figures';
import type { TargetLine } from './comparison-targets';

/** Everything one `--storage jetstream` run produced, as written to jetstream-latest.json. */
export interface ComparisonReport {
  readonly startedAt: string;
  readonly wallTimeSeconds: number;
  readonly mode: 'quick' | 'full';
  readonly runs: number;
  readonly machine: MachineInfo;
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly sizes: Readonly<Record<string, number>>;
  readonly targets: readonly TargetLine[];
  readonly rows: readonly { readonly row: ComparisonRow; readonly results: Partial<Record<Column, FigureResult>> }[];
  readonly longLog: readonly { readonly label: string; readonly unit: Unit; readonly result: FigureResult }[];
  readonly notes: readonly string[];
  /** With --profile: each W1 phase of every deployment, per process. */
  readonly profiles?: readonly PhaseProfile[];
}

/** The rows with every figure folded over the runs. */
export function comparisonRows(outcomes: Outcomes): ComparisonReport['rows'] {
  return COMPARISON_ROWS.map((row) => ({
    row,
    results: Object.fromEntries(Object.entries(row.ids).map(([column, id]) => [column, figureResult(outcomes.of(id))])) as Partial<Record<Column, FigureResult>>,
  }));
}

export function longLogRows(outcomes: Outcomes): ComparisonReport['longLog'] {
  return LONG_LOG_ROWS.map(({ label, unit, id }) => ({ label, unit, result: figureResult(outcomes.of(id)) }));
}

const HEADER =
  `| figure | ${COLUMN_NAMES.file} | ${COLUMN_NAMES.gatewayR1} | ${COLUMN_NAMES.bareR1} | gateway/bare R1 | ${COLUMN_NAMES.gatewayR3} | ${COLUMN_NAMES.bareR3} | gateway/bare R3 |\n` +
  '|---|---:|---:|---:|---:|---:|---:|---:|';

/** "met", or the verdict in bold, for a target line. */
export function targetLineText(line: TargetLine): string {
  const verdict = line.verdict === 'met' ? 'met' : `**${line.verdict}**`;
  return `${line.text}: ${verdict} (${line.detail})`;
}

export function renderComparison(report: ComparisonReport): string {
  const m = report.machine;
  const busy = Math.max(report.loadAverage.start, report.loadAverage.end) > m.cores;
  const lines = [
    `# Storage comparison: file backend, JetStream gateways, bare JetStream (${report.mode}, ${report.runs} run${report.runs === 1 ? '' : 's'})`,
    '',
    `- started ${report.startedAt}, wall time ${report.wallTimeSeconds.toFixed(0)} s`,
    `- machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}`,
    `- 1-minute load average: ${report.loadAverage.start.toFixed(1)} at the start, ${report.loadAverage.end.toFixed(1)} at the end${busy ? ` (**above the ${m.cores} cores: compare columns of this run, not absolute rates**)` : ''}`,
    `- commit: ${m.commit}`,
    `- sizes: ${Object.entries(report.sizes).map(([name, value]) => `${name} ${value.toLocaleString('en-US')}`).join(', ')}`,
    '',
    '## Targets (issue 13)',
    '',
    ...report.targets.map((line) => `- ${targetLineText(line)}`),
    '',
  ];
  for (const workload of [...new Set(report.rows.map((r) => r.row.workload))]) {
    lines.push(`## ${workload}`, '', HEADER);
    for (const { row, results } of report.rows.filter((r) => r.row.workload === workload)) lines.push(renderRow(row, results));
    lines.push('');
  }
  lines.push('## M: one gateway over R1, a long log stored 1,000 values per message', '', '| figure | median | min–max |', '|---|---:|---:|');
  for (const { label, unit, result } of report.longLog) lines.push(`| ${label} (${unit}) | ${formatMedian(result, unit)} | ${formatRange(result, unit)} |`);
  if (report.profiles) lines.push('', ...renderProfiles(report.profiles));
  lines.push('', '## Notes', '', ...report.notes.map((note) => `- ${note}`), '');
  return lines.join('\n');
}

function renderRow(row: ComparisonRow, results: Partial<Record<Column, FigureResult>>): string {
  const cell = (column: Column) => {
    const result = results[column];
    return result ? formatMedian(result, row.unit) : '';
  };
  const ratio = (gateway: Column, bare: Column) => {
    const g = results[gateway];
    const b = results[bare];
    return g && b ? formatRatio(medianOf(g), medianOf(b)) : '';
  };
  const cells = [
    `${row.label} (${row.unit})`,
    cell('file'),
    cell('gatewayR1'),
    cell('bareR1'),
    ratio('gatewayR1', 'bareR1'),
    cell('gatewayR3'),
    cell('bareR3'),
    ratio('gatewayR3', 'bareR3'),
  ];
  return `| ${cells.join(' | ')} |`;
}

/** Writes jetstream-latest.{md,json} and a timestamped copy of each into `dir`; returns the paths. */
export async function writeComparison(dir: string, report: ComparisonReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  const markdown = renderComparison(report);
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const files: [string, string][] = [
    [join(dir, 'jetstream-latest.md'), markdown],
    [join(dir, 'jetstream-latest.json'), json],
    [join(dir, `${stamp}-jetstream-${report.mode}.md`), markdown],
    [join(dir, `${stamp}-jetstream-${report.mode}.json`), json],
  ];
  for (const [path, content] of files) await writeFile(path, content);
  return files.map(([path]) => path);
}
