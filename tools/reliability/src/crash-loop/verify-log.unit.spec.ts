import type { AckedAppend, UnknownAppend } from './ledger';
import { verifyLog } from './verify-log';

const acked = (key: string, first: number, values: bigint[]): AckedAppend => ({
  key,
  values,
  firstOffset: BigInt(first),
  nextOffset: BigInt(first + values.length),
});
const unknown = (key: string, values: bigint[]): UnknownAppend => ({ key, values, reason: 'connection-lost' });

describe('verifyLog', () => {
  it('accepts a log holding every acknowledged append and a stored unknown-outcome append', () => {
    const log = [1n, 2n, 9n, 3n];
    const findings = verifyLog(log, [acked('a', 0, [1n, 2n]), acked('', 3, [3n])], [unknown('', [9n]), unknown('b', [5n])]);
    expect(findings).toMatchObject({ lost: 0, overlaps: 0, duplicates: 0, unexplainedOffsets: 0 });
    expect(findings.unknownLanded.map((append) => append.values)).toEqual([[9n]]);
  });

  it('counts an acknowledged append whose values moved or vanished as lost', () => {
    expect(verifyLog([1n, 7n], [acked('a', 0, [1n, 2n])], []).lost).toBe(1);
    expect(verifyLog([1n], [acked('a', 0, [1n, 2n])], []).lost).toBe(1);
  });

  it('counts a keyed append stored a second time as a duplicate', () => {
    const findings = verifyLog([4n, 5n, 4n, 5n], [acked('k', 0, [4n, 5n])], []);
    expect(findings.duplicates).toBe(1);
    expect(findings.problems.join()).toContain('"k"');
  });

  it('counts offsets no append explains, and uses an unknown-outcome append at most once', () => {
    expect(verifyLog([6n, 6n], [], [unknown('', [6n])]).unexplainedOffsets).toBe(2);
    expect(verifyLog([6n, 6n], [], [unknown('', [6n]), unknown('', [6n])]).unexplainedOffsets).toBe(0);
  });

  it('counts two acknowledged appends claiming the same offsets as overlaps', () => {
    expect(verifyLog([1n, 1n], [acked('a', 0, [1n, 1n]), acked('b', 1, [1n])], []).overlaps).toBe(1);
  });

  it('leaves unacknowledged offsets alone while clients are still appending', () => {
    expect(verifyLog([1n, 8n], [acked('a', 0, [1n])], [], false).unexplainedOffsets).toBe(0);
  });
});
