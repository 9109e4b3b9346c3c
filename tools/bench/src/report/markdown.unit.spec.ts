import { evaluateRows } from './evaluate';
import { figureResult } from './figure-result';
import { formatNumber, formatRatio, oneLine } from './format';
import { renderMarkdown } from './markdown';
import { Outcomes } from './outcomes';
import type { BenchReport } from './report';
import type { Row } from './rows';

const rows: Row[] = [
  { workload: 'W1 append', label: '64 in flight', unit: 'events/s', ours: 'w1', limit: { name: 'grpc-js unary', id: 'unary' }, peer: 'js', redis: 'redis', target: { text: '≥ 30,000/s', atLeast: 30_000 } },
  { workload: 'W3 restart', label: 'restart', unit: 's', ours: 'w3', target: { text: '< 1 s', below: 1 } },
];

function reportWith(outcomes: Outcomes): BenchReport {
  return {
    startedAt: '2026-01-01T00:00:00.000Z',
    wallTimeSeconds: 42,
    mode: 'quick',
    runs: 3,
    machine: { cores: 2, cpuModel: 'cpu', memoryGiB: 4, node: 'v20.0.0', platform: 'linux x64', commit: 'abc123' },
    sizes: { w1WindowAppends: 100_000 },
    rows: evaluateRows(rows, outcomes),
    references: [{ row: { label: 'grpc-js unary', unit: 'events/s', id: 'unary' }, result: figureResult(outcomes.of('unary')) }],
    notes: ['measured on a quiet machine'],
  };
}

describe('renderMarkdown', () => {
  it('shows the median, the range, the ratios to the limit, to JetStream and to Redis, and the verdict', () => {
    const outcomes = new Outcomes();
    for (const value of [31_000, 33_000, 35_000]) outcomes.value('w1', value);
    outcomes.value('unary', 66_000);
    outcomes.value('js', 11_000);
    outcomes.value('redis', 22_000);
    for (const value of [0.2, 0.3, 0.25]) outcomes.value('w3', value);
    const markdown = renderMarkdown(reportWith(outcomes));
    expect(markdown).toContain('| 64 in flight (events/s) | 33,000 | 31,000–35,000 | grpc-js unary: 66,000 | 0.50× | 11,000 | 3.00× | 22,000 | 1.50× | ≥ 30,000/s | met |');
    expect(markdown).toContain('JetStream (ack before fsync)');
    expect(markdown).toContain('Redis (fsync per write)');
    expect(markdown).toContain('| restart (s) | 0.250 | 0.200–0.300 |');
    expect(markdown).toContain('2 cores (cpu), 4 GiB, Node v20.0.0');
    expect(markdown).toContain('- commit: abc123');
    expect(markdown).toContain('- measured on a quiet machine');
  });

  it('says when the machine was busier than its cores', () => {
    const busy = renderMarkdown({ ...reportWith(new Outcomes()), loadAverage: { start: 17.25, end: 1.5 } });
    expect(busy).toContain('- 1-minute load average: 17.3 at the start, 1.5 at the end (**above the 2 cores');
    const quiet = renderMarkdown({ ...reportWith(new Outcomes()), loadAverage: { start: 0.5, end: 1.2 } });
    expect(quiet).toContain('- 1-minute load average: 0.5 at the start, 1.2 at the end\n');
  });

  it('prints a non-exact run as FAILED with its reason and no number', () => {
    const outcomes = new Outcomes();
    outcomes.value('w1', 50_000);
    outcomes.failed('w1', 'adder: value 5 | expected 6');
    const markdown = renderMarkdown(reportWith(outcomes));
    const line = markdown.split('\n').find((l) => l.startsWith('| 64 in flight'));
    expect(line).toContain('**FAILED** (1/2 runs: adder: value 5 / expected 6)');
    expect(line).not.toContain('50,000');
    expect(line).toContain('**FAILED** |');
  });
});

describe('format', () => {
  it('prints each unit in its precision and ratios with two decimals', () => {
    expect(formatNumber(1_234_567.8, 'events/s')).toBe('1,234,568');
    expect(formatNumber(1.234, 'ms')).toBe('1.23');
    expect(formatNumber(123.45, 'MB')).toBe('123.5');
    expect(formatNumber(1_234.4, 'µs')).toBe('1,234');
    expect(formatNumber(4.25, 'µs')).toBe('4.3');
    expect(formatRatio(1, 3)).toBe('0.33×');
    expect(formatRatio(1, undefined)).toBe('–');
  });

  it('keeps a reason on one table line', () => {
    expect(oneLine('a\n  b | c')).toBe('a b / c');
    expect(oneLine('x'.repeat(200))).toHaveLength(120);
  });
});
