import { figureResult } from '../report/figure-result';
import { Outcomes } from '../report/outcomes';
import { evaluateTargets, memoryLine, overheadLine, subscribeLine } from './comparison-targets';

const ok = (...values: number[]) => figureResult(values.map((value) => ({ kind: 'value' as const, value })));

describe('the targets of --storage jetstream (issue 13)', () => {
  it('meets the overhead target only when the gateway takes at most 30% more time per event than bare publishing', () => {
    const met = overheadLine('R1, W1b', ok(800_000), ok(1_000_000));
    expect(met.verdict).toBe('met');
    expect(met.detail).toBe('gateway 800,000/s, bare 1,000,000/s: ratio 0.80×, overhead 25%');
    expect(overheadLine('R1, W1b', ok(760_000), ok(1_000_000)).verdict).toBe('missed');
  });

  it('says FAILED when a figure failed and n/a when it was skipped, with the reason', () => {
    const failed = overheadLine('R3, W1b', figureResult([{ kind: 'failed', reason: 'adder: value 5, expected 6' }]), ok(1));
    expect(failed).toMatchObject({ verdict: 'FAILED', detail: 'adder: value 5, expected 6' });
    const skipped = overheadLine('R3, W1b', ok(1), figureResult([{ kind: 'skipped', reason: 'nats-server not on PATH' }]));
    expect(skipped).toMatchObject({ verdict: 'n/a', detail: 'skipped: nats-server not on PATH' });
  });

  it('checks Subscribe against 1,000,000 events/s and prints messages/s beside it', () => {
    expect(subscribeLine(ok(1_200_000), ok(1_200)).verdict).toBe('met');
    expect(subscribeLine(ok(999_999), ok(1_000))).toMatchObject({ verdict: 'missed', detail: '999,999 events/s, 1,000 messages/s' });
  });

  it('calls memory flat only when both the stored and the reading RSS stay within 1.3× from a tenth of the log to all of it', () => {
    expect(memoryLine({ storedMark: ok(80), storedFull: ok(90), readMark: ok(90), readFull: ok(110) }).verdict).toBe('met');
    expect(memoryLine({ storedMark: ok(80), storedFull: ok(90), readMark: ok(90), readFull: ok(200) }).verdict).toBe('missed');
    expect(memoryLine({ storedMark: ok(80), storedFull: ok(120), readMark: ok(90), readFull: ok(90) }).verdict).toBe('missed');
  });

  it('evaluates every target from the recorded figures by their ids', () => {
    const outcomes = new Outcomes();
    outcomes.value('gw-r1.w1-64.rate', 900);
    outcomes.value('bare-r1.js.w1-64.rate', 1_000);
    const lines = evaluateTargets(outcomes);
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatchObject({ verdict: 'met', text: 'gateway overhead vs bare publish, R1, W1 unary 64 in flight: ≤ 30%' });
    expect(lines[1]).toMatchObject({ verdict: 'n/a', detail: 'not measured in this run' });
  });
});
