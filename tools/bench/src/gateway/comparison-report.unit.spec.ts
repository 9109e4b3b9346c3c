import { Outcomes } from '../report/outcomes';
import { comparisonRows, longLogRows, renderComparison, type ComparisonReport } from './comparison-report';
import { evaluateTargets } from './comparison-targets';
import { jetStreamIds } from './comparison-figures';

function reportOf(outcomes: Outcomes): ComparisonReport {
  return {
    startedAt: '2026-12-02T00:00:00.000Z',
    wallTimeSeconds: 40,
    mode: 'quick',
    runs: 1,
    machine: { cores: 2, cpuModel: 'cpu', memoryGiB: 4, node: 'v20.0.0', platform: 'linux x64', commit: 'abc' },
    loadAverage: { start: 5, end: 6 },
    sizes: { w1WindowAppends: 300 },
    targets: evaluateTargets(outcomes),
    rows: comparisonRows(outcomes),
    longLog: longLogRows(outcomes),
    notes: ['a note'],
  };
}

describe('the --storage jetstream report', () => {
  it('puts the file backend, both gateways and bare JetStream side by side with the gateway/bare ratio', () => {
    const outcomes = new Outcomes();
    outcomes.value('file.w1-64.rate', 3_000);
    outcomes.value('gw-r1.w1-64.rate', 800);
    outcomes.value('bare-r1.js.w1-64.rate', 1_000);
    outcomes.value('gw-r3.w1-64.rate', 500);
    outcomes.skipped('bare-r3.js.w1-64.rate', 'cluster did not form');
    outcomes.value('long.subscribe.rate', 1_500_000);
    const markdown = renderComparison(reportOf(outcomes));
    expect(markdown).toContain('| 64 in flight: events/s (events/s) | 3,000 | 800 | 1,000 | 0.80× | 500 | skipped (cluster did not form) | – |');
    expect(markdown).toContain('- gateway overhead vs bare publish, R1, W1 unary 64 in flight: ≤ 30%: met (gateway 800/s, bare 1,000/s: ratio 0.80×, overhead 25%)');
    expect(markdown).toContain('| Subscribe from 0 through the gateway: events/s (events/s) | 1,500,000 | 1,500,000–1,500,000 |');
    expect(markdown).toContain('**above the 2 cores');
  });
});

describe('without nats-server', () => {
  it('shows every JetStream column as skipped with the package to install, and the targets as n/a', () => {
    const outcomes = new Outcomes();
    const reason = 'nats-server not on PATH: sudo apt-get install -y nats-server';
    for (const id of [...jetStreamIds(1, true), ...jetStreamIds(3, false)]) outcomes.skipped(id, reason);
    outcomes.value('file.w1-64.rate', 3_000);
    const markdown = renderComparison(reportOf(outcomes));
    const line = markdown.split('\n').find((l) => l.startsWith('| 64 in flight: events/s'));
    expect(line?.split(`skipped (${reason})`)).toHaveLength(5);
    expect(line).toContain('| 3,000 |');
    expect(markdown).toContain(`| Subscribe from 0 through the gateway: events/s (events/s) | skipped (${reason}) |`);
    expect(evaluateTargets(outcomes).every((t) => t.verdict === 'n/a' && t.detail === `skipped: ${reason}`)).toBe(true);
  });
});
