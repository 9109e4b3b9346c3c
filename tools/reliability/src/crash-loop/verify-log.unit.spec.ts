import type { AckedAppend, UnknownAppend } from './ledger';
import { verifyLog } from './verify-log';

// Every append starts with a value unique in the run (see values.ts): 10, 20, 30, …
const acked = (key: string, first: number, values: bigint[]): AckedAppend => ({
  key,
  values,
  firstOffset: BigInt(first),
  nextOffset: BigInt(first + values.length),
});
const unknown = (key: string, values: bigint[]): UnknownAppend => ({ key, values, reason: 'connection-lost' });

describe('verifyLog', () => {
  it('accepts a log holding every acknowledged append and a stored unknown-outcome append', () => {
    const log = [10n, 1n, 30n, 1n, -1n, 20n];
    const findings = verifyLog(log, [acked('a', 0, [10n, 1n]), acked('', 5, [20n])], [unknown('', [30n, 1n, -1n]), unknown('b', [40n])]);
    expect(findings).toMatchObject({ lost: 0, overlaps: 0, duplicates: 0, unexplainedOffsets: 0 });
    expect(findings.unknownLanded.map((append) => append.values)).toEqual([[30n, 1n, -1n]]);
  });

  it('counts an acknowledged append whose values moved or vanished as lost', () => {
    expect(verifyLog([10n, 7n], [acked('a', 0, [10n, 1n])], []).lost).toBe(1);
    expect(verifyLog([10n], [acked('a', 0, [10n, 1n])], []).lost).toBe(1);
  });

  it('counts a keyed append stored a second time as a duplicate', () => {
    const findings = verifyLog([10n, 5n, 10n, 5n], [acked('k', 0, [10n, 5n])], []);
    expect(findings.duplicates).toBe(1);
    expect(findings.problems.join()).toContain('"k"');
  });

  it('counts offsets no append explains, a second copy of an unknown-outcome append, and a refused append that was stored', () => {
    expect(verifyLog([60n, 1n], [], [unknown('', [60n])]).unexplainedOffsets).toBe(1);
    expect(verifyLog([60n, 60n], [], [unknown('', [60n])]).unexplainedOffsets).toBe(1);
    const refused = verifyLog([70n, 1n], [], [], true, [{ key: 'r', values: [70n, 1n] }]);
    expect(refused.unexplainedOffsets).toBe(2);
    expect(refused.problems.join()).toContain('FAILED_PRECONDITION');
  });

  it('counts two acknowledged appends claiming the same offsets as overlaps', () => {
    expect(verifyLog([10n, 1n], [acked('a', 0, [10n, 1n]), acked('b', 1, [1n])], []).overlaps).toBe(1);
  });

  it('leaves unacknowledged offsets alone while clients are still appending', () => {
    expect(verifyLog([10n, 80n], [acked('a', 0, [10n])], [], false).unexplainedOffsets).toBe(0);
  });
});
