import { medianOf, type EvaluatedRow } from './evaluate';
import { formatMedian, formatRange, formatRatio } from './format';
import type { BenchReport } from './report';
import { renderProfiles } from './profile-markdown';

const HEADER =
  '| figure | ours (median) | ours min–max | limit | ours/limit | JetStream (ack before fsync) | ours/JetStream | Redis (fsync per write) | ours/Redis | target | |\n' +
  '|---|---:|---:|---|---:|---:|---:|---:|---:|---|---|';

/** The report as Markdown: machine, one table per workload, references, notes. */
export function renderMarkdown(report: BenchReport): string {
  const m = report.machine;
  const lines = [
    `# Benchmark report (${report.mode}, ${report.runs} run${report.runs === 1 ? '' : 's'})`,
    '',
    `- started ${report.startedAt}, wall time ${report.wallTimeSeconds.toFixed(0)} s`,
    `- machine: ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.platform}`,
    ...(report.loadAverage ? [loadLine(report.loadAverage, m.cores)] : []),
    `- commit: ${m.commit}`,
    `- sizes: ${Object.entries(report.sizes)
      .map(([name, value]) => `${name} ${value.toLocaleString('en-US')}`)
      .join(', ')}`,
    '',
  ];
  for (const workload of workloadsIn(report.rows)) {
    lines.push(`## ${workload}`, '', HEADER);
    for (const row of report.rows.filter((r) => r.row.workload === workload)) lines.push(renderRow(row));
    lines.push('');
  }
  lines.push('## References (same records, same messages, same concurrency)', '', '| reference | median | min–max |', '|---|---:|---:|');
  for (const { row, result } of report.references) {
    lines.push(`| ${row.label} | ${formatMedian(result, row.unit)} | ${formatRange(result, row.unit)} |`);
  }
  lines.push('', ...renderProfiles(report.profiles ?? []));
  lines.push('## Notes', '', ...report.notes.map((note) => `- ${note}`), '');
  return lines.join('\n');
}

function renderRow(evaluated: EvaluatedRow): string {
  const { row, ours, limit, peer, redis, verdict } = evaluated;
  const oursMedian = medianOf(ours);
  const limitCell = row.limit && limit ? `${row.limit.name}: ${formatMedian(limit, row.unit)}` : '–';
  const peerCell = peer ? formatMedian(peer, row.unit) : '–';
  const redisCell = redis ? formatMedian(redis, row.unit) : '–';
  const cells = [
    `${row.label} (${row.unit})`,
    formatMedian(ours, row.unit),
    formatRange(ours, row.unit),
    limitCell,
    formatRatio(oursMedian, medianOf(limit)),
    peerCell,
    formatRatio(oursMedian, medianOf(peer)),
    redisCell,
    formatRatio(oursMedian, medianOf(redis)),
    row.target?.text ?? '',
    verdict === undefined ? '' : verdict === 'met' ? 'met' : `**${verdict}**`,
  ];
  return `| ${cells.join(' | ')} |`;
}

function loadLine(load: { readonly start: number; readonly end: number }, cores: number): string {
  const busy = Math.max(load.start, load.end) > cores;
  const warning = busy ? ` (**above the ${cores} cores: other processes shared the CPU, every figure is lower than on a quiet machine**)` : '';
  return `- 1-minute load average: ${load.start.toFixed(1)} at the start, ${load.end.toFixed(1)} at the end${warning}`;
}

function workloadsIn(rows: readonly EvaluatedRow[]): string[] {
  return [...new Set(rows.map((r) => r.row.workload))];
}

